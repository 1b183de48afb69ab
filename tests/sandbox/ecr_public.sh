#!/usr/bin/env bash
# The sandbox's ECR Public (API on moto's endpoint, and the registry that plays public.ecr.aws)
# and its second account ("prod", 111111111111), checked with independent clients: the AWS CLI v1
# (`aws ecr-public ...`, `aws sts ...`, `aws ecr ...`; scripts/install puts it in
# $TOOLS/awscli-venv), skopeo and curl. Needs a running sandbox (scripts/sandbox/sandbox up);
# reads $SANDBOX_DIR/env (default target/sandbox/env).
# Each check prints "ok - ..."; the script stops at the first failure with "FAIL - ...".
#
# Everything it creates has this run's name and is removed at the end; a registry-wide change
# (PutRegistryCatalogData) happens in a scratch account (access key id 222222222222). The seeded
# prod repository is checked read-only (ECR_API_SKIP_SEED_CHECKS=1 leaves that out, as for
# tests/sandbox/ecr_api.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SANDBOX_DIR=${SANDBOX_DIR:-$ROOT/target/sandbox}
TOOLS=${BERTH_TOOLS:-$ROOT/target/tools}
AWS_BIN=$TOOLS/awscli-venv/bin/aws
ENVFILE=$SANDBOX_DIR/env
[[ -f $ENVFILE ]] || { echo "FAIL - no sandbox: $ENVFILE is missing; run scripts/sandbox/sandbox up" >&2; exit 1; }
[[ -x $AWS_BIN ]] || { echo "FAIL - the AWS CLI is missing ($AWS_BIN); run scripts/install" >&2; exit 1; }
command -v skopeo >/dev/null || { echo "FAIL - skopeo is missing" >&2; exit 1; }
set -a; . "$ENVFILE"; set +a
[[ -n ${BERTH_PUBLIC_REGISTRY_ENDPOINT:-} && -n ${SANDBOX_PROD_ACCESS_KEY_ID:-} ]] ||
  { echo "FAIL - $ENVFILE has no BERTH_PUBLIC_REGISTRY_ENDPOINT / SANDBOX_PROD_ACCESS_KEY_ID: restart the sandbox" >&2; exit 1; }
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
unset AWS_SESSION_TOKEN
DEFAULT_KEY=${AWS_ACCESS_KEY_ID:-sandbox}
DEFAULT_SECRET=${AWS_SECRET_ACCESS_KEY:-sandbox}
ME=000000000000
PROD=$SANDBOX_PROD_ACCOUNT
PROD_KEY=$SANDBOX_PROD_ACCESS_KEY_ID
PROD_SECRET=$SANDBOX_PROD_SECRET_ACCESS_KEY
SCRATCH=222222222222
PUB=$BERTH_PUBLIC_REGISTRY_ENDPOINT
ALIAS=${SANDBOX_PUBLIC_ALIAS:-berth-sandbox}
E=$SANDBOX_REGISTRY_US_EAST_1
W=$SANDBOX_REGISTRY_US_WEST_2
UP=$SANDBOX_UPSTREAM
RUN=pub$$-$RANDOM
REPO=$RUN/app
PREPO=$RUN/prod   # the accounts section's (it runs beside the others)
TMP=$(mktemp -d)
PASSED=0
T0=$(date +%s)
SEC=main       # names this section's scratch files (sections run side by side)
IN_SECTION=0
ACCOUNTS_PID=""

pass() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
die() {
  echo "FAIL - $*"
  if [[ $IN_SECTION == 0 ]]; then echo "$PASSED passed, 1 failed"; fi
  exit 1
}

# aws_ [--as KEY [SECRET]] ARGS...: the CLI against the sandbox (default keys), JSON on stdout.
aws_() {
  local key=$DEFAULT_KEY secret=$DEFAULT_SECRET
  if [[ $1 == --as ]]; then
    key=$2; shift 2
    secret=sandbox
    [[ $key == "$PROD_KEY" ]] && secret=$PROD_SECRET
  fi
  AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" --output json "$@"
}

# ok DESCRIPTION JSON PYTHON-EXPRESSION: the expression, over d = the parsed JSON, is true.
ok() {
  local what=$1 json=$2 expr=$3
  if printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$expr" 2>"$TMP/py.err.$SEC"; then
    pass "$what"
  else
    die "$what: expected $expr, got: $(printf '%s' "$json" | head -c 1500) $(cat "$TMP/py.err.$SEC")"
  fi
}

# err DESCRIPTION EXCEPTION [--as KEY] ARGS...: the call fails (exit 254/255) naming EXCEPTION.
err() {
  local what=$1 exc=$2; shift 2
  local rc=0
  aws_ "$@" >"$TMP/out.$SEC" 2>"$TMP/err.$SEC" || rc=$?
  if [[ $rc -ne 254 && $rc -ne 255 ]]; then
    die "$what: expected $exc (exit 254/255), got exit $rc: $(head -c 600 "$TMP/out.$SEC" "$TMP/err.$SEC")"
  fi
  grep -q "($exc)" "$TMP/err.$SEC" || die "$what: expected $exc, got: $(head -c 600 "$TMP/err.$SEC")"
  pass "$what ($exc)"
}

