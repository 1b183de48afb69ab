"""The sandbox's ECR API additions: moto 5.2.5 patched in-process to answer as ECR does
(part of the local sandbox, not of the app).

ecr_sandbox.py calls install() after importing moto and before it starts ThreadedMotoServer.
The request and response shapes and the error names follow the AWS SDK model of ECR
(botocore's ecr service-2.json). Errors are HTTP 400 with {"__type": NAME, "message": TEXT},
as moto sends them. The state moto does not keep lives in sandbox_state.py, which the
registry fronts read.

What changes (each block below says more):
* accounts: an access key id of 12 digits is that account, so is a key of SANDBOX_ACCESS_KEYS
  (the prod account's) or one moto issued (STS AssumeRole, IAM); any other key is 000000000000;
* GetAuthorizationToken: proxyEndpoint is the region's registry front, the token lasts 12 h;
  repositoryUri everywhere is REGISTRIES[region]/name;
* replication with any number of rules, checked as ECR checks it; DescribeImageReplicationStatus;
* pull-through cache rules (Create/Describe/Update/Delete/Validate) with the upstream
  registries ECR knows, credentials from Secrets Manager;
* repository creation templates (Create/Describe/Update/Delete);
* registry scanning (BASIC/ENHANCED, WILDCARD filters) as ECR applies it; enhanced findings;
* account settings; archive storage class (UpdateImageStorageClass, DescribeImages'
  imageStatus filter, BatchGetImage refuses archived images);
* lifecycle policies with archive transitions, and lifecycle policy previews.

Settings (environment): SANDBOX_RESTORE_SECONDS (default 2): how long an archived image
stays ACTIVATING after UpdateImageStorageClass STANDARD.
"""

import copy
import json
import os
import re
import threading
import time
from base64 import b64encode

import sandbox_state as S
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse
from moto.ecr import models as ecr_models
from moto.ecr import policy_validation
from moto.ecr.exceptions import RepositoryNotFoundException
from moto.ecr.responses import ECRResponse

_installed = False

# ECR's patterns and limits (the SDK model's constraints and ECR's service quotas).
RCT_PREFIX = r"([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)"
REPLICATION_FILTER = r"(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*"
SCAN_FILTER = r"[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*"
CREDENTIAL_ARN = r"arn:aws(-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache\/[a-zA-Z0-9\/_+=.@-]+"
ROLE_ARN = r"arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\w+=,.@/-]+"
KMS_KEY = r"arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+"
MAX_REPLICATION_RULES = 10
MAX_REPLICATION_DESTINATIONS = 25
MAX_REPLICATION_FILTERS = 100
MAX_PULL_THROUGH_RULES = 50
MAX_TEMPLATES = 300
TOKEN_SECONDS = 12 * 3600

# Upstream registries of pull-through cache rules: upstreamRegistry -> (URL test, what the
# credentials are: "required" | "optional" | "none" | "role" (ECR to ECR: customRoleArn)).
UPSTREAMS = {
    "ecr-public": (lambda u: u == "public.ecr.aws", "none"),
    "k8s": (lambda u: u == "registry.k8s.io", "none"),
    "quay": (lambda u: u == "quay.io", "optional"),
    "docker-hub": (lambda u: u in ("registry-1.docker.io", "docker.io"), "required"),
    "github-container-registry": (lambda u: u == "ghcr.io", "required"),
    "gitlab-container-registry": (lambda u: u == "registry.gitlab.com", "required"),
    "azure-container-registry": (lambda u: re.fullmatch(r"[a-z0-9]+\.azurecr\.io", u) is not None, "required"),
    "chainguard": (lambda u: u == "cgr.dev", "required"),
    "ecr": (lambda u: re.fullmatch(r"[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com", u) is not None, "role"),
}

# Lifecycle policy previews: (account, region, repository) -> preview.
PREVIEWS: dict[tuple, dict] = {}


class EcrApiError(ServiceException):
    """An ECR error by name. (Defined outside moto's packages, so moto's serializer takes the
    error's HTTP status from the ECR model: 400.)"""


def fail(code, message):
    raise EcrApiError(code, message)


