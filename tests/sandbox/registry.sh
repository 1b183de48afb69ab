#!/usr/bin/env bash
# Checks the sandbox's registry side against a running sandbox (`scripts/sandbox/sandbox up`):
# per-region registry fronts and login, replication (COMPLETE, FAILED for an unserved region
# and for a cross-account destination without a registry policy), the pull-through cache (and
# that a second pull does not ask the upstream), create-on-push from a template, NAME_UNKNOWN
# for a repository nobody created, archive and restore.
#
# usage: tests/sandbox/registry.sh      (SANDBOX_DIR as for the sandbox; default target/sandbox)
# Exits non-zero with "FAILED: <check>" on the first failed check.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SANDBOX_DIR=${SANDBOX_DIR:-$ROOT/target/sandbox}
TOOLS=${BERTH_TOOLS:-$ROOT/target/tools}
[[ -f $SANDBOX_DIR/env ]] || { echo "FAILED: no sandbox: $SANDBOX_DIR/env is missing (run scripts/sandbox/sandbox up)" >&2; exit 1; }
set -a; . "$SANDBOX_DIR/env"; set +a
RUN_DIR=$(cat "$SANDBOX_DIR/run-dir")
WORK=$(mktemp -d /tmp/berth-registry-test.XXXXXX)
export DOCKER_CONFIG=$WORK/docker-config
mkdir -p "$DOCKER_CONFIG"
trap 'rm -rf "$WORK"' EXIT
E=$SANDBOX_REGISTRY_US_EAST_1
W=$SANDBOX_REGISTRY_US_WEST_2
ME=000000000000
OTHER=111111111111   # has no registry policy: replication into it is denied
FRIEND=222222222222  # allows ecr:ReplicateImage from $ME
N=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')   # this run's names stay apart from earlier runs'
T0=$(date +%s.%N)

step() { printf '== %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# api ACCOUNT REGION SERVICE ACTION [JSON]: the AWS CLI if installed, else boto3 from the moto venv.
if [[ -x $TOOLS/awscli-venv/bin/aws ]]; then
  api() {
    local account=$1 region=$2 service=$3 action=$4 input=${5:-"{}"}
    local key=sandbox
    [[ $account == "$ME" ]] || key=$account
    AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=sandbox "$TOOLS/awscli-venv/bin/aws" --endpoint-url "$AWS_ENDPOINT_URL" \
      --region "$region" --output json "$service" "$action" --cli-input-json "$input"
  }
else
  api() {
    local account=$1 region=$2 service=$3 action=$4 input=${5:-"{}"}
    local key=sandbox
    [[ $account == "$ME" ]] || key=$account
    "$TOOLS/moto-venv/bin/python" - "$AWS_ENDPOINT_URL" "$region" "$key" "$service" "$action" "$input" <<'PY'
import json, sys, boto3, botocore.exceptions
endpoint, region, key, service, action, body = sys.argv[1:7]
c = boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id=key, aws_secret_access_key="sandbox")
try:
    out = getattr(c, action.replace("-", "_"))(**json.loads(body))
except botocore.exceptions.ClientError as e:
    print(f"An error occurred ({e.response['Error']['Code']}): {e.response['Error'].get('Message')}", file=sys.stderr)
    sys.exit(254)
out.pop("ResponseMetadata", None)
print(json.dumps(out, default=str))
PY
  }
fi
d() { docker "$@"; }

# ---------------------------------------------------------------------------------------------
step "log in to each region's front with that region's GetAuthorizationToken"
for pair in "us-east-1 $E" "us-west-2 $W"; do
  set -- $pair
  auth=$(api $ME "$1" ecr get-authorization-token)
  endpoint=$(jq -r '.authorizationData[0].proxyEndpoint' <<<"$auth")
  [[ $endpoint == "http://$2" ]] || fail "GetAuthorizationToken in $1: proxyEndpoint is $endpoint, not http://$2"
  jq -r '.authorizationData[0].authorizationToken' <<<"$auth" | base64 -d | cut -d: -f2- |
    d login -u AWS --password-stdin "$2" >/dev/null 2>"$WORK/login.err" || fail "docker login to $1's front $2: $(cat "$WORK/login.err")"
done
code=$(curl -s -o "$WORK/401.json" -w '%{http_code}' "http://$E/v2/")
[[ $code == 401 ]] && jq -e '.errors[0].code' "$WORK/401.json" >/dev/null || fail "an anonymous /v2/ call should get 401 with error JSON, got $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -u AWS:wrong "http://$E/v2/")
[[ $code == 401 ]] || fail "a wrong password should get 401, got $code"

