"""The sandbox's ECR Public API (part of the local sandbox, not of the app).

moto 5.2.5 has no `ecr-public`. This module answers it on moto's own endpoint: ecr_sandbox.py
wraps moto's WSGI application with `wsgi(app)`, which takes every request of the ECR Public
JSON protocol (X-Amz-Target `SpencerFrontendService.*`, or SigV4 signing name `ecr-public`)
and leaves the rest to moto. Request and response shapes, and the error names, follow the AWS
SDK model of ECR Public (botocore's ecr-public 2020-10-30 service-2.json); errors are HTTP 400
(ServerException 500) with {"__type": NAME, "message": TEXT}, as the JSON protocol has them.

* One public registry per account (ECR Public is global: every signing region sees the same
  registry), with a default alias: `berth-sandbox` for 000000000000, `berth-sandbox-ACCOUNT`
  for any other (sandbox_state.public_alias). The account comes from the access key id as for
  the rest of the sandbox (ecr_api.account_for_access_key).
* repositoryUri is `public.ecr.aws/ALIAS/NAME` and registryUri `public.ecr.aws/ALIAS`, as ECR
  Public answers; the registry that plays public.ecr.aws is the public front
  (public_front.py, `BERTH_PUBLIC_REGISTRY_ENDPOINT` in the sandbox's env file).
* Images are what was pushed through the public front (record_push); BatchDeleteImage and
  DeleteRepository remove them from the API and from the public backend.
* Operations: CreateRepository, DescribeRepositories, DeleteRepository, DescribeImages,
  DescribeImageTags, BatchDeleteImage, Get/PutRepositoryCatalogData, Get/PutRegistryCatalogData,
  DescribeRegistries, GetAuthorizationToken, Set/Get/DeleteRepositoryPolicy,
  Tag/UntagResource, ListTagsForResource. The layer-upload API (InitiateLayerUpload, ...,
  PutImage) answers UnsupportedCommandException: push through the registry instead.
"""

import base64
import copy
import hashlib
import json
import re
import sys
import time
import uuid

import sandbox_state as S

TARGET_PREFIX = "SpencerFrontendService."
REPOSITORY_NAME = r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"
REGISTRY_ID = r"[0-9]{12}"
DIGEST = r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+"
TOKEN_SECONDS = 12 * 3600
MAX_TAGS = 200
MAX_REPOSITORIES = 10000
PUBLIC_HOST = "public.ecr.aws"


def log(msg):
    print(f"sandbox ecr-public: {msg}", file=sys.stderr, flush=True)


class ApiError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def fail(code, message):
    raise ApiError(code, message)


def invalid(message):
    fail("InvalidParameterException", message)


def constraint(value, where, text):
    invalid(f"Invalid parameter at '{where}' failed to satisfy constraint: '{text}'")


def check_string(value, where, min_len=None, max_len=None, regex=None, required=False):
    if value is None:
        if required:
            constraint(value, where, "Member must not be null")
        return
    if not isinstance(value, str):
        constraint(value, where, "Member must be a string")
    if min_len is not None and len(value) < min_len:
        constraint(value, where, f"Member must have length greater than or equal to {min_len}")
    if max_len is not None and len(value) > max_len:
        constraint(value, where, f"Member must have length less than or equal to {max_len}")
    if regex is not None and re.fullmatch(regex, value) is None:
        constraint(value, where, f"Member must satisfy regular expression pattern: {regex}")


def repository_name(req, required=True):
    name = req.get("repositoryName")
    check_string(name, "repositoryName", 2, 205, REPOSITORY_NAME, required)
    return name


def now():
    return time.time()


def not_found(account, name):
    fail("RepositoryNotFoundException",
         f"The repository with name '{name}' does not exist in the registry with id '{account}'")


def paginate(req, items, forbid_with=None):
    """maxResults (1..1000) / nextToken (an offset) over a list; (page, nextToken or None)."""
    max_results = req.get("maxResults")
    token = req.get("nextToken")
    if max_results is not None:
        if forbid_with:
            invalid(f"maxResults cannot be used together with {forbid_with}")
        if not isinstance(max_results, int) or not 1 <= max_results <= 1000:
            constraint(max_results, "maxResults", "Member must have value between 1 and 1000")
    if token is not None and forbid_with:
        invalid(f"nextToken cannot be used together with {forbid_with}")
    try:
        start = int(token) if token else 0
        if start < 0:
            raise ValueError
    except ValueError:
        invalid("Invalid parameter at 'nextToken': the token is not valid; start again without it")
    size = max_results or 100
    page = items[start:start + size]
    return page, (str(start + size) if start + size < len(items) else None)


