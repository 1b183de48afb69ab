"""The registry that plays public.ecr.aws (part of the sandbox, not of the app).

A registry front (registry_front.Front, same proxying and streaming) before a backend
`docker-registry` of its own, speaking as ECR Public's registry does:

* paths are `/v2/ALIAS/NAME/...`: ALIAS is a registry's alias (sandbox_state.public_alias:
  `berth-sandbox` for 000000000000, `berth-sandbox-ACCOUNT` otherwise), NAME a repository of
  the ECR Public API (ecr_public.py). The backend keeps it as `ACCOUNT/NAME`; the front adds and
  strips that (paths, Location, Link, error details);
* auth as public.ecr.aws has it: anything without credentials gets 401 with
  `WWW-Authenticate: Bearer realm="http://HOST/token",service="public.ecr.aws"`; `/token`
  hands out bearer tokens: anonymous ones (pull only) to anyone, and, with Basic
  `AWS:PASSWORD` (the password of ecr-public GetAuthorizationToken, as `docker login` sends
  it), the account's (pull anything, push to its own alias). Basic `AWS:PASSWORD` is also
  taken directly on /v2/ requests (simple clients);
* pulls are anonymous (an anonymous token is enough); pushes need the owner's token: no
  token 401, another account's 403 DENIED;
* a push to a repository the ECR Public API does not know fails with NAME_UNKNOWN (ECR Public
  has no create on push); a manifest PUT is recorded in the API at once (DescribeImages,
  DescribeImageTags), a moved tag leaving its old image untagged;
* what is pulled is what the API lists: a tag or digest BatchDeleteImage removed is 404
  MANIFEST_UNKNOWN even while the backend still holds it; manifests cannot be deleted through
  the registry API (405 UNSUPPORTED: use BatchDeleteImage);
* `/logo/HEX` serves the logos of PutRepositoryCatalogData (catalogData.logoUrl points here).
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import time
import urllib.parse

import ecr_public
import sandbox_state as S
from registry_front import BUF, ROUTES, Front, Handler, log

TOKEN_SECONDS = 12 * 3600
SERVICE = "public.ecr.aws"


class PublicFront(Front):
    def __init__(self, listen_port, backend):
        super().__init__("public", listen_port, backend, None)
        self.secret = os.urandom(32)

    def make_token(self, account):
        payload = base64.urlsafe_b64encode(json.dumps(
            {"a": account or "", "e": int(time.time()) + TOKEN_SECONDS}).encode()).decode().rstrip("=")
        sig = hmac.new(self.secret, payload.encode(), hashlib.sha256).hexdigest()[:40]
        return f"{payload}.{sig}"

    def read_token(self, token):
        """(valid, account or None for an anonymous token)."""
        payload, _, sig = (token or "").partition(".")
        want = hmac.new(self.secret, payload.encode(), hashlib.sha256).hexdigest()[:40]
        if not payload or not hmac.compare_digest(sig, want):
            return False, None
        try:
            doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            return False, None
        if doc.get("e", 0) < time.time():
            return False, None
        return True, doc.get("a") or None


class PublicHandler(Handler):
    server_version = "berth-sandbox-ecr-public"

    def client_prefix(self, account):
        return S.public_alias(account) + "/"

    # --- auth ---

    def host(self):
        return self.headers.get("Host") or f"127.0.0.1:{self.front.port}"

    def challenge(self, scope="aws", error=None):
        value = f'Bearer realm="http://{self.host()}/token",service="{SERVICE}",scope="{scope}"'
        if error:
            value += f',error="{error}"'
        return {"WWW-Authenticate": value}

    def basic_account(self, value):
        try:
            user, password = base64.b64decode(value).decode().split(":", 1)
        except (ValueError, UnicodeDecodeError):
            return None
        return S.public_account_for_password(password) if user == "AWS" else None

    def identity(self):
        """("none", None) without credentials, ("anonymous", None), ("account", ACCOUNT), or
        ("bad", why)."""
        value = self.headers.get("Authorization", "")
        if not value:
            return "none", None
        if value.startswith("Basic "):
            account = self.basic_account(value[6:])
            if account is None:
                return "bad", ("The user name and password are not valid for this registry: log in as user AWS with "
                               "the password of ECR Public's GetAuthorizationToken (aws ecr-public get-login-password "
                               "--region us-east-1).")
            return "account", account
        if value.startswith("Bearer "):
            ok, account = self.front.read_token(value[7:].strip())
            if not ok:
                return "bad", "The bearer token is not valid or has expired: get a new one from the token endpoint."
            return ("account", account) if account else ("anonymous", None)
        return "bad", "The Authorization header is neither Basic nor Bearer."

    def token(self, url):
        """The token endpoint (GET with optional Basic auth as docker sends it; POST with an
        OAuth2 password grant as some clients send it)."""
        account = None
        value = self.headers.get("Authorization", "")
        if self.command == "POST":
            body = self.read_body(limit=64 << 10) or b""
            self._body_read = True
            form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
            if form.get("grant_type") == "password":
                value = "Basic " + base64.b64encode(f"{form.get('username', '')}:{form.get('password', '')}".encode()).decode()
        if value.startswith("Basic "):
            account = self.basic_account(value[6:])
            if account is None:
                return self.error(401, "UNAUTHORIZED", "The user name and password are not valid for this registry: "
                                  "use user AWS and the password of aws ecr-public get-login-password.",
                                  self.challenge())
        token = self.front.make_token(account)
        body = json.dumps({"token": token, "access_token": token, "expires_in": TOKEN_SECONDS,
                           "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}).encode()
        return self.reply(200, body, {"Content-Type": "application/json; charset=utf-8"})

    # --- dispatch ---

    def dispatch(self):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path.startswith("/logo/") and self.command in ("GET", "HEAD"):
            return self.logo(path[len("/logo/"):])
        if path.rstrip("/") == "/token" and self.command in ("GET", "POST"):
            return self.token(url)
        if not path.startswith("/v2"):
            return self.error(404, "NOT_FOUND", f"{path} is not a registry API path (they start with /v2/).")
        who, caller = self.identity()
        if who == "bad":
            return self.error(401, "UNAUTHORIZED", caller, self.challenge(error="invalid_token"))
        if path in ("/v2", "/v2/"):
            if who == "none":
                return self.error(401, "UNAUTHORIZED", "authentication required", self.challenge())
            return self.reply(200, b"{}", {"Content-Type": "application/json; charset=utf-8"})
        if path == "/v2/_catalog":
            if who == "none":
                return self.error(401, "UNAUTHORIZED", "authentication required", self.challenge("registry:catalog:*"))
            return self.catalog(url.query)
        for kind, rx in ROUTES:
            m = rx.match(path)
            if m:
                break
        else:
            return self.error(404, "NOT_FOUND", f"{path} is not a registry API path.")
        name, ref = m.group("name"), m.groupdict().get("ref") or ""
        alias, _, repo_name = name.partition("/")
        writing = self.command not in ("GET", "HEAD")
        scope = f"repository:{name}:{'pull,push' if writing else 'pull'}"
        if who == "none":
            return self.error(401, "UNAUTHORIZED", "authentication required", self.challenge(scope))
        account = S.public_account_for_alias(alias) if repo_name else None
        if writing:
            if who != "account":
                return self.error(401, "UNAUTHORIZED",
                                  "authentication required: pushing needs the token of the registry's owner "
                                  "(docker login -u AWS with aws ecr-public get-login-password --region us-east-1)",
                                  self.challenge(scope, "insufficient_scope"))
            if account is not None and account != caller:
                return self.error(403, "DENIED", f"The account {caller} is not allowed to push to the registry with alias "
                                  f"'{alias}' (registry id {account}): only its owner can.")
        if account is None:
            return self.error(404, "NAME_UNKNOWN", f"The repository with name '{name}' does not exist: "
                              f"'{alias}' is not the alias of a public registry (paths are /v2/ALIAS/NAME/...).")
        if S.public_repository(account, repo_name) is None:
            return self.error(404, "NAME_UNKNOWN",
                              f"The repository with name '{repo_name}' does not exist in the registry with id '{account}'")
        rest = path[len("/v2/") + len(name):]
        query = url.query
        if kind == "tags":
            return self.tags(account, alias, repo_name, query)
        if kind == "manifest":
            if self.command == "DELETE":
                return self.error(405, "UNSUPPORTED", "Images cannot be deleted through the registry API: use "
                                  "BatchDeleteImage (aws ecr-public batch-delete-image).")
            if self.command == "PUT":
                return self.put_manifest(account, repo_name, ref, f"/v2/{account}/{repo_name}{rest}")
            digest = self.resolve(account, repo_name, ref)
            if digest is None:
                return self.error(404, "MANIFEST_UNKNOWN", f"Requested image not found: {name}:{ref} "
                                  f"is not in the repository (registry id {account}).")
            rest = f"/manifests/{digest}"
        elif kind == "blob" and self.command == "DELETE":
            return self.error(405, "UNSUPPORTED", "Blobs cannot be deleted through the registry API.")
        if kind == "upload" and self.command == "POST" and query:
            q = urllib.parse.parse_qsl(query, keep_blank_values=True)
            src = dict(q).get("from", "")
            src_alias, _, src_name = src.partition("/")
            src_account = S.public_account_for_alias(src_alias) if src_name else None
            if src_account is None:
                q = [(k, v) for k, v in q if k not in ("mount", "from")]
            else:
                q = [(k, f"{src_account}/{src_name}" if k == "from" else v) for k, v in q]
            query = urllib.parse.urlencode(q)
        backend_path = f"/v2/{account}/{repo_name}{rest}" + (f"?{query}" if query else "")
        self.proxy(backend_path, account)

    # --- what the API knows ---

    def resolve(self, account, name, ref):
        with S.LOCK:
            repo = S.public_repository(account, name)
            if repo is None:
                return None
            if ":" in ref:
                return ref if ref in repo["images"] else None
            for image in repo["images"].values():
                if ref in image["tags"]:
                    return image["digest"]
        return None

    def put_manifest(self, account, name, ref, backend_path):
        body = self.read_body(limit=4 << 20)
        if body is None:
            return self.error(400, "MANIFEST_INVALID", "The manifest is larger than 4 MiB, the most ECR accepts.")
        self._body_read = True
        media_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        try:
            doc = json.loads(body)
        except ValueError:
            return self.error(400, "MANIFEST_INVALID", "The manifest is not JSON.")
        if not media_type or media_type == "application/octet-stream":
            media_type = doc.get("mediaType") or media_type
        conn = http.client.HTTPConnection(self.front.backend.hostport, timeout=60, blocksize=BUF)
        try:
            conn.request("PUT", backend_path, body=body, headers={"Content-Type": media_type or "application/json",
                                                                   "Host": self.front.backend.hostport})
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            log(f"PUT {backend_path}: public backend: {e!r}")
            return self.error(503, "UNAVAILABLE", "The sandbox's public registry storage does not answer "
                              "(is the sandbox up? `scripts/sandbox/sandbox status`).")
        if resp.status == 201:
            digest = resp.getheader("Docker-Content-Digest") or "sha256:" + hashlib.sha256(body).hexdigest()
            ecr_public.record_push(account, name, digest, media_type, body.decode("utf-8", "replace"),
                                   None if ":" in ref else ref)
        try:
            self.relay_response(resp, account, None)
        finally:
            self._backend_conn = None
            conn.close()

    def tags(self, account, alias, name, query):
        q = dict(urllib.parse.parse_qsl(query))
        with S.LOCK:
            repo = S.public_repository(account, name)
            tags = sorted(t for i in repo["images"].values() for t in i["tags"])
        return self.page(f"/v2/{alias}/{name}/tags/list", {"name": f"{alias}/{name}"}, "tags", tags, q)

    def catalog(self, query):
        q = dict(urllib.parse.parse_qsl(query))
        with S.LOCK:
            names = sorted(f"{reg['alias']}/{r}" for reg in S.PUBLIC.values() for r in reg["repositories"])
        return self.page("/v2/_catalog", {}, "repositories", names, q)

    def page(self, path, doc, key, items, q):
        """n / last paging as the distribution specification has it, with a Link to the next page."""
        if q.get("last"):
            items = [i for i in items if i > q["last"]]
        headers = {"Content-Type": "application/json; charset=utf-8"}
        try:
            n = int(q["n"]) if q.get("n") else None
        except ValueError:
            return self.error(400, "PAGINATION_NUMBER_INVALID", "n must be a number")
        if n is not None and len(items) > n:
            items = items[:n]
            headers["Link"] = f'<{path}?{urllib.parse.urlencode({"n": n, "last": items[-1]})}>; rel="next"'
        return self.reply(200, json.dumps({**doc, key: items}).encode(), headers)

    def logo(self, hexdigest):
        with S.LOCK:
            entry = S.PUBLIC_LOGOS.get(hexdigest)
        if entry is None:
            return self.error(404, "NOT_FOUND", "No such logo.")
        data, content_type = entry
        return self.reply(200, data, {"Content-Type": content_type})


PublicFront.handler_class = PublicHandler
