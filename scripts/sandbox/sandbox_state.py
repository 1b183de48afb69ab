"""What the sandbox keeps beside moto's own state (part of the sandbox, not of the app).

One process (ecr_sandbox.py) runs moto, the ECR API additions (ecr_api.py) and the registry
fronts (registry_front.py, replication.py). They share this module. Every read or write of
the stores below happens under LOCK. Keys are (account, region[, repository[, digest]]).

The ECR API additions write the stores (CreateRepositoryCreationTemplate, ...); the registry
fronts read them through the functions at the end of this file.
"""

import threading

LOCK = threading.RLock()

DEFAULT_ACCOUNT = "000000000000"

# region -> "127.0.0.1:PORT": that region's registry front, which GetAuthorizationToken names as
# proxyEndpoint ("http://" + it) and repositoryUri starts with. Filled by ecr_sandbox.py at start.
REGISTRIES: dict[str, str] = {}

# "127.0.0.1:PORT" of the sandbox's upstream registry (stands in for Docker Hub, Quay, ...).
UPSTREAM = ""

# (account, region) -> {prefix: template}, each in the shape DescribeRepositoryCreationTemplates
# returns (prefix, description, encryptionConfiguration, resourceTags, imageTagMutability,
# imageTagMutabilityExclusionFilters, repositoryPolicy, lifecyclePolicy, appliedFor,
# customRoleArn, createdAt, updatedAt). The prefix "ROOT" matches every repository.
TEMPLATES: dict[tuple, dict] = {}

# (account, region) -> {ecrRepositoryPrefix: rule}, in DescribePullThroughCacheRules' shape.
PULL_THROUGH_RULES: dict[tuple, dict] = {}

# (account, region) -> ReplicationConfiguration ({"rules": [...]}), ECR's shape, any number of
# rules (moto keeps only one).
REPLICATION: dict[tuple, dict] = {}

# (account, region, repository, digest) -> [{"region", "registryId", "status", "failureCode"?}]
# (DescribeImageReplicationStatus' replicationStatuses).
REPLICATION_STATUS: dict[tuple, list] = {}

# (account, region, repository, digest) -> {"imageStatus": ACTIVE|ARCHIVED|ACTIVATING,
# "lastArchivedAt": epoch seconds | None, "lastActivatedAt": epoch seconds | None}.
# No entry: ACTIVE, never archived.
STORAGE: dict[tuple, dict] = {}

# (account, region) -> {name: value} for Get/PutAccountSetting.
ACCOUNT_SETTINGS: dict[tuple, dict] = {}


def template_for(account, region, repository, applied_for):
    """The creation template ECR would apply to a new `repository` created for `applied_for`
    (PULL_THROUGH_CACHE, REPLICATION or CREATE_ON_PUSH): the longest matching prefix, else
    ROOT, among the templates that list `applied_for`; None when no template applies."""
    with LOCK:
        best = None
        for prefix, template in TEMPLATES.get((account, region), {}).items():
            if applied_for not in template.get("appliedFor", []):
                continue
            if prefix == "ROOT":
                matched = 0
            elif repository == prefix or repository.startswith(prefix.rstrip("/") + "/"):
                matched = len(prefix)
            else:
                continue
            if best is None or matched > best[0]:
                best = (matched, template)
        return dict(best[1]) if best else None


def pull_through_rule_for(account, region, repository):
    """The pull-through cache rule whose ecrRepositoryPrefix `repository` falls under (the
    longest one), or None."""
    with LOCK:
        best = None
        for prefix, rule in PULL_THROUGH_RULES.get((account, region), {}).items():
            if repository.startswith(prefix.rstrip("/") + "/") and (best is None or len(prefix) > len(best["ecrRepositoryPrefix"])):
                best = rule
        return dict(best) if best else None


