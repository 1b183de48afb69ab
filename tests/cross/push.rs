//! Cross-crate: a push (berth-docker, the sandbox's engine and registry) confirmed against ECR
//! (berth-aws, moto): a repository deleted while its image is being pushed is reported as such.

use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{ensure, Context, Result};
use berth_aws::{Aws, ConnectionSettings};
use berth_core::model::RepositorySpec;
use berth_core::push::{LayerState, PushEvent};
use berth_core::ErrorCode;
use berth_docker::{Engine, PushOutcome, PushRequest};
use berth_tests::{bin, sandbox_var};
use tokio_util::sync::CancellationToken;

fn nonce() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos()
}

/// An image of two 32 MiB layers of random bytes, so a push takes a moment.
fn build(name: &str) -> Result<String> {
    let dir = std::env::temp_dir().join(format!("berth-cross-{name}-{}", nonce()));
    std::fs::create_dir_all(&dir)?;
    let mut x = nonce() as u64 | 1;
    for i in 0..2 {
        let mut bytes = vec![0u8; 32 << 20];
        for b in bytes.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        std::fs::write(dir.join(format!("l{i}")), bytes)?;
    }
    std::fs::write(dir.join("Dockerfile"), "FROM scratch\nCOPY l0 /l0\nCOPY l1 /l1\n")?;
    let tag = format!("berth-test/{name}:{}", nonce() % 1_000_000);
    let out =
        Command::new("docker").env("DOCKER_BUILDKIT", "0").args(["build", "-q", "-t", &tag]).arg(&dir).output()?;
    ensure!(out.status.success(), "docker build: {}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(tag)
}

#[tokio::test]
async fn a_repository_deleted_mid_push_is_reported_with_what_to_do() -> Result<()> {
    sandbox_var("DOCKER_HOST");
    let aws = Aws::connect(ConnectionSettings::from_env()).await?;
    let name = format!("cross/deleted-{}", nonce() % 1_000_000);
    let spec = RepositorySpec::named(name.clone());
    aws.create_repository(&spec).await?;
    let source = build("deleted")?;
    let token = aws.registry_token().await?;
    let engine = Engine::connect(None).await?;
    let request = PushRequest {
        source: source.clone(),
        registry: token.server.clone(),
        repository: name.clone(),
        tags: vec!["1.0".into()],
        username: token.username.clone(),
        password: token.password.clone(),
    };
    let mut deletion = None;
    let outcome = engine
        .push(&request, &CancellationToken::new(), |e| {
            if deletion.is_none()
                && matches!(&e, PushEvent::Layer { layer } if layer.state == LayerState::Pushing && layer.current > 0)
            {
                let (aws, name) = (aws.clone(), name.clone());
                deletion = Some(tokio::spawn(async move { aws.delete_repository(&name, true).await }));
            }
        })
        .await;
    deletion.context("the push showed progress")?.await??;
    // ECR's registry refuses what comes after the deletion (NAME_UNKNOWN): the push fails
    // saying the repository is gone and what to do.
    let err = match outcome {
        Err(e) => e,
        Ok(PushOutcome::Pushed(summary)) => {
            // Only if every request reached the registry before the deletion did: ECR then
            // lists no image, which the check after the push reports.
            aws.confirm_pushed(&name, "1.0", &summary.digest, Duration::from_secs(5)).await.unwrap_err()
        }
        Ok(other) => anyhow::bail!("{other:?}"),
    };
    ensure!(err.code == ErrorCode::NotFound, "{err:?}");
    ensure!(
        err.message.contains("Create it, then retry") || err.message.contains("Create the repository again"),
        "{}",
        err.message
    );
    let _ = Command::new("docker").args(["rmi", &source]).output();
    Ok(())
}

#[tokio::test]
async fn berth_push_into_a_repository_that_is_gone_fails_with_not_found() -> Result<()> {
    sandbox_var("SANDBOX_REGISTRY");
    let gone = format!("cross/never-{}", nonce() % 1_000_000);
    let out = Command::new(bin("berth")).args(["--json", "push", "demo/tool:1.0", &format!("{gone}:1")]).output()?;
    ensure!(!out.status.success(), "berth push should fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().context("no error printed")?;
    let error: serde_json::Value = serde_json::from_str(last).with_context(|| format!("not JSON: {stderr}"))?;
    ensure!(error["error"]["code"] == "not_found", "{error}");
    // Refused before anything moved: it never existed, so it was not "deleted during the push".
    let message = error["error"]["message"].as_str().unwrap_or_default();
    ensure!(message.contains("does not exist") && !message.contains("deleted during the push"), "{message}");
    ensure!(!stderr.contains("pushing demo/tool"), "no layer moved: {stderr}");
    Ok(())
}

fn local_refs() -> Result<String> {
    let out = Command::new("docker").args(["images", "--format", "{{.Repository}}:{{.Tag}}"]).output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn signal(child: &std::process::Child, name: &str) -> Result<()> {
    let status = Command::new("kill").args(["-s", name, &child.id().to_string()]).status()?;
    ensure!(status.success(), "kill -s {name}");
    Ok(())
}

/// The tags ECR lists for the (only) image of `repository`, through the AWS SDK.
async fn ecr_tags(aws: &Aws, repository: &str) -> Result<Vec<String>> {
    let mut tags: Vec<String> = aws.list_images(repository).await?.into_iter().flat_map(|i| i.tags).collect();
    tags.sort();
    Ok(tags)
}

#[tokio::test]
async fn sigterm_during_berth_push_ends_like_ctrl_c_and_leaves_no_temporary_tag() -> Result<()> {
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let aws = Aws::connect(ConnectionSettings::from_env()).await?;
    let name = format!("cross/sigterm-{}", nonce() % 1_000_000);
    aws.create_repository(&RepositorySpec::named(name.clone())).await?;
    let source = build("sigterm")?;
    let temporary = format!("{registry}/{name}:t1");
    let mut child = Command::new(bin("berth"))
        .args(["push", &source, &format!("{name}:t1")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    // The push is under way once the engine holds the temporary registry tag.
    let started = std::time::Instant::now();
    while !local_refs()?.contains(&temporary) {
        ensure!(started.elapsed() < Duration::from_secs(30), "the push never started");
        ensure!(child.try_wait()?.is_none(), "berth push ended before it was signalled");
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(&child, "TERM")?;
    let out = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(out.status.code() == Some(143), "exit {:?}: {stderr}", out.status.code());
    ensure!(stderr.contains("Cancelled"), "{stderr}");
    ensure!(!local_refs()?.contains(&temporary), "the temporary tag {temporary} was left behind");
    ensure!(local_refs()?.contains(&source), "the local image stays");
    let listed = ecr_tags(&aws, &name).await?;
    let said_none = stderr.contains("no tag was written");
    ensure!(said_none == listed.is_empty(), "the message agrees with ECR ({listed:?}): {stderr}");
    aws.delete_repository(&name, true).await?;
    let _ = Command::new("docker").args(["rmi", &source]).output();
    Ok(())
}

#[tokio::test]
async fn ctrl_c_after_some_tags_were_written_lists_exactly_those_ecr_holds() -> Result<()> {
    sandbox_var("SANDBOX_REGISTRY");
    let aws = Aws::connect(ConnectionSettings::from_env()).await?;
    let name = format!("cross/sigint-{}", nonce() % 1_000_000);
    aws.create_repository(&RepositorySpec::named(name.clone())).await?;
    let mut args: Vec<String> = vec!["push".into(), "demo/tool:1.0".into(), format!("{name}:m1")];
    for i in 2..=60 {
        args.extend(["--tag".to_string(), format!("m{i}")]);
    }
    let mut child = Command::new(bin("berth"))
        .args(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let started = std::time::Instant::now();
    while ecr_tags(&aws, &name).await?.len() < 3 {
        ensure!(started.elapsed() < Duration::from_secs(60), "no tag was written");
        ensure!(child.try_wait()?.is_none(), "berth push ended before it was interrupted");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    signal(&child, "INT")?;
    let out = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(out.status.code() == Some(130), "exit {:?}: {stderr}", out.status.code());
    let listed = ecr_tags(&aws, &name).await?;
    ensure!(listed.len() >= 3 && listed.len() < 60, "{listed:?}");
    ensure!(!stderr.contains("no tag was written"), "{stderr}");
    let line = stderr.lines().find(|l| l.contains("Cancelled after")).with_context(|| stderr.to_string())?;
    let written = line.split(": ").nth(2).context("the written tags")?.split(". ").next().unwrap_or_default();
    let mut said: Vec<String> = written.split(", ").map(str::to_string).collect();
    said.sort();
    ensure!(said == listed, "said {said:?}, ECR lists {listed:?}: {line}");
    ensure!(line.contains("Not written:"), "{line}");
    aws.delete_repository(&name, true).await?;
    Ok(())
}