# --- shapes -------------------------------------------------------------------------------------

def registry_arn(account):
    return f"arn:aws:ecr-public::{account}:registry/{account}"


def repository_arn(account, name):
    return f"arn:aws:ecr-public::{account}:repository/{name}"


def repository_out(account, repo):
    alias = S.public_alias(account)
    return {"repositoryArn": repository_arn(account, repo["name"]), "registryId": account,
            "repositoryName": repo["name"], "repositoryUri": f"{PUBLIC_HOST}/{alias}/{repo['name']}",
            "createdAt": repo["createdAt"]}


def logo_url(repo):
    if not repo.get("logo"):
        return None
    digest = hashlib.sha256(repo["logo"]).hexdigest()
    host = S.PUBLIC_FRONT or PUBLIC_HOST
    return f"http://{host}/logo/{digest}"


def catalog_out(repo):
    out = copy.deepcopy(repo["catalog"])
    url = logo_url(repo)
    if url:
        out["logoUrl"] = url
    out["marketplaceCertified"] = False
    return out


def image_out(account, name, image):
    out = {"registryId": account, "repositoryName": name, "imageDigest": image["digest"]}
    if image["tags"]:
        out["imageTags"] = list(image["tags"])
    if image.get("size") is not None:
        out["imageSizeInBytes"] = image["size"]
    out["imagePushedAt"] = image["pushedAt"]
    if image.get("mediaType"):
        out["imageManifestMediaType"] = image["mediaType"]
    if image.get("artifactMediaType"):
        out["artifactMediaType"] = image["artifactMediaType"]
    return out


def sniff_logo(data):
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data.lstrip()[:4] == b"<svg" or data.lstrip()[:5] == b"<?xml":
        return "image/svg+xml"
    return "application/octet-stream"


def catalog_input(value, where="catalogData"):
    """RepositoryCatalogDataInput, checked as the model constrains it: (catalog, logo bytes)."""
    if value is None:
        return {}, None
    if not isinstance(value, dict):
        constraint(value, where, "Member must be a structure")
    known = {"description", "architectures", "operatingSystems", "logoImageBlob", "aboutText", "usageText"}
    for k in value:
        if k not in known:
            invalid(f"Unknown parameter in {where}: \"{k}\", must be one of: " + ", ".join(sorted(known)))
    out = {}
    check_string(value.get("description"), f"{where}.description", None, 1024)
    check_string(value.get("aboutText"), f"{where}.aboutText", None, 25600)
    check_string(value.get("usageText"), f"{where}.usageText", None, 25600)
    for field in ("description", "aboutText", "usageText"):
        if value.get(field) is not None:
            out[field] = value[field]
    for field in ("architectures", "operatingSystems"):
        items = value.get(field)
        if items is None:
            continue
        if not isinstance(items, list):
            constraint(items, f"{where}.{field}", "Member must be a list")
        if len(items) > 50:
            constraint(items, f"{where}.{field}", "Member must have length less than or equal to 50")
        for i, item in enumerate(items, 1):
            check_string(item, f"{where}.{field}.{i}", 1, 50, required=True)
        out[field] = list(dict.fromkeys(items))
    logo = None
    if value.get("logoImageBlob") is not None:
        try:
            logo = base64.b64decode(value["logoImageBlob"], validate=True)
        except (ValueError, TypeError):
            invalid(f"Invalid parameter at '{where}.logoImageBlob': it must be base64")
        if len(logo) > 512000:
            constraint("...", f"{where}.logoImageBlob", "Member must have length less than or equal to 512000")
    return out, logo


