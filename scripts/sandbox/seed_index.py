"""Seed a multi-platform index into the sandbox registry, as `docker buildx --platform
linux/amd64,linux/arm64` would push one: two platform manifests (sharing the layers of an
existing image, each with its own configuration) pushed by digest, then the index under a tag.
The registry's notifications record all three in ECR (the platform manifests untagged).

usage: seed_index.py REGISTRY PASSWORD REPOSITORY SOURCE_TAG TAG
"""
import base64
import hashlib
import json
import sys
import urllib.request

registry, password, repo, source_tag, tag = sys.argv[1:6]
AUTH = "Basic " + base64.b64encode(f"AWS:{password}".encode()).decode()
DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"
LIST_V2 = "application/vnd.docker.distribution.manifest.list.v2+json"


def call(method, url, data=None, headers=None):
    if not url.startswith("http"):
        url = f"http://{registry}{url}"
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": AUTH, **(headers or {})})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read(), resp.headers


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def put_blob(b):
    _, h = call("POST", f"/v2/{repo}/blobs/uploads/")
    location = h["Location"]
    sep = "&" if "?" in location else "?"
    call("PUT", f"{location}{sep}digest={digest(b)}", b, {"Content-Type": "application/octet-stream"})


def put_manifest(reference, body, media_type):
    call("PUT", f"/v2/{repo}/manifests/{reference}", body, {"Content-Type": media_type})


source = json.loads(call("GET", f"/v2/{repo}/manifests/{source_tag}", headers={"Accept": DOCKER_V2})[0])
config = json.loads(call("GET", f"/v2/{repo}/blobs/{source['config']['digest']}")[0])
entries = []
for arch in ("amd64", "arm64"):
    c = dict(config, architecture=arch)
    c["config"] = dict(config.get("config") or {})
    c["config"]["Labels"] = dict(c["config"].get("Labels") or {}, **{"org.opencontainers.image.description": f"web for {arch}"})
    cb = json.dumps(c, separators=(",", ":")).encode()
    put_blob(cb)
    m = dict(source, config={"mediaType": source["config"]["mediaType"], "size": len(cb), "digest": digest(cb)})
    mb = json.dumps(m, indent=3).encode()
    put_manifest(digest(mb), mb, DOCKER_V2)
    entries.append({"mediaType": DOCKER_V2, "size": len(mb), "digest": digest(mb),
                    "platform": {"architecture": arch, "os": "linux"}})
index = json.dumps({"schemaVersion": 2, "mediaType": LIST_V2, "manifests": entries}, indent=3).encode()
put_manifest(tag, index, LIST_V2)
print(f"seeded index {repo}:{tag} ({digest(index)}) with linux/amd64 and linux/arm64", file=sys.stderr)