# One small image per run (its own bytes, so every push uploads).
mkdir -p "$WORK/ctx"
head -c 65536 /dev/urandom >"$WORK/ctx/app.bin"
printf 'FROM scratch\nCOPY app.bin /app.bin\nLABEL run=%s\n' "$N" >"$WORK/ctx/Dockerfile"
DOCKER_BUILDKIT=0 d build -q -t "regtest/app:$N" "$WORK/ctx" >/dev/null 2>"$WORK/build.err" || fail "docker build: $(cat "$WORK/build.err")"
push() { # push HOST REPO:TAG -> prints the digest
  d tag "regtest/app:$N" "$1/$2"
  d push "$1/$2" >"$WORK/push.out" 2>&1 || { d rmi "$1/$2" >/dev/null 2>&1 || true; return 1; }
  d rmi "$1/$2" >/dev/null
  sed -n 's/.*digest: \(sha256:[0-9a-f]*\).*/\1/p' "$WORK/push.out"
}
pull() { # pull HOST REPO:TAG: pull, then remove the local copy
  d pull -q "$1/$2" >"$WORK/pull.out" 2>&1 || return 1
  d rmi "$1/$2" >/dev/null 2>&1 || true
}
wait_until() { # wait_until SECONDS CHECK-NAME COMMAND...
  local secs=$1 what=$2; shift 2
  local end=$(($(date +%s) + secs))
  until "$@"; do
    (($(date +%s) < end)) || fail "$what (waited ${secs}s)"
    sleep 0.3
  done
}

# ---------------------------------------------------------------------------------------------
step "registry settings for this run: replication rules, templates, pull-through rules"
rules=$(api $ME us-east-1 ecr describe-registry | jq -c '.replicationConfiguration.rules // []')
# Put back this account's registry-wide settings on every exit: the tests that run after this
# script (and `make demo`) read the seeded ones.
SEEDED_RULES=$rules
restore() {
  api $ME us-east-1 ecr put-replication-configuration \
    "{\"replicationConfiguration\":{\"rules\":$SEEDED_RULES}}" >/dev/null 2>&1 || true
  for p in "regtest-ci-$N" "regtest-hub-$N"; do
    api $ME us-east-1 ecr delete-repository-creation-template "{\"prefix\":\"$p\"}" >/dev/null 2>&1 || true
  done
  for p in "regtest-hub-$N" "regtest-gone-$N" "regtest-quay-$N"; do
    api $ME us-east-1 ecr delete-pull-through-cache-rule "{\"ecrRepositoryPrefix\":\"$p\"}" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap restore EXIT
rules=$(jq -c --arg n "$N" --arg other $OTHER --arg friend $FRIEND '
  [.[] | select(any(.repositoryFilters[]?; .filter | startswith("regtest-")) | not)] + [
  {destinations: [{region: "us-west-2", registryId: "000000000000"}, {region: "us-west-2", registryId: $friend}],
   repositoryFilters: [{filter: "regtest-rep-\($n)", filterType: "PREFIX_MATCH"}]},
  {destinations: [{region: "eu-west-3", registryId: "000000000000"}, {region: "us-west-2", registryId: $other}],
   repositoryFilters: [{filter: "regtest-fail-\($n)", filterType: "PREFIX_MATCH"}]}]' <<<"$rules")
api $ME us-east-1 ecr put-replication-configuration "{\"replicationConfiguration\":{\"rules\":$rules}}" >/dev/null ||
  fail "PutReplicationConfiguration with this run's rules"
api $FRIEND us-west-2 ecr put-registry-policy "$(jq -nc --arg me $ME '{policyText: ({Version: "2012-10-17", Statement: [
  {Sid: "ReplicationFromMe", Effect: "Allow", Principal: {AWS: "arn:aws:iam::\($me):root"},
   Action: ["ecr:CreateRepository", "ecr:ReplicateImage"], Resource: "*"}]} | tojson)}')" >/dev/null ||
  fail "PutRegistryPolicy in $FRIEND"
api $ME us-east-1 ecr create-repository-creation-template "$(jq -nc --arg p "regtest-ci-$N" '{prefix: $p,
  appliedFor: ["CREATE_ON_PUSH"], imageTagMutability: "IMMUTABLE", resourceTags: [{Key: "made-by", Value: "ci-template"}]}')" >/dev/null ||
  fail "CreateRepositoryCreationTemplate (CREATE_ON_PUSH)"
