#!/usr/bin/env bash
# The sandbox's ECR API additions, checked with an independent client: the AWS CLI v1
# (scripts/install puts it in $TOOLS/awscli-venv). Needs a running sandbox
# (scripts/sandbox/sandbox up); reads $SANDBOX_DIR/env (default target/sandbox/env).
# Each check prints "ok - ..." or "FAIL - ..."; the script exits non-zero on the first failure.
#
# Registry-wide settings are changed only in a scratch account (access key id 222222222222,
# which the sandbox reads as that account), so the seeded account stays as it was; the seeds
# themselves are checked read-only (ECR_API_SKIP_SEED_CHECKS=1 leaves that out).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SANDBOX_DIR=${SANDBOX_DIR:-$ROOT/target/sandbox}
TOOLS=${BERTH_TOOLS:-$ROOT/target/tools}
AWS_BIN=$TOOLS/awscli-venv/bin/aws
ENVFILE=$SANDBOX_DIR/env
[[ -f $ENVFILE ]] || { echo "FAIL - no sandbox: $ENVFILE is missing; run scripts/sandbox/sandbox up" >&2; exit 1; }
[[ -x $AWS_BIN ]] || { echo "FAIL - the AWS CLI is missing ($AWS_BIN); run scripts/install" >&2; exit 1; }
set -a; . "$ENVFILE"; set +a
export AWS_DEFAULT_REGION=${AWS_REGION:-us-east-1} AWS_SECRET_ACCESS_KEY=sandbox AWS_PAGER=""
REGION=$AWS_DEFAULT_REGION
DEFAULT_KEY=${AWS_ACCESS_KEY_ID:-sandbox}
SCRATCH=222222222222
RUN=t$$-$RANDOM
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASSED=0

IN_SECTION=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
die() {
  echo "FAIL - $*"
  if [[ $IN_SECTION == 0 ]]; then echo "$PASSED passed, 1 failed"; fi
  exit 1
}

# aws_ [--as KEY] ARGS...: the CLI against the sandbox, JSON on stdout.
aws_() {
  local key=$SCRATCH
  if [[ $1 == --as ]]; then key=$2; shift 2; fi
  AWS_ACCESS_KEY_ID=$key "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" --output json "$@"
}

# ok DESCRIPTION JSON PYTHON-EXPRESSION: the expression, over d = the parsed JSON, is true.
ok() {
  local what=$1 json=$2 expr=$3 e=$TMP/py.err.$BASHPID
  if printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$expr" 2>"$e"; then
    pass "$what"
  else
    die "$what: expected $expr, got: $(printf '%s' "$json" | head -c 1500) $(cat "$e")"
  fi
}

# err DESCRIPTION EXCEPTION ARGS...: the call fails (exit 254/255) naming EXCEPTION.
err() {
  local what=$1 exc=$2; shift 2
  local rc=0 o=$TMP/out.$BASHPID e=$TMP/err.$BASHPID
  aws_ "$@" >"$o" 2>"$e" || rc=$?
  if [[ $rc -ne 254 && $rc -ne 255 ]]; then
    die "$what: expected $exc (exit 254/255), got exit $rc: $(head -c 600 "$o" "$e")"
  fi
  grep -q "($exc)" "$e" || die "$what: expected $exc, got: $(head -c 600 "$e")"
  pass "$what ($exc)"
}

# Registry-wide settings of the scratch account back to ECR's defaults (also after a failed run).
reset_scratch() {
  aws_ ecr delete-repository-creation-template --prefix ROOT >/dev/null 2>&1 || true
  aws_ ecr put-registry-scanning-configuration --scan-type BASIC --rules '[]' >/dev/null 2>&1 || true
  aws_ ecr put-replication-configuration --replication-configuration '{"rules":[]}' >/dev/null 2>&1 || true
  aws_ ecr put-account-setting --name BLOB_MOUNTING --value DISABLED >/dev/null 2>&1 || true
}
reset_scratch

