"""The sandbox's ECR side: moto's server plus a registry-notification receiver.

This file is part of the local sandbox, not of the app. It makes the pair
(moto_server, CNCF distribution registry) behave like ECR, where the API and the
registry are two faces of one store:

* moto serves the ECR, STS, KMS and ECS APIs on 127.0.0.1:MOTO_PORT;
* the registry POSTs a notification for every push to 127.0.0.1:HOOK_PORT; for each
  pushed manifest this receiver fetches the manifest from the registry and calls
  moto's PutImage with the registry's digest and tag, so DescribeImages/ListImages
  show what was pushed;
* moto reports the config blob's size as the image size; ECR reports the sum of the
  layers (compressed) sizes. The sandbox patches moto's Image size to match ECR,
  and sets imagePushedAt to the registry's event time;
* the AWS SDKs leave out `scanOnPush` when it is false (the default): ECR reads the empty
  configuration as "scan on push off", moto ignored it. The sandbox reads it as ECR does;
* moto checks repository names against a stricter pattern than ECR's and refuses names ECR
  accepts (`a--b`, `a__b`); the sandbox checks ECR's pattern, with ECR's error.

Usage: ecr_sandbox.py MOTO_PORT HOOK_PORT REGISTRY_HOSTPORT HTPASSWD_FILE REGION
It writes the htpasswd file (user AWS, password = moto's GetAuthorizationToken) before
it starts accepting notifications, then prints "ready" on stdout.
"""

import base64
import os
import hashlib
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
from moto.ecr import models as ecr_models
from moto.server import ThreadedMotoServer

MANIFEST_TYPES = {
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
}


def ecr_size(self):
    """ECR's imageSizeInBytes: the sum of the layers' sizes (the largest child for an index)."""
    manifest = json.loads(self.image_manifest)
    if "layers" in manifest:
        return sum(int(layer.get("size", 0)) for layer in manifest["layers"])
    sizes = getattr(self, "_berth_child_sizes", None)
    return max(sizes) if sizes else None


ecr_models.Image.get_image_size_in_bytes = ecr_size


def ecr_scanning_update(self, image_scanning_configuration):
    """ECR: an empty imageScanningConfiguration means scanOnPush false."""
    if image_scanning_configuration is not None:
        self.image_scanning_configuration = {"scanOnPush": bool(image_scanning_configuration.get("scanOnPush", False))}


ecr_models.Repository._update_image_scanning_configuration = ecr_scanning_update

# ECR's repository-name pattern (CreateRepository's repositoryName in the AWS SDK models): between
# two runs of [a-z0-9], one '.', one '_', two '_' or any number of '-'. moto's own pattern allows a
# single [._-] only. moto reads the constant when it checks (and words its InvalidParameterException
# with it), so replacing it is enough.
ECR_REPOSITORY_NAME_PATTERN = r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*"
ecr_models.ECR_REPOSITORY_NAME_PATTERN = ECR_REPOSITORY_NAME_PATTERN

# Scan findings that follow the image's content, as a real scanner's do: each layer brings the
# vulnerabilities of the packages it holds (picked from a small catalog by the layer's digest), so
# two images sharing layers share findings, and a changed layer changes them. moto alone returns
# the same single finding for every image.
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


def content_findings(manifest_text):
    layers = json.loads(manifest_text).get("layers", [])
    found = {}
    for layer in layers:
        h = hashlib.sha256(layer.get("digest", "").encode()).digest()
        for b in h[:3]:
            if b % 2 == 0:
                name, severity, package, version, fixed = CATALOG[b % len(CATALOG)]
                attrs = [{"key": "package_name", "value": package}, {"key": "package_version", "value": version}]
                found[name] = {"name": name, "severity": severity, "attributes": attrs,
                               "uri": f"https://nvd.nist.gov/vuln/detail/{name}",
                               "description": f"{package} {version}" + (f", fixed in {fixed}" if fixed else "")}
    counts = {}
    for f in found.values():
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    return list(found.values()), counts


_start_image_scan = ecr_models.ECRBackend.start_image_scan
_describe_findings = ecr_models.ECRBackend.describe_image_scan_findings