api $ME us-east-1 ecr create-repository-creation-template "$(jq -nc --arg p "regtest-hub-$N" '{prefix: $p,
  appliedFor: ["PULL_THROUGH_CACHE"], imageTagMutability: "IMMUTABLE", resourceTags: [{Key: "made-by", Value: "ptc-template"}]}')" >/dev/null ||
  fail "CreateRepositoryCreationTemplate (PULL_THROUGH_CACHE)"
secret=$(api $ME us-east-1 secretsmanager create-secret "$(jq -nc --arg n "ecr-pullthroughcache/regtest-$N" \
  '{Name: $n, SecretString: ({username: "sandbox", accessToken: "dckr_pat_sandbox"} | tojson)}')" | jq -r .ARN) ||
  fail "CreateSecret"
gone=$(api $ME us-east-1 secretsmanager create-secret "$(jq -nc --arg n "ecr-pullthroughcache/regtest-gone-$N" \
  '{Name: $n, SecretString: ({username: "sandbox", accessToken: "dckr_pat_sandbox"} | tojson)}')" | jq -r .ARN) ||
  fail "CreateSecret"
for spec in "regtest-hub-$N registry-1.docker.io $secret" "regtest-gone-$N registry-1.docker.io $gone" "regtest-quay-$N quay.io -"; do
  set -- $spec
  input=$(jq -nc --arg p "$1" --arg u "$2" --arg c "$3" '{ecrRepositoryPrefix: $p, upstreamRegistryUrl: $u} +
    (if $c == "-" then {} else {credentialArn: $c} end)')
  api $ME us-east-1 ecr create-pull-through-cache-rule "$input" >/dev/null || fail "CreatePullThroughCacheRule $1 -> $2"
done
api $ME us-east-1 secretsmanager delete-secret "{\"SecretId\":\"$gone\",\"ForceDeleteWithoutRecovery\":true}" >/dev/null

# ---------------------------------------------------------------------------------------------
step "replication: a push to regtest-rep-$N/app lands in us-west-2 (this account and $FRIEND)"
REP=regtest-rep-$N/app
api $ME us-east-1 ecr create-repository "{\"repositoryName\":\"$REP\"}" >/dev/null
digest=$(push "$E" "$REP:v1") || fail "docker push $E/$REP:v1: $(tail -3 "$WORK/push.out")"
[[ -n $digest ]] || fail "docker push printed no digest: $(cat "$WORK/push.out")"
statuses() { api $ME us-east-1 ecr describe-image-replication-status \
  "{\"repositoryName\":\"$1\",\"imageId\":{\"imageDigest\":\"$2\"}}" 2>/dev/null | jq -c '[.replicationStatuses[] | {registryId, region, status, failureCode}] | sort_by(.registryId)'; }
seen_in_progress() { [[ $(statuses "$REP" "$digest") == *IN_PROGRESS* ]]; }
wait_until 10 "DescribeImageReplicationStatus of $REP@$digest never showed IN_PROGRESS" seen_in_progress
both_complete() { [[ $(statuses "$REP" "$digest" | jq '[.[] | select(.status == "COMPLETE")] | length') == 2 ]]; }
wait_until 20 "replication of $REP@$digest to us-west-2 did not reach COMPLETE: $(statuses "$REP" "$digest")" both_complete
for account in $ME $FRIEND; do
  got=$(api $account us-west-2 ecr describe-images "{\"repositoryName\":\"$REP\",\"imageIds\":[{\"imageTag\":\"v1\"}]}" |
    jq -r '.imageDetails[0].imageDigest') || fail "DescribeImages $REP:v1 in $account/us-west-2"
  [[ $got == "$digest" ]] || fail "replicated image in $account/us-west-2 has digest $got, the push $digest"
done
pull "$W" "$REP:v1" || fail "docker pull $W/$REP:v1 (replicated): $(cat "$WORK/pull.out")"
# No loop: the replica did not replicate back.
[[ $(api $ME us-west-2 ecr describe-image-replication-status "{\"repositoryName\":\"$REP\",\"imageId\":{\"imageDigest\":\"$digest\"}}" |
  jq '.replicationStatuses | length') == 0 ]] || fail "the replica in us-west-2 has replication statuses of its own"

step "replication FAILED: unserved region, and an account whose registry policy does not allow it"
FAILREP=regtest-fail-$N/app
api $ME us-east-1 ecr create-repository "{\"repositoryName\":\"$FAILREP\"}" >/dev/null
fdigest=$(push "$E" "$FAILREP:v1") || fail "docker push $E/$FAILREP:v1: $(tail -3 "$WORK/push.out")"
both_failed() { [[ $(statuses "$FAILREP" "$fdigest" | jq '[.[] | select(.status == "FAILED")] | length') == 2 ]]; }
wait_until 20 "replication of $FAILREP to eu-west-3 and to $OTHER should be FAILED: $(statuses "$FAILREP" "$fdigest")" both_failed
st=$(statuses "$FAILREP" "$fdigest")
jq -e '.[] | select(.region == "eu-west-3") | .failureCode | length > 0' <<<"$st" >/dev/null || fail "no failureCode for eu-west-3: $st"
jq -e ".[] | select(.registryId == \"$OTHER\") | .failureCode | length > 0" <<<"$st" >/dev/null || fail "no failureCode for $OTHER: $st"
if api $OTHER us-west-2 ecr describe-repositories "{\"repositoryNames\":[\"$FAILREP\"]}" >/dev/null 2>&1; then
  fail "a denied replication created $FAILREP in $OTHER"
fi

# ---------------------------------------------------------------------------------------------
step "pull-through cache: docker pull $E/regtest-hub-$N/library/alpine:3"
HUB=regtest-hub-$N/library/alpine
upstream_asked() { grep -c 'GET /v2/library/alpine/manifests/3 ' "$RUN_DIR/upstream.log" || true; }
before=$(upstream_asked)
pull "$E" "$HUB:3" || fail "docker pull $E/$HUB:3 through the cache: $(cat "$WORK/pull.out")"
first=$(upstream_asked)
((first > before)) || fail "the first pull of $HUB:3 did not ask the upstream (its log shows no manifest GET)"
repo=$(api $ME us-east-1 ecr describe-repositories "{\"repositoryNames\":[\"$HUB\"]}" | jq -c '.repositories[0]') ||
  fail "the pull through cache did not create $HUB"
[[ $(jq -r .imageTagMutability <<<"$repo") == IMMUTABLE ]] || fail "$HUB was not created with the template's settings: $repo"
tags=$(api $ME us-east-1 ecr list-tags-for-resource "{\"resourceArn\":$(jq .repositoryArn <<<"$repo")}")
jq -e '.tags[] | select(.Key == "made-by" and .Value == "ptc-template")' <<<"$tags" >/dev/null || fail "$HUB lacks the template's tags: $tags"
api $ME us-east-1 ecr describe-images "{\"repositoryName\":\"$HUB\",\"imageIds\":[{\"imageTag\":\"3\"}]}" >/dev/null ||
  fail "DescribeImages does not show the cached $HUB:3"
pull "$E" "$HUB:3" || fail "second docker pull of $E/$HUB:3: $(cat "$WORK/pull.out")"
[[ $(upstream_asked) == "$first" ]] || fail "the second pull of $HUB:3 asked the upstream again instead of the cache"
pull "$E" "regtest-quay-$N/prometheus/busybox:latest" || fail "docker pull through the quay.io rule: $(cat "$WORK/pull.out")"
if pull "$E" "regtest-gone-$N/library/busybox:1"; then fail "a pull through a rule whose secret is deleted should fail"; fi
grep -qi "secret" "$WORK/pull.out" || fail "the pull with a deleted secret should say so: $(cat "$WORK/pull.out")"
if pull "$E" "regtest-hub-$N/library/nosuchimage:1"; then fail "pulling an image the upstream lacks should fail"; fi
# The seeded rule (scripts/sandbox/seed_registry.py), when there is one.
if api $ME us-east-1 ecr describe-pull-through-cache-rules '{"ecrRepositoryPrefixes":["docker-hub"]}' >/dev/null 2>&1; then
  pull "$E" "docker-hub/library/alpine:3" || fail "docker pull $E/docker-hub/library/alpine:3 (seeded rule): $(cat "$WORK/pull.out")"
  api $ME us-east-1 ecr describe-images '{"repositoryName":"docker-hub/library/alpine","imageIds":[{"imageTag":"3"}]}' >/dev/null ||
    fail "DescribeImages does not show docker-hub/library/alpine:3 after the pull"
fi

# ---------------------------------------------------------------------------------------------
step "create on push under the regtest-ci-$N template; NAME_UNKNOWN elsewhere"
CI=regtest-ci-$N/new/app
push "$E" "$CI:1" >/dev/null || fail "push to $CI (covered by a CREATE_ON_PUSH template): $(tail -3 "$WORK/push.out")"
repo=$(api $ME us-east-1 ecr describe-repositories "{\"repositoryNames\":[\"$CI\"]}" | jq -c '.repositories[0]') ||
  fail "create on push did not create $CI"
[[ $(jq -r .imageTagMutability <<<"$repo") == IMMUTABLE ]] || fail "$CI was not created with the template's settings: $repo"
# The seeded `ci` template (scripts/sandbox/seed_registry.py), when there is one.
ci=$(api $ME us-east-1 ecr describe-repository-creation-templates '{"prefixes":["ci"]}' 2>/dev/null | jq -c '.repositoryCreationTemplates[0] // empty') || true
if [[ -n $ci ]]; then
  push "$E" "ci/regtest-$N/app:1" >/dev/null || fail "push to ci/regtest-$N/app (seeded ci template): $(tail -3 "$WORK/push.out")"
  repo=$(api $ME us-east-1 ecr describe-repositories "{\"repositoryNames\":[\"ci/regtest-$N/app\"]}" | jq -c '.repositories[0]') ||
    fail "create on push did not create ci/regtest-$N/app"
  [[ $(jq -r .imageTagMutability <<<"$repo") == $(jq -r '.imageTagMutability // "MUTABLE"' <<<"$ci") ]] ||
    fail "ci/regtest-$N/app does not have the ci template's tag mutability: $repo vs $ci"
fi
NOWHERE=regtest-nowhere-$N/app
if push "$E" "$NOWHERE:1" >/dev/null; then fail "a push to $NOWHERE (no repository, no template) succeeded"; fi
grep -qi "name unknown\|NAME_UNKNOWN" "$WORK/push.out" || fail "the refused push should say NAME_UNKNOWN: $(tail -3 "$WORK/push.out")"
grep -q "does not exist in the registry with id '$ME'" "$WORK/push.out" || fail "the refused push should give ECR's message: $(tail -3 "$WORK/push.out")"
if api $ME us-east-1 ecr describe-repositories "{\"repositoryNames\":[\"$NOWHERE\"]}" >/dev/null 2>&1; then
  fail "the refused push created $NOWHERE"
fi

# ---------------------------------------------------------------------------------------------
step "archive: an archived image cannot be pulled; restored (after ACTIVATING) it can"
ARCH=regtest-arch-$N/app
api $ME us-east-1 ecr create-repository "{\"repositoryName\":\"$ARCH\"}" >/dev/null
adigest=$(push "$E" "$ARCH:v1") || fail "docker push $E/$ARCH:v1: $(tail -3 "$WORK/push.out")"
recorded() { api $ME us-east-1 ecr describe-images "{\"repositoryName\":\"$ARCH\",\"imageIds\":[{\"imageTag\":\"v1\"}]}" >/dev/null 2>&1; }
wait_until 10 "the push of $ARCH:v1 was not recorded in DescribeImages" recorded
api $ME us-east-1 ecr update-image-storage-class "{\"repositoryName\":\"$ARCH\",\"imageId\":{\"imageTag\":\"v1\"},\"targetStorageClass\":\"ARCHIVE\"}" >/dev/null ||
  fail "UpdateImageStorageClass ARCHIVE"
if pull "$E" "$ARCH:v1"; then fail "pulling the archived $ARCH:v1 by tag succeeded"; fi
if pull "$E" "$ARCH@$adigest"; then fail "pulling the archived $ARCH@$adigest by digest succeeded"; fi
grep -qi "archive" "$WORK/pull.out" || fail "the refused pull should say the image is archived: $(cat "$WORK/pull.out")"
status=$(api $ME us-east-1 ecr update-image-storage-class "{\"repositoryName\":\"$ARCH\",\"imageId\":{\"imageTag\":\"v1\"},\"targetStorageClass\":\"STANDARD\"}" |
  jq -r .imageStatus) || fail "UpdateImageStorageClass STANDARD"
[[ $status == ACTIVATING ]] || fail "a restore should answer ACTIVATING, got $status"
if pull "$E" "$ARCH:v1"; then fail "pulling $ARCH:v1 while ACTIVATING succeeded"; fi
active() { [[ $(api $ME us-east-1 ecr describe-images "{\"repositoryName\":\"$ARCH\",\"imageIds\":[{\"imageTag\":\"v1\"}]}" |
  jq -r '.imageDetails[0].imageStatus') == ACTIVE ]]; }
wait_until 30 "the restored $ARCH:v1 never became ACTIVE" active
pull "$E" "$ARCH:v1" || fail "docker pull of the restored $ARCH:v1: $(cat "$WORK/pull.out")"

d rmi "regtest/app:$N" >/dev/null 2>&1 || true
awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "registry checks passed in %.1f s\n", b - a }' >&2
