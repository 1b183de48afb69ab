"""Copy benchmark: registry to registry, without the engine. `berth copy` against
`skopeo copy --all` (the reference), from the sandbox's plain OCI registry (basic auth) to its
ECR us-east-1 registry, for

  - a ~300 MB image of 5 layers of incompressible random data (Docker v2 manifest), and
  - a 2-platform OCI index (linux/amd64 + linux/arm64, 2 layers of 15 MiB each per platform),

alternating berth/skopeo after a warm-up, each run against empty destination storage
(`sandbox registry-reset`, which leaves the source registry alone). Reports the median wall time
of each, their ratio (target: berth/skopeo <= 0.8), and checks that the destination holds the
source's manifest digest and every blob.

Then a copy between two repositories of the same registry (ECR us-east-1, account setting
BLOB_MOUNTING enabled), each run to a fresh destination repository: the layers are mounted, not
sent (target: no layer bytes, median < 0.3 s).

Then `berth copy local:IMAGE` (the engine's image export, gzip, upload) against `docker push` of
the same local image (~100 MB in 5 layers of random data) to ECR us-east-1, alternating, each
against empty destination storage: the ratio is reported (no target yet).

Exits non-zero only when something fails (a command, a digest, a missing blob); a missed target
prints MISSED and goes into the JSON.

usage: copy.py BERTH_BIN SANDBOX_SCRIPT OUT_JSON
"""
import os
import sys

# This file is named copy.py: out of the import path before anything imports the standard `copy`.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import atexit  # noqa: E402
import base64  # noqa: E402
import gzip  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tarfile  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402

import boto3  # noqa: E402

BERTH, SANDBOX, OUT = sys.argv[1:4]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_RATIO = 0.8
TARGET_MOUNT_SECONDS = 0.3
MIB = 1 << 20

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
ACCEPT = ", ".join([OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST])
CREATED = "2024-06-01T00:00:00Z"

source_registry = os.environ["OCI_REGISTRY"]
source_auth = f"{os.environ['OCI_REGISTRY_USER']}:{os.environ['OCI_REGISTRY_PASSWORD']}"
dest_registry = os.environ["SANDBOX_REGISTRY"]

# name, source repository:tag (plain OCI registry), destination repository (ECR), seeding
IMAGES = [
    {"key": "image_300m", "label": "300 MB, 5 layers (Docker v2)", "source": "bench/copy-big:300m",
     "dest": "bench/copy-big", "platforms": [("amd64", [60 * MIB] * 5)], "oci": False},
    {"key": "index_2_platforms", "label": "OCI index, 2 platforms x 30 MiB", "source": "bench/copy-multi:2arch",
     "dest": "bench/copy-multi", "platforms": [("amd64", [15 * MIB] * 2), ("arm64", [15 * MIB] * 2)], "oci": True},
]
MOUNT_SOURCE = "bench/copy-src"
LOCAL_LAYERS, LOCAL_LAYER_MIB = 5, 20


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sh(*args, **kw):
    p = subprocess.run(args, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {p.stderr[-2000:]}")
    return p


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def http(registry, auth, method, path, data=None, headers=None, timeout=300):
    url = path if path.startswith("http") else f"http://{registry}{path}"
    headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode(), **(headers or {})}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read(), resp.headers


# ---- the source: pushed with urllib, monolithic PUT uploads, by digest ----

def put_blob(repo, b):
    _, h = http(source_registry, source_auth, "POST", f"/v2/{repo}/blobs/uploads/")
    loc = h["Location"]
    http(source_registry, source_auth, "PUT", f"{loc}{'&' if '?' in loc else '?'}digest={digest(b)}", b,
         {"Content-Type": "application/octet-stream"})


def put_manifest(repo, ref, body, media_type):
    http(source_registry, source_auth, "PUT", f"/v2/{repo}/manifests/{ref}", body, {"Content-Type": media_type})


