"""ECR's replication, for the sandbox (part of the sandbox, not of the app).

After a push is recorded in region R of account A, every destination of A's replication
configuration in R that covers the repository (`sandbox_state.replication_destinations`) gets
status IN_PROGRESS at once; SANDBOX_REPLICATION_DELAY seconds later (default 2) the image
(manifest, an index's children, blobs) is copied to the destination region's backend under the
destination account, the repository is created there if missing (creation template applied
for REPLICATION, else ECR's defaults), the image is recorded in that region's ECR API with the
same digest and tag, and the status becomes COMPLETE.

FAILED, with a failureCode, when:
* the destination region is not one the sandbox serves (REGION_NOT_ENABLED);
* the destination is another account whose registry policy in that region does not allow
  ecr:ReplicateImage for the source account (REPLICATION_ACCESS_DENIED);
* the copy itself fails (REPLICATION_FAILED: the log says why).

Replicated images are not replicated again (ECR does not chain replications).
"""

import fnmatch
import json
import os
import sys
import threading

import sandbox_state as state
from moto.ecr import models as ecr_models
from registry_front import Registry, copy_image, create_repository


def log(msg):
    print(f"sandbox replication: {msg}", file=sys.stderr, flush=True)


def policy_allows_replication(policy_text, source_account):
    """Does this registry policy allow ecr:ReplicateImage for `source_account`?"""
    try:
        doc = json.loads(policy_text or "")
    except ValueError:
        return False
    statements = doc.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]

    def listed(v):
        return v if isinstance(v, list) else [v]

    for st in statements:
        if st.get("Effect") != "Allow":
            continue
        if not any(fnmatch.fnmatchcase("ecr:replicateimage", a.lower()) for a in listed(st.get("Action", []))):
            continue
        principal = st.get("Principal", {})
        if principal == "*":
            return True
        for p in listed(principal.get("AWS", []) if isinstance(principal, dict) else []):
            if p in ("*", source_account, f"arn:aws:iam::{source_account}:root"):
                return True
    return False


class Replicator:
    def __init__(self, backends, record, delay=None):
        self.backends = {region: Registry(hostport) for region, hostport in backends.items()}
        self.record = record  # the hook's record(account, region, repo, digest, media_type, text, tag, ts, replicate)
        self.delay = float(os.environ.get("SANDBOX_REPLICATION_DELAY", "2") if delay is None else delay)

    def after_push(self, account, region, repo, digest, tag):
        for dest_region, dest_account in state.replication_destinations(account, region, repo):
            if (dest_region, dest_account) == (region, account):
                continue
            state.set_replication_status(account, region, repo, digest, dest_region, dest_account, "IN_PROGRESS")
            t = threading.Timer(self.delay, self.replicate, (account, region, repo, digest, tag, dest_region, dest_account))
            t.daemon = True
            t.start()

    def failure(self, account, region, repo, dest_region, dest_account):
        if dest_region not in self.backends or dest_region not in state.REGISTRIES:
            return "REGION_NOT_ENABLED", f"the sandbox serves no registry in {dest_region}"
        if dest_account != account:
            with state.LOCK:
                policy = ecr_models.ecr_backends[dest_account][dest_region].registry_policy
            if not policy_allows_replication(policy, account):
                return ("REPLICATION_ACCESS_DENIED",
                        f"the registry policy of {dest_account} in {dest_region} does not allow ecr:ReplicateImage for {account}")
        return None

    def replicate(self, account, region, repo, digest, tag, dest_region, dest_account):
        def status(s, code=None):
            state.set_replication_status(account, region, repo, digest, dest_region, dest_account, s, code)

        log(f"{account}/{region} {repo}@{digest} -> {dest_account}/{dest_region}: starting")
        try:
            failed = self.failure(account, region, repo, dest_region, dest_account)
            if failed:
                log(f"{account}/{region} {repo}@{digest} -> {dest_account}/{dest_region}: FAILED, {failed[1]}")
                return status("FAILED", failed[0])
            copied = copy_image(self.backends[region], f"{account}/{repo}", digest, self.backends[dest_region],
                                f"{dest_account}/{repo}",
                                on_found=lambda: create_repository(dest_account, dest_region, repo, "REPLICATION"))
            if tag:
                # The push named a tag: it lands on the same digest in the destination.
                self.backends[dest_region].put_manifest(f"{dest_account}/{repo}", tag, copied[-1][2].encode(), copied[-1][1])
                copied[-1] = copied[-1][:3] + (tag,)
            for d, media_type, text, t in copied:
                if not self.record(dest_account, dest_region, repo, d, media_type, text, t, None, False):
                    log(f"{repo}@{d} not recorded in {dest_account}/{dest_region}")
                    return status("FAILED", "REPLICATION_FAILED")
            status("COMPLETE")
            log(f"{account}/{region} {repo}@{digest} -> {dest_account}/{dest_region}: COMPLETE")
        except Exception as e:  # noqa: BLE001 - any failure is the replication's status, not a crash
            log(f"{account}/{region} {repo}@{digest} -> {dest_account}/{dest_region}: FAILED, {e!r}")
            status("FAILED", "REPLICATION_FAILED")