def tags_input(tags, where="tags"):
    if tags is None:
        return []
    if not isinstance(tags, list):
        constraint(tags, where, "Member must be a list")
    out = []
    for i, tag in enumerate(tags, 1):
        if not isinstance(tag, dict) or not isinstance(tag.get("Key"), str) or not tag["Key"]:
            fail("InvalidTagParameterException", f"Tag {i} needs a Key of 1 to 128 characters")
        if len(tag["Key"]) > 128 or tag["Key"].startswith("aws:"):
            fail("InvalidTagParameterException",
                 f"The tag key '{tag['Key'][:40]}' is not valid: at most 128 characters, and 'aws:' is reserved")
        value = tag.get("Value", "")
        if not isinstance(value, str) or len(value) > 256:
            fail("InvalidTagParameterException", f"The value of tag '{tag['Key']}' must be a string of at most 256 characters")
        out.append({"Key": tag["Key"], "Value": value})
    return out


def merge_tags(current, new):
    merged = {t["Key"]: t["Value"] for t in current}
    for t in new:
        merged[t["Key"]] = t["Value"]
    if len(merged) > MAX_TAGS:
        fail("TooManyTagsException", f"A repository can have at most {MAX_TAGS} tags; this would make {len(merged)}")
    return [{"Key": k, "Value": v} for k, v in merged.items()]


# --- the registry a request is about ----------------------------------------------------------

def registry_for(caller, req, field="registryId", alias_ok=False):
    """The account of the registry the request names (registryId; an alias where the model
    allows one), else the caller's."""
    rid = req.get(field)
    if rid is None:
        return caller
    if alias_ok:
        check_string(rid, field, 2, 50)
        if re.fullmatch(REGISTRY_ID, rid):
            return rid
        account = S.public_account_for_alias(rid)
        if account is None:
            fail("RegistryNotFoundException", f"There is no public registry with the alias or id '{rid}'")
        return account
    check_string(rid, field, regex=REGISTRY_ID)
    return rid


def writable(caller, account):
    """Only the owner changes a registry."""
    if account != caller:
        invalid(f"The registry with id '{account}' is not the caller's ({caller}): only its owner can change it")


def repository(account, name):
    repo = S.public_repository(account, name)
    if repo is None:
        not_found(account, name)
    return repo


def find_image(account, name, repo, image_id, where="imageIds"):
    """The image an ImageIdentifier names, or ImageNotFoundException."""
    if not isinstance(image_id, dict) or not (image_id.get("imageDigest") or image_id.get("imageTag")):
        invalid(f"Invalid parameter at '{where}': an image id needs an imageDigest or an imageTag")
    digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
    image = None
    if digest:
        image = repo["images"].get(digest)
    elif tag:
        image = next((i for i in repo["images"].values() if tag in i["tags"]), None)
    if image is not None and tag and digest and tag not in image["tags"]:
        image = None
    if image is None:
        fail("ImageNotFoundException",
             f"The image with imageId {{imageDigest:'{digest or 'null'}', imageTag:'{tag or 'null'}'}} does not exist "
             f"within the repository with name '{name}' in the registry with id '{account}'")
    return image


# --- operations ---------------------------------------------------------------------------------

def create_repository(caller, req):
    name = repository_name(req)
    catalog, logo = catalog_input(req.get("catalogData"))
    tags = tags_input(req.get("tags"))
    if len(tags) > MAX_TAGS:
        fail("TooManyTagsException", f"A repository can have at most {MAX_TAGS} tags; {len(tags)} were given")
    with S.LOCK:
        reg = S.public_registry(caller)
        if name in reg["repositories"]:
            fail("RepositoryAlreadyExistsException",
                 f"The repository with name '{name}' already exists in the registry with id '{caller}'")
        if len(reg["repositories"]) >= MAX_REPOSITORIES:
            fail("LimitExceededException", f"A public registry can have at most {MAX_REPOSITORIES} repositories")
        repo = {"name": name, "createdAt": now(), "catalog": catalog, "logo": logo, "tags": merge_tags([], tags),
                "policy": None, "images": {}, "tagCreatedAt": {}}
        if logo:
            S.PUBLIC_LOGOS[hashlib.sha256(logo).hexdigest()] = (logo, sniff_logo(logo))
        reg["repositories"][name] = repo
        return {"repository": repository_out(caller, repo), "catalogData": catalog_out(repo)}


