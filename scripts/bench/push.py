"""Push benchmark: the same ~300 MB image of 5 layers pushed to the sandbox registry by
`docker push` and by `berth push`, alternating, after a warm-up, each run against empty
registry storage (`sandbox registry-reset`: otherwise the engine finds or mounts every blob
and the push takes a tenth of a second). Reports the median wall time of each, their ratio
(target: berth/docker <= 1.02) and the CPU time of the berth process.

usage: push.py BERTH_BIN SANDBOX_SCRIPT OUT_JSON
"""
import base64
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import boto3

BERTH, SANDBOX, OUT = sys.argv[1:4]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
REPO = "bench/push"
IMAGE = "berth-bench/push:300m"
LAYERS, LAYER_MB = 5, 60
registry = os.environ["SANDBOX_REGISTRY"]


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def ensure_image():
    if subprocess.run(["docker", "image", "inspect", IMAGE], capture_output=True).returncode == 0:
        return
    with tempfile.TemporaryDirectory() as ctx:
        lines = ["FROM scratch"]
        for i in range(LAYERS):
            with open(os.path.join(ctx, f"l{i}.bin"), "wb") as f:
                f.write(os.urandom(LAYER_MB << 20))  # incompressible: the engine's gzip does full work
            lines.append(f"COPY l{i}.bin /l{i}.bin")
        with open(os.path.join(ctx, "Dockerfile"), "w") as f:
            f.write("\n".join(lines) + "\n")
        sh("docker", "build", "-q", "-t", IMAGE, ctx, env={**os.environ, "DOCKER_BUILDKIT": "0"})


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(args, env=None):
    cpu0, t0 = cpu_children(), time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    wall, cpu = time.perf_counter() - t0, cpu_children() - cpu0
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {p.stderr[-2000:]}")
    return wall, cpu, p.stdout


def main():
    ecr = boto3.client("ecr", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"],
                       aws_access_key_id="sandbox", aws_secret_access_key="sandbox")
    try:
        ecr.create_repository(repositoryName=REPO)
    except ecr.exceptions.RepositoryAlreadyExistsException:
        pass
    token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    password = base64.b64decode(token).decode().split(":", 1)[1]
    ensure_image()
    size = json.loads(sh("docker", "image", "inspect", IMAGE).stdout)[0]["Size"]

    docker_config = tempfile.mkdtemp(prefix="berth-bench-docker-")
    denv = {**os.environ, "DOCKER_CONFIG": docker_config}
    subprocess.run(["docker", "login", "-u", "AWS", "--password-stdin", registry], input=password, text=True,
                   check=True, capture_output=True, env=denv)
    target = f"{registry}/{REPO}:docker"
    sh("docker", "tag", IMAGE, target)

    def docker_push():
        sh(SANDBOX, "registry-reset")
        wall, cpu, _ = timed(["docker", "push", target], env=denv)
        return wall, cpu

    def berth_push():
        sh(SANDBOX, "registry-reset")
        wall, cpu, out = timed([BERTH, "push", IMAGE, f"{REPO}:berth"])
        summary = json.loads(out)
        assert summary["layers_skipped"] == 0, f"not a cold push: {summary}"
        return wall, cpu

    print(f"image {IMAGE}: {size / 1e6:.0f} MB in {LAYERS} layers; {RUNS} runs each after a warm-up", file=sys.stderr)
    docker_push(), berth_push()  # warm-up: caches, page cache, the engine's first push
    d, b = [], []
    for i in range(RUNS):
        order = [("docker", docker_push), ("berth", berth_push)]
        if i % 2:
            order.reverse()
        for name, run in order:
            wall, cpu = run()
            (d if name == "docker" else b).append((wall, cpu))
            print(f"  run {i + 1} {name:6} {wall:6.2f} s  (CPU of the client {cpu:.2f} s)", file=sys.stderr)
    sh("docker", "rmi", target)

    med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
    result = {
        "image_bytes": size, "layers": LAYERS, "runs": RUNS,
        "docker_push_seconds": [x[0] for x in d], "berth_push_seconds": [x[0] for x in b],
        "docker_median_seconds": med(d, 0), "berth_median_seconds": med(b, 0),
        "ratio_berth_to_docker": med(b, 0) / med(d, 0),
        "berth_cpu_seconds_median": med(b, 1), "docker_cli_cpu_seconds_median": med(d, 1),
        "target_ratio": 1.02,
    }
    with open(OUT, "w") as f:
        json.dump(result, f, indent=2)
    print(f"""
push of {size / 1e6:.0f} MB, median of {RUNS}:
  docker push   {result['docker_median_seconds']:6.2f} s   (docker CLI CPU {result['docker_cli_cpu_seconds_median']:.2f} s)
  berth push    {result['berth_median_seconds']:6.2f} s   (berth CPU {result['berth_cpu_seconds_median']:.2f} s)
  ratio berth/docker = {result['ratio_berth_to_docker']:.3f}  (target <= 1.02)""")


main()