def validation(value, where, constraint):
    fail("ValidationException",
         f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy constraint: {constraint}")


def invalid(where, message):
    fail("InvalidParameterException", f"Invalid parameter at '{where}' failed to satisfy constraint: '{message}'")


def enum(value, where, allowed):
    if value not in allowed:
        validation(value, where, "Member must satisfy enum value set: [" + ", ".join(allowed) + "]")


def pattern(value, where, regex, min_len=None, max_len=None):
    if not isinstance(value, str) or re.fullmatch(regex, value) is None:
        validation(value, where, f"Member must satisfy regular expression pattern: {regex}")
    if min_len is not None and len(value) < min_len:
        validation(value, where, f"Member must have length greater than or equal to {min_len}")
    if max_len is not None and len(value) > max_len:
        validation(value, where, f"Member must have length less than or equal to {max_len}")


def known_regions():
    import botocore.session
    regions = set()
    session = botocore.session.get_session()
    for partition in session.get_available_partitions():
        regions.update(session.get_available_regions("ecr", partition))
    return regions | set(S.REGISTRIES)


def key(self):
    return (self.current_account, self.region)


def now():
    return time.time()


def paginate(self, items, default=100, maximum=1000):
    """maxResults / nextToken over a list (the token is the offset)."""
    max_results = self._get_param("maxResults")
    token = self._get_param("nextToken")
    if max_results is not None and not (1 <= int(max_results) <= maximum):
        validation(max_results, "maxResults", f"Member must have value between 1 and {maximum}")
    size = int(max_results or default)
    try:
        start = int(token) if token else 0
    except ValueError:
        invalid("nextToken", "The nextToken is not valid; start again without it")
    page = items[start:start + size]
    return page, (str(start + size) if start + size < len(items) else None)


# --- Accounts -----------------------------------------------------------------------------------

def account_for_access_key(key):
    """The account an access key id stands for, or None (then: the default account):
    * 12 digits: that account (cross-account tests);
    * a key of SANDBOX_ACCESS_KEYS (S.ACCESS_KEYS: the prod account's AKIA... key);
    * a key moto issued (STS AssumeRole / GetSessionToken, IAM CreateAccessKey): the account
      moto issued it in (moto's own multi-account lookup, `get_account_id_from`)."""
    if not key:
        return None
    if re.fullmatch(r"[0-9]{12}", key):
        return key
    if key in S.ACCESS_KEYS:
        return S.ACCESS_KEYS[key]
    if key.startswith(("AKIA", "ASIA")):
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.iam.models import get_account_id_from
        account = get_account_id_from(key)
        if account != DEFAULT_ACCOUNT_ID:
            return account
    return None


def account_for_authorization(header):
    """The account of a SigV4 Authorization header (Credential=KEY/...), or None."""
    m = re.search(r"Credential=([^/,\s]+)/", header or "")
    return account_for_access_key(m.group(1)) if m else None


def get_current_account(self):
    """The account of the request's access key id (account_for_access_key); else moto's
    x-moto-account-id header; else the sandbox's default account."""
    account = account_for_authorization(self.headers.get("Authorization"))
    if account:
        return account
    if "x-moto-account-id" in self.headers:
        return self.headers["x-moto-account-id"]
    return os.environ.get("MOTO_ACCOUNT_ID", S.DEFAULT_ACCOUNT)


# --- Registries per region ----------------------------------------------------------------------

def _uri_get(repo):
    host = S.REGISTRIES.get(repo.region_name)
    return f"{host}/{repo.name}" if host else repo._moto_uri


def _uri_set(repo, value):
    repo._moto_uri = value


def get_authorization_token(self):
    registry_ids = self._get_param("registryIds") or [self.current_account]
    for rid in registry_ids:
        if not isinstance(rid, str) or not re.fullmatch(r"[0-9]{12}", rid):
            invalid("registryIds", f"'{rid}' is not a registry id (12 digits)")
    token = b64encode(f"AWS:{S.password_for(self.current_account)}".encode()).decode()
    host = S.REGISTRIES.get(self.region)
    data = []
    for rid in registry_ids:
        endpoint = f"http://{host}" if host else f"https://{rid}.dkr.ecr.{self.region}.amazonaws.com"
        data.append({"authorizationToken": token, "expiresAt": now() + TOKEN_SECONDS, "proxyEndpoint": endpoint})
    return ActionResult({"authorizationData": data})


# --- Replication --------------------------------------------------------------------------------

def put_replication_configuration(self):
    config = self._get_param("replicationConfiguration")
    if not isinstance(config, dict) or not isinstance(config.get("rules"), list):
        validation(config, "replicationConfiguration.rules", "Member must not be null")
    rules = config["rules"]
    where = "replicationConfiguration"
    if len(rules) > MAX_REPLICATION_RULES:
        invalid(where, f"A replication configuration can have at most {MAX_REPLICATION_RULES} rules; it has {len(rules)}")
    regions = known_regions()
    destinations = set()
    clean = []
    for i, rule in enumerate(rules, 1):
        dests = rule.get("destinations")
        if not dests:
            invalid(f"{where}.rules.{i}.destinations", "Each replication rule needs at least one destination")
        out_dests = []
        for j, d in enumerate(dests, 1):
            pattern(d.get("region"), f"{where}.rules.{i}.destinations.{j}.region", r"[0-9a-z-]{2,25}")
            pattern(d.get("registryId"), f"{where}.rules.{i}.destinations.{j}.registryId", r"[0-9]{12}")
            if d["region"] not in regions:
                invalid(f"{where}.rules.{i}.destinations.{j}.region", f"Region '{d['region']}' is not a region ECR replicates to")
            if d["region"] == self.region and d["registryId"] == self.current_account:
                invalid(where, "Replication destination cannot be the same as the source registry")
            destinations.add((d["region"], d["registryId"]))
            out_dests.append({"region": d["region"], "registryId": d["registryId"]})
        filters = rule.get("repositoryFilters")
        out_rule = {"destinations": out_dests}
        if filters is not None:
            if not 1 <= len(filters) <= MAX_REPLICATION_FILTERS:
                validation(f"{len(filters)} filters", f"{where}.rules.{i}.repositoryFilters",
                           f"Member must have length between 1 and {MAX_REPLICATION_FILTERS}")
            for j, f in enumerate(filters, 1):
                enum(f.get("filterType"), f"{where}.rules.{i}.repositoryFilters.{j}.filterType", ["PREFIX_MATCH"])
                pattern(f.get("filter"), f"{where}.rules.{i}.repositoryFilters.{j}.filter", REPLICATION_FILTER, 2, 256)
            out_rule["repositoryFilters"] = [{"filter": f["filter"], "filterType": f["filterType"]} for f in filters]
        if rule.get("deleteReplication") is not None:
            out_rule["deleteReplication"] = {"enabled": bool(rule["deleteReplication"].get("enabled"))}
        clean.append(out_rule)
    if len(destinations) > MAX_REPLICATION_DESTINATIONS:
        invalid(where, f"A replication configuration can have at most {MAX_REPLICATION_DESTINATIONS} unique destinations; it has {len(destinations)}")
    stored = {"rules": clean}
    with S.LOCK:
        S.REPLICATION[key(self)] = stored
        self.ecr_backend.replication_config = copy.deepcopy(stored)
    return ActionResult({"replicationConfiguration": copy.deepcopy(stored)})


def describe_registry(self):
    with S.LOCK:
        config = copy.deepcopy(S.REPLICATION.get(key(self), {"rules": []}))
    return ActionResult({"registryId": self.current_account, "replicationConfiguration": config})


def _image(self, repository_name, image_id, registry_id=None):
    """(repository, image) or moto's RepositoryNotFoundException / ImageNotFoundException."""
    repo = self.ecr_backend._get_repository(repository_name, registry_id)
    if not isinstance(image_id, dict) or not (image_id.get("imageDigest") or image_id.get("imageTag")):
        invalid("imageId", "Provide an imageDigest or an imageTag")
    return repo, repo._get_image(image_id.get("imageTag"), image_id.get("imageDigest"))


def _image_id(image, asked):
    out = {"imageDigest": image.get_image_digest()}
    tag = asked.get("imageTag") or (image.image_tags[0] if image.image_tags else None)
    if tag:
        out["imageTag"] = tag
    return out


def describe_image_replication_status(self):
    name = self._get_param("repositoryName")
    asked = self._get_param("imageId") or {}
    repo, image = _image(self, name, asked, self._get_param("registryId"))
    with S.LOCK:
        statuses = copy.deepcopy(S.REPLICATION_STATUS.get(
            (self.current_account, self.region, name, image.get_image_digest()), []))
    return ActionResult({"repositoryName": name, "imageId": _image_id(image, asked), "replicationStatuses": statuses})


# --- Pull-through cache -------------------------------------------------------------------------

def _secret(arn, caller_account):
    """(ok, message): whether Secrets Manager has the secret and it is readable."""
    from moto.secretsmanager.models import secretsmanager_backends
    parts = arn.split(":")
    region, account = parts[3], parts[4]
    try:
        backend = secretsmanager_backends[account or caller_account][region]
        secret = backend.get_secret_value(secret_id=arn, version_id=None, version_stage=None)
    except Exception as e:  # noqa: BLE001 - any failure is "cannot use this secret"
        name = type(e).__name__
        if "NotFound" in name:
            return False, "SecretNotFoundException", f"The secret {arn} does not exist in Secrets Manager; create it first"
        return False, "UnableToAccessSecretException", f"The secret {arn} cannot be read ({name}); it may be scheduled for deletion"
    try:
        value = json.loads(secret.get("SecretString") or "")
        ok = isinstance(value, dict) and value.get("username") and value.get("accessToken")
    except ValueError:
        ok = False
    if not ok:
        return False, "UnableToDecryptSecretValueException", \
            f"The secret {arn} must hold JSON with \"username\" and \"accessToken\""
    return True, None, None


def _check_credentials(upstream, credential_arn, custom_role_arn, url):
    kind = UPSTREAMS[upstream][1]
    if kind == "required" and not credential_arn:
        invalid("credentialArn", f"The upstream registry {url} needs credentials: pass the ARN of a Secrets Manager secret named ecr-pullthroughcache/...")
    if kind in ("none", "role") and credential_arn:
        invalid("credentialArn", f"The upstream registry {url} does not take credentials; leave credentialArn out")
    if kind == "role" and not custom_role_arn:
        invalid("customRoleArn", f"An ECR upstream ({url}) needs customRoleArn: the IAM role ECR assumes to pull from it")
    if credential_arn is not None:
        pattern(credential_arn, "credentialArn", CREDENTIAL_ARN, 50, 612)
    if custom_role_arn is not None:
        pattern(custom_role_arn, "customRoleArn", ROLE_ARN)


def _rule_prefix(self):
    prefix = self._get_param("ecrRepositoryPrefix")
    pattern(prefix, "ecrRepositoryPrefix", RCT_PREFIX, 2, 30)
    return prefix


def _rule(self, prefix):
    rule = S.PULL_THROUGH_RULES.get(key(self), {}).get(prefix)
    if rule is None:
        fail("PullThroughCacheRuleNotFoundException",
             f"The pull through cache rule with prefix '{prefix}' does not exist in the registry with id '{self.current_account}'")
    return rule


def create_pull_through_cache_rule(self):
    prefix = _rule_prefix(self)
    url = self._get_param("upstreamRegistryUrl")
    upstream = self._get_param("upstreamRegistry")
    credential_arn = self._get_param("credentialArn")
    role = self._get_param("customRoleArn")
    upstream_prefix = self._get_param("upstreamRepositoryPrefix")
    if not isinstance(url, str) or not url:
        validation(url, "upstreamRegistryUrl", "Member must not be null")
    host = re.sub(r"^https?://", "", url).rstrip("/")
    if upstream is not None:
        enum(upstream, "upstreamRegistry", list(UPSTREAMS))
        if not UPSTREAMS[upstream][0](host):
            fail("UnsupportedUpstreamRegistryException",
                 f"The upstream registry URL {url} is not the URL of upstreamRegistry {upstream}")
    else:
        upstream = next((name for name, (test, _) in UPSTREAMS.items() if test(host)), None)
        if upstream is None:
            fail("UnsupportedUpstreamRegistryException",
                 f"The upstream registry {url} is not supported; use public.ecr.aws, registry-1.docker.io, ghcr.io, "
                 "registry.gitlab.com, quay.io, registry.k8s.io, NAME.azurecr.io, cgr.dev or ACCOUNT.dkr.ecr.REGION.amazonaws.com")
    _check_credentials(upstream, credential_arn, role, url)
    if upstream_prefix is not None:
        pattern(upstream_prefix, "upstreamRepositoryPrefix", RCT_PREFIX, 2, 30)
    with S.LOCK:
        rules = S.PULL_THROUGH_RULES.setdefault(key(self), {})
        if prefix in rules:
            fail("PullThroughCacheRuleAlreadyExistsException",
                 f"A pull through cache rule with prefix '{prefix}' already exists in the registry with id '{self.current_account}'")
        if len(rules) >= MAX_PULL_THROUGH_RULES:
            fail("LimitExceededException", f"A registry can have at most {MAX_PULL_THROUGH_RULES} pull through cache rules")
        if credential_arn:
            ok, code, message = _secret(credential_arn, self.current_account)
            if not ok:
                fail(code, message)
        rule = {"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": host, "createdAt": now(),
                "registryId": self.current_account, "upstreamRegistry": upstream,
                "upstreamRepositoryPrefix": upstream_prefix or "ROOT", "updatedAt": now()}
        if credential_arn:
            rule["credentialArn"] = credential_arn
        if role:
            rule["customRoleArn"] = role
        rules[prefix] = rule
        out = dict(rule)
    out.pop("updatedAt")
    return ActionResult(out)


def describe_pull_through_cache_rules(self):
    prefixes = self._get_param("ecrRepositoryPrefixes")
    with S.LOCK:
        rules = S.PULL_THROUGH_RULES.get(key(self), {})
        if prefixes:
            chosen = [copy.deepcopy(_rule(self, p)) for p in prefixes]
        else:
            chosen = [copy.deepcopy(r) for r in rules.values()]
    page, token = paginate(self, chosen)
    out = {"pullThroughCacheRules": page}
    if token:
        out["nextToken"] = token
    return ActionResult(out)


def update_pull_through_cache_rule(self):
    prefix = _rule_prefix(self)
    credential_arn = self._get_param("credentialArn")
    role = self._get_param("customRoleArn")
    with S.LOCK:
        rule = _rule(self, prefix)
        _check_credentials(rule["upstreamRegistry"], credential_arn or rule.get("credentialArn"),
                           role or rule.get("customRoleArn"), rule["upstreamRegistryUrl"])
        if credential_arn:
            ok, code, message = _secret(credential_arn, self.current_account)
            if not ok:
                fail(code, message)
            rule["credentialArn"] = credential_arn
        if role:
            rule["customRoleArn"] = role
        rule["updatedAt"] = now()
        out = {k: rule[k] for k in ("ecrRepositoryPrefix", "registryId", "updatedAt", "credentialArn",
                                    "customRoleArn", "upstreamRepositoryPrefix") if k in rule}
    return ActionResult(out)


def delete_pull_through_cache_rule(self):
    prefix = _rule_prefix(self)
    with S.LOCK:
        rule = _rule(self, prefix)
        del S.PULL_THROUGH_RULES[key(self)][prefix]
    rule = dict(rule)
    rule.pop("updatedAt", None)
    rule.pop("upstreamRegistry", None)
    return ActionResult(rule)


def validate_pull_through_cache_rule(self):
    prefix = _rule_prefix(self)
    with S.LOCK:
        rule = dict(_rule(self, prefix))
    out = {k: rule[k] for k in ("ecrRepositoryPrefix", "registryId", "upstreamRegistryUrl", "credentialArn",
                                "customRoleArn", "upstreamRepositoryPrefix") if k in rule}
    out["isValid"] = True
    if rule.get("credentialArn"):
        ok, _code, message = _secret(rule["credentialArn"], self.current_account)
        if not ok:
            out["isValid"] = False
            out["failure"] = message
    return ActionResult(out)


# --- Repository creation templates --------------------------------------------------------------

TEMPLATE_FIELDS = ("description", "encryptionConfiguration", "resourceTags", "imageTagMutability",
                   "imageTagMutabilityExclusionFilters", "repositoryPolicy", "lifecyclePolicy",
                   "appliedFor", "customRoleArn")


def _template_settings(self, current=None):
    """The template's settings from the request, checked as ECR checks them, merged over
    `current` (for Update)."""
    out = dict(current or {})
    for field in TEMPLATE_FIELDS:
        value = self._get_param(field)
        if value is not None:
            out[field] = value
    if "description" in out and len(out["description"]) > 256:
        validation(out["description"][:20] + "...", "description", "Member must have length less than or equal to 256")
    applied = out.get("appliedFor")
    if not applied:
        validation(applied, "appliedFor", "Member must not be null or empty")
    for a in applied:
        enum(a, "appliedFor.member", ["REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"])
    out["appliedFor"] = sorted(set(applied), key=applied.index)
    mutability = out.setdefault("imageTagMutability", "MUTABLE")
    enum(mutability, "imageTagMutability", ["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"])
    filters = out.get("imageTagMutabilityExclusionFilters")
    if self._get_param("imageTagMutability") is not None and self._get_param("imageTagMutabilityExclusionFilters") is None \
            and not mutability.endswith("_WITH_EXCLUSION"):
        out.pop("imageTagMutabilityExclusionFilters", None)
        filters = None
    if mutability.endswith("_WITH_EXCLUSION"):
        if not filters:
            invalid("imageTagMutabilityExclusionFilters", f"ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as {mutability}")
        if len(filters) > 5:
            validation(f"{len(filters)} filters", "imageTagMutabilityExclusionFilters", "Member must have length less than or equal to 5")
        for i, f in enumerate(filters, 1):
            enum(f.get("filterType"), f"imageTagMutabilityExclusionFilters.{i}.filterType", ["WILDCARD"])
            pattern(f.get("filter"), f"imageTagMutabilityExclusionFilters.{i}.filter", r"[0-9a-zA-Z._*-]{1,128}")
    elif filters:
        invalid("imageTagMutabilityExclusionFilters", f"ImageTagMutabilityExclusionFilters must be left out when imageTagMutability is {mutability}")
    enc = out.setdefault("encryptionConfiguration", {"encryptionType": "AES256"})
    enum(enc.get("encryptionType"), "encryptionConfiguration.encryptionType", ["AES256", "KMS", "KMS_DSSE"])
    if enc.get("kmsKey"):
        if enc["encryptionType"] == "AES256":
            invalid("encryptionConfiguration", "kmsKey can only be given with encryptionType KMS or KMS_DSSE")
        pattern(enc["kmsKey"], "encryptionConfiguration.kmsKey", KMS_KEY)
    for i, tag in enumerate(out.get("resourceTags") or [], 1):
        if not isinstance(tag, dict) or not tag.get("Key") or tag.get("Value") is None:
            validation(tag, f"resourceTags.{i}", "Each tag needs a Key and a Value")
    for field, limit in (("repositoryPolicy", 10240), ("lifecyclePolicy", 30720)):
        text = out.get(field)
        if text:
            if len(text) > limit:
                validation(text[:20] + "...", field, f"Member must have length less than or equal to {limit}")
            try:
                json.loads(text)
            except ValueError as e:
                invalid(field, f"Invalid JSON in {field}: {e}")
            if field == "lifecyclePolicy":
                policy_validation.EcrLifecyclePolicyValidator(text).validate()
    if out.get("customRoleArn"):
        pattern(out["customRoleArn"], "customRoleArn", ROLE_ARN)
    # An empty text clears the field (Update; the model allows length 0), as ECR leaves it out.
    for field in ("description", "repositoryPolicy", "lifecyclePolicy", "customRoleArn"):
        if out.get(field) == "":
            out.pop(field)
    return out


def _template_prefix(self):
    prefix = self._get_param("prefix")
    pattern(prefix, "prefix", RCT_PREFIX, 1, 256)
    return prefix


def _template(self, prefix):
    template = S.TEMPLATES.get(key(self), {}).get(prefix)
    if template is None:
        fail("TemplateNotFoundException",
             f"The repository creation template with prefix '{prefix}' does not exist in the registry with id '{self.current_account}'")
    return template


def create_repository_creation_template(self):
    prefix = _template_prefix(self)
    settings = _template_settings(self)
    with S.LOCK:
        templates = S.TEMPLATES.setdefault(key(self), {})
        if prefix in templates:
            fail("TemplateAlreadyExistsException",
                 f"A repository creation template with prefix '{prefix}' already exists in the registry with id '{self.current_account}'")
        if len(templates) >= MAX_TEMPLATES:
            fail("LimitExceededException", f"A registry can have at most {MAX_TEMPLATES} repository creation templates")
        t = now()
        template = {"prefix": prefix, **settings, "createdAt": t, "updatedAt": t}
        templates[prefix] = template
        out = copy.deepcopy(template)
    return ActionResult({"registryId": self.current_account, "repositoryCreationTemplate": out})


def describe_repository_creation_templates(self):
    prefixes = self._get_param("prefixes")
    with S.LOCK:
        templates = S.TEMPLATES.get(key(self), {})
        chosen = [copy.deepcopy(t) for p, t in sorted(templates.items()) if not prefixes or p in prefixes]
    page, token = paginate(self, chosen, maximum=300)
    out = {"registryId": self.current_account, "repositoryCreationTemplates": page}
    if token:
        out["nextToken"] = token
    return ActionResult(out)


def update_repository_creation_template(self):
    prefix = _template_prefix(self)
    with S.LOCK:
        current = _template(self, prefix)
        settings = _template_settings(self, {k: v for k, v in current.items() if k in TEMPLATE_FIELDS})
        for field in TEMPLATE_FIELDS:
            current.pop(field, None)
        current.update(settings)
        current["updatedAt"] = now()
        out = copy.deepcopy(current)
    return ActionResult({"registryId": self.current_account, "repositoryCreationTemplate": out})


def delete_repository_creation_template(self):
    prefix = _template_prefix(self)
    with S.LOCK:
        template = _template(self, prefix)
        del S.TEMPLATES[key(self)][prefix]
    return ActionResult({"registryId": self.current_account, "repositoryCreationTemplate": template})


# --- Scanning -----------------------------------------------------------------------------------

def put_registry_scanning_configuration(self):
    scan_type = self._get_param("scanType") or "BASIC"
    rules = self._get_param("rules") or []
    enum(scan_type, "scanType", ["BASIC", "ENHANCED"])
    if len(rules) > 2:
        validation(f"{len(rules)} rules", "rules", "Member must have length less than or equal to 2")
    seen = set()
    clean = []
    for i, rule in enumerate(rules, 1):
        freq = rule.get("scanFrequency")
        enum(freq, f"rules.{i}.scanFrequency", ["SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"])
        if scan_type == "BASIC" and freq != "SCAN_ON_PUSH":
            invalid(f"rules.{i}.scanFrequency", f"BASIC scanning supports SCAN_ON_PUSH rules only; {freq} needs scanType ENHANCED")
        if freq in seen:
            invalid(f"rules.{i}.scanFrequency", f"Only one rule per scan frequency; {freq} is given twice")
        seen.add(freq)
        filters = rule.get("repositoryFilters")
        if filters is None:
            validation(filters, f"rules.{i}.repositoryFilters", "Member must not be null")
        if len(filters) > 100:
            validation(f"{len(filters)} filters", f"rules.{i}.repositoryFilters", "Member must have length less than or equal to 100")
        for j, f in enumerate(filters, 1):
            enum(f.get("filterType"), f"rules.{i}.repositoryFilters.{j}.filterType", ["WILDCARD"])
            pattern(f.get("filter"), f"rules.{i}.repositoryFilters.{j}.filter", SCAN_FILTER, 1, 255)
        clean.append({"scanFrequency": freq, "repositoryFilters": [{"filter": f["filter"], "filterType": "WILDCARD"} for f in filters]})
    with S.LOCK:
        self.ecr_backend.put_registry_scanning_configuration(scan_type, copy.deepcopy(clean))
    return ActionResult({"registryScanningConfiguration": {"scanType": scan_type, "rules": clean}})


def get_registry_scanning_configuration(self):
    with S.LOCK:
        config = copy.deepcopy(self.ecr_backend.registry_scanning_configuration)
    config.setdefault("scanType", "BASIC")
    config.setdefault("rules", [])
    return ActionResult({"registryId": self.current_account, "scanningConfiguration": config})


def batch_get_repository_scanning_configuration(self):
    names = self._get_param("repositoryNames") or []
    if not 1 <= len(names) <= 25:
        validation(f"{len(names)} names", "repositoryNames", "Member must have length between 1 and 25")
    configs, failures = [], []
    for name in names:
        try:
            configs.append(S.repository_scanning(self.current_account, self.region, name))
        except RepositoryNotFoundException:
            failures.append({"repositoryName": name, "failureCode": "REPOSITORY_NOT_FOUND",
                             "failureReason": f"The repository with name '{name}' does not exist in the registry with id '{self.current_account}'"})
    return ActionResult({"scanningConfigurations": configs, "failures": failures})


_describe_image_scan_findings = ECRResponse.describe_image_scan_findings


def describe_image_scan_findings(self):
    result = _describe_image_scan_findings(self)
    if S.scan_type(self.current_account, self.region) != "ENHANCED":
        return result
    out = result.result
    name = self._get_param("repositoryName")
    asked = self._get_param("imageId") or {}
    repo, image = _image(self, name, asked, self._get_param("registryId"))
    findings = out.get("imageScanFindings", {})
    completed = findings.get("imageScanCompletedAt")
    if hasattr(completed, "timestamp"):
        completed = completed.timestamp()
    enhanced = S.content_enhanced_findings(image.image_manifest, self.current_account, self.region, name,
                                           image.get_image_digest(), image.image_tags, completed)
    findings.pop("findings", None)
    findings["enhancedFindings"] = enhanced
    counts = {}
    for f in enhanced:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    findings["findingSeverityCounts"] = counts
    if S.repository_scanning(self.current_account, self.region, name)["scanFrequency"] == "CONTINUOUS_SCAN":
        out["imageScanStatus"] = {"status": "ACTIVE", "description": "Continuous scan is selected for image."}
    return ActionResult(out)


# --- Account settings ---------------------------------------------------------------------------

def _setting_name(self):
    name = self._get_param("name")
    if name not in S.ACCOUNT_SETTING_VALUES:
        fail("ValidationException",
             f"Account setting '{name}' is not supported; use one of " + ", ".join(S.ACCOUNT_SETTING_VALUES))
    return name


def get_account_setting(self):
    name = _setting_name(self)
    return ActionResult({"name": name, "value": S.account_setting(self.current_account, self.region, name)})


def put_account_setting(self):
    name = _setting_name(self)
    value = self._get_param("value")
    allowed = S.ACCOUNT_SETTING_VALUES[name][1]
    if value not in allowed:
        fail("ValidationException", f"Value '{value}' is not valid for account setting {name}; use one of " + ", ".join(allowed))
    with S.LOCK:
        S.ACCOUNT_SETTINGS.setdefault(key(self), {})[name] = value
    return ActionResult({"name": name, "value": value})


# --- Archive ------------------------------------------------------------------------------------

def _restore_seconds():
    try:
        return max(0.0, float(os.environ.get("SANDBOX_RESTORE_SECONDS", "2")))
    except ValueError:
        return 2.0


def _storage(skey):
    return S.STORAGE.setdefault(skey, {"imageStatus": "ACTIVE", "lastArchivedAt": None, "lastActivatedAt": None})


def update_image_storage_class(self):
    name = self._get_param("repositoryName")
    asked = self._get_param("imageId") or {}
    target = self._get_param("targetStorageClass")
    enum(target, "targetStorageClass", ["STANDARD", "ARCHIVE"])
    repo, image = _image(self, name, asked, self._get_param("registryId"))
    digest = image.get_image_digest()
    skey = (self.current_account, self.region, name, digest)
    with S.LOCK:
        entry = _storage(skey)
        status = entry["imageStatus"]
        if target == "ARCHIVE":
            if status != "ACTIVE":
                fail("ImageStorageClassUpdateNotSupportedException",
                     f"The image {name}@{digest} is {status}; only an ACTIVE image can be archived")
            entry.update(imageStatus="ARCHIVED", lastArchivedAt=now())
        else:
            if status != "ARCHIVED":
                fail("ImageStorageClassUpdateNotSupportedException",
                     f"The image {name}@{digest} is {status}; only an ARCHIVED image can be restored to STANDARD")
            entry["imageStatus"] = "ACTIVATING"

            def activated():
                with S.LOCK:
                    current = S.STORAGE.get(skey)
                    if current and current["imageStatus"] == "ACTIVATING":
                        current.update(imageStatus="ACTIVE", lastActivatedAt=now())

            timer = threading.Timer(_restore_seconds(), activated)
            timer.daemon = True
            timer.start()
        new_status = entry["imageStatus"]
    return ActionResult({"registryId": repo.registry_id, "repositoryName": name,
                         "imageId": _image_id(image, asked), "imageStatus": new_status})


def describe_images(self):
    name = self._get_param("repositoryName")
    registry_id = self._get_param("registryId")
    image_ids = self._get_param("imageIds")
    flt = self._get_param("filter") or {}
    tag_status = flt.get("tagStatus") or "ANY"
    if tag_status not in ("TAGGED", "UNTAGGED", "ANY"):
        invalid("filter.tagStatus", f"'{tag_status}' is not one of TAGGED, UNTAGGED, ANY")
    # ECR: only ACTIVE images unless the filter says otherwise; images asked for by id are
    # shown whatever their status unless a status filter is given.
    wanted = flt.get("imageStatus") or ("ANY" if image_ids else "ACTIVE")
    if wanted not in ("ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"):
        invalid("filter.imageStatus", f"'{wanted}' is not one of ACTIVE, ARCHIVED, ACTIVATING, ANY")
    images = list(self.ecr_backend.describe_images(name, registry_id, image_ids))
    out = []
    with S.LOCK:
        for image in images:
            if tag_status == "TAGGED" and not image.image_tags or tag_status == "UNTAGGED" and image.image_tags:
                continue
            entry = S.STORAGE.get((self.current_account, self.region, name, image.get_image_digest()), {})
            status = entry.get("imageStatus", "ACTIVE")
            if wanted != "ANY" and status != wanted:
                continue
            dto = copy.copy(image)
            if not dto.image_tags:
                del dto.image_tags
            dto.image_status = status
            if entry.get("lastArchivedAt"):
                dto.last_archived_at = entry["lastArchivedAt"]
            if entry.get("lastActivatedAt"):
                dto.last_activated_at = entry["lastActivatedAt"]
            out.append(dto)
    page, token = paginate(self, out)
    result = {"imageDetails": page}
    if token:
        result["nextToken"] = token
    return ActionResult(result)


_batch_get_image = ECRResponse.batch_get_image


def batch_get_image(self):
    result = _batch_get_image(self)
    out = result.result
    name = self._get_param("repositoryName")
    kept = []
    with S.LOCK:
        for image in out.get("images", []):
            digest = image.get_image_digest()
            status = S.STORAGE.get((self.current_account, self.region, name, digest), {}).get("imageStatus", "ACTIVE")
            if status == "ACTIVE":
                kept.append(image)
            else:
                image_id = {"imageDigest": digest}
                if image.image_tag:
                    image_id["imageTag"] = image.image_tag
                out.setdefault("failures", []).append({
                    "imageId": image_id, "failureCode": "ImageInaccessible",
                    "failureReason": f"The image is {status}: restore it to STANDARD (UpdateImageStorageClass) and wait until it is ACTIVE"})
    out["images"] = kept
    return ActionResult(out)


# --- Lifecycle policies -------------------------------------------------------------------------

_validate_policy = policy_validation.EcrLifecyclePolicyValidator.validate


def validate_policy(self):
    """moto's checks, plus ECR's rules for the archive fields."""
    _validate_policy(self)
    prefix = self.INVALID_PARAMETER_ERROR_MESSAGE

    def bad(text):
        fail("InvalidParameterException", prefix + text + "'")

    priorities = set()
    for rule in self._rules:
        priority = rule.get("rulePriority")
        if not isinstance(priority, int) or priority < 1:
            bad(f"rulePriority must be a positive integer, found {priority!r}")
        if priority in priorities:
            bad(f"rulePriority {priority} is used by more than one rule")
        priorities.add(priority)
        sel, act = rule["selection"], rule["action"]
        storage = sel.get("storageClass", "standard")
        if storage not in ("standard", "archive"):
            bad(f"instance value ({storage}) not found in enum :(possible values: [\"archive\",\"standard\"])")
        if act["type"] == "transition":
            if act.get("targetStorageClass") != "archive":
                bad("a transition action needs targetStorageClass \"archive\"")
            if storage != "standard":
                bad("only images in the standard storage class can be transitioned")
        elif "targetStorageClass" in act:
            bad("targetStorageClass is only allowed with action type \"transition\"")
        count_type = sel["countType"]
        if count_type == "sinceImageTransitioned" and storage != "archive":
            bad("countType sinceImageTransitioned needs storageClass \"archive\"")
        if count_type == "imageCountMoreThan" and "countUnit" in sel:
            bad("countUnit is not allowed with countType imageCountMoreThan")
        if count_type != "imageCountMoreThan" and sel.get("countUnit") != "days":
            bad(f"countType {count_type} needs countUnit \"days\"")
        if sel["tagStatus"] == "tagged" and not (sel.get("tagPrefixList") or sel.get("tagPatternList")):
            bad("tagStatus tagged needs a tagPrefixList or a tagPatternList")
        if sel.get("tagPrefixList") and sel.get("tagPatternList"):
            bad("give either tagPrefixList or tagPatternList, not both")


def _tag_selected(sel, tags):
    if sel["tagStatus"] == "untagged":
        return not tags
    if sel["tagStatus"] == "any":
        return True
    if not tags:
        return False
    prefixes = sel.get("tagPrefixList") or []
    patterns = sel.get("tagPatternList") or []
    # ECR: with several prefixes or patterns, an image must match every one of them.
    return all(any(t.startswith(p) for t in tags) for p in prefixes) and \
        all(any(S._wildcard_match(p, t) for t in tags) for p in patterns)


def evaluate_lifecycle(self, repo, policy_text):
    """What the policy would do to the repository's images: (previewResults, summary)."""
    policy = json.loads(policy_text)
    at = now()
    images = []
    with S.LOCK:
        for image in repo.images:
            digest = image.get_image_digest()
            entry = S.STORAGE.get((self.current_account, self.region, repo.name, digest), {})
            images.append({"digest": digest, "tags": list(image.image_tags or []),
                           "pushed": float(image.image_pushed_at),
                           "pulled": getattr(image, "last_recorded_pull_time", None),
                           "status": entry.get("imageStatus", "ACTIVE"),
                           "archived": entry.get("lastArchivedAt")})
    taken = set()
    results = []
    for rule in sorted(policy["rules"], key=lambda r: r["rulePriority"]):
        sel, act = rule["selection"], rule["action"]
        storage = sel.get("storageClass", "standard")
        pool = [i for i in images if i["digest"] not in taken
                and (i["status"] == "ARCHIVED") == (storage == "archive") and _tag_selected(sel, i["tags"])]
        n = sel["countNumber"]
        if sel["countType"] == "imageCountMoreThan":
            chosen = sorted(pool, key=lambda i: i["pushed"], reverse=True)[n:]
        else:
            field = {"sinceImagePushed": "pushed", "sinceImagePulled": "pulled",
                     "sinceImageTransitioned": "archived"}[sel["countType"]]
            chosen = [i for i in pool if at - (i[field] or i["pushed"]) > n * 86400]
        for i in chosen:
            taken.add(i["digest"])
            action_out = {"type": act["type"].upper()}
            if act.get("targetStorageClass"):
                action_out["targetStorageClass"] = act["targetStorageClass"].upper()
            result = {"imageDigest": i["digest"], "imagePushedAt": i["pushed"], "action": action_out,
                      "appliedRulePriority": rule["rulePriority"], "storageClass": storage.upper()}
            if i["tags"]:
                result["imageTags"] = i["tags"]
            results.append(result)
    expiring = sum(1 for r in results if r["action"]["type"] == "EXPIRE")
    transitioning = sum(1 for r in results if r["action"]["type"] == "TRANSITION")
    summary = {"expiringImageTotalCount": expiring,
               "transitioningImageTotalCounts": [{"targetStorageClass": "ARCHIVE", "imageTotalCount": transitioning}]}
    return results, summary


def start_lifecycle_policy_preview(self):
    name = self._get_param("repositoryName")
    repo = self.ecr_backend._get_repository(name, self._get_param("registryId"))
    text = self._get_param("lifecyclePolicyText")
    if text:
        policy_validation.EcrLifecyclePolicyValidator(text).validate()
    else:
        text = repo.lifecycle_policy
        if not text:
            fail("LifecyclePolicyNotFoundException",
                 f"Lifecycle policy does not exist for the repository with name '{name}' in the registry with id '{repo.registry_id}'")
    results, summary = evaluate_lifecycle(self, repo, text)
    with S.LOCK:
        PREVIEWS[(self.current_account, self.region, name)] = {"text": text, "results": results, "summary": summary}
    return ActionResult({"registryId": repo.registry_id, "repositoryName": name,
                         "lifecyclePolicyText": text, "status": "COMPLETE"})


def get_lifecycle_policy_preview(self):
    name = self._get_param("repositoryName")
    repo = self.ecr_backend._get_repository(name, self._get_param("registryId"))
    with S.LOCK:
        preview = copy.deepcopy(PREVIEWS.get((self.current_account, self.region, name)))
    if preview is None:
        fail("LifecyclePolicyPreviewNotFoundException",
             f"There is no lifecycle policy preview for the repository with name '{name}' in the registry with id '{repo.registry_id}'; start one with StartLifecyclePolicyPreview")
    results = preview["results"]
    tag_status = (self._get_param("filter") or {}).get("tagStatus") or "ANY"
    enum(tag_status, "filter.tagStatus", ["TAGGED", "UNTAGGED", "ANY"])
    if tag_status == "TAGGED":
        results = [r for r in results if r.get("imageTags")]
    elif tag_status == "UNTAGGED":
        results = [r for r in results if not r.get("imageTags")]
    ids = self._get_param("imageIds")
    if ids:
        results = [r for r in results if any(i.get("imageDigest") == r["imageDigest"] or i.get("imageTag") in r.get("imageTags", []) for i in ids)]
    page, token = paginate(self, results, default=100, maximum=100)
    out = {"registryId": repo.registry_id, "repositoryName": name, "lifecyclePolicyText": preview["text"],
           "status": "COMPLETE", "previewResults": page, "summary": preview["summary"]}
    if token:
        out["nextToken"] = token
    return ActionResult(out)


# --- install ------------------------------------------------------------------------------------

def install():
    """Patch moto (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    BaseResponse.get_current_account = get_current_account
    ecr_models.Repository.uri = property(_uri_get, _uri_set)
    # (new sets: moto's VALID_ACTION_PROPERTIES is the very set of the required ones)
    pv = policy_validation
    pv.VALID_ACTION_PROPERTIES = set(pv.VALID_ACTION_PROPERTIES) | {"targetStorageClass"}
    pv.VALID_ACTION_TYPE_VALUES = set(pv.VALID_ACTION_TYPE_VALUES) | {"transition"}
    pv.VALID_SELECTION_PROPERTIES = set(pv.VALID_SELECTION_PROPERTIES) | {"storageClass"}
    pv.VALID_SELECTION_COUNT_TYPE_VALUES = set(pv.VALID_SELECTION_COUNT_TYPE_VALUES) | {"sinceImagePulled", "sinceImageTransitioned"}
    policy_validation.EcrLifecyclePolicyValidator.validate = validate_policy
    for fn in (get_authorization_token, put_replication_configuration, describe_registry,
               describe_image_replication_status, create_pull_through_cache_rule,
               describe_pull_through_cache_rules, update_pull_through_cache_rule,
               delete_pull_through_cache_rule, validate_pull_through_cache_rule,
               create_repository_creation_template, describe_repository_creation_templates,
               update_repository_creation_template, delete_repository_creation_template,
               put_registry_scanning_configuration, get_registry_scanning_configuration,
               batch_get_repository_scanning_configuration, describe_image_scan_findings,
               get_account_setting, put_account_setting, update_image_storage_class,
               describe_images, batch_get_image, start_lifecycle_policy_preview,
               get_lifecycle_policy_preview):
        setattr(ECRResponse, fn.__name__, fn)