def describe_repositories(caller, req):
    account = registry_for(caller, req)
    names = req.get("repositoryNames")
    with S.LOCK:
        repos = S.public_registry(account)["repositories"]
        if names is not None:
            if not isinstance(names, list) or not 1 <= len(names) <= 100:
                constraint(names, "repositoryNames", "Member must have length between 1 and 100")
            for i, n in enumerate(names, 1):
                check_string(n, f"repositoryNames.{i}", 2, 205, REPOSITORY_NAME, True)
            chosen = []
            for n in names:
                if n not in repos:
                    not_found(account, n)
                chosen.append(repository_out(account, repos[n]))
            paginate(req, chosen, forbid_with="repositoryNames")
            return {"repositories": chosen}
        every = [repository_out(account, r) for r in repos.values()]
    page, token = paginate(req, every)
    out = {"repositories": page}
    if token:
        out["nextToken"] = token
    return out


def delete_repository(caller, req):
    name = repository_name(req)
    account = registry_for(caller, req)
    writable(caller, account)
    force = bool(req.get("force"))
    with S.LOCK:
        repo = repository(account, name)
        if repo["images"] and not force:
            fail("RepositoryNotEmptyException",
                 f"The repository with name '{name}' in registry with id '{account}' cannot be deleted because it "
                 "still contains images")
        del S.public_registry(account)["repositories"][name]
        digests = list(repo["images"])
    delete_from_backend(account, name, digests)
    return {"repository": repository_out(account, repo)}


def _sorted_images(repo):
    return sorted(repo["images"].values(), key=lambda i: i["pushedAt"])


def describe_images(caller, req):
    name = repository_name(req)
    account = registry_for(caller, req)
    ids = req.get("imageIds")
    with S.LOCK:
        repo = repository(account, name)
        if ids is not None:
            if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
                constraint(ids, "imageIds", "Member must have length between 1 and 100")
            chosen, seen = [], set()
            for i, image_id in enumerate(ids, 1):
                image = find_image(account, name, repo, image_id, f"imageIds.{i}")
                if image["digest"] not in seen:
                    seen.add(image["digest"])
                    chosen.append(image_out(account, name, image))
            items = chosen
        else:
            items = [image_out(account, name, i) for i in _sorted_images(repo)]
    page, token = paginate(req, items)
    out = {"imageDetails": page}
    if token:
        out["nextToken"] = token
    return out


def describe_image_tags(caller, req):
    name = repository_name(req)
    account = registry_for(caller, req)
    with S.LOCK:
        repo = repository(account, name)
        items = []
        for image in _sorted_images(repo):
            for tag in image["tags"]:
                detail = {"imageDigest": image["digest"], "imagePushedAt": image["pushedAt"]}
                if image.get("size") is not None:
                    detail["imageSizeInBytes"] = image["size"]
                if image.get("mediaType"):
                    detail["imageManifestMediaType"] = image["mediaType"]
                if image.get("artifactMediaType"):
                    detail["artifactMediaType"] = image["artifactMediaType"]
                items.append({"imageTag": tag, "createdAt": repo["tagCreatedAt"].get(tag, image["pushedAt"]),
                              "imageDetail": detail})
        items.sort(key=lambda t: t["createdAt"])
    page, token = paginate(req, items)
    out = {"imageTagDetails": page}
    if token:
        out["nextToken"] = token
    return out