def replication_destinations(account, region, repository):
    """[(region, registryId)] that ECR would replicate a push to `repository` into: every rule
    whose filters match (no filters: every repository), duplicates removed, in rule order."""
    with LOCK:
        out = []
        for rule in REPLICATION.get((account, region), {}).get("rules", []):
            filters = rule.get("repositoryFilters") or []
            if filters and not any(repository.startswith(f["filter"]) for f in filters if f.get("filterType") == "PREFIX_MATCH"):
                continue
            for d in rule.get("destinations", []):
                key = (d["region"], d["registryId"])
                if key not in out:
                    out.append(key)
        return out


def set_replication_status(account, region, repository, digest, dest_region, dest_registry, status, failure_code=None):
    with LOCK:
        statuses = REPLICATION_STATUS.setdefault((account, region, repository, digest), [])
        entry = {"region": dest_region, "registryId": dest_registry, "status": status}
        if failure_code:
            entry["failureCode"] = failure_code
        for i, s in enumerate(statuses):
            if s["region"] == dest_region and s["registryId"] == dest_registry:
                statuses[i] = entry
                break
        else:
            statuses.append(entry)


def image_status(account, region, repository, digest):
    """ACTIVE, ARCHIVED or ACTIVATING."""
    with LOCK:
        return STORAGE.get((account, region, repository, digest), {}).get("imageStatus", "ACTIVE")


# ---------------------------------------------------------------------------------------------
# Added with the ECR API additions (ecr_api.py). Everything below keeps the stores' shapes.

import hashlib as _hashlib
import json as _json
import re as _re
import time as _time

# ECR's defaults for Get/PutAccountSetting, and the values each name accepts.
ACCOUNT_SETTING_VALUES = {
    "BASIC_SCAN_TYPE_VERSION": ("AWS_NATIVE", ["AWS_NATIVE", "CLAIR"]),
    "REGISTRY_POLICY_SCOPE": ("V2", ["V1", "V2"]),
    "BLOB_MOUNTING": ("DISABLED", ["ENABLED", "DISABLED"]),
}


def password_for(account):
    """The registry password GetAuthorizationToken hands to `account` (the part after "AWS:"
    of its base64 token). moto's own form, one per account."""
    return f"{account}-auth-token"


def account_for_password(password):
    """The account whose GetAuthorizationToken password this is, or None (a registry front
    checks `docker login -u AWS -p PASSWORD` with it)."""
    m = _re.fullmatch(r"([0-9]{12})-auth-token", password or "")
    return m.group(1) if m else None


def account_setting(account, region, name):
    """The value of an account setting (ECR's default when never put); None for unknown names."""
    if name not in ACCOUNT_SETTING_VALUES:
        return None
    with LOCK:
        return ACCOUNT_SETTINGS.get((account, region), {}).get(name, ACCOUNT_SETTING_VALUES[name][0])


# Scan findings that follow the image's content (moved here from ecr_sandbox.py, same catalog and
# same picking rule, so both give the same findings): each layer brings the vulnerabilities of
# the packages it holds, picked from this catalog by the layer's digest.
# (id, severity, package, version, fixed version or None)
CATALOG = [
    ("CVE-2024-0727", "MEDIUM", "openssl", "3.0.11", "3.0.13"),
    ("CVE-2023-5678", "LOW", "openssl", "3.0.11", "3.0.12"),
    ("CVE-2024-2961", "HIGH", "glibc", "2.36-9", "2.36-9+deb12u7"),
    ("CVE-2023-4911", "CRITICAL", "glibc", "2.36-9", "2.36-9+deb12u3"),
    ("CVE-2024-6119", "MEDIUM", "openssl", "3.0.13", "3.0.15"),
    ("CVE-2023-44487", "HIGH", "nghttp2", "1.52.0", "1.52.0-1+deb12u1"),
    ("CVE-2024-28182", "MEDIUM", "nghttp2", "1.52.0", "1.52.0-1+deb12u2"),
    ("CVE-2023-52425", "HIGH", "expat", "2.5.0", "2.5.0-1+deb12u1"),
    ("CVE-2024-45490", "CRITICAL", "expat", "2.5.0", "2.5.0-1+deb12u2"),
    ("CVE-2023-29383", "LOW", "shadow", "4.13", None),
    ("CVE-2022-48303", "LOW", "tar", "1.34", None),
    ("CVE-2024-3094", "CRITICAL", "xz-utils", "5.6.0", "5.6.1+really5.4.5"),
]

