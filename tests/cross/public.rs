//! Cross-crate: a local image pushed to ECR Public through the use case the window runs
//! (`Session::start_public_push`: berth-app, berth-aws's ECR Public API, berth-docker's engine
//! push) against the sandbox, read back by skopeo — a client Berth did not write — for its digest;
//! then listed, moved, deleted image by image and with its repository.

use std::process::Command;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, ensure, Context, Result};
use berth_app::push::PushInput;
use berth_app::{Overrides, ProfileChoice, Session};
use berth_core::copy::PublicCatalog;
use berth_core::image::ImageRef;
use berth_core::push::PushEvent;
use berth_core::ErrorCode;
use berth_tests::{root, sandbox_var};

fn nonce() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos()
}

fn session() -> Result<Arc<Session>> {
    berth_tests::gate::sandbox();
    let dir = berth_tests::scratch_dir("public-session")?;
    let store =
        berth_aws::profiles::ProfileStore::new(dir, berth_secrets::Keychain::with_service("berth-cross-public"));
    Ok(Session::new(store, ProfileChoice::Named(None), Overrides::default()))
}

fn docker(args: &[&str]) -> Result<String> {
    let out = Command::new("docker").args(args).env("DOCKER_BUILDKIT", "0").output().context("docker CLI")?;
    ensure!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A small local image of unique content: `berth-public-test:NONCE`.
fn local_image() -> Result<String> {
    let n = nonce();
    let dir = berth_tests::scratch_dir(&format!("public-img-{n}"))?;
    std::fs::write(dir.join("unique.txt"), format!("berth public test {n}\n"))?;
    std::fs::write(dir.join("Dockerfile"), "FROM scratch\nCOPY unique.txt /unique.txt\n")?;
    let name = format!("berth-public-test:{}", n % 1_000_000_000);
    docker(&["build", "-q", "-t", &name, dir.to_str().context("path")?])?;
    Ok(name)
}

/// `aws ecr-public get-login-password` (the AWS CLI, not Berth).
fn public_password() -> Result<String> {
    let cli = std::env::var_os("BERTH_TOOLS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target/tools"))
        .join("awscli-venv/bin/aws");
    let out = Command::new(cli)
        .args(["ecr-public", "get-login-password", "--region", "us-east-1"])
        .args(["--endpoint-url", &sandbox_var("AWS_ENDPOINT_URL")])
        .output()
        .context("run the AWS CLI (scripts/install puts it in target/tools)")?;
    ensure!(out.status.success(), "get-login-password: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The digest skopeo reads for `ALIAS/NAME:TAG` at the registry playing public.ecr.aws.
fn skopeo_digest(path: &str, tag: &str) -> Result<String> {
    use sha2::Digest;
    let image = format!("docker://{}/{path}:{tag}", sandbox_var("BERTH_PUBLIC_REGISTRY_ENDPOINT"));
    let creds = format!("AWS:{}", public_password()?);
    let out = Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false", "--creds", &creds, &image])
        .output()
        .context("run skopeo (make deps installs it)")?;
    ensure!(out.status.success(), "skopeo inspect {image}: {}", String::from_utf8_lossy(&out.stderr));
    Ok(format!("sha256:{:x}", sha2::Sha256::digest(&out.stdout)))
}

async fn push(session: &Arc<Session>, source: &str, name: &str, tags: &[&str]) -> Result<PushEvent> {
    let input = PushInput {
        source: source.into(),
        repository: name.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = events.clone();
    let started = session
        .start_public_push(input, Arc::new(move |e: PushEvent| seen.lock().unwrap().push(e)))
        .await
        .map_err(|e| anyhow::anyhow!("{:?}: {}", e.code, e.message))?;
    let last = started.wait().await;
    let events = events.lock().unwrap();
    ensure!(
        events.iter().any(|e| matches!(e, PushEvent::Started { target, .. } if target.starts_with("public.ecr.aws/"))),
        "the job names public.ecr.aws: {events:?}"
    );
    Ok(last)
}

#[tokio::test]
async fn a_local_image_pushed_to_ecr_public_lands_with_the_digest_skopeo_reads() -> Result<()> {
    let session = session()?;
    let name = format!("cross-public-{}", nonce() % 1_000_000_000);
    let catalog = PublicCatalog {
        description: Some("Berth's cross-crate test".into()),
        usage_text: Some("docker pull it".into()),
        architectures: vec!["x86-64".into()],
        operating_systems: vec!["Linux".into()],
        ..PublicCatalog::default()
    };
    session.create_public_repository(&name, &catalog).await.map_err(|e| anyhow::anyhow!(e.message))?;
    let alias = session.public_alias().await.map_err(|e| anyhow::anyhow!(e.message))?;
    let path = format!("{alias}/{name}");

    // Before: the repository exists and the tags are new.
    let tags = vec!["1.0".to_string(), "latest".to_string()];
    let before = session.check_public_push_target(&name, &tags).await.map_err(|e| anyhow::anyhow!(e.message))?;
    ensure!(before.repository_exists && before.tags.iter().all(|t| t.digest.is_none()), "{before:?}");

    let image = local_image()?;
    let digest = match push(&session, &image, &name, &["1.0", "latest"]).await? {
        PushEvent::Finished { summary } => summary.digest,
        other => bail!("the push ended with {other:?}"),
    };
    ensure!(skopeo_digest(&path, "1.0")? == digest, "skopeo reads another digest for {path}:1.0 than {digest}");
    ensure!(skopeo_digest(&path, "latest")? == digest, "skopeo reads another digest for {path}:latest");

    // The view lists it with both tags and the catalog data.
    let view = session.public_repository_view(&name).await.map_err(|e| anyhow::anyhow!(e.message))?;
    ensure!(view.alias == alias, "{view:?}");
    let listed = view.images.iter().find(|i| i.digest == digest).context("the pushed image is listed")?;
    ensure!(listed.tags.contains(&"1.0".to_string()) && listed.tags.contains(&"latest".to_string()), "{listed:?}");
    ensure!(listed.size_bytes.is_some_and(|s| s > 0) && listed.pushed_at.is_some(), "{listed:?}");
    ensure!(
        view.repository.architectures == ["x86-64"] && view.repository.usage_text.as_deref() == Some("docker pull it")
    );
    ensure!(view.pull_command(listed).starts_with(&format!("docker pull public.ecr.aws/{alias}/{name}:")));

    // Another image under `latest`: the check says it moves; after the push, it did.
    let second = local_image()?;
    let check =
        session.check_public_push_target(&name, &["latest".into()]).await.map_err(|e| anyhow::anyhow!(e.message))?;
    ensure!(check.tags[0].digest.as_deref() == Some(digest.as_str()) && check.tags[0].refusal.is_none(), "{check:?}");
    let moved = match push(&session, &second, &name, &["latest"]).await? {
        PushEvent::Finished { summary } => summary.digest,
        other => bail!("the second push ended with {other:?}"),
    };
    ensure!(moved != digest && skopeo_digest(&path, "latest")? == moved, "latest moved to {moved}");

    // Delete the first image; then the repository with what is left (force).
    let report = session
        .delete_public_images(&name, &[ImageRef { digest: Some(digest.clone()), tag: None }])
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    ensure!(report.failed.is_empty() && report.deleted.len() == 1, "{report:?}");
    let view = session.public_repository_view(&name).await.map_err(|e| anyhow::anyhow!(e.message))?;
    ensure!(view.images.iter().all(|i| i.digest != digest), "{view:?}");
    session.delete_public_repository(&name, true).await.map_err(|e| anyhow::anyhow!(e.message))?;
    let gone = session.public_repository_view(&name).await.expect_err("deleted");
    ensure!(gone.code == ErrorCode::NotFound, "{gone:?}");
    let _ = docker(&["rmi", &image, &second]);
    Ok(())
}

#[tokio::test]
async fn a_push_to_a_missing_public_repository_is_refused_before_anything_moves() -> Result<()> {
    let session = session()?;
    let name = format!("cross-public-none-{}", nonce() % 1_000_000_000);
    let input = PushInput { source: "demo/app:dev".into(), repository: name.clone(), tags: vec!["1".into()] };
    let error = match session.start_public_push(input, Arc::new(|_e: PushEvent| {})).await {
        Ok(_) => bail!("a push to a missing public repository started"),
        Err(e) => e,
    };
    ensure!(error.code == ErrorCode::NotFound, "{error:?}");
    ensure!(error.message.contains(&name) && error.message.contains("Create it first"), "{}", error.message);
    let check = session.check_public_push_target(&name, &["1".into()]).await.map_err(|e| anyhow::anyhow!(e.message))?;
    ensure!(!check.repository_exists, "{check:?}");
    Ok(())
}