def batch_delete_image(caller, req):
    name = repository_name(req)
    account = registry_for(caller, req, alias_ok=True)
    writable(caller, account)
    ids = req.get("imageIds")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        constraint(ids, "imageIds", "Member must have length between 1 and 100")
    deleted, failures, gone = [], [], []
    with S.LOCK:
        repo = repository(account, name)
        for image_id in ids:
            image_id = image_id if isinstance(image_id, dict) else {}
            digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
            asked = {k: v for k, v in (("imageDigest", digest), ("imageTag", tag)) if v}

            def failure(code, reason):
                failures.append({"imageId": asked, "failureCode": code, "failureReason": reason})

            if not digest and not tag:
                failure("MissingDigestAndTag", "Invalid request parameters: both tag and digest cannot be null")
                continue
            if digest and not re.fullmatch(DIGEST, digest):
                failure("InvalidImageDigest", f"Invalid request parameters: image digest '{digest}' should satisfy the regex '{DIGEST}'")
                continue
            if tag is not None and not (isinstance(tag, str) and 1 <= len(tag) <= 300):
                failure("InvalidImageTag", "Invalid request parameters: image tag should be 1 to 300 characters")
                continue
            if digest:
                image = repo["images"].get(digest)
                if image is None:
                    failure("ImageNotFound", "Requested image not found")
                    continue
                if tag and tag not in image["tags"]:
                    failure("ImageTagDoesNotMatchDigest", "Invalid request parameters: given tag does not map to the given digest")
                    continue
            else:
                image = next((i for i in repo["images"].values() if tag in i["tags"]), None)
                if image is None:
                    failure("ImageNotFound", "Requested image not found")
                    continue
            if tag and len(image["tags"]) > 1 and not digest:
                # ECR: removing one of several tags keeps the image.
                image["tags"].remove(tag)
                repo["tagCreatedAt"].pop(tag, None)
                deleted.append({"imageDigest": image["digest"], "imageTag": tag})
                continue
            parents = [i for i in repo["images"].values() if i is not image and image["digest"] in _children(i)]
            if parents:
                failure("ImageReferencedByManifestList",
                        f"Requested image referenced by manifest list: {[p['digest'] for p in parents]}")
                continue
            del repo["images"][image["digest"]]
            for t in image["tags"]:
                repo["tagCreatedAt"].pop(t, None)
            gone.append(image["digest"])
            if image["tags"]:
                deleted.extend({"imageDigest": image["digest"], "imageTag": t} for t in image["tags"])
            else:
                deleted.append({"imageDigest": image["digest"]})
    delete_from_backend(account, name, gone)
    return {"imageIds": deleted, "failures": failures}


def _children(image):
    try:
        return {m.get("digest") for m in json.loads(image.get("manifest") or "{}").get("manifests", [])}
    except (ValueError, AttributeError):
        return set()


def get_repository_catalog_data(caller, req):
    name = repository_name(req)
    account = registry_for(caller, req)
    with S.LOCK:
        return {"catalogData": catalog_out(repository(account, name))}


def put_repository_catalog_data(caller, req):
    name = repository_name(req)
    account = registry_for(caller, req)
    writable(caller, account)
    if req.get("catalogData") is None:
        constraint(None, "catalogData", "Member must not be null")
    catalog, logo = catalog_input(req["catalogData"])
    with S.LOCK:
        repo = repository(account, name)
        # A put replaces the catalog data: what the request leaves out is cleared.
        repo["catalog"] = catalog
        repo["logo"] = logo
        if logo:
            S.PUBLIC_LOGOS[hashlib.sha256(logo).hexdigest()] = (logo, sniff_logo(logo))
        return {"catalogData": catalog_out(repo)}


def get_registry_catalog_data(caller, req):
    with S.LOCK:
        reg = S.public_registry(caller)
        data = {} if reg["displayName"] is None else {"displayName": reg["displayName"]}
    return {"registryCatalogData": data}


def put_registry_catalog_data(caller, req):
    name = req.get("displayName")
    check_string(name, "displayName", 0, 100)
    with S.LOCK:
        reg = S.public_registry(caller)
        if name is not None:
            reg["displayName"] = name
        data = {} if reg["displayName"] is None else {"displayName": reg["displayName"]}
    return {"registryCatalogData": data}


def describe_registries(caller, req):
    with S.LOCK:
        reg = S.public_registry(caller)
        item = {"registryId": caller, "registryArn": registry_arn(caller),
                "registryUri": f"{PUBLIC_HOST}/{reg['alias']}", "verified": False,
                "aliases": [{"name": reg["alias"], "status": "ACTIVE", "primaryRegistryAlias": True,
                             "defaultRegistryAlias": True}]}
    page, token = paginate(req, [item])
    out = {"registries": page}
    if token:
        out["nextToken"] = token
    return out


def get_authorization_token(caller, req):
    token = base64.b64encode(f"AWS:{S.public_password_for(caller)}".encode()).decode()
    return {"authorizationData": {"authorizationToken": token, "expiresAt": now() + TOKEN_SECONDS}}


def _policy(caller, req):
    name = repository_name(req)
    account = registry_for(caller, req)
    return name, account


def set_repository_policy(caller, req):
    name, account = _policy(caller, req)
    writable(caller, account)
    text = req.get("policyText")
    check_string(text, "policyText", 0, 10240, required=True)
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or "Statement" not in doc:
            raise ValueError("a policy needs a Statement")
    except ValueError as e:
        invalid(f"Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided' ({e})")
    with S.LOCK:
        repository(account, name)["policy"] = text
    return {"registryId": account, "repositoryName": name, "policyText": text}