manifest() { python3 -c '
import hashlib, json, sys
def d(s): return "sha256:" + hashlib.sha256(s.encode()).hexdigest()
print(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
  "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 100, "digest": d("config" + sys.argv[1])},
  "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1000 + i, "digest": d(sys.argv[1] + str(i))} for i in range(4)]}))' "$1"; }
MANIFEST=$(manifest "$RUN")
MANIFEST_OLD=$(manifest "$RUN-old")

# --- 1. regions are separate registries; 2. accounts ------------------------------------------
out=$(aws_ ecr get-authorization-token)
ok "GetAuthorizationToken: proxyEndpoint is the region's registry front" "$out" \
  "d['authorizationData'][0]['proxyEndpoint'].startswith('http://127.0.0.1:')"
ok "GetAuthorizationToken: the token is AWS:<password> and not expired" "$out" \
  "__import__('base64').b64decode(d['authorizationData'][0]['authorizationToken']).decode().startswith('AWS:') and d['authorizationData'][0]['expiresAt'] > __import__('time').time() + 3600"
east=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["authorizationData"][0]["proxyEndpoint"][7:])')
west_out=$(aws_ ecr get-authorization-token --region us-west-2)
ok "GetAuthorizationToken: us-west-2 has its own registry" "$west_out" \
  "d['authorizationData'][0]['proxyEndpoint'] != 'http://$east' and d['authorizationData'][0]['proxyEndpoint'].startswith('http://127.0.0.1:')"
default_out=$(aws_ --as "$DEFAULT_KEY" ecr get-authorization-token)
ok "GetAuthorizationToken: the password differs per account" "$default_out" \
  "d['authorizationData'][0]['authorizationToken'] != $(printf '%s' "$out" | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["authorizationData"][0]["authorizationToken"]))')"
ok "an access key id of 12 digits is that account" "$(aws_ sts get-caller-identity)" "d['Account'] == '$SCRATCH'"
ok "any other key is the default account" "$(aws_ --as "$DEFAULT_KEY" sts get-caller-identity)" "d['Account'] == '000000000000'"

REPO=berth-test/$RUN
out=$(aws_ ecr create-repository --repository-name "$REPO")
ok "CreateRepository: repositoryUri is <registry front>/name" "$out" "d['repository']['repositoryUri'] == '$east/$REPO'"
ok "DescribeRepositories: the same repositoryUri" "$(aws_ ecr describe-repositories --repository-names "$REPO")" \
  "d['repositories'][0]['repositoryUri'] == '$east/$REPO'"
ok "the repository is in the scratch account only" "$(aws_ --as "$DEFAULT_KEY" ecr describe-repositories)" \
  "'$REPO' not in [r['repositoryName'] for r in d['repositories']]"
out=$(aws_ ecr put-image --repository-name "$REPO" --image-tag v1 --image-manifest "$MANIFEST")
DIGEST=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["image"]["imageId"]["imageDigest"])')
aws_ ecr put-image --repository-name "$REPO" --image-tag old --image-manifest "$MANIFEST_OLD" >/dev/null

# --- 3. replication -------------------------------------------------------------------------
s_replication() {
  rules='{"rules":[{"destinations":[{"region":"us-west-2","registryId":"'$SCRATCH'"}],"repositoryFilters":[{"filter":"berth-test/","filterType":"PREFIX_MATCH"}]},{"destinations":[{"region":"eu-west-1","registryId":"'$SCRATCH'"},{"region":"us-west-2","registryId":"111111111111"}]}]}'
  out=$(aws_ ecr put-replication-configuration --replication-configuration "$rules")
  ok "PutReplicationConfiguration: keeps two rules" "$out" "len(d['replicationConfiguration']['rules']) == 2"
  out=$(aws_ ecr describe-registry)
  ok "DescribeRegistry: registryId and both rules with their filters" "$out" \
    "d['registryId'] == '$SCRATCH' and len(d['replicationConfiguration']['rules']) == 2 and d['replicationConfiguration']['rules'][0]['repositoryFilters'] == [{'filter': 'berth-test/', 'filterType': 'PREFIX_MATCH'}] and len(d['replicationConfiguration']['rules'][1]['destinations']) == 2"
  eleven=$(python3 -c 'import json; print(json.dumps({"rules": [{"destinations": [{"region": "us-west-2", "registryId": "222222222222"}]}] * 11}))')
  err "PutReplicationConfiguration: more than 10 rules" InvalidParameterException ecr put-replication-configuration --replication-configuration "$eleven"
  many=$(python3 -c 'import json; print(json.dumps({"rules": [{"destinations": [{"region": "us-west-2", "registryId": "%012d" % (i * 3 + j)} for j in range(3)]} for i in range(9)]}))')
  err "PutReplicationConfiguration: more than 25 unique destinations" InvalidParameterException ecr put-replication-configuration --replication-configuration "$many"
  filters=$(python3 -c 'import json; print(json.dumps({"rules": [{"destinations": [{"region": "us-west-2", "registryId": "222222222222"}], "repositoryFilters": [{"filter": "f%03d" % i, "filterType": "PREFIX_MATCH"} for i in range(101)]}]}))')
  err "PutReplicationConfiguration: more than 100 filters in a rule" ValidationException ecr put-replication-configuration --replication-configuration "$filters"
  err "PutReplicationConfiguration: filterType other than PREFIX_MATCH" ValidationException ecr put-replication-configuration \
    --replication-configuration '{"rules":[{"destinations":[{"region":"us-west-2","registryId":"'$SCRATCH'"}],"repositoryFilters":[{"filter":"api","filterType":"WILDCARD"}]}]}'
  err "PutReplicationConfiguration: the source registry as destination" InvalidParameterException ecr put-replication-configuration \
    --replication-configuration '{"rules":[{"destinations":[{"region":"'$REGION'","registryId":"'$SCRATCH'"}]}]}'
  err "PutReplicationConfiguration: an unknown region" InvalidParameterException ecr put-replication-configuration \
    --replication-configuration '{"rules":[{"destinations":[{"region":"xx-nowhere-9","registryId":"'$SCRATCH'"}]}]}'
  ok "DescribeRegistry: a refused configuration changes nothing" "$(aws_ ecr describe-registry)" "len(d['replicationConfiguration']['rules']) == 2"
  out=$(aws_ ecr describe-image-replication-status --repository-name "$REPO" --image-id imageTag=v1)
  ok "DescribeImageReplicationStatus: repositoryName, imageId, replicationStatuses" "$out" \
    "d['repositoryName'] == '$REPO' and d['imageId']['imageDigest'] == '$DIGEST' and isinstance(d['replicationStatuses'], list)"
  err "DescribeImageReplicationStatus: an unknown image" ImageNotFoundException ecr describe-image-replication-status \
    --repository-name "$REPO" --image-id imageDigest=sha256:0000000000000000000000000000000000000000000000000000000000000000
  err "DescribeImageReplicationStatus: an unknown repository" RepositoryNotFoundException ecr describe-image-replication-status \
    --repository-name "nope/$RUN" --image-id imageTag=v1
}

