"""Seed the sandbox's upstream registry (the stand-in for Docker Hub, Quay, ...) with small
images built here, FROM scratch, with deterministic files: nothing comes from the internet,
and every run gives the same digests. Part of the sandbox, not of the app.

  library/alpine:3                  an OCI index, linux/amd64 + linux/arm64 (Docker Hub)
  library/busybox:1                 a Docker v2 manifest (Docker Hub)
  quay.io/prometheus/busybox:latest a Docker v2 manifest (Quay; other upstreams sit under their host name)

usage: seed_images.py UPSTREAM_HOSTPORT
  SEED_AUTH=USER:PASSWORD  basic auth (the plain OCI registry asks for it)
  SEED_PREFIX=team/        put every repository under this prefix
"""
import gzip
import hashlib
import io
import base64
import json
import os
import sys
import tarfile
import urllib.request

upstream = sys.argv[1]
AUTH = os.environ.get("SEED_AUTH")
PREFIX = os.environ.get("SEED_PREFIX", "")
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
CREATED = "2024-06-01T00:00:00Z"


def call(method, path, data=None, headers=None):
    url = path if path.startswith("http") else f"http://{upstream}{path}"
    headers = dict(headers or {})
    if AUTH:
        headers["Authorization"] = "Basic " + base64.b64encode(AUTH.encode()).decode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read(), resp.headers


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def put_blob(repo, b):
    repo = PREFIX + repo
    _, h = call("POST", f"/v2/{repo}/blobs/uploads/")
    loc = h["Location"]
    call("PUT", f"{loc}{'&' if '?' in loc else '?'}digest={digest(b)}", b, {"Content-Type": "application/octet-stream"})


def filler(name, size):
    out, b = bytearray(), hashlib.sha256(name.encode()).digest()
    while len(out) < size:
        b = hashlib.sha256(b).digest()
        out += b.hex().encode()  # text: compresses like real files do, a little
    return bytes(out[:size])


def layer(files):
    """A gzip'd tar of {path: bytes}, byte-for-byte the same on every run; returns (blob, diff_id)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path, content in sorted(files.items()):
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(content), 1717200000, 0o755 if path.startswith("bin/") else 0o644
            tar.addfile(info, io.BytesIO(content))
    tar_bytes = raw.getvalue()
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0) as g:
        g.write(tar_bytes)
    return gz.getvalue(), digest(tar_bytes)


def image(repo, name, files, arch, oci, labels=None):
    """Push one platform image (config + one layer) by digest; returns (manifest, media type)."""
    blob, diff_id = layer(files)
    config = {"architecture": arch, "os": "linux", "created": CREATED,
              "config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                         "Labels": {"org.opencontainers.image.title": name, **(labels or {})}},
              "rootfs": {"type": "layers", "diff_ids": [diff_id]},
              "history": [{"created": CREATED, "created_by": f"berth sandbox: {name} for linux/{arch}"}]}
    cb = json.dumps(config, separators=(",", ":"), sort_keys=True).encode()
    put_blob(repo, blob)
    put_blob(repo, cb)
    mt = OCI_MANIFEST if oci else DOCKER_MANIFEST
    manifest = {"schemaVersion": 2, "mediaType": mt,
                "config": {"mediaType": OCI_CONFIG if oci else DOCKER_CONFIG, "size": len(cb), "digest": digest(cb)},
                "layers": [{"mediaType": OCI_LAYER if oci else DOCKER_LAYER, "size": len(blob), "digest": digest(blob)}]}
    return json.dumps(manifest, indent=2).encode(), mt


def put_manifest(repo, ref, body, media_type):
    repo = PREFIX + repo
    call("PUT", f"/v2/{repo}/manifests/{ref}", body, {"Content-Type": media_type})


def rootfs(name, version, arch):
    return {"etc/os-release": f"NAME=\"{name}\"\nVERSION_ID={version}\nID={name.lower()}\n".encode(),
            f"etc/{name.lower()}-release": f"{version}\n".encode(),
            "bin/sh": filler(f"{name}-{version}-{arch}-sh", 48 * 1024),
            "lib/libc.so": filler(f"{name}-{version}-{arch}-libc", 96 * 1024)}


# library/alpine:3, two platforms under an OCI index
entries = []
for arch in ("amd64", "arm64"):
    body, mt = image("library/alpine", "alpine", rootfs("Alpine", "3.20.0", arch), arch, oci=True)
    put_manifest("library/alpine", digest(body), body, mt)
    entries.append({"mediaType": mt, "size": len(body), "digest": digest(body),
                    "platform": {"architecture": arch, "os": "linux"}})
index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}, indent=2).encode()
for tag in ("3", "3.20", "latest"):
    put_manifest("library/alpine", tag, index, OCI_INDEX)

body, mt = image("library/busybox", "busybox", rootfs("BusyBox", "1.36.1", "amd64"), "amd64", oci=False)
for tag in ("1", "1.36", "latest"):
    put_manifest("library/busybox", tag, body, mt)

body, mt = image("quay.io/prometheus/busybox", "busybox", rootfs("BusyBox", "1.36.0", "amd64"), "amd64", oci=False,
                 labels={"maintainer": "The Prometheus Authors"})
put_manifest("quay.io/prometheus/busybox", "latest", body, mt)
print(f"seeded {upstream} under {PREFIX or '/'}: library/alpine:3 (index), library/busybox:1, quay.io/prometheus/busybox:latest", file=sys.stderr)
