//! Cross-crate: `berth copy` and `berth registries` against the sandbox — the same registry
//! (mounts), another region, the plain OCI registry (htpasswd) both ways, an index whole, a
//! Docker credential helper, a cancelled copy, a copy resumed after the destination
//! restarted, tags page by page — each result read back by skopeo, a client Berth did not
//! write, for its digest.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, ensure, Context, Result};
use berth_tests::{bin, root, sandbox_var};
use serde_json::Value;

/// BLOB_MOUNTING is one setting per account and region: the tests that need it take turns.
static SETTINGS: Mutex<()> = Mutex::new(());

fn nonce() -> String {
    let n = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_nanos();
    format!("{}", n % 10_000_000_000)
}

fn scratch(name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("berth-copy-{name}-{}-{}", std::process::id(), nonce()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A Docker configuration holding the plain registry's credentials under `auths`.
fn docker_config_with_auths() -> Result<PathBuf> {
    use base64::Engine as _;
    let dir = scratch("docker-config")?;
    let user = sandbox_var("OCI_REGISTRY_USER");
    let password = sandbox_var("OCI_REGISTRY_PASSWORD");
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let config = serde_json::json!({"auths": {sandbox_var("OCI_REGISTRY"): {"auth": auth}}});
    std::fs::write(dir.join("config.json"), config.to_string())?;
    Ok(dir)
}

struct Run {
    ok: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn berth_in(docker_config: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Result<Run> {
    let config_dir = scratch("config")?;
    let mut c = Command::new(bin("berth"));
    c.args(args).env("DOCKER_CONFIG", docker_config).env("BERTH_CONFIG_DIR", &config_dir);
    for (k, v) in extra_env {
        c.env(k, v);
    }
    let out = c.stdin(Stdio::null()).output().with_context(|| format!("run berth {args:?}"))?;
    Ok(Run {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// `berth copy … --json` that must succeed: its summary.
fn copy(docker_config: &Path, args: &[&str]) -> Result<Value> {
    let mut all = vec!["copy"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = berth_in(docker_config, &all, &[])?;
    ensure!(run.ok, "berth {all:?} failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).with_context(|| format!("no JSON summary: {}", run.stdout))
}

fn berth_ok(args: &[&str]) -> Result<String> {
    let run = berth_in(&scratch("no-docker")?, args, &[])?;
    ensure!(run.ok, "berth {args:?} failed: {}", run.stderr);
    Ok(run.stdout)
}

fn aws(region: &str, args: &[&str]) -> Result<Value> {
    let cli = std::env::var_os("BERTH_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/tools"))
        .join("awscli-venv/bin/aws");
    let out = Command::new(&cli)
        .args(args)
        .args(["--region", region, "--endpoint-url", &sandbox_var("AWS_ENDPOINT_URL"), "--output", "json"])
        .output()
        .with_context(|| format!("run {}", cli.display()))?;
    ensure!(out.status.success(), "aws {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    Ok(serde_json::from_str(&text)?)
}

fn ecr_password(region: &str) -> Result<String> {
    let cli = std::env::var_os("BERTH_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/tools"))
        .join("awscli-venv/bin/aws");
    let out = Command::new(cli)
        .args(["ecr", "get-login-password", "--region", region, "--endpoint-url", &sandbox_var("AWS_ENDPOINT_URL")])
        .output()?;
    ensure!(out.status.success(), "get-login-password: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A registry as skopeo reaches it: host and `user:password`.
struct Reader {
    host: String,
    creds: String,
}

fn ecr_reader(region: &str) -> Result<Reader> {
    let host = match region {
        "us-west-2" => sandbox_var("SANDBOX_REGISTRY_US_WEST_2"),
        _ => sandbox_var("SANDBOX_REGISTRY"),
    };
    Ok(Reader { host, creds: format!("AWS:{}", ecr_password(region)?) })
}

fn oci_reader() -> Reader {
    Reader {
        host: sandbox_var("OCI_REGISTRY"),
        creds: format!("{}:{}", sandbox_var("OCI_REGISTRY_USER"), sandbox_var("OCI_REGISTRY_PASSWORD")),
    }
}

/// The digest of `repository:reference` as skopeo reads it (sha256 of the raw manifest).
fn skopeo_digest(reader: &Reader, repository: &str, reference: &str) -> Result<String> {
    use sha2::Digest;
    let separator = if reference.starts_with("sha256:") { "@" } else { ":" };
    let image = format!("docker://{}/{repository}{separator}{reference}", reader.host);
    let out = Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false", "--creds", &reader.creds, &image])
        .output()
        .context("run skopeo (make deps installs it)")?;
    ensure!(out.status.success(), "skopeo inspect {image}: {}", String::from_utf8_lossy(&out.stderr));
    Ok(format!("sha256:{:x}", sha2::Sha256::digest(&out.stdout)))
}

fn create_repository(name: &str, region: &str) -> Result<()> {
    berth_ok(&["repos", "create", name, "--region", region]).map(|_| ())
}

/// Push an image of random layers (`sizes` in bytes) to the plain registry with curl, one
/// monolithic upload a blob; answers the manifest digest.
fn push_random_image(repository: &str, tag: &str, sizes: &[usize]) -> Result<String> {
    use sha2::Digest;
    let host = sandbox_var("OCI_REGISTRY");
    let creds = format!("{}:{}", sandbox_var("OCI_REGISTRY_USER"), sandbox_var("OCI_REGISTRY_PASSWORD"));
    let dir = scratch("blobs")?;
    let upload = |bytes: &[u8]| -> Result<(String, usize)> {
        let digest = format!("sha256:{:x}", sha2::Sha256::digest(bytes));
        let file = dir.join(digest.replace(':', "-"));
        std::fs::write(&file, bytes)?;
        let out = Command::new("curl")
            .args(["-fsS", "-u", &creds, "-X", "POST", "-D", "-", "-o", "/dev/null"])
            .arg(format!("http://{host}/v2/{repository}/blobs/uploads/"))
            .output()?;
        ensure!(out.status.success(), "start upload: {}", String::from_utf8_lossy(&out.stderr));
        let headers = String::from_utf8_lossy(&out.stdout);
        let location = headers
            .lines()
            .find_map(|l| l.strip_prefix("Location: ").or_else(|| l.strip_prefix("location: ")))
            .context("no Location")?
            .trim()
            .to_string();
        let url = format!("{location}{}digest={digest}", if location.contains('?') { "&" } else { "?" });
        let out = Command::new("curl")
            .args(["-fsS", "-u", &creds, "-X", "PUT", "-H", "Content-Type: application/octet-stream", "--data-binary"])
            .arg(format!("@{}", file.display()))
            .arg(&url)
            .output()?;
        ensure!(out.status.success(), "upload: {}", String::from_utf8_lossy(&out.stderr));
        let _ = std::fs::remove_file(&file);
        Ok((digest, bytes.len()))
    };
    let mut layers = Vec::new();
    let mut diff_ids = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let mut bytes = vec![0u8; *size];
        // Cheap pseudo-random bytes (xorshift), distinct per test run and layer.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ (nonce().parse::<u64>().unwrap_or(1)) ^ (i as u64 + 1);
        for chunk in bytes.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let b = x.to_le_bytes();
            chunk.copy_from_slice(&b[..chunk.len()]);
        }
        let (digest, size) = upload(&bytes)?;
        diff_ids.push(digest.clone());
        layers.push(
            serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest, "size": size}),
        );
    }
    let config =
        serde_json::json!({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}});
    let (config_digest, config_size) = upload(config.to_string().as_bytes())?;
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
        "layers": layers,
    })
    .to_string();
    let file = dir.join("manifest.json");
    std::fs::write(&file, &manifest)?;
    let out = Command::new("curl")
        .args(["-fsS", "-u", &creds, "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.manifest.v1+json"])
        .arg("--data-binary")
        .arg(format!("@{}", file.display()))
        .arg(format!("http://{host}/v2/{repository}/manifests/{tag}"))
        .output()?;
    ensure!(out.status.success(), "manifest: {}", String::from_utf8_lossy(&out.stderr));
    Ok(format!("sha256:{:x}", sha2::Sha256::digest(manifest.as_bytes())))
}

fn source_digest(repository: &str, tag: &str) -> Result<String> {
    let out = aws(
        "us-east-1",
        &["ecr", "describe-images", "--repository-name", repository, "--image-ids", &format!("imageTag={tag}")],
    )?;
    out["imageDetails"][0]["imageDigest"].as_str().map(str::to_string).context("no digest")
}

fn set_blob_mounting(value: &str) -> Result<()> {
    berth_ok(&["registry", "settings", "set", "BLOB_MOUNTING", value]).map(|_| ())
}

#[test]
fn within_one_registry_every_blob_is_mounted_and_the_digest_kept() -> Result<()> {
    let _turn = SETTINGS.lock().unwrap_or_else(|e| e.into_inner());
    let destination = format!("copy/mount-{}", nonce());
    create_repository(&destination, "us-east-1")?;
    let expected = source_digest("api/orders", "1.0.0")?;
    set_blob_mounting("ENABLED")?;
    let result = copy(&scratch("dc")?, &["api/orders:1.0.0", &format!("{destination}:promoted")]);
    set_blob_mounting("DISABLED")?;
    let summary = result?;
    assert_eq!(summary["digest"], expected.as_str());
    assert!(summary["blobs_mounted"].as_u64() > Some(0), "{summary}");
    assert_eq!(summary["blobs_copied"], 0, "{summary}");
    assert_eq!(summary["bytes_copied"], 0, "{summary}");
    assert_eq!(skopeo_digest(&ecr_reader("us-east-1")?, &destination, "promoted")?, expected);
    // BLOB_MOUNTING off: ECR answers a mount with an upload, and the bytes are sent.
    let other = format!("copy/mount-off-{}", nonce());
    create_repository(&other, "us-east-1")?;
    let summary = copy(&scratch("dc")?, &["api/orders:1.0.0", &format!("{other}:x")])?;
    assert_eq!(summary["blobs_mounted"], 0, "{summary}");
    assert_eq!(summary["digest"], expected.as_str());
    Ok(())
}

#[test]
fn another_region_receives_the_same_digest() -> Result<()> {
    let destination = format!("copy/region-{}", nonce());
    create_repository(&destination, "us-west-2")?;
    let expected = source_digest("api/orders", "1.1.0")?;
    let summary = copy(&scratch("dc")?, &["api/orders:1.1.0", &destination, "--to-region", "us-west-2"])?;
    assert_eq!(summary["digest"], expected.as_str());
    assert_eq!(summary["tags"], serde_json::json!(["1.1.0"]), "the source's tag by default");
    assert!(summary["blobs_copied"].as_u64() > Some(0));
    assert_eq!(skopeo_digest(&ecr_reader("us-west-2")?, &destination, "1.1.0")?, expected);
    let listed = aws("us-west-2", &["ecr", "describe-images", "--repository-name", &destination])?;
    assert_eq!(listed["imageDetails"][0]["imageDigest"], expected.as_str(), "ECR lists it");
    // Again: every blob is there already.
    let summary = copy(&scratch("dc")?, &["api/orders:1.1.0", &destination, "--to-region", "us-west-2"])?;
    assert_eq!(summary["blobs_copied"], 0, "{summary}");
    Ok(())
}

/// A shared config with a profile `prod` of the sandbox's second account.
fn prod_profile() -> Result<Vec<(String, String)>> {
    let dir = scratch("prod-profile")?;
    std::fs::write(dir.join("config"), "[profile prod]\nregion = us-east-1\n")?;
    std::fs::write(
        dir.join("credentials"),
        format!(
            "[prod]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            sandbox_var("SANDBOX_PROD_ACCESS_KEY_ID"),
            sandbox_var("SANDBOX_PROD_SECRET_ACCESS_KEY")
        ),
    )?;
    Ok(vec![
        ("AWS_CONFIG_FILE".into(), dir.join("config").display().to_string()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), dir.join("credentials").display().to_string()),
    ])
}

/// The AWS CLI as the prod account.
fn aws_prod(args: &[&str]) -> Result<Value> {
    let cli = root().join("target/tools/awscli-venv/bin/aws");
    let out = Command::new(&cli)
        .args(args)
        .args(["--region", "us-east-1", "--endpoint-url", &sandbox_var("AWS_ENDPOINT_URL"), "--output", "json"])
        .env("AWS_ACCESS_KEY_ID", sandbox_var("SANDBOX_PROD_ACCESS_KEY_ID"))
        .env("AWS_SECRET_ACCESS_KEY", sandbox_var("SANDBOX_PROD_SECRET_ACCESS_KEY"))
        .output()?;
    ensure!(out.status.success(), "aws (prod) {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    Ok(serde_json::from_slice(&out.stdout)?)
}

#[test]
fn another_account_receives_the_same_digest_by_profile_or_by_uri() -> Result<()> {
    let env = prod_profile()?;
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let prod = sandbox_var("SANDBOX_PROD_ACCOUNT");
    let repository = format!("copy/prod-{}", nonce());
    aws_prod(&["ecr", "create-repository", "--repository-name", &repository])?;
    let expected = source_digest("api/orders", "1.1.0")?;
    let dc = scratch("dc")?;
    let run = berth_in(
        &dc,
        &["copy", "api/orders:1.1.0", &format!("{repository}:promoted"), "--to-profile", "prod", "--json"],
        &env,
    )?;
    ensure!(run.ok, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("in {prod} · us-east-1")), "the job names both accounts: {}", run.stderr);
    assert!(run.stderr.contains("in 000000000000 · us-east-1"), "{}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout)?;
    assert_eq!(summary["digest"], expected.as_str());
    let listed =
        aws_prod(&["ecr", "describe-images", "--repository-name", &repository, "--image-ids", "imageTag=promoted"])?;
    assert_eq!(listed["imageDetails"][0]["imageDigest"], expected.as_str());
    // The source account does not see it: each account has its own registry.
    assert!(aws("us-east-1", &["ecr", "describe-repositories", "--repository-names", &repository]).is_err());
    // By its full URI: the profile of that account is found.
    let uri = format!("{prod}.dkr.ecr.us-east-1.amazonaws.com/{repository}:by-uri");
    let run = berth_in(&dc, &["copy", "api/orders:1.1.0", &uri, "--json"], &env)?;
    ensure!(run.ok, "{}", run.stderr);
    let listed =
        aws_prod(&["ecr", "describe-images", "--repository-name", &repository, "--image-ids", "imageTag=by-uri"])?;
    assert_eq!(listed["imageDetails"][0]["imageDigest"], expected.as_str());
    Ok(())
}

#[test]
fn a_public_repository_with_catalog_data_receives_a_copy_and_gives_it_back() -> Result<()> {
    let dc = scratch("dc")?;
    let name = format!("copy-public-{}", nonce());
    let run = berth_in(
        &dc,
        &[
            "repos",
            "create",
            &name,
            "--public",
            "--description",
            "Berth's test tools",
            "--about",
            "# About",
            "--usage",
            "docker pull it",
            "--architecture",
            "x86-64",
            "--os",
            "Linux",
            "--json",
        ],
        &[],
    )?;
    ensure!(run.ok, "{}", run.stderr);
    let created: Value = serde_json::from_str(&run.stdout)?;
    let uri = created["uri"].as_str().context("uri")?.to_string();
    assert!(uri.starts_with("public.ecr.aws/") && uri.ends_with(&name), "{uri}");
    let cli = root().join("target/tools/awscli-venv/bin/aws");
    let public = |args: &[&str]| -> Result<Value> {
        let out = Command::new(&cli)
            .arg("ecr-public")
            .args(args)
            .args(["--region", "us-east-1", "--endpoint-url", &sandbox_var("AWS_ENDPOINT_URL"), "--output", "json"])
            .output()?;
        ensure!(out.status.success(), "aws ecr-public {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        Ok(serde_json::from_slice(&out.stdout)?)
    };
    let catalog = public(&["get-repository-catalog-data", "--repository-name", &name])?;
    assert_eq!(catalog["catalogData"]["description"], "Berth's test tools");
    assert_eq!(catalog["catalogData"]["architectures"], serde_json::json!(["x86-64"]));
    assert_eq!(catalog["catalogData"]["usageText"], "docker pull it");

    let expected = source_digest("web", "1")?;
    let summary = copy(&dc, &["web:1", &format!("{uri}:1")])?;
    assert_eq!(summary["digest"], expected.as_str());
    let images = public(&["describe-images", "--repository-name", &name])?;
    assert_eq!(images["imageDetails"][0]["imageDigest"], expected.as_str(), "ECR Public lists the push");
    let back = format!("copy/from-public-{}", nonce());
    create_repository(&back, "us-east-1")?;
    let summary = copy(&dc, &[&format!("{uri}:1"), &format!("{back}:1")])?;
    assert_eq!(summary["digest"], expected.as_str());
    let run = berth_in(&dc, &["repos", "list", "--public", "--json"], &[])?;
    assert!(run.ok && run.stdout.contains(&name), "{}", run.stderr);
    let run = berth_in(&dc, &["repos", "delete", &name, "--public", "--force", "--yes"], &[])?;
    ensure!(run.ok, "{}", run.stderr);
    Ok(())
}

#[test]
fn an_index_from_the_plain_registry_arrives_whole_and_goes_back() -> Result<()> {
    let dc = docker_config_with_auths()?;
    let oci = oci_reader();
    let expected = skopeo_digest(&oci, "team/library/alpine", "3")?;
    let destination = format!("copy/index-{}", nonce());
    create_repository(&destination, "us-east-1")?;
    let source = format!("{}/team/library/alpine:3", oci.host);
    let summary = copy(&dc, &[&source, &format!("{destination}:3")])?;
    assert_eq!(summary["digest"], expected.as_str());
    assert_eq!(summary["manifests"], 3, "the index and its two manifests: {summary}");
    let ecr = ecr_reader("us-east-1")?;
    assert_eq!(skopeo_digest(&ecr, &destination, "3")?, expected);
    let raw = Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false", "--creds", &oci.creds, &format!("docker://{source}")])
        .output()?;
    let index: Value = serde_json::from_slice(&raw.stdout)?;
    for m in index["manifests"].as_array().context("manifests")? {
        let d = m["digest"].as_str().context("digest")?;
        assert_eq!(skopeo_digest(&ecr, &destination, d)?, d, "each platform's manifest, byte for byte");
    }
    // And back to the plain registry, from ECR, under another name.
    let back = format!("team/copied-{}", nonce());
    let summary = copy(&dc, &[&format!("{destination}:3"), &format!("{}/{back}:3", oci.host)])?;
    assert_eq!(summary["digest"], expected.as_str());
    assert_eq!(skopeo_digest(&oci, &back, "3")?, expected);
    Ok(())
}

#[test]
fn credentials_come_from_a_docker_credential_helper() -> Result<()> {
    let dir = scratch("helper")?;
    let asked = dir.join("asked");
    let helper = dir.join("docker-credential-test");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread host\necho \"$host\" >> {}\n\
             if [ \"$host\" = \"{}\" ]; then printf '{{\"ServerURL\":\"%s\",\"Username\":\"{}\",\"Secret\":\"{}\"}}' \"$host\"; \
             else echo 'credentials not found in native keychain'; exit 1; fi\n",
            asked.display(),
            sandbox_var("OCI_REGISTRY"),
            sandbox_var("OCI_REGISTRY_USER"),
            sandbox_var("OCI_REGISTRY_PASSWORD")
        ),
    )?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755))?;
    let config = serde_json::json!({"credHelpers": {sandbox_var("OCI_REGISTRY"): "test"}});
    std::fs::write(dir.join("config.json"), config.to_string())?;
    let path = format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default());
    let oci = oci_reader();
    let target = format!("{}/team/helper-{}:1", oci.host, nonce());
    let run = berth_in(&dir, &["copy", "web:1", &target, "--json"], &[("PATH", &path)])?;
    ensure!(run.ok, "copy with the helper failed: {}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout)?;
    let asked = std::fs::read_to_string(&asked).context("the helper was not asked")?;
    assert!(asked.lines().any(|l| l == oci.host), "asked for {asked}");
    let (repository, tag) = target[oci.host.len() + 1..].split_once(':').context("tag")?;
    assert_eq!(skopeo_digest(&oci, repository, tag)?, summary["digest"].as_str().unwrap_or_default());
    // Without the helper on PATH: what is missing, and what to do.
    let run = berth_in(&dir, &["copy", "web:1", &target], &[("PATH", "/usr/bin:/bin")])?;
    assert!(!run.ok);
    assert!(run.stderr.contains("docker-credential-test") && run.stderr.contains("Install it"), "{}", run.stderr);
    Ok(())
}