# --- 4. pull-through cache, 10. Secrets Manager ------------------------------------------------
s_pull_through() {
  SECRET=ecr-pullthroughcache/$RUN
  out=$(aws_ secretsmanager create-secret --name "$SECRET" --secret-string '{"username":"u","accessToken":"t"}')
  SECRET_ARN=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ARN"])')
  ok "Secrets Manager: CreateSecret answers the ARN" "$out" "d['ARN'].startswith('arn:aws:secretsmanager:$REGION:$SCRATCH:secret:$SECRET') and d['Name'] == '$SECRET'"
  ok "Secrets Manager: ListSecrets by name prefix" \
    "$(aws_ secretsmanager list-secrets --filters Key=name,Values=ecr-pullthroughcache/)" "'$SECRET' in [s['Name'] for s in d['SecretList']]"
  ok "Secrets Manager: DescribeSecret" "$(aws_ secretsmanager describe-secret --secret-id "$SECRET_ARN")" "d['Name'] == '$SECRET'"
  out=$(aws_ ecr create-pull-through-cache-rule --ecr-repository-prefix hub-$RUN --upstream-registry-url registry-1.docker.io \
    --upstream-registry docker-hub --credential-arn "$SECRET_ARN")
  ok "CreatePullThroughCacheRule: Docker Hub with credentials" "$out" \
    "d['ecrRepositoryPrefix'] == 'hub-$RUN' and d['upstreamRegistry'] == 'docker-hub' and d['credentialArn'] == '$SECRET_ARN' and d['registryId'] == '$SCRATCH' and d['createdAt'] > 0"
  out=$(aws_ ecr create-pull-through-cache-rule --ecr-repository-prefix k8s-$RUN --upstream-registry-url registry.k8s.io)
  ok "CreatePullThroughCacheRule: registry.k8s.io without credentials, upstreamRegistry inferred" "$out" "d['upstreamRegistry'] == 'k8s'"
  aws_ ecr create-pull-through-cache-rule --ecr-repository-prefix quay-$RUN --upstream-registry-url quay.io >/dev/null
  aws_ ecr create-pull-through-cache-rule --ecr-repository-prefix acr-$RUN --upstream-registry-url myreg.azurecr.io \
    --upstream-registry azure-container-registry --credential-arn "$SECRET_ARN" >/dev/null
  pass "CreatePullThroughCacheRule: quay.io without credentials, *.azurecr.io with"
  err "CreatePullThroughCacheRule: the same prefix again" PullThroughCacheRuleAlreadyExistsException ecr create-pull-through-cache-rule \
    --ecr-repository-prefix hub-$RUN --upstream-registry-url registry.k8s.io
  err "CreatePullThroughCacheRule: an unknown upstream" UnsupportedUpstreamRegistryException ecr create-pull-through-cache-rule \
    --ecr-repository-prefix x-$RUN --upstream-registry-url registry.example.com
  err "CreatePullThroughCacheRule: Docker Hub without credentials" InvalidParameterException ecr create-pull-through-cache-rule \
    --ecr-repository-prefix y-$RUN --upstream-registry-url registry-1.docker.io --upstream-registry docker-hub
  err "CreatePullThroughCacheRule: ghcr.io without credentials" InvalidParameterException ecr create-pull-through-cache-rule \
    --ecr-repository-prefix y-$RUN --upstream-registry-url ghcr.io
  err "CreatePullThroughCacheRule: a secret that does not exist" SecretNotFoundException ecr create-pull-through-cache-rule \
    --ecr-repository-prefix y-$RUN --upstream-registry-url ghcr.io \
    --credential-arn "arn:aws:secretsmanager:$REGION:$SCRATCH:secret:ecr-pullthroughcache/missing-AbCdEf"
  err "CreatePullThroughCacheRule: a secret not named ecr-pullthroughcache/..." ValidationException ecr create-pull-through-cache-rule \
    --ecr-repository-prefix y-$RUN --upstream-registry-url ghcr.io \
    --credential-arn "arn:aws:secretsmanager:$REGION:$SCRATCH:secret:other/name-AbCdEf-0123456789"
  err "CreatePullThroughCacheRule: a prefix ECR refuses" ValidationException ecr create-pull-through-cache-rule \
    --ecr-repository-prefix "Bad_Prefix!" --upstream-registry-url registry.k8s.io
  out=$(aws_ ecr describe-pull-through-cache-rules --ecr-repository-prefixes hub-$RUN k8s-$RUN)
  ok "DescribePullThroughCacheRules: by prefix" "$out" \
    "sorted(r['ecrRepositoryPrefix'] for r in d['pullThroughCacheRules']) == sorted(['hub-$RUN', 'k8s-$RUN']) and all('upstreamRegistryUrl' in r and 'createdAt' in r for r in d['pullThroughCacheRules'])"
  err "DescribePullThroughCacheRules: an unknown prefix" PullThroughCacheRuleNotFoundException ecr describe-pull-through-cache-rules \
    --ecr-repository-prefixes none-$RUN
  out=$(aws_ ecr update-pull-through-cache-rule --ecr-repository-prefix hub-$RUN --credential-arn "$SECRET_ARN")
  ok "UpdatePullThroughCacheRule: answers updatedAt" "$out" "d['ecrRepositoryPrefix'] == 'hub-$RUN' and d['updatedAt'] > 0"
  ok "ValidatePullThroughCacheRule: valid while the secret exists" \
    "$(aws_ ecr validate-pull-through-cache-rule --ecr-repository-prefix hub-$RUN)" "d['isValid'] is True and d['upstreamRegistryUrl'] == 'registry-1.docker.io'"
  aws_ secretsmanager delete-secret --secret-id "$SECRET_ARN" --force-delete-without-recovery >/dev/null
  ok "ValidatePullThroughCacheRule: invalid, with a reason, once the secret is gone" \
    "$(aws_ ecr validate-pull-through-cache-rule --ecr-repository-prefix hub-$RUN)" "d['isValid'] is False and 'secret' in d['failure'].lower()"
  ok "DeletePullThroughCacheRule: answers the rule" "$(aws_ ecr delete-pull-through-cache-rule --ecr-repository-prefix k8s-$RUN)" \
    "d['ecrRepositoryPrefix'] == 'k8s-$RUN' and d['upstreamRegistryUrl'] == 'registry.k8s.io'"
  err "DeletePullThroughCacheRule: twice" PullThroughCacheRuleNotFoundException ecr delete-pull-through-cache-rule --ecr-repository-prefix k8s-$RUN
  err "ValidatePullThroughCacheRule: an unknown prefix" PullThroughCacheRuleNotFoundException ecr validate-pull-through-cache-rule --ecr-repository-prefix k8s-$RUN
}

