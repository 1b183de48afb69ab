"""A region's registry endpoint, as ECR has it (part of the sandbox, not of the app).

One front per region listens on loopback and proxies the Docker Registry HTTP API v2 to that
region's backend `docker-registry` (CNCF distribution), adding what ECR's registry does and
distribution does not:

* auth: Basic `AWS:PASSWORD`, the password from the region's GetAuthorizationToken; the
  password names the account (`sandbox_state.account_for_password`). Each account has its own
  registry: the backend holds repository `REPO` of account `A` as `A/REPO`; the front adds and
  strips that prefix (paths, Location, Link, tag lists, catalog, error details);
* repositories exist only when the ECR API knows them: a push to an unknown repository is
  refused with NAME_UNKNOWN, unless a CREATE_ON_PUSH creation template covers it (then the
  repository is created from the template first);
* IMMUTABLE repositories refuse a manifest PUT that would move an existing tag (TAG_INVALID);
* archived (ARCHIVED / ACTIVATING) images cannot be pulled: 404, as ECR documents;
* pull-through cache: a pull under a rule's prefix is filled from the sandbox's upstream
  registry (which stands in for Docker Hub, Quay, ...) on first use, recorded in the ECR API
  as a push is, then served from the backend without asking the upstream again.

Bodies are streamed in both directions (pushes of large layers pass through), chunked
request bodies are relayed as they come, one backend connection per client connection.
"""

import base64
import hashlib
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sandbox_state as state
from moto.ecr import models as ecr_models

MANIFEST_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
]
ACCEPT_MANIFESTS = ", ".join(MANIFEST_TYPES)
# The sandbox's own copies (pull-through fill, replication) push with this User-Agent: the hook
# leaves their notifications alone, since the copier records them itself.
COPY_AGENT = "berth-sandbox-copy/1"
BUF = 256 * 1024
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "host", "authorization", "content-length"}
DIGEST = r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+"
ROUTES = [
    ("upload", re.compile(r"^/v2/(?P<name>.+)/blobs/uploads/(?P<ref>[^/]*)$")),
    ("blob", re.compile(r"^/v2/(?P<name>.+)/blobs/(?P<ref>" + DIGEST + ")$")),
    ("manifest", re.compile(r"^/v2/(?P<name>.+)/manifests/(?P<ref>[^/]+)$")),
    ("tags", re.compile(r"^/v2/(?P<name>.+)/tags/list$")),
]


def log(msg):
    print(f"sandbox front: {msg}", file=sys.stderr, flush=True)


# --- what the ECR API side offers (sandbox_state); fallbacks keep the front usable alone ---

def account_for_password(password):
    f = getattr(state, "account_for_password", None)
    if f is not None:
        return f(password)
    m = re.fullmatch(r"(\d{12})-auth-token", password)  # moto's GetAuthorizationToken password
    return m.group(1) if m else None


def ecr_backend(account, region):
    return ecr_models.ecr_backends[account][region]


def ecr_repository(account, region, name):
    with state.LOCK:
        return ecr_backend(account, region).repositories.get(name)


def create_repository(account, region, name, applied_for):
    """Create `name` as ECR would for `applied_for` (CREATE_ON_PUSH, PULL_THROUGH_CACHE,
    REPLICATION): from the matching creation template, else with ECR's defaults."""
    with state.LOCK:
        if ecr_repository(account, region, name) is not None:
            return
        f = getattr(state, "create_repository_from_template", None)
        if f is not None:
            try:
                f(account, region, name, applied_for)
            except Exception as e:  # noqa: BLE001 - fall back to defaults below, but say so
                log(f"create_repository_from_template({account}, {region}, {name}, {applied_for}) failed: {e!r}")
            if ecr_repository(account, region, name) is not None:
                return
        template = state.template_for(account, region, name, applied_for) or {}
        tags = [{"Key": t["Key"], "Value": t["Value"]} for t in template.get("resourceTags", [])]
        ecr_backend(account, region).create_repository(
            name, account, template.get("encryptionConfiguration") or {"encryptionType": "AES256"},
            {"scanOnPush": False}, template.get("imageTagMutability") or "MUTABLE", tags,
            template.get("imageTagMutabilityExclusionFilters"))
        log(f"created repository {name} in {account}/{region} for {applied_for}")


def digest_for_tag(account, region, name, tag):
    with state.LOCK:
        repo = ecr_repository(account, region, name)
        for image in (repo.images if repo else []):
            if tag in (image.image_tags or []):
                return image.get_image_digest()
    return None