field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
b64pw() { python3 -c 'import base64,sys; print(base64.b64decode(sys.argv[1]).decode().split(":",1)[1])' "$1"; }

# skopeo with a policy and an auth file of its own (nothing of the user's is read or written).
printf '{"default":[{"type":"insecureAcceptAnything"}]}' >"$TMP/policy.json"
echo '{}' >"$TMP/auth.json"
export REGISTRY_AUTH_FILE=$TMP/auth.json
sk() { skopeo --policy "$TMP/policy.json" "$@" 2>"$TMP/skopeo.err.$SEC"; }
# copy_to SRC (upstream ref) DEST (host/path:tag) CREDS|none [--all]: an upstream image into a registry.
copy_to() {
  local src=$1 dst=$2 creds=$3; shift 3
  local auth=(--dest-no-creds)
  [[ $creds == none ]] || auth=(--dest-creds "$creds")
  sk copy -q "$@" --src-tls-verify=false --src-no-creds --dest-tls-verify=false "${auth[@]}" \
    "docker://$UP/$src" "docker://$dst" >/dev/null
}
# code METHOD URL [CURL ARGS...]: the HTTP status; the body in $TMP/body, the headers in $TMP/headers.
code() {
  local method=$1 url=$2; shift 2
  curl -s -X "$method" -o "$TMP/body.$SEC" -D "$TMP/headers.$SEC" -w '%{http_code}' "$@" "$url"
}
anon_token() { # anon_token SCOPE: a bearer token from the public front's token endpoint, without credentials
  curl -fs "http://$PUB/token?service=public.ecr.aws&scope=$1" | field "d['token']"
}