# --- 5. repository creation templates -------------------------------------------------------------
s_templates() {
  LIFECYCLE='{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}'
  out=$(aws_ ecr create-repository-creation-template --prefix tpl-$RUN --description "test template" \
    --applied-for CREATE_ON_PUSH REPLICATION --image-tag-mutability IMMUTABLE_WITH_EXCLUSION \
    --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=latest \
    --encryption-configuration encryptionType=AES256 --resource-tags Key=team,Value=ci \
    --lifecycle-policy "$LIFECYCLE" --repository-policy '{"Version":"2012-10-17","Statement":[]}')
  ok "CreateRepositoryCreationTemplate: every setting in ECR's shape" "$out" \
    "d['registryId'] == '$SCRATCH' and (lambda t: t['prefix'] == 'tpl-$RUN' and t['appliedFor'] == ['CREATE_ON_PUSH', 'REPLICATION'] and t['imageTagMutability'] == 'IMMUTABLE_WITH_EXCLUSION' and t['imageTagMutabilityExclusionFilters'] == [{'filterType': 'WILDCARD', 'filter': 'latest'}] and t['resourceTags'] == [{'Key': 'team', 'Value': 'ci'}] and t['encryptionConfiguration']['encryptionType'] == 'AES256' and 'rules' in t['lifecyclePolicy'] and t['createdAt'] > 0 and t['updatedAt'] > 0)(d['repositoryCreationTemplate'])"
  ok "CreateRepositoryCreationTemplate: ROOT" \
    "$(aws_ ecr create-repository-creation-template --prefix ROOT --applied-for PULL_THROUGH_CACHE)" \
    "d['repositoryCreationTemplate']['prefix'] == 'ROOT' and d['repositoryCreationTemplate']['imageTagMutability'] == 'MUTABLE'"
  err "CreateRepositoryCreationTemplate: the same prefix again" TemplateAlreadyExistsException ecr create-repository-creation-template \
    --prefix tpl-$RUN --applied-for CREATE_ON_PUSH
  err "CreateRepositoryCreationTemplate: a lifecycle policy that is not JSON" InvalidParameterException ecr create-repository-creation-template \
    --prefix bad-$RUN --applied-for CREATE_ON_PUSH --lifecycle-policy '{"rules": ['
  err "CreateRepositoryCreationTemplate: a repository policy that is not JSON" InvalidParameterException ecr create-repository-creation-template \
    --prefix bad-$RUN --applied-for CREATE_ON_PUSH --repository-policy 'not json'
  err "CreateRepositoryCreationTemplate: an unknown appliedFor" ValidationException ecr create-repository-creation-template \
    --prefix bad-$RUN --applied-for SOMETIMES
  err "CreateRepositoryCreationTemplate: exclusion filters with IMMUTABLE" InvalidParameterException ecr create-repository-creation-template \
    --prefix bad-$RUN --applied-for CREATE_ON_PUSH --image-tag-mutability IMMUTABLE --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=x
  out=$(aws_ ecr describe-repository-creation-templates --prefixes tpl-$RUN)
  ok "DescribeRepositoryCreationTemplates: by prefix" "$out" "[t['prefix'] for t in d['repositoryCreationTemplates']] == ['tpl-$RUN']"
  out=$(aws_ ecr update-repository-creation-template --prefix tpl-$RUN --image-tag-mutability MUTABLE --description changed)
  ok "UpdateRepositoryCreationTemplate: changes what is given, keeps the rest" "$out" \
    "(lambda t: t['imageTagMutability'] == 'MUTABLE' and 'imageTagMutabilityExclusionFilters' not in t and t['description'] == 'changed' and t['resourceTags'] == [{'Key': 'team', 'Value': 'ci'}] and t['updatedAt'] >= t['createdAt'])(d['repositoryCreationTemplate'])"
  err "UpdateRepositoryCreationTemplate: an unknown prefix" TemplateNotFoundException ecr update-repository-creation-template --prefix none-$RUN --description x
  ok "DeleteRepositoryCreationTemplate: answers the template" "$(aws_ ecr delete-repository-creation-template --prefix tpl-$RUN)" \
    "d['repositoryCreationTemplate']['prefix'] == 'tpl-$RUN'"
  err "DeleteRepositoryCreationTemplate: twice" TemplateNotFoundException ecr delete-repository-creation-template --prefix tpl-$RUN
}