# What an enhanced (Inspector) scan adds per vulnerability: CVSS v3.1 score and vector, whether
# an exploit is known, and further packages of the same finding (name, version, fixed or None).
CATALOG_DETAILS = {
    "CVE-2024-0727": (5.5, "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", "NO", [("libssl3", "3.0.11", None)]),
    "CVE-2023-5678": (5.3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", "NO", []),
    "CVE-2024-2961": (8.8, "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "YES", []),
    "CVE-2023-4911": (7.8, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "YES", [("libc-bin", "2.36-9", "2.36-9+deb12u3")]),
    "CVE-2024-6119": (7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "NO", []),
    "CVE-2023-44487": (7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "YES", []),
    "CVE-2024-28182": (5.3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", "NO", []),
    "CVE-2023-52425": (7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "NO", []),
    "CVE-2024-45490": (9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "NO", []),
    "CVE-2023-29383": (3.3, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N", "NO", []),
    "CVE-2022-48303": (5.5, "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", "NO", []),
    "CVE-2024-3094": (10.0, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "YES", [("liblzma5", "5.6.0", "5.6.1+really5.4.5")]),
}

# Where each package's files sit in the image (enhanced findings' vulnerablePackages.filePath).
PACKAGE_FILES = {
    "openssl": "usr/lib/x86_64-linux-gnu/libssl.so.3", "libssl3": "usr/lib/x86_64-linux-gnu/libcrypto.so.3",
    "glibc": "usr/lib/x86_64-linux-gnu/libc.so.6", "libc-bin": "usr/bin/ldd",
    "nghttp2": "usr/lib/x86_64-linux-gnu/libnghttp2.so.14", "expat": "usr/lib/x86_64-linux-gnu/libexpat.so.1",
    "shadow": "usr/bin/passwd", "tar": "usr/bin/tar", "xz-utils": "usr/bin/xz",
    "liblzma5": "usr/lib/x86_64-linux-gnu/liblzma.so.5",
}


def _content_vulnerabilities(manifest_text):
    """{vulnerability id: (catalog entry, digest of the first layer that brings it)}."""
    try:
        layers = _json.loads(manifest_text).get("layers", [])
    except (ValueError, AttributeError):
        layers = []
    found = {}
    for layer in layers:
        digest = layer.get("digest", "") if isinstance(layer, dict) else ""
        h = _hashlib.sha256(digest.encode()).digest()
        for b in h[:3]:
            if b % 2 == 0:
                entry = CATALOG[b % len(CATALOG)]
                found.setdefault(entry[0], (entry, digest))
    return found


def content_findings(manifest_text):
    """(basic findings in DescribeImageScanFindings' `findings` shape, findingSeverityCounts)."""
    found = {}
    for name, ((_, severity, package, version, fixed), _layer) in _content_vulnerabilities(manifest_text).items():
        attrs = [{"key": "package_name", "value": package}, {"key": "package_version", "value": version}]
        found[name] = {"name": name, "severity": severity, "attributes": attrs,
                       "uri": f"https://nvd.nist.gov/vuln/detail/{name}",
                       "description": f"{package} {version}" + (f", fixed in {fixed}" if fixed else "")}
    counts = {}
    for f in found.values():
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return list(found.values()), counts


def content_enhanced_findings(manifest_text, account, region, repository, digest, tags=(), observed_at=None):
    """The same vulnerabilities as content_findings, in the shape of an ENHANCED scan's
    `enhancedFindings` (Amazon Inspector's package vulnerability findings)."""
    now = _time.time()
    first = observed_at or now
    out = []
    for name, ((_, severity, package, version, fixed), layer) in _content_vulnerabilities(manifest_text).items():
        score, vector, exploit, extra = CATALOG_DETAILS.get(name, (5.0, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", "NO", []))
        packages = [(package, version, fixed)] + list(extra)
        vulnerable = []
        for pname, pversion, pfixed in packages:
            p = {"name": pname, "version": pversion, "packageManager": "OS", "arch": "amd64",
                 "sourceLayerHash": layer, "filePath": PACKAGE_FILES.get(pname, f"usr/share/doc/{pname}")}
            if pfixed:
                p["fixedInVersion"] = pfixed
            vulnerable.append(p)
        fixes = [p for p in packages if p[2]]
        fix_available = "YES" if len(fixes) == len(packages) else ("PARTIAL" if fixes else "NO")
        if fixes:
            text = "Upgrade " + ", ".join(f"{p[0]} to {p[2]}" for p in fixes) + "."
        else:
            text = "None Provided"
        finding_id = _hashlib.sha256(f"{account}/{region}/{repository}/{digest}/{name}".encode()).hexdigest()[:32]
        out.append({
            "awsAccountId": account,
            "description": f"{name} in {package} {version}" + (f"; fixed in {fixed}." if fixed else "; no fix released yet."),
            "findingArn": f"arn:aws:inspector2:{region}:{account}:finding/{finding_id}",
            "firstObservedAt": first,
            "lastObservedAt": now,
            "updatedAt": now,
            "packageVulnerabilityDetails": {
                "cvss": [{"baseScore": score, "scoringVector": vector, "source": "NVD", "version": "3.1"}],
                "referenceUrls": [f"https://nvd.nist.gov/vuln/detail/{name}",
                                  f"https://security-tracker.debian.org/tracker/{name}"],
                "relatedVulnerabilities": [],
                "source": "NVD",
                "sourceUrl": f"https://nvd.nist.gov/vuln/detail/{name}",
                "vendorSeverity": severity,
                "vulnerabilityId": name,
                "vulnerablePackages": vulnerable,
            },
            "remediation": {"recommendation": {"text": text}},
            "resources": [{
                "type": "AWS_ECR_CONTAINER_IMAGE",
                "id": f"arn:aws:ecr:{region}:{account}:repository/{repository}/{digest}",
                "details": {"awsEcrContainerImage": {
                    "architecture": "amd64", "imageHash": digest, "imageTags": list(tags),
                    "platform": "DEBIAN_12", "registry": account, "repositoryName": repository}},
            }],
            "score": score,
            "scoreDetails": {"cvss": {"score": score, "scoreSource": "NVD", "scoringVector": vector,
                                      "version": "3.1", "adjustments": []}},
            "severity": severity,
            "status": "ACTIVE",
            "title": f"{name} - {', '.join(p[0] for p in packages)}",
            "type": "PACKAGE_VULNERABILITY",
            "fixAvailable": fix_available,
            "exploitAvailable": exploit,
        })
    return out


def _wildcard_match(pattern, name):
    """ECR's WILDCARD scanning filter: '*' matches any run of characters, the rest literally,
    against the whole repository name."""
    return _re.fullmatch(".*".join(_re.escape(p) for p in pattern.split("*")), name) is not None


def _ecr_backend(account, region):
    from moto.ecr.models import ecr_backends
    return ecr_backends[account][region]


def repository_scanning(account, region, repository):
    """The repository's scanning configuration in BatchGetRepositoryScanningConfiguration's
    shape (repositoryArn, repositoryName, scanOnPush, scanFrequency, appliedScanFilters), from
    the registry's scanning configuration: ENHANCED: a CONTINUOUS_SCAN rule wins over a
    SCAN_ON_PUSH one, else MANUAL; BASIC: a SCAN_ON_PUSH rule, else the repository's own
    scanOnPush, else MANUAL. Raises moto's RepositoryNotFoundException."""
    with LOCK:
        backend = _ecr_backend(account, region)
        repo = backend._get_repository(repository)
        config = backend.registry_scanning_configuration or {}
        scan_type = config.get("scanType") or "BASIC"
        matched = {}
        for rule in config.get("rules") or []:
            filters = [f for f in rule.get("repositoryFilters") or [] if _wildcard_match(f.get("filter", ""), repository)]
            if filters:
                matched.setdefault(rule.get("scanFrequency"), []).extend(filters)
        if scan_type == "ENHANCED":
            order = ["CONTINUOUS_SCAN", "SCAN_ON_PUSH"]
        else:
            order = ["SCAN_ON_PUSH"]
        frequency, applied = "MANUAL", []
        for freq in order:
            if freq in matched:
                frequency, applied = freq, matched[freq]
                break
        own = bool((repo.image_scanning_configuration or {}).get("scanOnPush"))
        if scan_type == "BASIC" and frequency == "MANUAL" and own:
            frequency = "SCAN_ON_PUSH"
        return {"repositoryArn": repo.arn, "repositoryName": repo.name,
                "scanOnPush": frequency in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN"),
                "scanFrequency": frequency, "appliedScanFilters": applied}


def scan_type(account, region):
    """BASIC or ENHANCED: the registry's scanning configuration."""
    with LOCK:
        return (_ecr_backend(account, region).registry_scanning_configuration or {}).get("scanType") or "BASIC"


def should_scan_on_push(account, region, repository):
    """Whether ECR scans an image pushed to `repository`: ENHANCED: a registry scanning rule
    covers it (scan on push or continuous); BASIC: a SCAN_ON_PUSH rule matches or the
    repository's own scanOnPush is on. False for an unknown repository."""
    try:
        return repository_scanning(account, region, repository)["scanOnPush"]
    except Exception:  # noqa: BLE001 - unknown repository: nothing to scan
        return False


def _epoch(value):
    """Epoch seconds of moto's timestamps (naive datetimes are UTC)."""
    import calendar
    if hasattr(value, "utctimetuple"):
        if value.tzinfo is None:
            return calendar.timegm(value.timetuple()) + value.microsecond / 1e6
        return value.timestamp()
    return value


def describe_repository(account, region, repository):
    """One repository in DescribeRepositories' shape (timestamps as epoch seconds)."""
    with LOCK:
        repo = _ecr_backend(account, region)._get_repository(repository)
        out = {
            "repositoryArn": repo.arn, "registryId": repo.registry_id, "repositoryName": repo.name,
            "repositoryUri": repo.uri, "createdAt": _epoch(repo.created_at),
            "imageTagMutability": repo.image_tag_mutability,
            "imageScanningConfiguration": dict(repo.image_scanning_configuration or {"scanOnPush": False}),
            "encryptionConfiguration": dict(repo.encryption_configuration or {"encryptionType": "AES256"}),
        }
        if repo.image_tag_mutability_exclusion_filters:
            out["imageTagMutabilityExclusionFilters"] = [dict(f) for f in repo.image_tag_mutability_exclusion_filters]
        return out


def create_repository_from_template(account, region, repository, applied_for):
    """Create `repository` as ECR does when it creates one itself (applied_for: CREATE_ON_PUSH,
    PULL_THROUGH_CACHE or REPLICATION): with the settings of template_for(...) (tag mutability
    and its exclusion filters, encryption, resource tags, lifecycle policy, repository policy),
    or ECR's defaults (MUTABLE, AES256, nothing else) when no template applies. Scanning follows
    the registry's scanning rules (should_scan_on_push). Returns the repository in
    DescribeRepositories' shape; an existing repository is returned unchanged."""
    from moto.ecr.exceptions import RepositoryAlreadyExistsException
    with LOCK:
        backend = _ecr_backend(account, region)
        if repository in backend.repositories:
            return describe_repository(account, region, repository)
        template = template_for(account, region, repository, applied_for) or {}
        mutability = template.get("imageTagMutability") or "MUTABLE"
        filters = template.get("imageTagMutabilityExclusionFilters") or None
        if mutability not in ("MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION"):
            filters = None
        encryption = template.get("encryptionConfiguration") or None
        if encryption and not encryption.get("kmsKey"):
            encryption = {"encryptionType": encryption["encryptionType"]}
        try:
            repo = backend.create_repository(
                repository_name=repository, registry_id=None, encryption_config=encryption,
                image_scan_config={"scanOnPush": False}, image_tag_mutability=mutability,
                tags=[dict(t) for t in template.get("resourceTags") or []],
                image_tag_mutability_exclusion_filters=filters)
        except RepositoryAlreadyExistsException:
            return describe_repository(account, region, repository)
        if template.get("lifecyclePolicy"):
            repo.lifecycle_policy = template["lifecyclePolicy"]
        if template.get("repositoryPolicy"):
            repo.policy = template["repositoryPolicy"]
        repo.image_scanning_configuration = {"scanOnPush": should_scan_on_push(account, region, repository)}
        return describe_repository(account, region, repository)


# ---------------------------------------------------------------------------------------------
# Added with the second account and ECR Public (ecr_public.py, public_front.py).

import os as _os

# Access key ids that stand for an account although they are not 12 digits (the prod account's
# AKIA... key): from SANDBOX_ACCESS_KEYS="KEY=ACCOUNT,KEY=ACCOUNT", which scripts/sandbox/sandbox
# sets. (A 12-digit key id is that account anyway; STS/IAM keys moto issued are looked up in moto.)
ACCESS_KEYS: dict[str, str] = {}
for _pair in filter(None, _os.environ.get("SANDBOX_ACCESS_KEYS", "").split(",")):
    _k, _, _a = _pair.partition("=")
    if _k and _re.fullmatch(r"[0-9]{12}", _a):
        ACCESS_KEYS[_k] = _a

# "127.0.0.1:PORT" of the registry front that plays public.ecr.aws ("" when none runs).
PUBLIC_FRONT = ""

# ECR Public, one registry per account (ECR Public has no regions of its own):
# account -> {"alias": NAME, "displayName": str | None, "repositories": {name: repository}},
# a repository being {"name", "createdAt", "catalog": {...RepositoryCatalogData but logoUrl},
# "logo": bytes | None, "tags": [{"Key", "Value"}], "policy": str | None,
# "images": {digest: {"digest", "tags": [..], "size", "pushedAt", "mediaType",
#                     "artifactMediaType", "manifest"}},
# "tagCreatedAt": {tag: epoch seconds}}.
PUBLIC: dict[str, dict] = {}
# sha256 hex of a logo -> (bytes, content type), served by the public front at /logo/HEX.
PUBLIC_LOGOS: dict[str, tuple] = {}


def public_alias(account):
    """The account's ECR Public registry alias (its default alias): berth-sandbox for the
    sandbox's default account, berth-sandbox-ACCOUNT for any other."""
    return "berth-sandbox" if account == DEFAULT_ACCOUNT else f"berth-sandbox-{account}"


def public_account_for_alias(alias):
    """The account whose registry alias this is, or None."""
    if alias == "berth-sandbox":
        return DEFAULT_ACCOUNT
    m = _re.fullmatch(r"berth-sandbox-([0-9]{12})", alias or "")
    return m.group(1) if m else None


def public_registry(account):
    """The account's ECR Public registry (created on first use)."""
    with LOCK:
        reg = PUBLIC.get(account)
        if reg is None:
            reg = PUBLIC[account] = {"alias": public_alias(account), "displayName": None, "repositories": {}}
        return reg


def public_repository(account, name):
    with LOCK:
        return public_registry(account)["repositories"].get(name)


def public_password_for(account):
    """The password of ECR Public's GetAuthorizationToken ("AWS:" + it, base64): not the
    private registries' password, so neither front takes the other's."""
    return f"{account}-public-auth-token"


def public_account_for_password(password):
    m = _re.fullmatch(r"([0-9]{12})-public-auth-token", password or "")
    return m.group(1) if m else None
