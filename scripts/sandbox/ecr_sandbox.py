"""The sandbox's ECR side: moto's server, the registry fronts and a registry-notification receiver.

This file is part of the local sandbox, not of the app. It makes moto plus CNCF distribution
registries behave like ECR, where the API and the registry are two faces of one store:

* moto serves the ECR, STS, KMS, ECS and Secrets Manager APIs (every region) on
  127.0.0.1:MOTO_PORT, with the ECR additions of ecr_api.py;
* one registry front per region (registry_front.py) is that region's registry endpoint
  (auth, accounts, create-on-push, archive, pull-through cache); each proxies to its own
  backend `docker-registry`;
* each backend POSTs a notification for every push to 127.0.0.1:HOOK_PORT/events/REGION; for
  each pushed manifest this receiver fetches the manifest from the backend and records it in
  that region's and account's ECR (moto's PutImage, with the registry's digest and tag), so
  DescribeImages/ListImages show what was pushed; then replication (replication.py) starts;
* moto reports the config blob's size as the image size; ECR reports the sum of the
  layers (compressed) sizes. The sandbox patches moto's Image size to match ECR,
  and sets imagePushedAt to the registry's event time;
* the AWS SDKs leave out `scanOnPush` when it is false (the default): ECR reads the empty
  configuration as "scan on push off", moto ignored it. The sandbox reads it as ECR does;
* moto checks repository names against a stricter pattern than ECR's and refuses names ECR
  accepts (`a--b`, `a__b`); the sandbox checks ECR's pattern, with ECR's error;
* moto has no ECR Public: ecr_public.py answers its API on moto's endpoint (moto's WSGI
  application is wrapped), and the public front (public_front.py, `public=PORT=BACKEND`)
  plays public.ecr.aws before a backend of its own.

Usage: ecr_sandbox.py MOTO_PORT HOOK_PORT UPSTREAM_HOSTPORT REGION=FRONT_PORT=BACKEND_HOSTPORT...
         [public=FRONT_PORT=BACKEND_HOSTPORT]
It prints "ready" on stdout once moto, the hook and every front listen.
"""

import json
import os
import re
import sys
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from moto.ecr import exceptions as ecr_exceptions  # noqa: E402
from moto.ecr import models as ecr_models  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

import sandbox_state as state  # noqa: E402

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

# Scan findings that follow the image's content (sandbox_state.content_findings: each layer brings
# the vulnerabilities of the packages it holds, so images sharing layers share findings).
content_findings = state.content_findings


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


def log(msg):
    print(f"sandbox: {msg}", file=sys.stderr, flush=True)


def should_scan_on_push(account, region, repo, repository):
    f = getattr(state, "should_scan_on_push", None)
    if f is not None:
        return f(account, region, repo)
    return bool((repository.image_scanning_configuration or {}).get("scanOnPush"))


def record_push(account, region, repo, digest, media_type, manifest, tag, timestamp, replicate, replicator=None):
    """Record a pushed manifest in `account`'s ECR in `region`, as ECR does: ECR's sizes, the
    push time, a moved tag leaving its old image untagged, IMMUTABLE tags kept, scan on push,
    a re-push restoring an archived image; then replicate (unless this is itself a copy).
    False when not recorded (no such repository, immutable tag)."""
    with state.LOCK:
        backend = ecr_models.ecr_backends[account][region]
        repository = backend.repositories.get(repo)
        if repository is None:
            log(f"push to {repo} in {account}/{region}, which has no ECR repository; not recorded")
            return False
        if tag:
            # ECR moves a tag and keeps the image it left, untagged (moto would delete it).
            for image in repository.images:
                if tag in (image.image_tags or []) and image.get_image_digest() != digest:
                    if repository.image_tag_mutability == "IMMUTABLE":
                        log(f"{repo}:{tag} is immutable; push not recorded")
                        return False
                    image.remove_tag(tag)
        try:
            backend.put_image(repo, manifest, tag, media_type, digest)
        except ecr_exceptions.ImageAlreadyExistsException:
            pass
        if timestamp:
            pushed = datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()
        else:
            pushed = time.time()
        for image in repository.images:
            if image.get_image_digest() == digest:
                image.image_pushed_at = pushed  # ECR keeps fractions of a second
        # ECR: pushing an archived image again restores it.
        entry = state.STORAGE.get((account, region, repo, digest))
        if entry and entry.get("imageStatus") == "ARCHIVED":
            entry.update(imageStatus="ACTIVE", lastActivatedAt=time.time())
        # ECR scans on push when the repository (or the registry's scanning rules) say so
        # (once per image and day, as moto allows).
        if "layers" in json.loads(manifest) and should_scan_on_push(account, region, repo, repository):
            try:
                backend.start_image_scan(account, repo, {"imageDigest": digest})
            except ecr_exceptions.LimitExceededException:
                pass
            except Exception as e:  # noqa: BLE001 - a scan failure must not lose the push
                log(f"scan on push of {repo}@{digest} failed: {e!r}")
    if replicate and replicator is not None:
        replicator.after_push(account, region, repo, digest, tag)
    return True