# --- 6. scanning ----------------------------------------------------------------------------------
s_scanning() {
  ok "GetRegistryScanningConfiguration: BASIC without rules at first" "$(aws_ ecr get-registry-scanning-configuration)" \
    "d['registryId'] == '$SCRATCH' and d['scanningConfiguration']['scanType'] == 'BASIC' and d['scanningConfiguration']['rules'] == []"
  err "PutRegistryScanningConfiguration: CONTINUOUS_SCAN under BASIC" InvalidParameterException ecr put-registry-scanning-configuration \
    --scan-type BASIC --rules '[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]'
  err "PutRegistryScanningConfiguration: a filterType other than WILDCARD" ValidationException ecr put-registry-scanning-configuration \
    --scan-type ENHANCED --rules '[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"api","filterType":"PREFIX_MATCH"}]}]'
  aws_ ecr create-repository --repository-name "berth-test/web-$RUN" >/dev/null
  aws_ ecr create-repository --repository-name "other-$RUN" --image-scanning-configuration scanOnPush=true >/dev/null
  aws_ ecr create-repository --repository-name "plain-$RUN" >/dev/null
  out=$(aws_ ecr put-registry-scanning-configuration --scan-type BASIC \
    --rules '[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"berth-test/'$RUN'","filterType":"WILDCARD"}]}]')
  ok "PutRegistryScanningConfiguration: BASIC with a SCAN_ON_PUSH rule" "$out" "d['registryScanningConfiguration']['scanType'] == 'BASIC'"
  out=$(aws_ ecr batch-get-repository-scanning-configuration --repository-names "$REPO" "other-$RUN" "plain-$RUN" "missing-$RUN")
  ok "BatchGetRepositoryScanningConfiguration (BASIC): rule, own scanOnPush, manual, missing" "$out" \
    "(lambda c: c['$REPO']['scanFrequency'] == 'SCAN_ON_PUSH' and c['$REPO']['scanOnPush'] and c['$REPO']['appliedScanFilters'] == [{'filter': 'berth-test/$RUN', 'filterType': 'WILDCARD'}] and c['other-$RUN']['scanFrequency'] == 'SCAN_ON_PUSH' and c['other-$RUN']['appliedScanFilters'] == [] and c['plain-$RUN']['scanFrequency'] == 'MANUAL' and not c['plain-$RUN']['scanOnPush'])({x['repositoryName']: x for x in d['scanningConfigurations']}) and d['failures'][0]['repositoryName'] == 'missing-$RUN' and d['failures'][0]['failureCode'] == 'REPOSITORY_NOT_FOUND'"
  aws_ ecr put-registry-scanning-configuration --scan-type ENHANCED --rules \
    '[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"berth-test/*","filterType":"WILDCARD"}]},{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"berth-test/web-*","filterType":"WILDCARD"}]}]' >/dev/null
  ok "GetRegistryScanningConfiguration: ENHANCED with both rules" "$(aws_ ecr get-registry-scanning-configuration)" \
    "d['scanningConfiguration']['scanType'] == 'ENHANCED' and [r['scanFrequency'] for r in d['scanningConfiguration']['rules']] == ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN']"
  out=$(aws_ ecr batch-get-repository-scanning-configuration --repository-names "$REPO" "berth-test/web-$RUN" "other-$RUN")
  ok "BatchGetRepositoryScanningConfiguration (ENHANCED): continuous wins, own scanOnPush no longer counts" "$out" \
    "(lambda c: c['$REPO']['scanFrequency'] == 'SCAN_ON_PUSH' and c['berth-test/web-$RUN']['scanFrequency'] == 'CONTINUOUS_SCAN' and c['berth-test/web-$RUN']['appliedScanFilters'] == [{'filter': 'berth-test/web-*', 'filterType': 'WILDCARD'}] and c['other-$RUN']['scanFrequency'] == 'MANUAL')({x['repositoryName']: x for x in d['scanningConfigurations']})"
  aws_ ecr start-image-scan --repository-name "$REPO" --image-id imageTag=v1 >/dev/null
  out=$(aws_ ecr describe-image-scan-findings --repository-name "$REPO" --image-id imageTag=v1)
  ok "DescribeImageScanFindings (ENHANCED): enhancedFindings, no basic findings" "$out" \
    "'findings' not in d['imageScanFindings'] and len(d['imageScanFindings']['enhancedFindings']) > 0"
  ok "DescribeImageScanFindings (ENHANCED): each finding in ECR's shape" "$out" \
    "all(f['type'] == 'PACKAGE_VULNERABILITY' and f['status'] == 'ACTIVE' and f['severity'] in ('LOW','MEDIUM','HIGH','CRITICAL') and f['title'] and f['fixAvailable'] in ('YES','NO','PARTIAL') and f['exploitAvailable'] in ('YES','NO') and isinstance(f['score'], float) and f['scoreDetails']['cvss']['scoreSource'] and f['firstObservedAt'] and f['lastObservedAt'] and f['remediation']['recommendation']['text'] and (lambda p: p['vulnerabilityId'].startswith('CVE-') and p['vendorSeverity'] and p['referenceUrls'] and all(set(c) >= {'baseScore','scoringVector','source','version'} for c in p['cvss']) and all(v['name'] and v['version'] and v['filePath'] for v in p['vulnerablePackages']))(f['packageVulnerabilityDetails']) for f in d['imageScanFindings']['enhancedFindings'])"
  ok "DescribeImageScanFindings (ENHANCED): severity counts match the findings" "$out" \
    "sum(d['imageScanFindings']['findingSeverityCounts'].values()) == len(d['imageScanFindings']['enhancedFindings'])"
}