/// Start `berth copy` and send SIGINT as soon as it says it is copying.
fn copy_interrupted(dc: &Path, source: &str, destination: &str) -> Result<Run> {
    let mut child = Command::new(bin("berth"))
        .args(["copy", source, destination])
        .env("DOCKER_CONFIG", dc)
        .env("BERTH_CONFIG_DIR", scratch("config")?)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().context("stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line?;
        seen.push_str(&line);
        seen.push('\n');
        if line.starts_with("berth: copying") {
            let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status()?;
            ensure!(status.success(), "kill -INT");
            break;
        }
    }
    for line in lines {
        seen.push_str(&line?);
        seen.push('\n');
    }
    let out = child.wait_with_output()?;
    Ok(Run {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: seen,
    })
}

#[test]
fn a_cancelled_copy_leaves_no_tag_and_the_next_one_skips_what_arrived() -> Result<()> {
    let dc = docker_config_with_auths()?;
    let repository = format!("team/big-{}", nonce());
    let expected = push_random_image(&repository, "1", &[96 << 20, 96 << 20, 64 << 20, 1 << 20])?;
    let destination = format!("copy/cancel-{}", nonce());
    create_repository(&destination, "us-east-1")?;
    let source = format!("{}/{repository}:1", sandbox_var("OCI_REGISTRY"));
    let run = copy_interrupted(&dc, &source, &format!("{destination}:1"))?;
    assert!(!run.ok, "the copy was interrupted: {}", run.stderr);
    assert_eq!(run.code, Some(130), "{}", run.stderr);
    assert!(run.stderr.contains("no tag was written"), "{}", run.stderr);
    let listed = aws("us-east-1", &["ecr", "list-images", "--repository-name", &destination])?;
    let tagged: Vec<&Value> =
        listed["imageIds"].as_array().into_iter().flatten().filter(|i| i.get("imageTag").is_some()).collect();
    assert!(tagged.is_empty(), "no tag after a cancelled copy: {listed}");
    let summary = copy(&dc, &[&source, &format!("{destination}:1")])?;
    assert_eq!(summary["digest"], expected.as_str());
    let total = summary["blobs_copied"].as_u64().unwrap_or(0) + summary["blobs_skipped"].as_u64().unwrap_or(0);
    assert_eq!(total, 5, "four layers and the config, each copied or found: {summary}");
    assert_eq!(skopeo_digest(&ecr_reader("us-east-1")?, &destination, "1")?, expected);
    Ok(())
}

