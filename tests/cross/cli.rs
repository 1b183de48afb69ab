//! Cross-crate: what the docker CLI pushes into the sandbox registry shows up in
//! `berth images list` with the digest the registry reports.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{ensure, Context, Result};
use berth_tests::{bin, eventually, sandbox_var};

fn run(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().with_context(|| format!("run {cmd:?}"))?;
    ensure!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn docker(config: &Path) -> Command {
    let mut c = Command::new("docker");
    c.env("DOCKER_CONFIG", config).env("DOCKER_BUILDKIT", "0");
    c
}

#[tokio::test]
async fn a_tag_pushed_with_docker_appears_in_berth_with_the_registry_digest() -> Result<()> {
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let work = tempdir("push")?;
    let config = work.join("docker-config");
    std::fs::create_dir_all(&config)?;

    // Log in as the ECR API says (user AWS, the token's password).
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    let creds = aws.registry_credentials().await?;
    let mut login = docker(&config);
    login.args(["login", "-u", &creds.username, "--password-stdin", &registry]);
    login.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped());
    let mut child = login.spawn()?;
    std::io::Write::write_all(child.stdin.as_mut().context("stdin")?, creds.password.expose().as_bytes())?;
    let status = child.wait_with_output()?;
    ensure!(status.status.success(), "docker login: {}", String::from_utf8_lossy(&status.stderr));

    // A new image with unique content, so its digest is new.
    let nonce = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos();
    std::fs::write(work.join("unique.txt"), format!("berth cross test {nonce}\n"))?;
    std::fs::write(work.join("Dockerfile"), "FROM scratch\nCOPY unique.txt /unique.txt\n")?;
    let tag = format!("cross-{nonce}");
    let target = format!("{registry}/web:{tag}");
    run(docker(&config).args(["build", "-q", "-t", &target]).arg(&work))?;
    let pushed = run(docker(&config).args(["push", &target]))?;
    let _ = run(docker(&config).args(["rmi", &target]));
    let docker_digest = pushed
        .split_whitespace()
        .find(|w| w.starts_with("sha256:"))
        .context("docker push printed no digest")?
        .to_string();

    // What the registry itself reports for the tag (plain HTTP HEAD, independent of Berth's code).
    let head = run(Command::new("curl").args([
        "-sfI",
        "-u",
        &format!("AWS:{}", creds.password.expose()),
        "-H",
        "Accept: application/vnd.docker.distribution.manifest.v2+json",
        &format!("http://{registry}/v2/web/manifests/{tag}"),
    ]))?;
    let registry_digest = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("docker-content-digest:").map(|d| d.trim().to_string()))
        .context("no Docker-Content-Digest header")?;
    ensure!(registry_digest == docker_digest, "registry {registry_digest} vs docker {docker_digest}");

    // `berth images list web --json` shows the tag with that digest.
    let listed = eventually("the pushed tag in `berth images list`", Duration::from_secs(20), || async {
        let out = run(Command::new(bin("berth")).args(["images", "list", "web", "--json"]))?;
        let images: serde_json::Value = serde_json::from_str(&out)?;
        Ok(images.as_array().and_then(|a| {
            a.iter().find(|i| i["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == tag.as_str()))).cloned()
        }))
    })
    .await?;
    ensure!(
        listed["digest"] == registry_digest.as_str(),
        "berth says {} for {tag}, the registry {registry_digest}",
        listed["digest"]
    );
    ensure!(listed["size_bytes"].as_u64().unwrap_or(0) > 0);
    ensure!(listed["pushed_at"].is_string());
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

#[test]
fn the_cli_reports_errors_as_code_and_message() -> Result<()> {
    sandbox_var("AWS_ENDPOINT_URL");
    let out = Command::new(bin("berth")).args(["images", "list", "Not Valid", "--json"]).output()?;
    ensure!(out.status.code() == Some(2), "invalid input exits 2, got {:?}", out.status.code());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr)?;
    ensure!(err["error"]["code"] == "invalid_input", "{err}");
    let out = Command::new(bin("berth")).args(["images", "list", "no-such-repo", "--json"]).output()?;
    ensure!(out.status.code() == Some(1));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr)?;
    ensure!(err["error"]["code"] == "not_found", "{err}");
    Ok(())
}