# --- 7. account settings --------------------------------------------------------------------------
s_settings() {
  ok "GetAccountSetting: BASIC_SCAN_TYPE_VERSION defaults to AWS_NATIVE" "$(aws_ ecr get-account-setting --name BASIC_SCAN_TYPE_VERSION)" "d == {'name': 'BASIC_SCAN_TYPE_VERSION', 'value': 'AWS_NATIVE'}"
  ok "GetAccountSetting: REGISTRY_POLICY_SCOPE defaults to V2" "$(aws_ ecr get-account-setting --name REGISTRY_POLICY_SCOPE)" "d['value'] == 'V2'"
  ok "GetAccountSetting: BLOB_MOUNTING defaults to DISABLED" "$(aws_ ecr get-account-setting --name BLOB_MOUNTING)" "d['value'] == 'DISABLED'"
  ok "PutAccountSetting: BLOB_MOUNTING ENABLED" "$(aws_ ecr put-account-setting --name BLOB_MOUNTING --value ENABLED)" "d == {'name': 'BLOB_MOUNTING', 'value': 'ENABLED'}"
  ok "GetAccountSetting: reads it back" "$(aws_ ecr get-account-setting --name BLOB_MOUNTING)" "d['value'] == 'ENABLED'"
  err "PutAccountSetting: a value the setting does not take" ValidationException ecr put-account-setting --name REGISTRY_POLICY_SCOPE --value V3
  err "GetAccountSetting: an unknown name" ValidationException ecr get-account-setting --name NO_SUCH_SETTING
}