def random_layer(path, size):
    """A gzip'd tar of one file of random bytes: incompressible, a valid layer. (blob, diff_id)
    Level 0 (stored deflate blocks): what gzip makes of random data anyway, ten times faster."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(path)
        info.size, info.mtime, info.mode = size, 1717200000, 0o644
        tar.addfile(info, io.BytesIO(os.urandom(size)))
    tar_bytes = raw.getvalue()
    return gzip.compress(tar_bytes, compresslevel=0, mtime=0), digest(tar_bytes)


def push_platform(repo, name, arch, sizes, oci):
    """Config + layers of one platform, pushed by digest; returns (manifest body, media type, bytes)."""
    layers, diff_ids, total = [], [], 0
    for i, size in enumerate(sizes):
        blob, diff_id = random_layer(f"data/{name}-{arch}-{i}.bin", size)
        put_blob(repo, blob)
        layers.append({"mediaType": OCI_LAYER if oci else DOCKER_LAYER, "size": len(blob), "digest": digest(blob)})
        diff_ids.append(diff_id)
        total += len(blob)
    config = {"architecture": arch, "os": "linux", "created": CREATED,
              "config": {"Labels": {"org.opencontainers.image.title": name}},
              "rootfs": {"type": "layers", "diff_ids": diff_ids},
              "history": [{"created": CREATED, "created_by": f"berth copy bench: layer {i}"} for i in range(len(sizes))]}
    cb = json.dumps(config, separators=(",", ":"), sort_keys=True).encode()
    put_blob(repo, cb)
    mt = OCI_MANIFEST if oci else DOCKER_MANIFEST
    manifest = {"schemaVersion": 2, "mediaType": mt,
                "config": {"mediaType": OCI_CONFIG if oci else DOCKER_CONFIG, "size": len(cb), "digest": digest(cb)},
                "layers": layers}
    return json.dumps(manifest, indent=2).encode(), mt, total + len(cb)


def seed(img):
    """Push the image to the plain OCI registry (unless there already); returns (digest, blob bytes)."""
    repo, tag = img["source"].split(":")
    try:
        body, _ = http(source_registry, source_auth, "GET", f"/v2/{repo}/manifests/{tag}", headers={"Accept": ACCEPT})
        return digest(body), None
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise
    name = repo.rsplit("/", 1)[-1]
    total = 0
    if len(img["platforms"]) == 1:
        arch, sizes = img["platforms"][0]
        body, mt, total = push_platform(repo, name, arch, sizes, img["oci"])
    else:
        entries = []
        for arch, sizes in img["platforms"]:
            child, cmt, n = push_platform(repo, name, arch, sizes, img["oci"])
            put_manifest(repo, digest(child), child, cmt)
            entries.append({"mediaType": cmt, "size": len(child), "digest": digest(child),
                            "platform": {"architecture": arch, "os": "linux"}})
            total += n
        body, mt = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}, indent=2).encode(), OCI_INDEX
    put_manifest(repo, tag, body, mt)
    return digest(body), total


# ---- the destination ----

def check_destination(ecr_auth, repo, ref, want):
    """The manifest at REPO:REF has digest WANT (skopeo inspect --raw, as skopeo sees it), and every
    child manifest, config and layer is there (the registry API)."""
    raw = subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", ecr_auth,
                          f"docker://{dest_registry}/{repo}:{ref}"], capture_output=True)
    if raw.returncode != 0:
        sys.exit(f"skopeo inspect {repo}:{ref} failed: {raw.stderr.decode()[-2000:]}")
    got = digest(raw.stdout)
    if got != want:
        sys.exit(f"{dest_registry}/{repo}:{ref} has digest {got}, the source {want}")
    pending, blobs = [raw.stdout], []
    while pending:
        m = json.loads(pending.pop())
        for child in m.get("manifests", []):
            body, _ = http(dest_registry, ecr_auth, "GET", f"/v2/{repo}/manifests/{child['digest']}",
                           headers={"Accept": ACCEPT})
            if digest(body) != child["digest"]:
                sys.exit(f"{repo}@{child['digest']}: the registry answers a manifest of digest {digest(body)}")
            pending.append(body)
        if "config" in m:
            blobs += [m["config"]] + m.get("layers", [])
    for b in blobs:
        try:
            _, h = http(dest_registry, ecr_auth, "HEAD", f"/v2/{repo}/blobs/{b['digest']}")
        except urllib.error.HTTPError as e:
            sys.exit(f"{dest_registry}/{repo}: blob {b['digest']} is missing after the copy (HTTP {e.code})")
        if int(h.get("Content-Length", -1)) != b["size"]:
            sys.exit(f"{dest_registry}/{repo}: blob {b['digest']} has {h.get('Content-Length')} bytes, not {b['size']}")
    return got


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(args, env=None):
    cpu0, t0 = cpu_children(), time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    wall, cpu = time.perf_counter() - t0, cpu_children() - cpu0
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {(p.stdout + p.stderr)[-2000:]}")
    return wall, cpu, p.stdout


def reset():
    sh(SANDBOX, "registry-reset")


RUN_ID = secrets.token_hex(2)
_tags = iter(range(1, 1 << 30))


def fresh_tag(who):
    """A tag no run wrote before: the reset empties the registry's storage but the ECR API keeps
    its image records, and a tag it says names this image already is not written again."""
    return f"{who}-{RUN_ID}-{next(_tags)}"


def verdict(ok):
    return "ok" if ok else "MISSED"


def main():
    ecr = boto3.client("ecr", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"],
                       aws_access_key_id="sandbox", aws_secret_access_key="sandbox")

    def ensure_repo(name):
        try:
            ecr.create_repository(repositoryName=name)
        except ecr.exceptions.RepositoryAlreadyExistsException:
            pass

    token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    ecr_auth = base64.b64decode(token).decode()  # "AWS:password"

    # berth finds the plain OCI registry's credentials in the Docker configuration.
    docker_config = tempfile.mkdtemp(prefix="berth-bench-copy-")
    atexit.register(shutil.rmtree, docker_config, True)
    with open(os.path.join(docker_config, "config.json"), "w") as f:
        json.dump({"auths": {source_registry: {"auth": base64.b64encode(source_auth.encode()).decode()}}}, f)
    benv = {**os.environ, "DOCKER_CONFIG": docker_config}

    results = {"runs": RUNS, "source_registry": "plain OCI registry (CNCF distribution, htpasswd)",
               "destination_registry": "ECR us-east-1 (sandbox)", "target_ratio": TARGET_RATIO,
               "skopeo_version": sh("skopeo", "--version").stdout.strip()}
    rows = []
    for img in IMAGES:
        t0 = time.perf_counter()
        src_digest, seeded = seed(img)
        if seeded is not None:
            log(f"seeded {source_registry}/{img['source']}: {seeded / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")
        ensure_repo(img["dest"])
        src = f"{source_registry}/{img['source']}"
        summaries = []

        def berth_copy():
            reset()
            tag = fresh_tag("berth")
            wall, cpu, out = timed([BERTH, "copy", src, f"{img['dest']}:{tag}", "--json"], env=benv)
            s = json.loads(out)
            if s["blobs_skipped"] or s["blobs_mounted"] or not s["blobs_copied"]:
                sys.exit(f"not a cold copy: {s}")
            if s["digest"] != src_digest:
                sys.exit(f"berth copy reports digest {s['digest']}, the source has {src_digest}")
            check_destination(ecr_auth, img["dest"], tag, src_digest)
            summaries.append(s)
            return wall, cpu, s["seconds"]

        def skopeo_copy():
            reset()
            tag = fresh_tag("skopeo")
            wall, cpu, _ = timed(["skopeo", "copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false",
                                  "--src-creds", source_auth, "--dest-creds", ecr_auth,
                                  f"docker://{src}", f"docker://{dest_registry}/{img['dest']}:{tag}"])
            check_destination(ecr_auth, img["dest"], tag, src_digest)
            return wall, cpu, None

        log(f"{img['label']}: {src} -> {dest_registry}/{img['dest']}, {RUNS} runs each after a warm-up")
        berth_copy(), skopeo_copy()  # warm-up: page cache, the registries' first writes
        summaries.clear()
        b, s = [], []
        for i in range(RUNS):
            order = [("berth", berth_copy), ("skopeo", skopeo_copy)]
            if i % 2:
                order.reverse()
            for name, run in order:
                wall, cpu, own = run()
                (b if name == "berth" else s).append((wall, cpu))
                extra = f", berth's own {own:.2f} s" if own is not None else ""
                log(f"  run {i + 1} {name:6} {wall:6.2f} s  (CPU {cpu:.2f} s{extra})")
        med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
        last = summaries[-1]
        r = {"source": src, "digest": src_digest, "manifests": last["manifests"], "blobs": last["blobs_copied"],
             "bytes": last["bytes_copied"],
             "berth_seconds": [x[0] for x in b], "skopeo_seconds": [x[0] for x in s],
             "berth_reported_seconds": [x["seconds"] for x in summaries],
             "berth_median_seconds": med(b, 0), "skopeo_median_seconds": med(s, 0),
             "berth_cpu_seconds_median": med(b, 1), "skopeo_cpu_seconds_median": med(s, 1),
             "ratio_berth_to_skopeo": med(b, 0) / med(s, 0), "digest_matches": True}
        r["met"] = r["ratio_berth_to_skopeo"] <= TARGET_RATIO
        results[img["key"]] = r
        rows.append((img["label"], r))

    # ---- the same registry, another repository: mounted, not sent ----
    log(f"same registry: {MOUNT_SOURCE} -> fresh repositories, BLOB_MOUNTING ENABLED")
    reset()
    big = IMAGES[0]
    ensure_repo(MOUNT_SOURCE)
    mount_source = f"{MOUNT_SOURCE}:{fresh_tag('source')}"
    sh(BERTH, "copy", f"{source_registry}/{big['source']}", mount_source, "--json", env=benv)
    try:
        before = ecr.get_account_setting(name="BLOB_MOUNTING")["value"]
    except Exception:  # noqa: BLE001 - only to put it back
        before = None
    sh(BERTH, "registry", "settings", "set", "BLOB_MOUNTING", "ENABLED")
    src_digest = results[big["key"]]["digest"]
    m = []

    def mount_copy():
        repo = f"bench/copy-dst-{secrets.token_hex(3)}"
        ecr.create_repository(repositoryName=repo)
        wall, cpu, out = timed([BERTH, "copy", mount_source, f"{repo}:300m", "--json"], env=benv)
        summary = json.loads(out)
        if summary["digest"] != src_digest:
            sys.exit(f"berth copy reports digest {summary['digest']}, the source has {src_digest}")
        check_destination(ecr_auth, repo, "300m", src_digest)
        return wall, cpu, summary

    mount_copy()  # warm-up
    for i in range(RUNS):
        wall, cpu, summary = mount_copy()
        m.append((wall, cpu, summary))
        log(f"  run {i + 1} berth  {wall:6.3f} s  (berth's own {summary['seconds']:.3f} s; "
            f"{summary['blobs_mounted']} mounted, {summary['blobs_copied']} copied, {summary['bytes_copied']} bytes sent)")
    if before and before != "ENABLED":
        sh(BERTH, "registry", "settings", "set", "BLOB_MOUNTING", before)
    layers = len(big["platforms"][0][1])
    mount_median = statistics.median(x[0] for x in m)
    max_bytes = max(x[2]["bytes_copied"] for x in m)
    min_mounted = min(x[2]["blobs_mounted"] for x in m)
    results["same_registry_mount"] = {
        "source": f"{dest_registry}/{mount_source}", "destination": "a fresh repository per run",
        "berth_seconds": [x[0] for x in m], "berth_reported_seconds": [x[2]["seconds"] for x in m],
        "berth_median_seconds": mount_median, "bytes_copied_max": max_bytes, "blobs_mounted_min": min_mounted,
        "blobs_copied_max": max(x[2]["blobs_copied"] for x in m), "layers": layers,
        "target_seconds": TARGET_MOUNT_SECONDS, "target_bytes_copied": 0,
        "met": mount_median < TARGET_MOUNT_SECONDS and max_bytes == 0 and min_mounted >= layers,
    }

    # ---- from the local engine: berth copy local: against docker push ----
    local = f"berth-bench/local:{LOCAL_LAYERS}x{LOCAL_LAYER_MIB}m"
    if subprocess.run(["docker", "image", "inspect", local], capture_output=True).returncode != 0:
        t0 = time.perf_counter()
        build = tempfile.mkdtemp(prefix="berth-bench-local-")
        atexit.register(shutil.rmtree, build, True)
        lines = ["FROM scratch"]
        for i in range(LOCAL_LAYERS):
            with open(os.path.join(build, f"l{i}"), "wb") as f:
                f.write(os.urandom(LOCAL_LAYER_MIB * MIB))
            lines.append(f"COPY l{i} /l{i}")
        with open(os.path.join(build, "Dockerfile"), "w") as f:
            f.write("\n".join(lines) + "\n")
        sh("docker", "build", "-q", "-t", local, build, env={**os.environ, "DOCKER_BUILDKIT": "0"})
        log(f"built {local} in {time.perf_counter() - t0:.1f} s")
    # docker push logs in through the same Docker configuration.
    with open(os.path.join(docker_config, "config.json")) as f:
        config = json.load(f)
    config["auths"][dest_registry] = {"auth": base64.b64encode(ecr_auth.encode()).decode()}
    with open(os.path.join(docker_config, "config.json"), "w") as f:
        json.dump(config, f)
    ensure_repo("bench/copy-local")
    local_digests = {}

    def berth_local():
        reset()
        tag = fresh_tag("berth")
        wall, cpu, out = timed([BERTH, "copy", f"local:{local}", f"bench/copy-local:{tag}", "--json"], env=benv)
        summary = json.loads(out)
        if summary["blobs_skipped"] or not summary["blobs_copied"]:
            sys.exit(f"not a cold copy: {summary}")
        check_destination(ecr_auth, "bench/copy-local", tag, summary["digest"])
        local_digests["berth"] = summary["digest"]
        return wall, cpu

    def docker_push():
        reset()
        tag = fresh_tag("docker")
        target = f"{dest_registry}/bench/copy-local:{tag}"
        sh("docker", "tag", local, target)
        wall, cpu, out = timed(["docker", "push", target], env=benv)
        sh("docker", "rmi", target)
        local_digests["docker"] = next((w for w in out.split() if w.startswith("sha256:")), None)
        return wall, cpu

    log(f"local engine: {local} -> {dest_registry}/bench/copy-local, {RUNS} runs each after a warm-up")
    berth_local(), docker_push()
    lb, ld = [], []
    for i in range(RUNS):
        order = [("berth", berth_local), ("docker", docker_push)]
        if i % 2:
            order.reverse()
        for name, run in order:
            wall, cpu = run()
            (lb if name == "berth" else ld).append((wall, cpu))
            log(f"  run {i + 1} {name:6} {wall:6.2f} s  (CPU {cpu:.2f} s)")
    lmed = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
    results["local_vs_docker_push"] = {
        "measured": True, "image": local, "bytes_uncompressed": LOCAL_LAYERS * LOCAL_LAYER_MIB * MIB,
        "berth_seconds": [x[0] for x in lb], "docker_push_seconds": [x[0] for x in ld],
        "berth_median_seconds": lmed(lb, 0), "docker_push_median_seconds": lmed(ld, 0),
        "berth_cpu_seconds_median": lmed(lb, 1),
        "ratio_berth_to_docker_push": lmed(lb, 0) / lmed(ld, 0), "target": None,
        "digests": local_digests,
    }

    with open(OUT, "w") as f:
        json.dump(results, f, indent=2)

    out = [f"\ncopy registry to registry ({source_registry} plain OCI -> {dest_registry} ECR us-east-1), median of {RUNS}:",
           f"  {'image':34} {'skopeo':>8} {'berth':>8}  {'berth/skopeo':>12}"]
    for label, r in rows:
        out.append(f"  {label:34} {r['skopeo_median_seconds']:6.2f} s {r['berth_median_seconds']:6.2f} s  "
                   f"{r['ratio_berth_to_skopeo']:12.4f}  (target <= {TARGET_RATIO}) {verdict(r['met'])}")
    out.append(f"  {'':34} CPU: skopeo / berth " + ", ".join(
        f"{r['skopeo_cpu_seconds_median']:.2f} / {r['berth_cpu_seconds_median']:.2f} s" for _, r in rows))
    out.append("  digests at the destination = the source's, every blob there: yes")
    sm = results["same_registry_mount"]
    out.append(f"same registry, another repository (BLOB_MOUNTING): {sm['berth_median_seconds']:.3f} s, "
               f"{sm['bytes_copied_max']} bytes sent, {sm['blobs_mounted_min']} blobs mounted "
               f"(target < {TARGET_MOUNT_SECONDS} s, 0 bytes) {verdict(sm['met'])}")
    lr = results["local_vs_docker_push"]
    out.append(f"local engine ({lr['image']}): docker push {lr['docker_push_median_seconds']:.2f} s, "
               f"berth copy local: {lr['berth_median_seconds']:.2f} s, berth/docker push "
               f"{lr['ratio_berth_to_docker_push']:.4f} (no target yet)")
    print("\n".join(out))


main()