#[test]
fn a_copy_stopped_by_a_destination_restart_completes_on_the_next_try() -> Result<()> {
    let dc = docker_config_with_auths()?;
    let source_repository = format!("team/restart-{}", nonce());
    let expected = push_random_image(&source_repository, "1", &[128 << 20, 64 << 20])?;
    let source = format!("{}/{source_repository}:1", sandbox_var("OCI_REGISTRY"));
    let destination = format!("copy/restart-{}", nonce());
    create_repository(&destination, "us-west-2")?;
    let sandbox = root().join("scripts/sandbox/sandbox");
    let mut child = Command::new(bin("berth"))
        .args(["copy", &source, &destination, "--to-region", "us-west-2"])
        .env("DOCKER_CONFIG", &dc)
        .env("BERTH_CONFIG_DIR", scratch("config")?)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().context("stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        if line?.starts_with("berth: copying") {
            let restarted = Command::new(&sandbox).args(["restart-backend", "backend-us-west-2"]).status()?;
            ensure!(restarted.success(), "sandbox restart-backend");
            break;
        }
    }
    let rest: Vec<String> = lines.map_while(|l| l.ok()).collect();
    let first = child.wait()?;
    if first.success() {
        eprintln!("note: the first copy finished before the restart reached it");
    } else {
        let text = rest.join("\n");
        assert!(text.contains("berth: "), "a failure says what went wrong: {text}");
    }
    let started = Instant::now();
    let summary = copy(&dc, &[&source, &destination, "--to-region", "us-west-2"])?;
    eprintln!("resumed in {:?}: {summary}", started.elapsed());
    assert_eq!(summary["digest"], expected.as_str());
    assert_eq!(skopeo_digest(&ecr_reader("us-west-2")?, &destination, "1")?, expected);
    Ok(())
}