# --- 8. archive -----------------------------------------------------------------------------------
s_archive() {
  out=$(aws_ ecr update-image-storage-class --repository-name "$REPO" --image-id imageTag=v1 --target-storage-class ARCHIVE)
  ok "UpdateImageStorageClass ARCHIVE: ARCHIVED" "$out" "d['imageStatus'] == 'ARCHIVED' and d['imageId']['imageDigest'] == '$DIGEST' and d['repositoryName'] == '$REPO'"
  err "UpdateImageStorageClass: ARCHIVE twice" ImageStorageClassUpdateNotSupportedException ecr update-image-storage-class \
    --repository-name "$REPO" --image-id imageTag=v1 --target-storage-class ARCHIVE
  err "UpdateImageStorageClass: STANDARD on an active image" ImageStorageClassUpdateNotSupportedException ecr update-image-storage-class \
    --repository-name "$REPO" --image-id imageTag=old --target-storage-class STANDARD
  err "UpdateImageStorageClass: an unknown image" ImageNotFoundException ecr update-image-storage-class \
    --repository-name "$REPO" --image-id imageTag=nope --target-storage-class ARCHIVE
  ok "DescribeImages: without a filter, only ACTIVE images" "$(aws_ ecr describe-images --repository-name "$REPO")" \
    "[i.get('imageTags') for i in d['imageDetails']] == [['old']] and d['imageDetails'][0]['imageStatus'] == 'ACTIVE'"
  ok "DescribeImages: imageStatus ARCHIVED, with lastArchivedAt" "$(aws_ ecr describe-images --repository-name "$REPO" --filter imageStatus=ARCHIVED)" \
    "[i['imageDigest'] for i in d['imageDetails']] == ['$DIGEST'] and d['imageDetails'][0]['imageStatus'] == 'ARCHIVED' and d['imageDetails'][0]['lastArchivedAt'] > 0"
  ok "DescribeImages: imageStatus ANY" "$(aws_ ecr describe-images --repository-name "$REPO" --filter imageStatus=ANY)" "len(d['imageDetails']) == 2"
  out=$(aws_ ecr batch-get-image --repository-name "$REPO" --image-ids imageTag=v1 imageTag=old)
  ok "BatchGetImage: an archived image is a failure (ImageInaccessible)" "$out" \
    "[i['imageId'].get('imageTag') for i in d['images']] == ['old'] and d['failures'][0]['failureCode'] == 'ImageInaccessible' and d['failures'][0]['imageId']['imageDigest'] == '$DIGEST'"
  out=$(aws_ ecr update-image-storage-class --repository-name "$REPO" --image-id imageDigest=$DIGEST --target-storage-class STANDARD)
  ok "UpdateImageStorageClass STANDARD: ACTIVATING" "$out" "d['imageStatus'] == 'ACTIVATING'"
  # The restore lasts SANDBOX_RESTORE_SECONDS (2 s by default): on a slow machine it may be over
  # before the next call; then the ACTIVATING checks have nothing to look at.
  out=$(aws_ ecr describe-images --repository-name "$REPO" --filter imageStatus=ACTIVATING)
  if printf '%s' "$out" | grep -q '"imageStatus": "ACTIVATING"'; then
    ok "DescribeImages: imageStatus ACTIVATING" "$out" "[i['imageStatus'] for i in d['imageDetails']] == ['ACTIVATING']"
    rc=0
    aws_ ecr update-image-storage-class --repository-name "$REPO" --image-id imageTag=v1 --target-storage-class ARCHIVE \
      >/dev/null 2>"$TMP/activating.err" || rc=$?
    if ((rc == 0)) || ! grep -q "(ImageStorageClassUpdateNotSupportedException)" "$TMP/activating.err"; then
      # Refused while ACTIVATING; accepted only if the restore ended in between.
      st=$(aws_ ecr describe-images --repository-name "$REPO" --image-ids imageTag=v1 --query 'imageDetails[0].imageStatus' --output text)
      ((rc == 0)) && [[ $st == ARCHIVED ]] || die "UpdateImageStorageClass: ARCHIVE while activating: $(cat "$TMP/activating.err")"
      echo "skip - UpdateImageStorageClass: ARCHIVE while activating (the restore ended first)"
      aws_ ecr update-image-storage-class --repository-name "$REPO" --image-id imageTag=v1 --target-storage-class STANDARD >/dev/null
    else
      pass "UpdateImageStorageClass: ARCHIVE while activating (ImageStorageClassUpdateNotSupportedException)"
    fi
  else
    echo "skip - DescribeImages: imageStatus ACTIVATING (the restore ended before the call)"
  fi
  for _ in $(seq 1 40); do
    st=$(aws_ ecr describe-images --repository-name "$REPO" --image-ids imageTag=v1 --query 'imageDetails[0].imageStatus' --output text)
    [[ $st == ACTIVE ]] && break
    sleep 0.5
  done
  ok "UpdateImageStorageClass STANDARD: ACTIVE after SANDBOX_RESTORE_SECONDS, with lastActivatedAt" \
    "$(aws_ ecr describe-images --repository-name "$REPO" --image-ids imageTag=v1)" \
    "d['imageDetails'][0]['imageStatus'] == 'ACTIVE' and d['imageDetails'][0]['lastActivatedAt'] >= d['imageDetails'][0]['lastArchivedAt']"
  err "DescribeImages: an unknown imageStatus" InvalidParameterException ecr describe-images --repository-name "$REPO" --filter imageStatus=FROZEN
}

# --- 9. lifecycle policies ------------------------------------------------------------------------
s_lifecycle() {
  local REPO=berth-test/lc-$RUN
  aws_ ecr create-repository --repository-name "$REPO" >/dev/null
  aws_ ecr put-image --repository-name "$REPO" --image-tag v1 --image-manifest "$MANIFEST" >/dev/null
  aws_ ecr put-image --repository-name "$REPO" --image-tag old --image-manifest "$MANIFEST_OLD" >/dev/null
  POLICY='{"rules":[{"rulePriority":1,"description":"archive old","selection":{"tagStatus":"tagged","tagPatternList":["ol*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"transition","targetStorageClass":"archive"}},{"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":3,"selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}},{"rulePriority":4,"selection":{"tagStatus":"untagged","countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"expire"}}]}'
  ok "PutLifecyclePolicy: transition to archive, storageClass, sinceImagePulled, sinceImageTransitioned" \
    "$(aws_ ecr put-lifecycle-policy --repository-name "$REPO" --lifecycle-policy-text "$POLICY")" "d['repositoryName'] == '$REPO'"
  ok "GetLifecyclePolicy: the same text" "$(aws_ ecr get-lifecycle-policy --repository-name "$REPO")" \
    "__import__('json').loads(d['lifecyclePolicyText'])['rules'][0]['action'] == {'type': 'transition', 'targetStorageClass': 'archive'}"
  err "PutLifecyclePolicy: transition without targetStorageClass" InvalidParameterException ecr put-lifecycle-policy --repository-name "$REPO" \
    --lifecycle-policy-text '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"transition"}}]}'
  err "PutLifecyclePolicy: sinceImageTransitioned on standard images" InvalidParameterException ecr put-lifecycle-policy --repository-name "$REPO" \
    --lifecycle-policy-text '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImageTransitioned","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}'
  ok "StartLifecyclePolicyPreview: accepts the new fields" \
    "$(aws_ ecr start-lifecycle-policy-preview --repository-name "$REPO" --lifecycle-policy-text "$POLICY")" "d['status'] in ('IN_PROGRESS', 'COMPLETE')"
  out=$(aws_ ecr get-lifecycle-policy-preview --repository-name "$REPO")
  ok "GetLifecyclePolicyPreview: results and summary in ECR's shape" "$out" \
    "d['status'] == 'COMPLETE' and isinstance(d['previewResults'], list) and 'expiringImageTotalCount' in d['summary'] and d['summary']['transitioningImageTotalCounts'][0]['targetStorageClass'] == 'ARCHIVE' and all(r['action']['type'] in ('EXPIRE', 'TRANSITION') and r['storageClass'] in ('STANDARD', 'ARCHIVE') for r in d['previewResults'])"
  ok "GetLifecyclePolicyPreview: keeps the newest image, expires the other" "$out" "d['summary']['expiringImageTotalCount'] == 1 and len(d['previewResults']) == 1"
  err "StartLifecyclePolicyPreview: no policy at all" LifecyclePolicyNotFoundException ecr start-lifecycle-policy-preview --repository-name "plain-$RUN"
}