def main():
    import faulthandler
    import signal
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 PID` prints every thread's stack to the log
    moto_port, hook_port, upstream = sys.argv[1:4]
    regions = {}
    public = None
    for spec in sys.argv[4:]:
        region, front_port, backend = spec.split("=")
        if region == "public":
            public = (int(front_port), backend)
        else:
            regions[region] = (int(front_port), backend)
    try:
        import ecr_api
    except ImportError as e:
        log(f"ecr_api.py not loaded ({e}); the ECR API additions are missing")
    else:
        ecr_api.install()
    with state.LOCK:
        state.REGISTRIES.update({r: f"127.0.0.1:{p}" for r, (p, _) in regions.items()})
        state.UPSTREAM = upstream

    from registry_front import COPY_AGENT, Front, Registry
    from replication import Replicator

    try:
        import ecr_public
    except ImportError as e:
        log(f"ecr_public.py not loaded ({e}); the ECR Public API is missing")
        ecr_public = None

    class SandboxMotoServer(ThreadedMotoServer):
        """moto's server, with the ECR Public API (ecr_public.wsgi) in front of its application."""

        def _server_entry(self):
            from moto.moto_server import threaded_moto_server as tms
            app = tms.DomainDispatcherApplication(tms.create_backend_app)
            if ecr_public is not None:
                app = ecr_public.wsgi(app)
            self._server = tms.make_server(self._ip_address, self._port, app, True,
                                           request_handler=tms.MotoRequestHandler)
            self._server_ready_event.set()
            self._server.serve_forever()

    server = SandboxMotoServer(ip_address="127.0.0.1", port=int(moto_port), verbose=False)
    server.start()

    replicator = Replicator({r: b for r, (_, b) in regions.items()}, None)

    def record(account, region, repo, digest, media_type, manifest, tag, timestamp, replicate):
        return record_push(account, region, repo, digest, media_type, manifest, tag, timestamp, replicate, replicator)

    replicator.record = record
    backends = {r: Registry(b) for r, (_, b) in regions.items()}
    fronts = [Front(r, p, b, record) for r, (p, b) in regions.items()]

    def on_event(region, event):
        target = event.get("target", {})
        if event.get("action") != "push" or target.get("mediaType") not in MANIFEST_TYPES:
            return
        if (event.get("request") or {}).get("useragent", "").startswith(COPY_AGENT):
            return  # the sandbox's own copy (pull-through, replication): its copier records it
        account, _, repo = target["repository"].partition("/")
        if not re.fullmatch(r"\d{12}", account) or not repo:
            log(f"push to {target['repository']} in the {region} storage bypassed the registry front; ignored")
            return
        digest, tag = target["digest"], target.get("tag")
        manifest, media_type, _ = backends[region].get_manifest(target["repository"], digest)
        record(account, region, repo, digest, target.get("mediaType") or media_type, manifest.decode(), tag,
               event.get("timestamp"), True)

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            region = self.path.rstrip("/").rsplit("/", 1)[-1]
            try:
                if region not in backends:
                    raise ValueError(f"notification for unknown region {region!r} ({self.path})")
                for event in json.loads(body).get("events", []):
                    on_event(region, event)
                self.send_response(200)
            except (OSError, KeyError, ValueError) as e:
                log(f"notification not applied: {e!r}")
                self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    hook = ThreadingHTTPServer(("127.0.0.1", int(hook_port)), Hook)
    hook.daemon_threads = True
    if public is not None and ecr_public is not None:
        from public_front import PublicFront
        with state.LOCK:
            state.PUBLIC_FRONT = f"127.0.0.1:{public[0]}"
        ecr_public.BACKEND["registry"] = Registry(public[1])
        fronts.append(PublicFront(public[0], public[1]))
    for front in fronts:
        front.serve()
    print("ready", flush=True)
    try:
        hook.serve_forever()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