cleanup() {
  if [[ -n $ACCOUNTS_PID ]] && kill -0 "$ACCOUNTS_PID" 2>/dev/null; then
    kill "$ACCOUNTS_PID" 2>/dev/null || true
    wait "$ACCOUNTS_PID" 2>/dev/null || true
  fi
  for r in "$REPO" "$RUN/b" "$RUN/c" "$RUN/logo"; do
    aws_ ecr-public delete-repository --repository-name "$r" --force >/dev/null 2>&1 || true
  done
  aws_ --as "$PROD_KEY" ecr-public delete-repository --repository-name "$PREPO" --force >/dev/null 2>&1 || true
  aws_ --as "$PROD_KEY" ecr delete-repository --repository-name "$PREPO" --force >/dev/null 2>&1 || true
  aws_ --as "$SCRATCH" ecr-public put-registry-catalog-data --display-name "" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# --- 1. GetAuthorizationToken, the registry, its catalog data ------------------------------------
out=$(aws_ ecr-public get-authorization-token)
ok "GetAuthorizationToken: authorizationData is one structure, token AWS:<password>, 12 h" "$out" \
  "isinstance(d['authorizationData'], dict) and __import__('base64').b64decode(d['authorizationData']['authorizationToken']).decode().startswith('AWS:') and 11 * 3600 < d['authorizationData']['expiresAt'] - __import__('time').time() <= 12 * 3600 + 60"
PW=$(b64pw "$(printf '%s' "$out" | field "d['authorizationData']['authorizationToken']")")
[[ $(aws_ ecr-public get-login-password) == "$PW" ]] || die "get-login-password does not print GetAuthorizationToken's password"
pass "get-login-password prints that password"
PROD_PW=$(aws_ --as "$PROD_KEY" ecr-public get-login-password)
[[ -n $PROD_PW && $PROD_PW != "$PW" ]] || die "the prod account's ECR Public password should differ from the default account's"
pass "GetAuthorizationToken: each account has its own password"
PRIVATE_PW=$(b64pw "$(aws_ ecr get-authorization-token | field "d['authorizationData'][0]['authorizationToken']")")
[[ $PRIVATE_PW != "$PW" ]] || die "ECR Public's password should not be the private registry's"
pass "GetAuthorizationToken: ECR Public's password is not the private registry's"

out=$(aws_ ecr-public describe-registries)
ok "DescribeRegistries: one registry, alias $ALIAS (ACTIVE, primary, default), registryUri public.ecr.aws/$ALIAS" "$out" \
  "len(d['registries']) == 1 and (lambda r: r['registryId'] == '$ME' and r['registryArn'] == 'arn:aws:ecr-public::$ME:registry/$ME' and r['registryUri'] == 'public.ecr.aws/$ALIAS' and r['verified'] is False and r['aliases'] == [{'name': '$ALIAS', 'status': 'ACTIVE', 'primaryRegistryAlias': True, 'defaultRegistryAlias': True}])(d['registries'][0])"
PROD_ALIAS=$(aws_ --as "$PROD_KEY" ecr-public describe-registries | field "d['registries'][0]['aliases'][0]['name']")
ok "DescribeRegistries: the prod account has its own registry and alias" "$(aws_ --as "$PROD_KEY" ecr-public describe-registries)" \
  "d['registries'][0]['registryId'] == '$PROD' and d['registries'][0]['aliases'][0]['name'] not in ('$ALIAS', '') and d['registries'][0]['registryUri'] == 'public.ecr.aws/$PROD_ALIAS'"
before=$(aws_ ecr-public get-registry-catalog-data)
ok "GetRegistryCatalogData: registryCatalogData" "$before" "isinstance(d['registryCatalogData'], dict)"
ok "PutRegistryCatalogData: displayName (scratch account)" \
  "$(aws_ --as "$SCRATCH" ecr-public put-registry-catalog-data --display-name "Berth $RUN")" "d['registryCatalogData'] == {'displayName': 'Berth $RUN'}"
ok "GetRegistryCatalogData: reads it back" "$(aws_ --as "$SCRATCH" ecr-public get-registry-catalog-data)" \
  "d['registryCatalogData']['displayName'] == 'Berth $RUN'"
[[ $(aws_ ecr-public get-registry-catalog-data) == "$before" ]] || die "PutRegistryCatalogData in the scratch account changed the default account's"
pass "GetRegistryCatalogData: the other accounts' are unchanged"

# --- 5. the second account ("prod"): runs beside sections 2-4 (its own repositories and files) --
s_accounts() {
  SEC=accounts
  # busybox:1's digest, as the upstream has it (a copy keeps the manifest's bytes).
  BUSYBOX=$(curl -fs -H "Accept: application/vnd.docker.distribution.manifest.v2+json" "http://$UP/v2/library/busybox/manifests/1" |
    python3 -c 'import hashlib,sys; print("sha256:" + hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
  ok "sts get-caller-identity with the prod keys: $PROD" "$(aws_ --as "$PROD_KEY" sts get-caller-identity)" "d['Account'] == '$PROD'"
  ok "sts get-caller-identity with the default keys: $ME" "$(aws_ sts get-caller-identity)" "d['Account'] == '$ME'"
  ok "ecr describe-registry with the prod keys: registryId $PROD" "$(aws_ --as "$PROD_KEY" ecr describe-registry)" "d['registryId'] == '$PROD'"
  if [[ ${ECR_API_SKIP_SEED_CHECKS:-0} != 1 ]]; then # the seed (scripts/sandbox/seed_repos.py)
    out=$(aws_ --as "$PROD_KEY" ecr describe-repositories)
    ok "seed: ecr describe-repositories with the prod keys: api/orders, in $PROD, none of the default account's" "$out" \
      "'api/orders' in [r['repositoryName'] for r in d['repositories']] and all(r['registryId'] == '$PROD' and r['repositoryArn'].split(':')[4] == '$PROD' for r in d['repositories']) and not {'api/payments', 'web', 'tools/empty'} & {r['repositoryName'] for r in d['repositories']}"
    ok "seed: the prod account's api/orders has no images" \
      "$(aws_ --as "$PROD_KEY" ecr describe-images --repository-name api/orders)" "d['imageDetails'] == []"
    ok "seed: the default account's api/orders keeps its images" "$(aws_ ecr describe-images --repository-name api/orders)" "len(d['imageDetails']) > 0"
  fi
  ok "a 12-digit access key id $PROD is the same account" "$(aws_ --as "$PROD" ecr describe-registry)" "d['registryId'] == '$PROD'"
  creds=$(aws_ sts assume-role --role-arn "arn:aws:iam::$PROD:role/berth-deploy" --role-session-name "$RUN")
  ok "STS AssumeRole into the prod account" "$creds" "d['Credentials']['AccessKeyId'] and d['AssumedRoleUser']['Arn'].startswith('arn:aws:sts::$PROD:assumed-role/berth-deploy/')"
  read -r AK SK ST < <(printf '%s' "$creds" | field "' '.join(d['Credentials'][k] for k in ('AccessKeyId', 'SecretAccessKey', 'SessionToken'))")
  out=$(AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=$SK AWS_SESSION_TOKEN=$ST "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" --output json ecr describe-registry)
  ok "the assumed role's keys act in $PROD (ecr describe-registry)" "$out" "d['registryId'] == '$PROD'"
  for pair in "us-east-1 $E" "us-west-2 $W"; do
    set -- $pair
    out=$(aws_ --as "$PROD_KEY" ecr get-authorization-token --region "$1")
    ok "GetAuthorizationToken (prod, $1): proxyEndpoint is $1's registry front" "$out" \
      "d['authorizationData'][0]['proxyEndpoint'] == 'http://$2' and __import__('base64').b64decode(d['authorizationData'][0]['authorizationToken']).decode() != 'AWS:$PRIVATE_PW'"
  done
  PROD_PRIVATE_PW=$(b64pw "$(aws_ --as "$PROD_KEY" ecr get-authorization-token | field "d['authorizationData'][0]['authorizationToken']")")
  for host in "$E" "$W"; do
    [[ $(code GET "http://$host/v2/" -u "AWS:$PROD_PRIVATE_PW") == 200 ]] || die "the front $host should take the prod account's password"
  done
  pass "both regions' fronts take the prod account's password"
  aws_ --as "$PROD_KEY" ecr create-repository --repository-name "$PREPO" >/dev/null
  copy_to library/busybox:1 "$E/$PREPO:1" "AWS:$PROD_PRIVATE_PW" || die "skopeo copy to $E/$PREPO:1 as prod: $(cat "$TMP/skopeo.err.$SEC")"
  for _ in $(seq 1 50); do
    aws_ --as "$PROD_KEY" ecr describe-images --repository-name "$PREPO" --image-ids imageTag=1 >/dev/null 2>&1 && break
    sleep 0.2
  done
  ok "a push with the prod token is recorded in the prod account" "$(aws_ --as "$PROD_KEY" ecr describe-images --repository-name "$PREPO" --image-ids imageTag=1)" \
    "d['imageDetails'][0]['registryId'] == '$PROD' and d['imageDetails'][0]['imageDigest'] == '$BUSYBOX'"
  err "the default account does not have the prod account's repository" RepositoryNotFoundException ecr describe-repositories --repository-names "$PREPO"
  if sk inspect --raw --tls-verify=false --creds "AWS:$PRIVATE_PW" "docker://$E/$PREPO:1" >/dev/null; then
    die "the default account's token pulled the prod account's image"
  fi
  grep -q "does not exist in the registry with id '$ME'" "$TMP/skopeo.err.$SEC" || die "the default account's pull should be NAME_UNKNOWN in $ME: $(cat "$TMP/skopeo.err.$SEC")"
  sk inspect --raw --tls-verify=false --creds "AWS:$PROD_PRIVATE_PW" "docker://$E/$PREPO:1" >/dev/null || die "the prod token cannot pull its image: $(cat "$TMP/skopeo.err.$SEC")"
  pass "the front keeps each account's images apart (the default token: NAME_UNKNOWN; the prod token pulls)"
  out=$(aws_ --as "$PROD_KEY" ecr-public create-repository --repository-name "$PREPO")
  ok "ECR Public in the prod account: its own repositories under its own alias" "$out" \
    "d['repository']['registryId'] == '$PROD' and d['repository']['repositoryUri'] == 'public.ecr.aws/$PROD_ALIAS/$PREPO'"
  copy_to library/busybox:1 "$PUB/$PROD_ALIAS/$PREPO:1" "AWS:$PROD_PW" || die "skopeo copy to $PUB/$PROD_ALIAS/$PREPO:1: $(cat "$TMP/skopeo.err.$SEC")"
  ok "a push to the prod alias is recorded in the prod account's ECR Public" \
    "$(aws_ --as "$PROD_KEY" ecr-public describe-image-tags --repository-name "$PREPO")" "[t['imageTag'] for t in d['imageTagDetails']] == ['1']"
  err "the default account's ECR Public does not have it" RepositoryNotFoundException ecr-public describe-repositories --repository-names "$PREPO"
}

( PASSED=0; IN_SECTION=1; s_accounts ) >"$TMP/accounts.log" 2>&1 &
ACCOUNTS_PID=$!

# --- 2. repositories and their catalog data ----------------------------------------------------
printf '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#f90"/></svg>' >"$TMP/logo.svg"
python3 - "$TMP/logo.svg" >"$TMP/catalog.json" <<'PY'
import json, sys
print(json.dumps({"description": "Berth's test image", "architectures": ["x86-64", "ARM 64"], "operatingSystems": ["Linux"],
                  "logoImageBlob": open(sys.argv[1]).read(), "aboutText": "# About\nA test.", "usageText": "docker pull it"}))
PY
out=$(aws_ ecr-public create-repository --repository-name "$REPO" --catalog-data "file://$TMP/catalog.json" \
  --tags Key=team,Value=berth Key=run,Value="$RUN")
ok "CreateRepository: repository in ECR Public's shape (arn:aws:ecr-public, public.ecr.aws/$ALIAS/NAME)" "$out" \
  "(lambda r: r == {'repositoryArn': 'arn:aws:ecr-public::$ME:repository/$REPO', 'registryId': '$ME', 'repositoryName': '$REPO', 'repositoryUri': 'public.ecr.aws/$ALIAS/$REPO', 'createdAt': r['createdAt']} and r['createdAt'] > 0)(d['repository'])"
ok "CreateRepository: catalogData with every field, logoUrl, marketplaceCertified" "$out" \
  "(lambda c: c['description'] == \"Berth's test image\" and c['architectures'] == ['x86-64', 'ARM 64'] and c['operatingSystems'] == ['Linux'] and c['aboutText'].startswith('# About') and c['usageText'] == 'docker pull it' and c['logoUrl'].startswith('http') and c['marketplaceCertified'] is False and 'logoImageBlob' not in c)(d['catalogData'])"
logo=$(printf '%s' "$out" | field "d['catalogData']['logoUrl']")
[[ $(code GET "$logo") == 200 ]] && cmp -s "$TMP/body.$SEC" "$TMP/logo.svg" || die "the logoUrl $logo does not serve the logo"
grep -qi '^content-type: image/svg+xml' "$TMP/headers.$SEC" || die "the logo is not served as image/svg+xml: $(cat "$TMP/headers.$SEC")"
pass "catalogData.logoUrl serves the logo's bytes"
err "CreateRepository: the same name again" RepositoryAlreadyExistsException ecr-public create-repository --repository-name "$REPO"
err "CreateRepository: a name ECR Public refuses" InvalidParameterException ecr-public create-repository --repository-name "Bad_Name-$RUN"
long=$(python3 -c 'print("x" * 1025)')
err "CreateRepository: a description over 1024 characters" InvalidParameterException ecr-public create-repository \
  --repository-name "$RUN/long" --catalog-data "description=$long"
python3 -c 'import json; print(json.dumps([{"Key": "k%d" % i, "Value": "v"} for i in range(201)]))' >"$TMP/tags.json"
err "CreateRepository: more than 200 tags" TooManyTagsException ecr-public create-repository --repository-name "$RUN/tags" --tags "file://$TMP/tags.json"
err "CreateRepository: a tag key in the aws: namespace" InvalidTagParameterException ecr-public create-repository \
  --repository-name "$RUN/tags" --tags Key=aws:x,Value=y
err "DescribeRepositories: the refused creations created nothing" RepositoryNotFoundException ecr-public describe-repositories \
  --repository-names "$RUN/long"

aws_ ecr-public create-repository --repository-name "$RUN/b" >/dev/null
aws_ ecr-public create-repository --repository-name "$RUN/c" >/dev/null
out=$(aws_ ecr-public describe-repositories --repository-names "$REPO" "$RUN/b")
ok "DescribeRepositories: by name" "$out" "[r['repositoryName'] for r in d['repositories']] == ['$REPO', '$RUN/b'] and d['repositories'][0]['repositoryUri'] == 'public.ecr.aws/$ALIAS/$REPO'"
ok "DescribeRepositories: every repository (the CLI pages through with --page-size 1)" \
  "$(aws_ ecr-public describe-repositories --page-size 1)" \
  "{'$REPO', '$RUN/b', '$RUN/c'} <= {r['repositoryName'] for r in d['repositories']} and 'nextToken' not in d"
page1=$(aws_ ecr-public describe-repositories --no-paginate --max-results 1)
ok "DescribeRepositories: maxResults 1 answers one repository and a nextToken" "$page1" "len(d['repositories']) == 1 and d['nextToken']"
token=$(printf '%s' "$page1" | field "d['nextToken']")
ok "DescribeRepositories: nextToken answers the next page" "$(aws_ ecr-public describe-repositories --no-paginate --max-results 1 --next-token "$token")" \
  "len(d['repositories']) == 1 and d['repositories'][0]['repositoryName'] != $(printf '%s' "$page1" | field "repr(d['repositories'][0]['repositoryName'])")"
err "DescribeRepositories: an unknown name" RepositoryNotFoundException ecr-public describe-repositories --repository-names "$RUN/none"
err "DescribeRepositories: maxResults over 1000" InvalidParameterException ecr-public describe-repositories --no-paginate --max-results 1001
err "DescribeRepositories: maxResults with repositoryNames" InvalidParameterException ecr-public describe-repositories \
  --repository-names "$REPO" --no-paginate --max-results 1
err "DescribeRepositories: a nextToken it never gave" InvalidParameterException ecr-public describe-repositories --no-paginate --next-token bogus

out=$(aws_ ecr-public get-repository-catalog-data --repository-name "$REPO")
ok "GetRepositoryCatalogData: what CreateRepository set" "$out" \
  "d['catalogData']['description'] == \"Berth's test image\" and d['catalogData']['architectures'] == ['x86-64', 'ARM 64'] and d['catalogData']['logoUrl'] == '$logo'"
out=$(aws_ ecr-public put-repository-catalog-data --repository-name "$REPO" \
  --catalog-data '{"description":"changed","operatingSystems":["Linux","Windows"],"usageText":"use it"}')
ok "PutRepositoryCatalogData: replaces the catalog data (what it leaves out, logo included, is cleared)" "$out" \
  "d['catalogData'] == {'description': 'changed', 'operatingSystems': ['Linux', 'Windows'], 'usageText': 'use it', 'marketplaceCertified': False}"
ok "GetRepositoryCatalogData: reads it back" "$(aws_ ecr-public get-repository-catalog-data --repository-name "$REPO")" \
  "d['catalogData']['description'] == 'changed' and 'logoUrl' not in d['catalogData'] and 'architectures' not in d['catalogData']"
ok "GetRepositoryCatalogData: a repository created without catalog data" "$(aws_ ecr-public get-repository-catalog-data --repository-name "$RUN/b")" \
  "d['catalogData'] == {'marketplaceCertified': False}"
err "GetRepositoryCatalogData: an unknown repository" RepositoryNotFoundException ecr-public get-repository-catalog-data --repository-name "$RUN/none"
err "PutRepositoryCatalogData: an unknown repository" RepositoryNotFoundException ecr-public put-repository-catalog-data \
  --repository-name "$RUN/none" --catalog-data description=x
python3 -c 'import json; print(json.dumps({"architectures": ["a%d" % i for i in range(51)]}))' >"$TMP/arch.json"
err "PutRepositoryCatalogData: more than 50 architectures" InvalidParameterException ecr-public put-repository-catalog-data \
  --repository-name "$REPO" --catalog-data "file://$TMP/arch.json"

ARN=arn:aws:ecr-public::$ME:repository/$REPO
ok "ListTagsForResource: the tags CreateRepository set" "$(aws_ ecr-public list-tags-for-resource --resource-arn "$ARN")" \
  "d['tags'] == [{'Key': 'team', 'Value': 'berth'}, {'Key': 'run', 'Value': '$RUN'}]"
aws_ ecr-public tag-resource --resource-arn "$ARN" --tags Key=team,Value=platform Key=tier,Value=1 >/dev/null
aws_ ecr-public untag-resource --resource-arn "$ARN" --tag-keys run >/dev/null
ok "TagResource / UntagResource: change and remove tags" "$(aws_ ecr-public list-tags-for-resource --resource-arn "$ARN")" \
  "sorted((t['Key'], t['Value']) for t in d['tags']) == [('team', 'platform'), ('tier', '1')]"
err "ListTagsForResource: an unknown repository" RepositoryNotFoundException ecr-public list-tags-for-resource \
  --resource-arn "arn:aws:ecr-public::$ME:repository/$RUN/none"
err "ListTagsForResource: not an ECR Public ARN" InvalidParameterException ecr-public list-tags-for-resource \
  --resource-arn "arn:aws:ecr:us-east-1:$ME:repository/$REPO"
err "GetRepositoryPolicy: none set" RepositoryPolicyNotFoundException ecr-public get-repository-policy --repository-name "$REPO"
POLICY='{"Version":"2012-10-17","Statement":[{"Sid":"push","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'$PROD':root"},"Action":["ecr-public:PutImage"]}]}'
ok "SetRepositoryPolicy / GetRepositoryPolicy" \
  "$(aws_ ecr-public set-repository-policy --repository-name "$REPO" --policy-text "$POLICY" >/dev/null && aws_ ecr-public get-repository-policy --repository-name "$REPO")" \
  "d['registryId'] == '$ME' and d['repositoryName'] == '$REPO' and __import__('json').loads(d['policyText'])['Statement'][0]['Sid'] == 'push'"
ok "DeleteRepositoryPolicy: answers the policy" "$(aws_ ecr-public delete-repository-policy --repository-name "$REPO")" "'push' in d['policyText']"
err "SetRepositoryPolicy: not JSON" InvalidParameterException ecr-public set-repository-policy --repository-name "$REPO" --policy-text 'not json'
err "InitiateLayerUpload: pushes go through the registry" UnsupportedCommandException ecr-public initiate-layer-upload --repository-name "$REPO"

# --- 3. the registry that plays public.ecr.aws ---------------------------------------------------
[[ $(code GET "http://$PUB/v2/") == 401 ]] && grep -qi "^www-authenticate: Bearer realm=\"http://$PUB/token\",service=\"public.ecr.aws\"" "$TMP/headers.$SEC" ||
  die "GET /v2/ without credentials should be 401 with a Bearer challenge: $(cat "$TMP/headers.$SEC")"
pass "registry: /v2/ without credentials: 401 with a Bearer challenge naming the token endpoint"
[[ $(code GET "http://$PUB/token?service=public.ecr.aws" -u "AWS:wrong") == 401 ]] || die "the token endpoint should refuse a wrong password"
[[ $(code GET "http://$PUB/v2/" -u "AWS:$PRIVATE_PW") == 401 ]] || die "the public registry should refuse the private registry's password"
[[ $(code GET "http://$E/v2/" -u "AWS:$PW") == 401 ]] || die "the private registry should refuse ECR Public's password"
pass "registry: a wrong password, and each registry's password at the other, get 401"
[[ $(code GET "http://$PUB/v2/" -u "AWS:$PW") == 200 ]] || die "Basic AWS:<ECR Public password> should be taken on /v2/"
pass "registry: Basic AWS:<get-login-password> is taken"

copy_to library/alpine:3 "$PUB/$ALIAS/$REPO:3" "AWS:$PW" --all || die "skopeo copy --all alpine:3 to $PUB/$ALIAS/$REPO:3: $(cat "$TMP/skopeo.err.$SEC")"
copy_to library/busybox:1 "$PUB/$ALIAS/$REPO:1" "AWS:$PW" || die "skopeo copy busybox:1 to $PUB/$ALIAS/$REPO:1: $(cat "$TMP/skopeo.err.$SEC")"
copy_to library/busybox:1 "$PUB/$ALIAS/$REPO:latest" "AWS:$PW" || die "skopeo copy busybox:1 to :latest: $(cat "$TMP/skopeo.err.$SEC")"
pass "skopeo pushes (an index with its platforms, an image under two tags) with the get-login-password credentials"
sk inspect --raw --tls-verify=false --no-creds "docker://$PUB/$ALIAS/$REPO:3" >"$TMP/index.json" ||
  die "an anonymous skopeo inspect of $PUB/$ALIAS/$REPO:3: $(cat "$TMP/skopeo.err.$SEC")"
sk copy -q --src-tls-verify=false --src-no-creds "docker://$PUB/$ALIAS/$REPO:1" "dir:$TMP/pulled" >/dev/null ||
  die "an anonymous skopeo copy (pull) of $PUB/$ALIAS/$REPO:1: $(cat "$TMP/skopeo.err.$SEC")"
pass "pulls are anonymous (skopeo without credentials: inspect, copy)"
tok=$(anon_token "repository:$ALIAS/$REPO:pull")
[[ $(code GET "http://$PUB/v2/$ALIAS/$REPO/manifests/1" -H "Authorization: Bearer $tok" \
  -H "Accept: application/vnd.docker.distribution.manifest.v2+json") == 200 ]] || die "GET manifest with an anonymous token: $(cat "$TMP/body.$SEC")"
[[ $(code POST "http://$PUB/v2/$ALIAS/$REPO/blobs/uploads/" -H "Authorization: Bearer $tok") == 401 ]] ||
  die "a push with an anonymous token should be 401, got: $(cat "$TMP/body.$SEC")"
pass "registry: an anonymous token pulls (curl) and cannot push (401)"
if copy_to library/busybox:1 "$PUB/$ALIAS/$REPO:anon" none; then die "an anonymous push succeeded"; fi
pass "skopeo: an anonymous push is refused"
[[ $(code POST "http://$PUB/v2/$ALIAS/$REPO/blobs/uploads/" -u "AWS:$PROD_PW") == 403 ]] && grep -q DENIED "$TMP/body.$SEC" ||
  die "the prod account pushing to $ALIAS should get 403 DENIED: $(cat "$TMP/body.$SEC")"
pass "registry: another account's token cannot push to this alias (403 DENIED)"
if copy_to library/busybox:1 "$PUB/$ALIAS/$RUN/nowhere:1" "AWS:$PW"; then die "a push to a repository nobody created succeeded"; fi
grep -qi "name unknown\|NAME_UNKNOWN" "$TMP/skopeo.err.$SEC" && grep -q "does not exist in the registry with id '$ME'" "$TMP/skopeo.err.$SEC" ||
  die "the push to an unknown repository should fail with NAME_UNKNOWN: $(cat "$TMP/skopeo.err.$SEC")"
err "the refused push created nothing" RepositoryNotFoundException ecr-public describe-repositories --repository-names "$RUN/nowhere"
[[ $(code DELETE "http://$PUB/v2/$ALIAS/$REPO/manifests/1" -u "AWS:$PW") == 405 ]] || die "DELETE of a manifest should be 405 UNSUPPORTED"
pass "registry: manifests are not deleted through the registry API (405)"
code GET "http://$PUB/v2/$ALIAS/$REPO/tags/list" -H "Authorization: Bearer $tok" >/dev/null
ok "registry: tags/list (anonymous token) names ALIAS/NAME and the tags" "$(cat "$TMP/body.$SEC")" \
  "d == {'name': '$ALIAS/$REPO', 'tags': ['1', '3', 'latest']}"

INDEX=$(python3 -c 'import hashlib,sys; print("sha256:" + hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$TMP/index.json")
CHILDREN=$(field "' '.join(m['digest'] for m in d['manifests'])" <"$TMP/index.json")
CHILD=${CHILDREN%% *}
out=$(aws_ ecr-public describe-images --repository-name "$REPO")
ok "DescribeImages: the index, its two platform images (untagged), busybox under 1 and latest" "$out" \
  "len(d['imageDetails']) == 4 and sorted(tuple(sorted(i.get('imageTags', []))) for i in d['imageDetails']) == [(), (), ('1', 'latest'), ('3',)]"
ok "DescribeImages: ImageDetail in ECR Public's shape" "$out" \
  "all(set(i) <= {'registryId','repositoryName','imageDigest','imageTags','imageSizeInBytes','imagePushedAt','imageManifestMediaType','artifactMediaType'} and i['registryId'] == '$ME' and i['repositoryName'] == '$REPO' and i['imagePushedAt'] > 0 and i['imageManifestMediaType'] for i in d['imageDetails'])"
ok "DescribeImages: sizes as ECR reports them (the layers; an index: its largest image)" "$out" \
  "(lambda by: by['$INDEX']['imageSizeInBytes'] == max(by[c]['imageSizeInBytes'] for c in '$CHILDREN'.split()) and by['$INDEX']['imageManifestMediaType'] == 'application/vnd.oci.image.index.v1+json' and 'artifactMediaType' not in by['$INDEX'] and all(by[c]['artifactMediaType'] for c in '$CHILDREN'.split()))({i['imageDigest']: i for i in d['imageDetails']})"
BUSYBOX=$(printf '%s' "$out" | field "[i['imageDigest'] for i in d['imageDetails'] if '1' in i.get('imageTags', [])][0]")
ok "DescribeImages: by imageIds" "$(aws_ ecr-public describe-images --repository-name "$REPO" --image-ids imageTag=latest imageDigest="$INDEX")" \
  "[i['imageDigest'] for i in d['imageDetails']] == ['$BUSYBOX', '$INDEX']"
ok "DescribeImages: maxResults 1 and a nextToken" "$(aws_ ecr-public describe-images --repository-name "$REPO" --no-paginate --max-results 1)" \
  "len(d['imageDetails']) == 1 and d['nextToken']"
err "DescribeImages: an unknown tag" ImageNotFoundException ecr-public describe-images --repository-name "$REPO" --image-ids imageTag=nope
err "DescribeImages: an unknown repository" RepositoryNotFoundException ecr-public describe-images --repository-name "$RUN/none"
out=$(aws_ ecr-public describe-image-tags --repository-name "$REPO")
ok "DescribeImageTags: each tag with createdAt and its image's details" "$out" \
  "sorted(t['imageTag'] for t in d['imageTagDetails']) == ['1', '3', 'latest'] and all(t['createdAt'] > 0 and set(t['imageDetail']) >= {'imageDigest', 'imageSizeInBytes', 'imagePushedAt', 'imageManifestMediaType'} for t in d['imageTagDetails']) and {t['imageTag']: t['imageDetail']['imageDigest'] for t in d['imageTagDetails']} == {'1': '$BUSYBOX', 'latest': '$BUSYBOX', '3': '$INDEX'}"
err "DescribeImageTags: an unknown repository" RepositoryNotFoundException ecr-public describe-image-tags --repository-name "$RUN/none"
copy_to library/alpine:3 "$PUB/$ALIAS/$REPO:latest" "AWS:$PW" --all || die "skopeo copy alpine:3 to :latest: $(cat "$TMP/skopeo.err.$SEC")"
ok "a push moves a tag: latest is the index's now, busybox keeps 1" "$(aws_ ecr-public describe-image-tags --repository-name "$REPO")" \
  "{t['imageTag']: t['imageDetail']['imageDigest'] for t in d['imageTagDetails']} == {'1': '$BUSYBOX', '3': '$INDEX', 'latest': '$INDEX'}"

# --- 4. BatchDeleteImage, DeleteRepository -------------------------------------------------------
out=$(aws_ ecr-public batch-delete-image --repository-name "$REPO" --image-ids imageTag=latest)
ok "BatchDeleteImage: one of an image's two tags removes the tag only" "$out" \
  "d['imageIds'] == [{'imageDigest': '$INDEX', 'imageTag': 'latest'}] and d['failures'] == []"
ok "DescribeImages: the index is still there, tagged 3" "$(aws_ ecr-public describe-images --repository-name "$REPO" --image-ids imageDigest="$INDEX")" \
  "d['imageDetails'][0]['imageTags'] == ['3']"
out=$(aws_ ecr-public batch-delete-image --repository-name "$REPO" --image-ids imageDigest="$CHILD" imageTag=nope \
  imageDigest=sha256:0000000000000000000000000000000000000000000000000000000000000000 imageDigest=notadigest)
ok "BatchDeleteImage: failures (an index's platform image, unknown tag and digest, a bad digest)" "$out" \
  "d['imageIds'] == [] and [f['failureCode'] for f in d['failures']] == ['ImageReferencedByManifestList', 'ImageNotFound', 'ImageNotFound', 'InvalidImageDigest'] and d['failures'][1]['imageId'] == {'imageTag': 'nope'} and all(f['failureReason'] for f in d['failures'])"
out=$(aws_ ecr-public batch-delete-image --repository-name "$REPO" --image-ids imageTag=1)
ok "BatchDeleteImage: an image's last tag deletes the image" "$out" "d['imageIds'] == [{'imageDigest': '$BUSYBOX', 'imageTag': '1'}] and d['failures'] == []"
err "DescribeImages: the deleted image is gone" ImageNotFoundException ecr-public describe-images --repository-name "$REPO" --image-ids imageDigest="$BUSYBOX"
if sk inspect --raw --tls-verify=false --no-creds "docker://$PUB/$ALIAS/$REPO:1" >/dev/null; then die "the deleted tag 1 can still be pulled"; fi
[[ $(code GET "http://$PUB/v2/$ALIAS/$REPO/manifests/$BUSYBOX" -H "Authorization: Bearer $tok") == 404 ]] && grep -q MANIFEST_UNKNOWN "$TMP/body.$SEC" ||
  die "the deleted image should be 404 MANIFEST_UNKNOWN by digest: $(cat "$TMP/body.$SEC")"
pass "registry: a deleted image cannot be pulled (by tag, by digest)"
err "BatchDeleteImage: an unknown repository" RepositoryNotFoundException ecr-public batch-delete-image --repository-name "$RUN/none" --image-ids imageTag=1
out=$(aws_ ecr-public batch-delete-image --registry-id "$ALIAS" --repository-name "$REPO" --image-ids imageTag=nope)
ok "BatchDeleteImage: registryId may be the registry's alias" "$out" "d['failures'][0]['failureCode'] == 'ImageNotFound'"
err "DeleteRepository: not empty, without --force" RepositoryNotEmptyException ecr-public delete-repository --repository-name "$REPO"
out=$(aws_ ecr-public delete-repository --repository-name "$REPO" --force)
ok "DeleteRepository --force: answers the repository" "$out" \
  "d['repository']['repositoryName'] == '$REPO' and d['repository']['repositoryUri'] == 'public.ecr.aws/$ALIAS/$REPO'"
err "DescribeRepositories: the deleted repository" RepositoryNotFoundException ecr-public describe-repositories --repository-names "$REPO"
err "DeleteRepository: twice" RepositoryNotFoundException ecr-public delete-repository --repository-name "$REPO"
if sk inspect --raw --tls-verify=false --no-creds "docker://$PUB/$ALIAS/$REPO:3" >/dev/null; then die "an image of the deleted repository can still be pulled"; fi
pass "registry: the deleted repository's images cannot be pulled"
ok "DeleteRepository: an empty repository without --force" "$(aws_ ecr-public delete-repository --repository-name "$RUN/c")" \
  "d['repository']['repositoryName'] == '$RUN/c'"

# The main sections passed (a failure there stops the script); now the accounts section.
rc=0
wait "$ACCOUNTS_PID" || rc=$?
ACCOUNTS_PID=""
cat "$TMP/accounts.log"
PASSED=$((PASSED + $(grep -c '^ok - ' "$TMP/accounts.log" || true)))
if [[ $rc != 0 ]]; then
  grep -q '^FAIL - ' "$TMP/accounts.log" || echo "FAIL - the accounts section stopped (exit $rc) after its last check above"
  echo "$PASSED passed, 1 failed"
  exit 1
fi
echo "$PASSED passed, 0 failed ($(($(date +%s) - T0)) s)"