# --- seeds (scripts/sandbox/seed_registry.py) ---------------------------------------------------
s_seeds() {
  if [[ ${ECR_API_SKIP_SEED_CHECKS:-0} != 1 ]]; then
    D=$DEFAULT_KEY
    ok "seed: replication api/ -> us-west-2" "$(aws_ --as "$D" ecr describe-registry)" \
      "any(r.get('repositoryFilters') == [{'filter': 'api/', 'filterType': 'PREFIX_MATCH'}] and {'region': 'us-west-2', 'registryId': '000000000000'} in r['destinations'] for r in d['replicationConfiguration']['rules'])"
    ok "seed: pull-through rule docker-hub with its secret" "$(aws_ --as "$D" ecr describe-pull-through-cache-rules --ecr-repository-prefixes docker-hub)" \
      "d['pullThroughCacheRules'][0]['upstreamRegistryUrl'] == 'registry-1.docker.io' and ':secret:ecr-pullthroughcache/docker-hub' in d['pullThroughCacheRules'][0]['credentialArn']"
    ok "seed: the pull-through rule validates" "$(aws_ --as "$D" ecr validate-pull-through-cache-rule --ecr-repository-prefix docker-hub)" "d['isValid'] is True"
    ok "seed: templates docker-hub (PULL_THROUGH_CACHE) and ci (CREATE_ON_PUSH)" "$(aws_ --as "$D" ecr describe-repository-creation-templates)" \
      "(lambda t: t['docker-hub']['appliedFor'] == ['PULL_THROUGH_CACHE'] and {'Key': 'source', 'Value': 'docker-hub'} in t['docker-hub']['resourceTags'] and 'lifecyclePolicy' in t['docker-hub'] and t['ci']['appliedFor'] == ['CREATE_ON_PUSH'])({x['prefix']: x for x in d['repositoryCreationTemplates']})"
    ok "seed: ENHANCED scanning, scan on push for api/*, continuous for web" "$(aws_ --as "$D" ecr get-registry-scanning-configuration)" \
      "d['scanningConfiguration']['scanType'] == 'ENHANCED' and {'filter': 'api/*', 'filterType': 'WILDCARD'} in [f for r in d['scanningConfiguration']['rules'] if r['scanFrequency'] == 'SCAN_ON_PUSH' for f in r['repositoryFilters']] and {'filter': 'web', 'filterType': 'WILDCARD'} in [f for r in d['scanningConfiguration']['rules'] if r['scanFrequency'] == 'CONTINUOUS_SCAN' for f in r['repositoryFilters']]"
  fi
}

# The sections are independent (each has its own repositories and settings): run them side by
# side, each into its own log, then print the logs in order.
SECTIONS=(replication pull_through templates scanning settings archive lifecycle)
if [[ ${ECR_API_SKIP_SEED_CHECKS:-0} != 1 ]]; then SECTIONS+=(seeds); fi
declare -A PIDS
IN_SECTION=1
for name in "${SECTIONS[@]}"; do
  ( PASSED=0; "s_$name" ) >"$TMP/$name.log" 2>&1 &
  PIDS[$name]=$!
done
FAILED=0
for name in "${SECTIONS[@]}"; do
  wait "${PIDS[$name]}" || FAILED=$((FAILED + 1))
done
IN_SECTION=0
for name in "${SECTIONS[@]}"; do cat "$TMP/$name.log"; done
PASSED=$((PASSED + $(cat "$TMP"/*.log | grep -c '^ok - ' || true)))

# Leave the scratch account as it was found (the sandbox keeps running for other tests).
for p in hub-$RUN quay-$RUN acr-$RUN; do aws_ ecr delete-pull-through-cache-rule --ecr-repository-prefix "$p" >/dev/null 2>&1 || true; done
reset_scratch
for r in "$REPO" "berth-test/lc-$RUN" "berth-test/web-$RUN" "other-$RUN" "plain-$RUN"; do aws_ ecr delete-repository --repository-name "$r" --force >/dev/null 2>&1 || true; done
echo "$PASSED passed, $FAILED failed"
[[ $FAILED == 0 ]]