def ecr_start_image_scan(self, registry_id, repository_name, image_id):
    """ECR lists a scanned image's status and finding counts in DescribeImages; moto does not.
    moto's scan completes at once: record it as complete, with the counts of its findings."""
    out = _start_image_scan(self, registry_id, repository_name, image_id)
    repo = self._get_repository(repository_name, registry_id)
    image = repo._get_image(image_id.get("imageTag"), image_id.get("imageDigest"))
    _, counts = content_findings(image.image_manifest)
    image.image_scan_status = {"status": "COMPLETE", "description": "The scan was completed successfully."}
    image.image_scan_findings_summary = {"imageScanCompletedAt": image.last_scan, "findingSeverityCounts": counts}
    return out


def ecr_describe_findings(self, registry_id, repository_name, image_id):
    out = _describe_findings(self, registry_id, repository_name, image_id)
    repo = self._get_repository(repository_name, registry_id)
    image = repo._get_image(image_id.get("imageTag"), image_id.get("imageDigest"))
    findings, counts = content_findings(image.image_manifest)
    out["imageScanFindings"]["findings"] = findings
    out["imageScanFindings"]["findingSeverityCounts"] = counts
    return out


ecr_models.ECRBackend.start_image_scan = ecr_start_image_scan
ecr_models.ECRBackend.describe_image_scan_findings = ecr_describe_findings


def main():
    moto_port, hook_port, registry, htpasswd_path, region = sys.argv[1:6]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(moto_port), verbose=False)
    server.start()
    ecr = boto3.client(
        "ecr",
        region_name=region,
        endpoint_url=f"http://127.0.0.1:{moto_port}",
        aws_access_key_id="sandbox",
        aws_secret_access_key="sandbox",
    )
    token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    user, password = base64.b64decode(token).decode().split(":", 1)
    assert user == "AWS", user
    line = subprocess.run(
        ["htpasswd", "-Bbn", user, password], check=True, capture_output=True, text=True
    ).stdout.strip()
    with open(htpasswd_path, "w") as f:
        f.write(line + "\n")
    auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    lock = threading.Lock()

    def fetch_manifest(repo, digest, media_type):
        req = urllib.request.Request(
            f"http://{registry}/v2/{repo}/manifests/{digest}",
            headers={"Authorization": auth, "Accept": media_type},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.read().decode()

    def record_push(target, timestamp):
        repo, digest = target["repository"], target["digest"]
        media_type, tag = target.get("mediaType"), target.get("tag")
        manifest = fetch_manifest(repo, digest, media_type)
        kwargs = dict(
            repositoryName=repo,
            imageManifest=manifest,
            imageManifestMediaType=media_type,
            imageDigest=digest,
        )
        if tag:
            kwargs["imageTag"] = tag
        with lock:
            backend = ecr_models.ecr_backends[os.environ.get("MOTO_ACCOUNT_ID", "123456789012")][region]
            repository = backend.repositories.get(repo)
            if repository is None:
                print(f"sandbox: push to {repo}, which has no ECR repository; ignored", file=sys.stderr)
                return
            if tag:
                # ECR moves a tag and keeps the image it left, untagged (moto would delete it).
                for image in repository.images:
                    if tag in image.image_tags and image.get_image_digest() != digest:
                        if repository.image_tag_mutability == "IMMUTABLE":
                            print(f"sandbox: {repo}:{tag} is immutable; push not recorded", file=sys.stderr)
                            return
                        image.remove_tag(tag)
            try:
                ecr.put_image(**kwargs)
            except ecr.exceptions.ImageAlreadyExistsException:
                pass
            for image in repository.images:
                if image.get_image_digest() == digest and timestamp:
                    pushed = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
                    image.image_pushed_at = pushed.timestamp()  # ECR keeps fractions of a second
            # ECR scans on push when the repository says so (once per image and day, as moto allows).
            scanning = repository.image_scanning_configuration or {}
            if scanning.get("scanOnPush") and "layers" in json.loads(manifest):
                try:
                    ecr.start_image_scan(repositoryName=repo, imageId={"imageDigest": digest})
                except ecr.exceptions.LimitExceededException:
                    pass

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                events = json.loads(body).get("events", [])
                for event in events:
                    target = event.get("target", {})
                    if event.get("action") == "push" and target.get("mediaType") in MANIFEST_TYPES:
                        record_push(target, event.get("timestamp"))
                self.send_response(200)
            except (urllib.error.URLError, KeyError, ValueError) as e:
                print(f"sandbox: notification not applied: {e!r}", file=sys.stderr)
                self.send_response(500)
            self.end_headers()

        def log_message(self, *args):
            pass

    hook = ThreadingHTTPServer(("127.0.0.1", int(hook_port)), Hook)
    print("ready", flush=True)
    try:
        hook.serve_forever()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