def tag_is_immutable(repo, tag):
    mutability = repo.image_tag_mutability or "MUTABLE"
    filters = [f.get("filter", "") for f in (getattr(repo, "image_tag_mutability_exclusion_filters", None) or [])]
    excluded = any(re.fullmatch(re.escape(f).replace(r"\*", ".*"), tag) for f in filters)
    if mutability == "IMMUTABLE":
        return True
    if mutability == "IMMUTABLE_WITH_EXCLUSION":
        return not excluded
    if mutability == "MUTABLE_WITH_EXCLUSION":
        return excluded
    return False


def secret_exists(arn):
    """Can ECR read this Secrets Manager secret (exists, not scheduled for deletion)?"""
    from moto.secretsmanager.models import secretsmanager_backends
    parts = arn.split(":")
    if len(parts) < 7:
        return False
    try:
        with state.LOCK:
            secretsmanager_backends[parts[4]][parts[3]].get_secret_value(secret_id=arn, version_id=None, version_stage=None)
        return True
    except Exception:  # noqa: BLE001 - SecretNotFoundException, InvalidRequestException (deleted), ...
        return False


def upstream_repository(upstream_url, path):
    """Where the sandbox's upstream registry keeps `path` of `upstream_url`: Docker Hub's
    repositories at its root (library/alpine, ...), any other registry's under its host name
    (quay.io/prometheus/busybox, ghcr.io/...)."""
    host = re.sub(r"^[a-z]+://", "", upstream_url).rstrip("/")
    if host in ("registry-1.docker.io", "docker.io", "index.docker.io"):
        return path
    return f"{host}/{path}"


# --- a small registry client, for the sandbox's own copies ---

class NotFound(Exception):
    pass


class Registry:
    """Plain-HTTP client of a distribution registry without auth (the backends, the upstream)."""

    def __init__(self, hostport):
        self.hostport = hostport

    def _call(self, method, path, body=None, headers=None, stream=False):
        conn = http.client.HTTPConnection(self.hostport, timeout=60, blocksize=BUF)
        conn.request(method, path, body=body, headers={"User-Agent": COPY_AGENT, **(headers or {})})
        resp = conn.getresponse()
        if stream:
            return conn, resp
        data = resp.read()
        conn.close()
        return resp, data

    def get_manifest(self, name, ref):
        resp, data = self._call("GET", f"/v2/{name}/manifests/{ref}", headers={"Accept": ACCEPT_MANIFESTS})
        if resp.status == 404:
            raise NotFound(f"{name}:{ref}")
        if resp.status != 200:
            raise OSError(f"GET {self.hostport}/v2/{name}/manifests/{ref}: HTTP {resp.status} {data[:200]!r}")
        media_type = resp.getheader("Content-Type", "").split(";")[0] or json.loads(data).get("mediaType")
        return data, media_type, "sha256:" + hashlib.sha256(data).hexdigest()

    def has_manifest(self, name, ref):
        resp, _ = self._call("HEAD", f"/v2/{name}/manifests/{ref}", headers={"Accept": ACCEPT_MANIFESTS})
        return resp.status == 200

    def has_blob(self, name, digest):
        resp, _ = self._call("HEAD", f"/v2/{name}/blobs/{digest}")
        return resp.status == 200

    def copy_blob_to(self, name, digest, dst, dst_name):
        conn, resp = self._call("GET", f"/v2/{name}/blobs/{digest}", stream=True)
        try:
            if resp.status != 200:
                raise OSError(f"GET {self.hostport}/v2/{name}/blobs/{digest}: HTTP {resp.status}")
            length = resp.getheader("Content-Length")
            up, data = dst._call("POST", f"/v2/{dst_name}/blobs/uploads/", headers={"Content-Length": "0"})
            if up.status != 202:
                raise OSError(f"POST {dst.hostport}/v2/{dst_name}/blobs/uploads/: HTTP {up.status} {data[:200]!r}")
            loc = urllib.parse.urlsplit(up.getheader("Location"))
            query = (loc.query + "&" if loc.query else "") + "digest=" + urllib.parse.quote(digest)
            headers = {"Content-Type": "application/octet-stream"}
            if length is not None:
                headers["Content-Length"] = length
            put, data = dst._call("PUT", f"{loc.path}?{query}", body=resp, headers=headers)
            if put.status != 201:
                raise OSError(f"PUT blob {digest} to {dst.hostport}/{dst_name}: HTTP {put.status} {data[:200]!r}")
        finally:
            conn.close()

    def put_manifest(self, name, ref, body, media_type):
        resp, data = self._call("PUT", f"/v2/{name}/manifests/{ref}", body=body, headers={"Content-Type": media_type})
        if resp.status != 201:
            raise OSError(f"PUT {self.hostport}/v2/{name}/manifests/{ref}: HTTP {resp.status} {data[:300]!r}")