#[test]
fn tags_of_a_plain_registry_are_listed_page_by_page() -> Result<()> {
    let dc = docker_config_with_auths()?;
    let oci = oci_reader();
    let repository = format!("team/many-tags-{}", nonce());
    let tags: Vec<String> = (0..230).map(|i| format!("v{i:03}")).collect();
    let mut args = vec!["copy".to_string(), "web:1".into(), format!("{}/{repository}", oci.host), "--json".into()];
    for t in &tags {
        args.push("--tag".into());
        args.push(t.clone());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = berth_in(&dc, &refs, &[])?;
    ensure!(run.ok, "copy with 230 tags: {}", run.stderr);
    let run = berth_in(&dc, &["registries", "tags", &format!("{}/{repository}", oci.host), "--json"], &[])?;
    ensure!(run.ok, "{}", run.stderr);
    let mut listed: Vec<String> = serde_json::from_str(&run.stdout)?;
    listed.sort();
    assert_eq!(listed, tags, "every tag, across three pages of 100");
    let out = Command::new("skopeo")
        .args([
            "list-tags",
            "--tls-verify=false",
            "--creds",
            &oci.creds,
            &format!("docker://{}/{repository}", oci.host),
        ])
        .output()?;
    let skopeo: Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(skopeo["Tags"].as_array().map(Vec::len), Some(230), "skopeo agrees");
    let run = berth_in(&dc, &["registries", "repos", &oci.host, "--json"], &[])?;
    ensure!(run.ok, "{}", run.stderr);
    assert!(run.stdout.contains(&repository), "the catalog lists it: {}", run.stdout);
    Ok(())
}

#[test]
fn bad_copies_are_refused_before_any_byte_moves() -> Result<()> {
    let dc = scratch("dc")?;
    let cases: [(&[&str], &str, Option<i32>); 6] = [
        (&["api/orders:1.1.0", "copy/missing-repo:1"], "does not exist", Some(1)),
        (&["api/orders:1.1.0", "api/payments:1.0.0"], "immutable", Some(1)),
        (&["Web:1", "web:2"], "", Some(2)),
        (&["web:1", "public.ecr.aws/alias/web:1"], "not this account's public registry", Some(1)),
        (
            &["web:1", "web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
            "not a digest",
            Some(2),
        ),
        (&["web:1", "web:1"], "its own destination", Some(2)),
    ];
    for (args, words, code) in cases {
        let mut all = vec!["copy"];
        all.extend_from_slice(args);
        let run = berth_in(&dc, &all, &[])?;
        assert!(!run.ok, "{args:?} was accepted");
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(words), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("copying"), "{args:?} started: {}", run.stderr);
    }
    // A registry that does not answer.
    let run = berth_in(&dc, &["copy", "127.0.0.1:9/team/x:1", "web:unreachable"], &[])?;
    assert!(!run.ok);
    assert!(run.stderr.contains("cannot be reached"), "{}", run.stderr);
    if run.stderr.contains("panicked") {
        bail!("{}", run.stderr);
    }
    Ok(())
}

#[test]
fn registries_hold_credentials_in_the_keychain_only() -> Result<()> {
    let config_dir = scratch("held")?;
    let host = sandbox_var("OCI_REGISTRY");
    let add = |password: &str| -> Result<Run> {
        use std::io::Write;
        let mut child = Command::new(bin("berth"))
            .args(["registries", "add", &host, "--username", &sandbox_var("OCI_REGISTRY_USER")])
            .env("BERTH_CONFIG_DIR", &config_dir)
            .env("DOCKER_CONFIG", &config_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        child.stdin.take().context("stdin")?.write_all(format!("{password}\n").as_bytes())?;
        let out = child.wait_with_output()?;
        Ok(Run {
            ok: out.status.success(),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    };
    let wrong = add("not-the-password")?;
    assert!(!wrong.ok && wrong.stderr.contains("refused the user name and password"), "{}", wrong.stderr);
    let password = sandbox_var("OCI_REGISTRY_PASSWORD");
    let right = add(&password)?;
    ensure!(right.ok, "{}", right.stderr);
    let settings = std::fs::read_to_string(config_dir.join("config.json"))?;
    assert!(settings.contains(&host) && !settings.contains(&password), "the file names the host, never the password");
    let run = |args: &[&str]| -> Result<std::process::Output> {
        Ok(Command::new(bin("berth"))
            .args(args)
            .env("BERTH_CONFIG_DIR", &config_dir)
            .env("DOCKER_CONFIG", &config_dir)
            .output()?)
    };
    let out = run(&["copy", &format!("{host}/team/library/busybox:1"), &format!("{host}/team/held-{}:1", nonce())])?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["registries", "list", "--json"])?;
    let listed: Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(listed[0]["host"], host.as_str());
    let out = run(&["registries", "remove", &host])?;
    assert!(out.status.success());
    let out = run(&["copy", &format!("{host}/team/library/busybox:1"), &format!("{host}/team/held-{}:1", nonce())])?;
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && text.contains("Berth has no credentials"), "{text}");
    // Into that registry from ECR: refused at the first blob, with the same way out, and the
    // digest named as a digest.
    let out = run(&["copy", "api/orders:1.1.0", &format!("{host}/team/held-{}:1", nonce())])?;
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && text.contains("Berth has no credentials"), "{text}");
    assert!(text.contains(&format!("`docker login {host}`")) && !text.contains(":sha256:"), "{text}");
    Ok(())
}

/// A local image of two layers of random bytes (`docker build`, no BuildKit).
fn build_local_image(name: &str) -> Result<String> {
    let dir = scratch(name)?;
    let mut x = nonce().parse::<u64>().unwrap_or(7) | 1;
    for i in 0..2 {
        let mut bytes = vec![0u8; 3 << 20];
        for b in bytes.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        std::fs::write(dir.join(format!("l{i}")), bytes)?;
    }
    std::fs::write(dir.join("Dockerfile"), "FROM scratch\nCOPY l0 /l0\nCOPY l1 /l1\nCMD [\"/l0\"]\n")?;
    let tag = format!("berth-test/{name}:{}", nonce().parse::<u64>().unwrap_or(0) % 1_000_000);
    let out =
        Command::new("docker").env("DOCKER_BUILDKIT", "0").args(["build", "-q", "-t", &tag]).arg(&dir).output()?;
    ensure!(out.status.success(), "docker build: {}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(tag)
}

/// The config digest skopeo reads from `repository:tag`'s manifest.
fn skopeo_config_digest(reader: &Reader, repository: &str, tag: &str) -> Result<String> {
    let image = format!("docker://{}/{repository}:{tag}", reader.host);
    let out = Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false", "--creds", &reader.creds, &image])
        .output()?;
    ensure!(out.status.success(), "skopeo inspect {image}: {}", String::from_utf8_lossy(&out.stderr));
    let manifest: Value = serde_json::from_slice(&out.stdout)?;
    manifest["config"]["digest"].as_str().map(str::to_string).context("no config digest")
}

#[test]
fn a_local_image_goes_to_ecr_and_to_a_plain_registry_through_the_engines_export() -> Result<()> {
    sandbox_var("DOCKER_HOST");
    let dc = docker_config_with_auths()?;
    let local = build_local_image("local-source")?;
    let out = Command::new("docker").args(["image", "inspect", "--format", "{{.Id}}", &local]).output()?;
    let image_id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    ensure!(image_id.starts_with("sha256:"), "docker image inspect: {image_id}");

    // Into ECR: the tag of the local name, the image id kept as the config digest.
    let destination = format!("copy/local-{}", nonce());
    create_repository(&destination, "us-east-1")?;
    let summary = copy(&dc, &[&format!("local:{local}"), &destination])?;
    let (_, tag) = local.rsplit_once(':').context("tag")?;
    assert_eq!(summary["tags"], serde_json::json!([tag]), "{summary}");
    assert_eq!(summary["blobs_copied"], 3, "the config and two layers: {summary}");
    assert!(summary["bytes_copied"].as_u64().unwrap_or(0) > 6 << 20, "{summary}");
    let digest = summary["digest"].as_str().context("digest")?.to_string();
    let ecr = ecr_reader("us-east-1")?;
    assert_eq!(skopeo_digest(&ecr, &destination, tag)?, digest, "skopeo reads the same manifest");
    assert_eq!(skopeo_config_digest(&ecr, &destination, tag)?, image_id, "the engine's config, as it is");
    assert_eq!(source_digest(&destination, tag)?, digest, "ECR lists it");

    // Into the plain registry under another tag; a second copy finds every blob there.
    let oci = oci_reader();
    let repository = format!("team/local-{}", nonce());
    let target = format!("{}/{repository}:exported", oci.host);
    let first = copy(&dc, &[&format!("local:{local}"), &target])?;
    assert_eq!(skopeo_digest(&oci, &repository, "exported")?, first["digest"].as_str().unwrap_or_default());
    let again = copy(&dc, &[&format!("local:{local}"), &target])?;
    assert_eq!(again["blobs_skipped"], 3, "{again}");
    assert_eq!(again["bytes_copied"], 0, "{again}");

    // An image the engine does not have, and a local destination: refused, saying what to do.
    let run = berth_in(&dc, &["copy", "local:berth-test/absent:1", &destination], &[])?;
    assert!(!run.ok && run.stderr.contains("does not exist"), "{}", run.stderr);
    let run = berth_in(&dc, &["copy", &destination, "local:web:1"], &[])?;
    assert!(!run.ok && run.stderr.contains("pull it with docker"), "{}", run.stderr);
    let _ = Command::new("docker").args(["rmi", &local]).output();
    Ok(())
}
