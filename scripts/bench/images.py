"""Images benchmarks (issue 6), against the bench sandbox:

1. Listing a repository of 10,000 images: `berth images list` against `aws ecr describe-images`
   (the AWS CLI from PyPI, paging through everything) and against a bare loop of DescribeImages
   requests (1000 a page) that only counts the results: the server's own floor. Alternating,
   5 runs each after a warm-up; median ratios (targets: <= 0.75 of the AWS CLI, <= 1.1 of the
   floor).
2. Comparing two 50-layer images (40 layers shared) cold (empty blob cache): the whole
   `berth compare`, and the diff computation alone as `--timings` reports it (target < 20 ms).

usage: images.py BERTH_BIN AWS_CLI OUT_JSON
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import boto3

BERTH, AWS, OUT = sys.argv[1:4]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
REPO, COUNT = "bench/many", 10_000
endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
ecr = boto3.client("ecr", endpoint_url=endpoint, region_name=region,
                   aws_access_key_id="sandbox", aws_secret_access_key="sandbox")


def seed():
    try:
        ecr.create_repository(repositoryName=REPO)
    except ecr.exceptions.RepositoryAlreadyExistsException:
        if len(ecr.describe_images(repositoryName=REPO)["imageDetails"]) >= COUNT:
            return

    def put(i):
        manifest = {
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2,
                       "digest": f"sha256:{i + 1:064x}"},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1000 + i,
                        "digest": f"sha256:{i + 5_000_000:064x}"}],
        }
        kw = {"imageTag": f"build-{i:05d}"} if i % 4 else {}  # a quarter untagged
        ecr.put_image(repositoryName=REPO, imageManifest=json.dumps(manifest), **kw)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, range(COUNT)))
    print(f"seeded {REPO} with {COUNT} images in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def timed(args, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {p.stderr[-2000:]}")
    return time.perf_counter() - t0, p.stdout, p.stderr


def berth_list():
    wall, out, _ = timed([BERTH, "--json", "images", "list", REPO])
    assert len(json.loads(out)) == COUNT, "berth listed a different count"
    return wall


def aws_list():
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "sandbox", "AWS_SECRET_ACCESS_KEY": "sandbox"}
    wall, out, _ = timed([AWS, "ecr", "describe-images", "--repository-name", REPO, "--endpoint-url", endpoint,
                          "--region", region, "--output", "json"], env=env)
    assert len(json.loads(out)["imageDetails"]) == COUNT, "the AWS CLI listed a different count"
    return wall


def floor_list():
    t0 = time.perf_counter()
    n, token = 0, None
    while True:
        kw = {"nextToken": token} if token else {}
        page = ecr.describe_images(repositoryName=REPO, maxResults=1000, **kw)
        n += len(page["imageDetails"])
        token = page.get("nextToken")
        if not token:
            break
    assert n == COUNT
    return time.perf_counter() - t0


def listing():
    seed()
    tools = [("berth", berth_list), ("aws-cli", aws_list), ("floor", floor_list)]
    for _, run in tools:
        run()  # warm-up
    times = {name: [] for name, _ in tools}
    for i in range(RUNS):
        order = tools[i % 3:] + tools[:i % 3]
        for name, run in order:
            times[name].append(run())
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"""
listing {COUNT} images, median of {RUNS}:
  berth images list        {med['berth']:6.2f} s
  aws ecr describe-images  {med['aws-cli']:6.2f} s   ratio berth/aws-cli = {med['berth'] / med['aws-cli']:.2f} (target <= 0.75)
  bare DescribeImages loop {med['floor']:6.2f} s   ratio berth/floor   = {med['berth'] / med['floor']:.2f} (target <= 1.1)""")
    return {"images": COUNT, "runs": RUNS, "seconds": times, "median_seconds": med,
            "ratio_berth_to_aws_cli": med["berth"] / med["aws-cli"], "ratio_berth_to_floor": med["berth"] / med["floor"],
            "targets": {"aws_cli": 0.75, "floor": 1.1}}


def build_50_layers(tag, own):
    """50 layers of 16 KiB: the first 40 the same for both images, the last 10 their own."""
    with tempfile.TemporaryDirectory() as ctx:
        lines = ["FROM scratch"]
        for i in range(50):
            seed_text = f"shared-{i}" if i < 40 else f"{own}-{i}"
            data = (seed_text.encode() * 2048)[:16384]
            with open(os.path.join(ctx, f"f{i:02d}"), "wb") as f:
                f.write(data)
            lines.append(f"COPY f{i:02d} /f{i:02d}")
        lines.append(f"ENV VARIANT={own}")
        with open(os.path.join(ctx, "Dockerfile"), "w") as f:
            f.write("\n".join(lines) + "\n")
        p = subprocess.run(["docker", "build", "-q", "-t", tag, ctx], capture_output=True, text=True,
                           env={**os.environ, "DOCKER_BUILDKIT": "0"})
        if p.returncode != 0:
            sys.exit(f"docker build: {p.stderr}")


def comparison():
    try:
        ecr.create_repository(repositoryName="bench/layers")
    except ecr.exceptions.RepositoryAlreadyExistsException:
        pass
    for own in ("a", "b"):
        build_50_layers(f"berth-bench/layers:{own}", own)
        timed([BERTH, "push", f"berth-bench/layers:{own}", f"bench/layers:{own}"])
    totals, diffs = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "BERTH_CACHE_DIR": cache}
            wall, out, err = timed([BERTH, "--json", "compare", "bench/layers:a", "bench/layers:b", "--timings"], env=env)
        result = json.loads(out)
        statuses = [l["status"] for l in result["layers"]]
        assert statuses.count("shared") == 40 and len(statuses) == 60, statuses
        line = [l for l in err.splitlines() if "timings:" in l][0]
        diffs.append(float(line.split("diff ")[1].split(" ms")[0]))
        totals.append(wall)
    print(f"""
compare two 50-layer images (40 shared), cold cache, median of {RUNS}:
  berth compare total      {statistics.median(totals) * 1000:7.1f} ms
  diff computation alone   {statistics.median(diffs):7.3f} ms (target < 20 ms)""")
    return {"layers": 50, "shared": 40, "runs": RUNS, "total_seconds": totals, "diff_ms": diffs,
            "median_total_ms": statistics.median(totals) * 1000, "median_diff_ms": statistics.median(diffs),
            "target_diff_ms": 20}


if os.environ.get("SEED_ONLY"):
    seed()
    sys.exit(0)
result = {"listing": listing(), "compare": comparison()}
with open(OUT, "w") as f:
    json.dump(result, f, indent=2)