def _get_policy(account, name):
    repo = repository(account, name)
    if not repo.get("policy"):
        fail("RepositoryPolicyNotFoundException",
             f"Repository policy does not exist for the repository with name '{name}' in the registry with id '{account}'")
    return repo


def get_repository_policy(caller, req):
    name, account = _policy(caller, req)
    with S.LOCK:
        repo = _get_policy(account, name)
        return {"registryId": account, "repositoryName": name, "policyText": repo["policy"]}


def delete_repository_policy(caller, req):
    name, account = _policy(caller, req)
    writable(caller, account)
    with S.LOCK:
        repo = _get_policy(account, name)
        text, repo["policy"] = repo["policy"], None
    return {"registryId": account, "repositoryName": name, "policyText": text}


def _resource(caller, req):
    arn = req.get("resourceArn")
    check_string(arn, "resourceArn", 1, 2048, required=True)
    m = re.fullmatch(r"arn:aws:ecr-public::([0-9]{12}):repository/(" + REPOSITORY_NAME + ")", arn)
    if not m:
        invalid(f"Invalid parameter at 'resourceArn': '{arn}' is not the ARN of a public repository "
                "(arn:aws:ecr-public::ACCOUNT:repository/NAME)")
    return m.group(1), m.group(2)


def list_tags_for_resource(caller, req):
    account, name = _resource(caller, req)
    with S.LOCK:
        return {"tags": copy.deepcopy(repository(account, name)["tags"])}


def tag_resource(caller, req):
    account, name = _resource(caller, req)
    writable(caller, account)
    if req.get("tags") is None:
        constraint(None, "tags", "Member must not be null")
    tags = tags_input(req["tags"])
    with S.LOCK:
        repo = repository(account, name)
        repo["tags"] = merge_tags(repo["tags"], tags)
    return {}


def untag_resource(caller, req):
    account, name = _resource(caller, req)
    writable(caller, account)
    keys = req.get("tagKeys")
    if not isinstance(keys, list):
        constraint(keys, "tagKeys", "Member must not be null")
    for k in keys:
        if not isinstance(k, str) or not 1 <= len(k) <= 128:
            fail("InvalidTagParameterException", "Each tag key must be 1 to 128 characters")
    with S.LOCK:
        repo = repository(account, name)
        repo["tags"] = [t for t in repo["tags"] if t["Key"] not in keys]
    return {}


OPERATIONS = {
    "CreateRepository": create_repository,
    "DescribeRepositories": describe_repositories,
    "DeleteRepository": delete_repository,
    "DescribeImages": describe_images,
    "DescribeImageTags": describe_image_tags,
    "BatchDeleteImage": batch_delete_image,
    "GetRepositoryCatalogData": get_repository_catalog_data,
    "PutRepositoryCatalogData": put_repository_catalog_data,
    "GetRegistryCatalogData": get_registry_catalog_data,
    "PutRegistryCatalogData": put_registry_catalog_data,
    "DescribeRegistries": describe_registries,
    "GetAuthorizationToken": get_authorization_token,
    "SetRepositoryPolicy": set_repository_policy,
    "GetRepositoryPolicy": get_repository_policy,
    "DeleteRepositoryPolicy": delete_repository_policy,
    "ListTagsForResource": list_tags_for_resource,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
}
# In the model, not served here: pushes go through the registry (the public front).
UNSUPPORTED = {"BatchCheckLayerAvailability", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "PutImage"}


# --- what the public front records -------------------------------------------------------------

def manifest_size(repo, manifest):
    """ECR's imageSizeInBytes: the layers' sizes summed; for an index, its largest child."""
    if "layers" in manifest:
        return sum(int(layer.get("size", 0)) for layer in manifest["layers"])
    sizes = [repo["images"][m["digest"]]["size"] for m in manifest.get("manifests", [])
             if m.get("digest") in repo["images"] and repo["images"][m["digest"]].get("size") is not None]
    return max(sizes) if sizes else None