def copy_image(src, src_name, ref, dst, dst_name, on_found=None):
    """Copy the image `src_name:ref` (a manifest, or an index with its children) and its blobs
    to `dst_name` of `dst`. Calls on_found() once the source manifest is known to exist.
    Returns [(digest, media_type, manifest_text, tag_or_None)], children first."""
    body, media_type, digest = src.get_manifest(src_name, ref)
    if on_found is not None:
        on_found()
    out = []

    def one(body, media_type, digest, tag):
        m = json.loads(body)
        if "manifests" in m:
            for child in m["manifests"]:
                try:
                    cb, cmt, cd = src.get_manifest(src_name, child["digest"])
                except NotFound:
                    continue  # an index may name platforms its registry does not hold
                one(cb, cmt, cd, None)
        else:
            blobs = [m["config"]["digest"]] if "config" in m else []
            blobs += [layer["digest"] for layer in m.get("layers", []) if not layer.get("urls")]
            for b in blobs:
                if not dst.has_blob(dst_name, b):
                    src.copy_blob_to(src_name, b, dst, dst_name)
        dst.put_manifest(dst_name, tag or digest, body, media_type)
        out.append((digest, media_type, body.decode(), tag))

    one(body, media_type, digest, None if ref.startswith("sha256:") else ref)
    return out


# --- the front ---