fn tempdir(name: &str) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("berth-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

#[test]
fn profiles_through_the_cli_with_the_secret_on_stdin() -> Result<()> {
    let endpoint = sandbox_var("AWS_ENDPOINT_URL");
    let registry = sandbox_var("SANDBOX_REGISTRY");
    ensure!(
        std::env::var("DBUS_SESSION_BUS_ADDRESS").is_ok(),
        "needs a D-Bus session with an unlocked keyring (make test)"
    );
    let config = tempdir("cli-profiles")?;
    let name = format!("cli-{}", std::process::id());
    let secret = format!("cliSecret{}", std::process::id());
    let berth = |args: &[&str]| {
        let mut c = Command::new(bin("berth"));
        c.env("BERTH_CONFIG_DIR", &config).args(args);
        c
    };

    let mut add = berth(&[
        "profiles",
        "add",
        &name,
        "--access-key-id",
        "AKIAIOSFODNN7CLITEST",
        "--profile-region",
        "us-east-1",
        "--ecr-endpoint",
        &endpoint,
        "--profile-registry-endpoint",
        &registry,
        "--json",
    ]);
    add.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = add.spawn()?;
    std::io::Write::write_all(child.stdin.as_mut().context("stdin")?, format!("{secret}\n").as_bytes())?;
    let out = child.wait_with_output()?;
    ensure!(out.status.success(), "add: {}", String::from_utf8_lossy(&out.stderr));
    let saved: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    ensure!(saved["id"] == format!("app:{name}").as_str(), "{saved}");

    let listed = run(&mut berth(&["profiles", "list", "--json"]))?;
    ensure!(listed.contains(&format!("app:{name}")) && !listed.contains(&secret), "{listed}");
    let test: serde_json::Value = serde_json::from_str(&run(&mut berth(&["profiles", "test", &name, "--json"]))?)?;
    ensure!(test["account"] == "000000000000", "{test}");
    // Without the sandbox's environment keys, --profile alone reaches the sandbox.
    let repos = run(berth(&["--profile", &name, "repos", "list", "--json"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_ENDPOINT_URL"))?;
    ensure!(repos.contains("api/orders"), "{repos}");
    run(&mut berth(&["profiles", "use", &name]))?;
    let settings = std::fs::read_to_string(config.join("config.json"))?;
    ensure!(
        settings.contains(&format!("\"active_profile\": \"app:{name}\"")) && !settings.contains(&secret),
        "{settings}"
    );

    // Removing asks for confirmation: without a terminal, --yes is required.
    let refused = berth(&["profiles", "remove", &name]).stdin(std::process::Stdio::null()).output()?;
    ensure!(refused.status.code() == Some(2), "remove without --yes must refuse");
    run(&mut berth(&["profiles", "remove", &name, "--yes"]))?;
    ensure!(!run(&mut berth(&["profiles", "list", "--json"]))?.contains(&format!("app:{name}")));
    let _ = std::fs::remove_dir_all(&config);
    Ok(())
}

#[tokio::test]
async fn berth_push_reports_the_digest_the_registry_serves() -> Result<()> {
    sandbox_var("SANDBOX_REGISTRY");
    let tag = format!("cli-push-{}", std::process::id());
    let out = Command::new(bin("berth")).args(["push", "demo/tool:1.0", &format!("web:{tag}")]).output()?;
    ensure!(out.status.success(), "berth push: {}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    for key in ["repository", "tags", "digest", "bytes_pushed", "layers_skipped", "seconds"] {
        ensure!(summary.get(key).is_some(), "summary lacks {key}: {summary}");
    }
    ensure!(String::from_utf8_lossy(&out.stderr).contains("pushed sha256:"), "progress goes to stderr");

    let image = eventually("the pushed tag in `berth images list`", Duration::from_secs(20), || async {
        let listed = run(Command::new(bin("berth")).args(["images", "list", "web", "--json"]))?;
        let images: serde_json::Value = serde_json::from_str(&listed)?;
        Ok(images.as_array().and_then(|a| {
            a.iter().find(|i| i["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == tag.as_str()))).cloned()
        }))
    })
    .await?;
    ensure!(image["digest"] == summary["digest"], "{image} vs {summary}");
    Ok(())
}

/// Two images built here that share a base layer, pushed with `berth push`, compared with
/// `berth compare --json`: layer statuses checked against the registry's manifests (read with
/// curl), configuration changes against what the Dockerfiles set; and the local engine's
/// copy of A against the registry's (matched by content).
#[tokio::test]
async fn berth_compare_agrees_with_the_registry() -> Result<()> {
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let work = tempdir("compare")?;
    let nonce = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos();
    std::fs::write(work.join("base.bin"), format!("shared base {nonce}\n").repeat(4000))?;
    std::fs::write(work.join("a.bin"), format!("only in a {nonce}\n"))?;
    std::fs::write(work.join("b.bin"), format!("only in b {nonce}\n"))?;
    let build = |name: &str, file: &str, mode: &str, label: &str| -> Result<String> {
        std::fs::write(
            work.join("Dockerfile"),
            format!("FROM scratch\nCOPY base.bin /base.bin\nCOPY {file} /{file}\nENV MODE={mode}\nLABEL version={label}\nCMD [\"/{file}\"]\n"),
        )?;
        let tag = format!("berth-test/{name}:{nonce}");
        run(Command::new("docker").env("DOCKER_BUILDKIT", "0").args(["build", "-q", "-t", &tag]).arg(&work))?;
        Ok(tag)
    };
    let (a, b) = (build("cmp-a", "a.bin", "a", "1")?, build("cmp-b", "b.bin", "b", "2")?);
    let (ta, tb) = (format!("cmp-a-{nonce}"), format!("cmp-b-{nonce}"));
    run(Command::new(bin("berth")).args(["push", &a, &format!("web:{ta}")]))?;
    run(Command::new(bin("berth")).args(["push", &b, &format!("web:{tb}")]))?;

    let out = run(Command::new(bin("berth")).args(["--json", "compare", &format!("web:{ta}"), &format!("web:{tb}")]))?;
    let c: serde_json::Value = serde_json::from_str(&out)?;
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    let password = aws.registry_credentials().await?.password;
    let manifest_layers = |tag: &str| -> Result<Vec<String>> {
        let body = run(Command::new("curl")
            .args(["-sf", "-u", &format!("AWS:{}", password.expose())])
            .args(["-H", "Accept: application/vnd.docker.distribution.manifest.v2+json"])
            .arg(format!("http://{registry}/v2/web/manifests/{tag}")))?;
        let v: serde_json::Value = serde_json::from_str(&body)?;
        Ok(v["layers"]
            .as_array()
            .context("layers")?
            .iter()
            .filter_map(|l| l["digest"].as_str().map(str::to_string))
            .collect())
    };
    let (la, lb) = (manifest_layers(&ta)?, manifest_layers(&tb)?);
    ensure!(la.len() == 2 && lb.len() == 2 && la[0] == lb[0], "the builds share their base layer: {la:?} {lb:?}");
    let statuses: Vec<(String, String)> = c["layers"]
        .as_array()
        .context("layers")?
        .iter()
        .map(|l| {
            (l["digest"].as_str().unwrap_or_default().to_string(), l["status"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    let expected = vec![
        (la[0].clone(), "shared".to_string()),
        (la[1].clone(), "only_a".to_string()),
        (lb[1].clone(), "only_b".to_string()),
    ];
    ensure!(statuses == expected, "layers {statuses:?}, expected {expected:?}");
    for key in ["reference", "digest", "size", "created", "platform"] {
        ensure!(c["a"].get(key).is_some() && c["b"].get(key).is_some(), "a/b lack {key}: {c}");
    }
    let change =
        |path: &str| c["config_changes"].as_array().and_then(|v| v.iter().find(|x| x["path"] == path)).cloned();
    let mode = change("env.MODE").context("env.MODE changed")?;
    ensure!(mode["a"] == "a" && mode["b"] == "b", "{mode}");
    let label = change("labels.version").context("labels.version changed")?;
    ensure!(label["a"] == "1" && label["b"] == "2", "{label}");
    ensure!(change("cmd").is_some(), "cmd changed: {c}");

    // The engine's copy of A against the registry's: the same content.
    let out = run(Command::new(bin("berth")).args(["--json", "compare", &format!("local:{a}"), &format!("web:{ta}")]))?;
    let local: serde_json::Value = serde_json::from_str(&out)?;
    ensure!(local["matched_by"] == "content", "{local}");
    ensure!(
        local["layers"].as_array().is_some_and(|l| l.len() == 2 && l.iter().all(|x| x["status"] == "shared")),
        "{local}"
    );
    ensure!(local["config_changes"].as_array().is_some_and(|v| v.is_empty()), "{local}");
    let _ = run(Command::new("docker").args(["rmi", &a, &b]));
    Ok(())
}

/// `berth lifecycle preview --images` on DescribeImages-shaped input: ECR's preview shape.
#[tokio::test]
async fn lifecycle_preview_from_a_describe_images_file() -> Result<()> {
    let work = tempdir("lifecycle")?;
    let images = serde_json::json!({"imageDetails": [
        {"imageDigest": "sha256:a", "imageTags": ["v1"], "imagePushedAt": "2026-01-01T00:00:00+00:00"},
        {"imageDigest": "sha256:b", "imageTags": ["v2"], "imagePushedAt": 1767312000.5},
        {"imageDigest": "sha256:c", "imageTags": ["v3"], "imagePushedAt": "2026-01-03T00:00:00Z"},
        {"imageDigest": "sha256:d", "imagePushedAt": "2026-01-04T00:00:00Z"}
    ]});
    std::fs::write(work.join("images.json"), images.to_string())?;
    std::fs::write(
        work.join("policy.json"),
        r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
    )?;
    let out = run(Command::new(bin("berth"))
        .args(["--json", "lifecycle", "preview", "--policy"])
        .arg(work.join("policy.json"))
        .arg("--images")
        .arg(work.join("images.json"))
        .args(["--at", "2026-02-01T00:00:00Z"]))?;
    let v: serde_json::Value = serde_json::from_str(&out)?;
    let digests: Vec<&str> = v["previewResults"]
        .as_array()
        .context("previewResults")?
        .iter()
        .filter_map(|r| r["imageDigest"].as_str())
        .collect();
    ensure!(digests == ["sha256:a", "sha256:b"], "{v}");
    ensure!(v["summary"]["expiringImageTotalCount"] == 2, "{v}");
    ensure!(
        v["previewResults"][0]["action"]["type"] == "EXPIRE" && v["previewResults"][0]["appliedRulePriority"] == 1,
        "{v}"
    );
    let bad = Command::new(bin("berth")).args(["lifecycle", "validate"]).arg(work.join("images.json")).output()?;
    ensure!(bad.status.code() == Some(2), "an invalid policy exits 2");
    Ok(())
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() -> Result<()> {
    sandbox_var("AWS_ENDPOINT_URL");
    // `true` exits at once, so every write berth makes meets a closed pipe.
    let script =
        format!("'{}' --json images list web | true; echo \"status=${{PIPESTATUS[0]}}\" >&2", bin("berth").display());
    let out = Command::new("bash").args(["-c", &script]).output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    ensure!(stderr.contains("status=0"), "{stderr}");
    Ok(())
}

#[tokio::test]
async fn no_log_level_contains_the_registry_token() -> Result<()> {
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    let creds = aws.registry_credentials().await?;
    let password = creds.password.expose().to_string();
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("AWS:{password}"));
    let tag = format!("trace-{}", std::process::id());
    let mut logs = String::new();
    for args in [
        vec!["profiles", "test"],
        vec!["push", "demo/tool:1.0", &format!("web:{tag}")],
        vec!["inspect", &format!("web:{tag}")],
    ] {
        let out = Command::new(bin("berth")).env("BERTH_LOG", "trace").args(&args).output()?;
        ensure!(out.status.success(), "berth {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        logs.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    ensure!(
        logs.contains("aws_sdk_ecr") && logs.contains("DEBUG") && logs.contains("TRACE"),
        "the logs are at trace level: {logs}"
    );
    ensure!(logs.contains(&registry), "the logs name the registry");
    ensure!(!logs.contains(&password), "the registry password is in the trace logs");
    ensure!(!logs.contains(&token), "the authorization token is in the trace logs");
    ensure!(!logs.contains("authorizationToken\":\""), "a token field is in the trace logs");
    Ok(())
}

#[test]
fn repos_create_refuses_a_policy_ecr_would_refuse_and_creates_nothing() -> Result<()> {
    sandbox_var("AWS_ENDPOINT_URL");
    let dir = tempdir("cli-zero")?;
    let zero = dir.join("zero.json");
    std::fs::write(
        &zero,
        r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}}]}"#,
    )?;
    let name = format!("cli/zero-{}", std::process::id());
    let out = Command::new(bin("berth")).args(["repos", "create", &name, "--lifecycle"]).arg(&zero).output()?;
    ensure!(out.status.code() == Some(2), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    ensure!(String::from_utf8_lossy(&out.stderr).contains("countNumber"), "{}", String::from_utf8_lossy(&out.stderr));
    let show = Command::new(bin("berth")).args(["--json", "repos", "show", &name]).output()?;
    let err: serde_json::Value = serde_json::from_slice(&show.stderr)?;
    ensure!(err["error"]["code"] == "not_found", "nothing was created: {err}");
    Ok(())
}

#[test]
fn repos_create_prints_json_only_when_asked_and_delete_names_its_flag() -> Result<()> {
    sandbox_var("AWS_ENDPOINT_URL");
    let name = format!("cli/plain-{}", std::process::id());
    let created = run(Command::new(bin("berth")).args(["repos", "create", &name]))?;
    ensure!(!created.trim_start().starts_with('{') && created.contains("created"), "{created}");
    let other = format!("{name}-json");
    let report: serde_json::Value =
        serde_json::from_str(&run(Command::new(bin("berth")).args(["--json", "repos", "create", &other]))?)?;
    ensure!(report["steps"][0]["status"] == "done", "{report}");
    run(Command::new(bin("berth")).args(["push", "demo/tool:1.0", &format!("{name}:1")]))?;
    let refused = Command::new(bin("berth")).args(["repos", "delete", &name, "--yes"]).output()?;
    let stderr = String::from_utf8_lossy(&refused.stderr);
    ensure!(
        !refused.status.success() && stderr.contains("--force") && !stderr.contains("“delete the images too”"),
        "{stderr}"
    );
    run(Command::new(bin("berth")).args(["repos", "delete", &name, "--yes", "--force"]))?;
    run(Command::new(bin("berth")).args(["repos", "delete", &other, "--yes"]))?;
    Ok(())
}

/// Every kind of `~/.aws/config` profile the sandbox can serve, through `berth --profile`:
/// the same files the AWS CLI reads (moto plays STS).
#[test]
fn every_kind_of_shared_config_profile_connects_through_the_cli() -> Result<()> {
    let moto = sandbox_var("AWS_ENDPOINT_URL");
    let dir = tempdir("cli-kinds")?;
    let process = dir.join("credential-process.sh");
    std::fs::write(
        &process,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESSCLI000001\", \"SecretAccessKey\": \"process-secret\"}'\n",
    )?;
    std::process::Command::new("chmod").args(["+x"]).arg(&process).status()?;
    let token = dir.join("token");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGkifQ.c2ln")?;
    let role = |n: &str| format!("arn:aws:iam::000000000000:role/{n}");
    let e = format!("endpoint_url = {moto}");
    std::fs::write(
        dir.join("config"),
        format!(
            "[profile keys]\nregion = us-east-1\n{e}\naws_access_key_id = AKIACLIKEYS000000001\naws_secret_access_key = keys-secret\n\n\
             [profile role]\nregion = us-east-1\n{e}\nrole_arn = {}\nsource_profile = keys\n\n\
             [profile chain]\nregion = us-east-1\n{e}\nrole_arn = {}\nsource_profile = role\n\n\
             [profile process]\nregion = us-east-1\n{e}\ncredential_process = {}\n\n\
             [profile web]\nregion = us-east-1\n{e}\nrole_arn = {}\nweb_identity_token_file = {}\n",
            role("CliDeploy"),
            role("CliSecond"),
            process.display(),
            role("CliWeb"),
            token.display()
        ),
    )?;
    std::fs::write(dir.join("credentials"), "")?;
    for (profile, arn) in [
        ("keys", "user/moto"),
        ("role", "assumed-role/CliDeploy/"),
        ("chain", "assumed-role/CliSecond/"),
        ("process", "user/moto"),
        ("web", "assumed-role/CliWeb/"),
    ] {
        let cli = |args: &[&str]| {
            let mut c = Command::new(bin("berth"));
            c.env("AWS_CONFIG_FILE", dir.join("config"))
                .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
                .env_remove("AWS_ACCESS_KEY_ID")
                .env_remove("AWS_SECRET_ACCESS_KEY")
                // Set but empty, as a shell's `export AWS_ENDPOINT_URL=` leaves them: read as unset
                // (the SDK took the empty endpoint as the endpoint and panicked).
                .env("AWS_ENDPOINT_URL", "")
                .env("AWS_REGION", "")
                .env_remove("AWS_DEFAULT_REGION")
                .args(["--profile", profile])
                .args(args);
            c
        };
        let test: serde_json::Value = serde_json::from_str(&run(&mut cli(&["--json", "profiles", "test"]))?)?;
        let got = test["arn"].as_str().unwrap_or_default();
        ensure!(got.contains(arn), "{profile}: {got} (wanted …{arn}…)");
        let repos = run(&mut cli(&["--json", "repos", "list"]))?;
        ensure!(repos.contains("\"web\""), "{profile}: {repos}");
        // At trace level, neither the keys of the files nor the session STS hands out are logged.
        let traced = cli(&["profiles", "test"]).env("BERTH_LOG", "trace").output()?;
        let logs = String::from_utf8_lossy(&traced.stderr);
        ensure!(traced.status.success() && logs.contains("DEBUG"), "{profile}: {logs}");
        for secret in ["keys-secret", "process-secret", "<SessionToken>", "SessionToken\":", "<SecretAccessKey>"] {
            ensure!(!logs.contains(secret), "{profile}: {secret} is in the trace logs");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[test]
fn repos_update_applies_each_setting_and_names_the_one_refused() -> Result<()> {
    sandbox_var("AWS_ENDPOINT_URL");
    let name = format!("cli/update-{}", std::process::id());
    run(Command::new(bin("berth")).args(["repos", "create", &name]))?;
    let dir = tempdir("cli-update")?;
    let bad = dir.join("bad-policy.json");
    // Well-formed, but AWS's policy validator refuses it (an action without its service prefix).
    std::fs::write(
        &bad,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["BatchGetImage"]}]}"#,
    )?;
    let out = Command::new(bin("berth"))
        .args(["--json", "repos", "update", &name, "--immutable", "--scan-on-push", "--policy"])
        .arg(&bad)
        .output()?;
    ensure!(out.status.code() == Some(1), "exit {:?}", out.status.code());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    ensure!(report["steps"].as_array().map(|s| s.len()) == Some(3), "{report}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let err: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap_or_default())?;
    ensure!(err["error"]["code"] == "partial", "{err}");
    let message = err["error"]["message"].as_str().unwrap_or_default();
    ensure!(message.contains("Done: set tag mutability, set scan on push."), "{message}");
    ensure!(message.contains("set the repository policy"), "{message}");
    let shown: serde_json::Value =
        serde_json::from_str(&run(Command::new(bin("berth")).args(["--json", "repos", "show", &name]))?)?;
    ensure!(
        shown["repository"]["tag_mutability"] == "IMMUTABLE" && shown["repository"]["scan_on_push"] == true,
        "{shown}"
    );
    ensure!(shown["repository_policy"].is_null(), "{shown}");
    let nothing = Command::new(bin("berth")).args(["repos", "update", &name]).output()?;
    ensure!(nothing.status.code() == Some(2), "nothing to change is invalid input");
    run(Command::new(bin("berth")).args(["repos", "delete", &name, "--yes"]))?;
    Ok(())
}