def record_push(account, name, digest, media_type, manifest_text, tag, timestamp=None):
    """Record a manifest pushed through the public front. A tag that moves leaves its old
    image untagged (ECR Public's tags are mutable). False when the repository is gone."""
    try:
        manifest = json.loads(manifest_text)
    except ValueError:
        manifest = {}
    pushed = timestamp or now()
    with S.LOCK:
        repo = S.public_repository(account, name)
        if repo is None:
            log(f"push to {name} of {account}, which has no public repository; not recorded")
            return False
        image = repo["images"].get(digest)
        if image is None:
            artifact = (manifest.get("config") or {}).get("mediaType") if isinstance(manifest, dict) else None
            image = repo["images"][digest] = {
                "digest": digest, "tags": [], "size": manifest_size(repo, manifest), "pushedAt": pushed,
                "mediaType": media_type or manifest.get("mediaType"), "artifactMediaType": artifact,
                "manifest": manifest_text}
        if tag:
            for other in repo["images"].values():
                if other is not image and tag in other["tags"]:
                    other["tags"].remove(tag)
            if tag not in image["tags"]:
                image["tags"].append(tag)
                repo["tagCreatedAt"][tag] = pushed
            image["pushedAt"] = pushed
    return True


def delete_from_backend(account, name, digests):
    """Remove deleted images from the public backend too (best effort: the API is the truth,
    the front serves only what it lists)."""
    backend = BACKEND.get("registry")
    if backend is None or not digests:
        return
    for digest in digests:
        try:
            backend._call("DELETE", f"/v2/{account}/{name}/manifests/{digest}")
        except OSError as e:
            log(f"could not delete {account}/{name}@{digest} from the public backend: {e!r}")


BACKEND: dict = {}  # {"registry": registry_front.Registry of the public backend}, set by ecr_sandbox.py


# --- WSGI ---------------------------------------------------------------------------------------

def _caller(environ):
    import ecr_api
    account = ecr_api.account_for_authorization(environ.get("HTTP_AUTHORIZATION"))
    if account:
        return account
    return environ.get("HTTP_X_MOTO_ACCOUNT_ID") or S.DEFAULT_ACCOUNT


def is_ecr_public(environ):
    target = environ.get("HTTP_X_AMZ_TARGET") or ""
    if target.startswith(TARGET_PREFIX):
        return True
    auth = environ.get("HTTP_AUTHORIZATION") or ""
    return "/ecr-public/aws4_request" in auth


def handle(environ, start_response):
    request_id = str(uuid.uuid4())
    status, body = 200, {}
    try:
        if environ.get("REQUEST_METHOD") != "POST":
            fail("UnsupportedCommandException", "ECR Public's API takes POST requests of the JSON protocol")
        target = environ.get("HTTP_X_AMZ_TARGET") or ""
        if not target.startswith(TARGET_PREFIX):
            fail("UnknownOperationException", f"X-Amz-Target '{target}' is not an ECR Public operation")
        op = target[len(TARGET_PREFIX):]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            req = json.loads(raw or b"{}")
        except ValueError:
            fail("SerializationException", "The request body is not JSON")
        if not isinstance(req, dict):
            fail("SerializationException", "The request body must be a JSON object")
        if op in UNSUPPORTED:
            fail("UnsupportedCommandException",
                 f"The sandbox does not serve {op}: push images through the public registry "
                 "(BERTH_PUBLIC_REGISTRY_ENDPOINT) instead")
        fn = OPERATIONS.get(op)
        if fn is None:
            fail("UnknownOperationException", f"{op} is not an ECR Public operation")
        body = fn(_caller(environ), req)
    except ApiError as e:
        status, body = e.status, {"__type": e.code, "message": e.message}
    except Exception as e:  # noqa: BLE001 - answer, as the service would, instead of dropping the request
        import traceback
        traceback.print_exc()
        status, body = 500, {"__type": "ServerException", "message": f"The sandbox's ECR Public API failed: {e!r}"}
    data = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 500: "Internal Server Error"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/x-amz-json-1.1"),
                                          ("Content-Length", str(len(data))), ("x-amzn-RequestId", request_id)])
    return [data]


def wsgi(app):
    """moto's WSGI application with ECR Public in front of it."""
    def application(environ, start_response):
        if is_ecr_public(environ):
            return handle(environ, start_response)
        return app(environ, start_response)
    return application