class Front:
    def __init__(self, region, listen_port, backend, record):
        self.region = region
        self.port = int(listen_port)
        self.backend = Registry(backend)
        self.record = record  # record(account, region, repo, digest, media_type, text, tag, timestamp, replicate)
        self.fills = {}
        self.fills_lock = threading.Lock()
        self.upstream_fetches = 0

    def fill_lock(self, key):
        with self.fills_lock:
            return self.fills.setdefault(key, threading.Lock())

    def pull_through(self, account, name, ref, rule):
        """Make `name:ref` present in the backend from the rule's upstream. None when it is (or
        now is); else (status, code, message)."""
        dst_name = f"{account}/{name}"
        with self.fill_lock((account, name, ref)):
            if self.backend.has_manifest(dst_name, ref):
                return None
            prefix = rule["ecrRepositoryPrefix"]
            url = rule.get("upstreamRegistryUrl", "")
            path = name[len(prefix.rstrip("/")) + 1:]
            upstream_prefix = rule.get("upstreamRepositoryPrefix") or "ROOT"
            if upstream_prefix != "ROOT":
                path = f"{upstream_prefix.strip('/')}/{path}"
            cred = rule.get("credentialArn")
            if cred and not secret_exists(cred):
                return (400, "DENIED",
                        f"The pull through cache rule for prefix '{prefix}' uses the Secrets Manager secret '{cred}', "
                        "which cannot be read (it does not exist or is scheduled for deletion): create the secret "
                        "(its name must start with 'ecr-pullthroughcache/') or update the rule's credentialArn "
                        "(UpdatePullThroughCacheRule), then pull again.")
            if not state.UPSTREAM:
                return (503, "UNAVAILABLE", "The sandbox has no upstream registry running.")
            upstream = Registry(state.UPSTREAM)
            src_name = upstream_repository(url, path)
            try:
                copied = copy_image(upstream, src_name, ref, self.backend, dst_name,
                                    on_found=lambda: create_repository(account, self.region, name, "PULL_THROUGH_CACHE"))
            except NotFound:
                return (404, "MANIFEST_UNKNOWN",
                        f"The upstream registry {url} has no image {path}:{ref} (pull through cache rule '{prefix}'). "
                        "Check the name; Docker Hub's official images need 'library/' (e.g. "
                        f"{prefix}/library/alpine:3).")
            except (OSError, http.client.HTTPException) as e:
                log(f"pull through {name}:{ref} from {url}: {e!r}")
                return (502, "UNAVAILABLE", f"The upstream registry {url} could not be reached for {path}:{ref}: "
                        f"{e}. Try again later.")
            self.upstream_fetches += 1
            for digest, media_type, text, tag in copied:
                self.record(account, self.region, name, digest, media_type, text, tag, None, False)
            log(f"pull through cache: {account}/{self.region} {name}:{ref} filled from {url}/{path}")
            return None

    def serve(self):
        front = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 64

        class H(getattr(self, "handler_class", None) or Handler):
            pass

        H.front = front
        self.httpd = Server(("127.0.0.1", self.port), H)
        t = threading.Thread(target=self.httpd.serve_forever, name=f"front-{self.region}", daemon=True)
        t.start()
        return t


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    front: Front = None
    server_version = "berth-sandbox-ecr"
    sys_version = ""

    def log_message(self, *args):
        pass

    # every method goes through one dispatcher
    def do_GET(self):
        try:
            self.dispatch()
        except (ConnectionError, TimeoutError) as e:
            log(f"{self.command} {self.path}: connection lost: {e!r}")
            self.close_connection = True
        except Exception as e:  # noqa: BLE001 - a bug here must answer, not drop the connection
            import traceback
            traceback.print_exc()
            self.close_connection = True
            try:
                self.error(500, "UNKNOWN", f"The sandbox's registry front failed on {self.command} {self.path}: {e!r}; "
                           "see the sandbox log (moto.log in the run directory).")
            except OSError:
                pass

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def finish(self):
        conn = getattr(self, "_backend_conn", None)
        if conn is not None:
            conn.close()
        super().finish()

    # --- replies ---

    def has_body(self):
        return self.headers.get("Transfer-Encoding", "").lower() == "chunked" or int(self.headers.get("Content-Length") or 0) > 0

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        self.send_header("Content-Length", str(len(body)))
        if self.has_body() and not getattr(self, "_body_read", False):
            self.send_header("Connection", "close")  # the unread body would be read as the next request
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, message, headers=None):
        body = json.dumps({"errors": [{"code": code, "message": message, "detail": None}]}).encode()
        self.reply(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})

    def name_unknown(self, account, name):
        self.error(404, "NAME_UNKNOWN", f"The repository with name '{name}' does not exist in the registry with id '{account}'")

    # --- auth ---

    def account(self):
        value = self.headers.get("Authorization", "")
        if not value.startswith("Basic "):
            return None, "Not Authorized: log in with user AWS and the password from GetAuthorizationToken (aws ecr get-login-password | docker login -u AWS --password-stdin HOST)."
        try:
            user, password = base64.b64decode(value[6:]).decode().split(":", 1)
        except (ValueError, UnicodeDecodeError):
            return None, "The Authorization header is not valid Basic credentials."
        account = account_for_password(password) if user == "AWS" else None
        if account is None:
            return None, "Your authorization token is not valid for this registry: get a new one with GetAuthorizationToken (aws ecr get-login-password) and log in again as user AWS."
        return account, None

    # --- dispatch ---

    def dispatch(self):
        front = self.front
        region = front.region
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if not path.startswith("/v2"):
            return self.error(404, "NOT_FOUND", f"{path} is not a registry API path (they start with /v2/).")
        account, why = self.account()
        if account is None:
            host = self.headers.get("Host", f"127.0.0.1:{front.port}")
            return self.error(401, "UNAUTHORIZED", why,
                              {"WWW-Authenticate": f'Basic realm="http://{host}/",service="ecr.amazonaws.com"'})
        if path in ("/v2", "/v2/"):
            return self.reply(200, b"{}", {"Content-Type": "application/json; charset=utf-8"})
        if path == "/v2/_catalog":
            return self.proxy("/v2/_catalog?n=1000", account, rewrite_json="catalog")
        for kind, rx in ROUTES:
            m = rx.match(path)
            if m:
                break
        else:
            return self.error(404, "NOT_FOUND", f"{path} is not a registry API path.")
        name, ref = m.group("name"), m.groupdict().get("ref") or ""
        pulling = self.command in ("GET", "HEAD") and kind in ("manifest", "blob")

        if kind == "manifest" and pulling:
            rule = state.pull_through_rule_for(account, region, name)
            if rule:
                failed = front.pull_through(account, name, ref, rule)
                if failed:
                    return self.error(*failed)
        repo = ecr_repository(account, region, name)
        if repo is None:
            pushing = kind == "upload" or (kind == "manifest" and self.command == "PUT") or (kind == "blob" and self.command == "HEAD")
            if pushing and state.template_for(account, region, name, "CREATE_ON_PUSH"):
                create_repository(account, region, name, "CREATE_ON_PUSH")
                repo = ecr_repository(account, region, name)
            if repo is None:
                return self.name_unknown(account, name)

        body = None
        if kind == "manifest" and pulling:
            digest = ref if ":" in ref else digest_for_tag(account, region, name, ref)
            status = state.image_status(account, region, name, digest) if digest else "ACTIVE"
            if status in ("ARCHIVED", "ACTIVATING"):
                what = "is archived" if status == "ARCHIVED" else "is being restored from the archive (ACTIVATING)"
                todo = ("restore it with UpdateImageStorageClass (targetStorageClass STANDARD) and pull once it is ACTIVE"
                        if status == "ARCHIVED" else "pull again once DescribeImages shows it ACTIVE")
                return self.error(404, "MANIFEST_UNKNOWN",
                                  f"The image {name}@{digest} in the registry with id '{account}' {what} and cannot be pulled: {todo}.")
        if kind == "manifest" and self.command == "PUT":
            body = self.read_body(limit=4 << 20)
            if body is None:
                return self.error(400, "MANIFEST_INVALID", "The manifest is larger than 4 MiB, the most ECR accepts.")
            self._body_read = True
            if ":" not in ref:
                digest = "sha256:" + hashlib.sha256(body).hexdigest()
                current = digest_for_tag(account, region, name, ref)
                if current and current != digest and tag_is_immutable(repo, ref):
                    return self.error(400, "TAG_INVALID",
                                      f"The image tag '{ref}' already exists in the '{name}' repository and cannot be "
                                      "overwritten because the repository is immutable.")
        query = url.query
        if kind == "upload" and self.command == "POST" and query:
            q = urllib.parse.parse_qsl(query, keep_blank_values=True)
            # ECR mounts blobs across repositories only with the account setting BLOB_MOUNTING
            # ENABLED; otherwise it answers a mount request with a fresh upload, as this does.
            setting = getattr(state, "account_setting", None)
            if (setting(account, region, "BLOB_MOUNTING") if setting else "ENABLED") != "ENABLED":
                q = [(k, v) for k, v in q if k not in ("mount", "from")]
            q = [(k, f"{account}/{v}" if k == "from" else v) for k, v in q]
            query = urllib.parse.urlencode(q)
        backend_path = f"/v2/{account}/{name}{path[len('/v2/') + len(name):]}" + (f"?{query}" if query else "")
        self.proxy(backend_path, account, body=body, rewrite_json="tags" if kind == "tags" else None)

    def read_body(self, limit):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts, total = [], 0
            while True:
                size = int(self.rfile.readline(65537).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > limit:
                    return None
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(parts)
        n = int(self.headers.get("Content-Length") or 0)
        return None if n > limit else self.rfile.read(n)

    # --- proxying ---

    def backend_conn(self, fresh=False):
        conn = getattr(self, "_backend_conn", None)
        if conn is None or fresh:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection(self.front.backend.hostport, timeout=300, blocksize=BUF)
            self._backend_conn = conn
        return conn

    def send_request(self, conn, backend_path, body):
        conn.putrequest(self.command, backend_path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", self.front.backend.hostport)
        for k, v in self.headers.items():
            if k.lower() not in HOP_BY_HOP:
                conn.putheader(k, v)
        chunked = body is None and self.headers.get("Transfer-Encoding", "").lower() == "chunked"
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        elif chunked:
            conn.putheader("Transfer-Encoding", "chunked")
        elif self.headers.get("Content-Length") is not None:
            conn.putheader("Content-Length", self.headers["Content-Length"])
        conn.endheaders()
        if body is not None:
            conn.send(body)
        elif chunked:
            self._body_read = True
            self.relay_chunked(conn.sock)
        elif int(self.headers.get("Content-Length") or 0) > 0:
            self._body_read = True
            self.relay_exact(conn.sock, int(self.headers["Content-Length"]))

    def relay_exact(self, sock, n):
        buf = memoryview(bytearray(BUF))
        while n > 0:
            got = self.rfile.readinto(buf[:min(n, BUF)])
            if not got:
                raise ConnectionError("the client closed the connection in the middle of the body")
            sock.sendall(buf[:got])
            n -= got

    def relay_chunked(self, sock):
        rfile = self.rfile
        while True:
            line = rfile.readline(65537)
            if not line:
                raise ConnectionError("the client closed the connection in the middle of a chunked body")
            sock.sendall(line)
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while True:
                    trailer = rfile.readline(65537)
                    sock.sendall(trailer)
                    if trailer in (b"\r\n", b"\n", b""):
                        return
            self.relay_exact(sock, size + 2)  # the chunk and its CRLF

    def proxy(self, backend_path, account, body=None, rewrite_json=None):
        bodyless = body is not None or not self.has_body()
        try:
            conn = self.backend_conn()
            try:
                self.send_request(conn, backend_path, body)
                resp = conn.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, http.client.CannotSendRequest):
                if not bodyless:
                    raise
                conn = self.backend_conn(fresh=True)  # the kept connection had gone stale: once more
                self.send_request(conn, backend_path, body)
                resp = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            log(f"{self.command} {backend_path}: backend {self.front.backend.hostport}: {e!r}")
            self._backend_conn = None
            self.close_connection = True
            return self.error(503, "UNAVAILABLE", f"The sandbox's {self.front.region} registry storage does not answer "
                              "(is the sandbox up? `scripts/sandbox/sandbox status`).")
        self.relay_response(resp, account, rewrite_json)

    def client_prefix(self, account):
        """What stands before a repository's name in the client's paths where the backend has
        `ACCOUNT/`: nothing here (each account has its own registry at the same host); the
        public front (public_front.py) has `ALIAS/`."""
        return ""

    def rewrite_location(self, value, account):
        u = urllib.parse.urlsplit(value)
        p = u.path
        prefix = f"/v2/{account}/"
        if p.startswith(prefix):
            p = "/v2/" + self.client_prefix(account) + p[len(prefix):]
        host = self.headers.get("Host") or f"127.0.0.1:{self.front.port}"
        return urllib.parse.urlunsplit(("http", host, p, u.query, u.fragment)) if u.netloc or value.startswith("/") else value

    def relay_response(self, resp, account, rewrite_json):
        cp = self.client_prefix(account)
        headers = []
        for k, v in resp.getheaders():
            kl = k.lower()
            if kl in HOP_BY_HOP or kl == "docker-distribution-api-version":
                continue
            if kl == "location":
                v = self.rewrite_location(v, account)
            elif kl == "link":
                v = re.sub(r"<([^>]*)>", lambda m: "<" + m.group(1).replace(f"/v2/{account}/", f"/v2/{cp}") + ">", v)
                v = v.replace(f"last={urllib.parse.quote(account + '/')}", f"last={urllib.parse.quote(cp)}") \
                    .replace(f"last={account}/", f"last={cp}")
            headers.append((k, v))
        length = resp.getheader("Content-Length")
        # An empty body (201/202 of an upload, a mount) is read here too: http.client marks a
        # response done only once it was read, and the kept connection's next request fails
        # until then.
        small = rewrite_json or resp.status >= 400 or length in (None, "0") or self.command == "HEAD"
        if small:
            data = resp.read()  # b"" for HEAD; reading also frees the kept connection
            if rewrite_json and resp.status == 200:
                data = self.rewrite_body(data, account, rewrite_json)
            elif resp.status >= 400:
                data = data.replace(f'"{account}/'.encode(), f'"{cp}'.encode()).replace(f"{account}/".encode(), cp.encode())
            self.send_response(resp.status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Docker-Distribution-API-Version", "registry/2.0")
            if self.command == "HEAD":
                if length is not None:
                    self.send_header("Content-Length", length)
            else:
                self.send_header("Content-Length", str(len(data)))
            if resp.will_close:
                self._backend_conn = None
            self.end_headers()
            if data:
                self.wfile.write(data)
            return
        self.send_response(resp.status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        self.send_header("Content-Length", length)
        self.end_headers()
        n = int(length)
        buf = memoryview(bytearray(BUF))
        while n > 0:
            got = resp.readinto(buf[:min(n, BUF)])
            if not got:
                self.close_connection = True
                break
            self.wfile.write(buf[:got])
            n -= got
        if resp.will_close:
            self._backend_conn = None

    def rewrite_body(self, data, account, kind):
        try:
            doc = json.loads(data)
        except ValueError:
            return data
        prefix = f"{account}/"
        cp = self.client_prefix(account)
        if kind == "tags" and isinstance(doc.get("name"), str) and doc["name"].startswith(prefix):
            doc["name"] = cp + doc["name"][len(prefix):]
        if kind == "catalog":
            doc["repositories"] = [cp + r[len(prefix):] for r in doc.get("repositories") or [] if r.startswith(prefix)]
        return json.dumps(doc).encode()


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
