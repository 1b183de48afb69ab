//! Failures in the middle of a push, and the Retry that recovers: the registry going away, the
//! registry token expiring, the engine stopping. Each test runs servers of its own (the
//! sandbox's are shared by every test).

mod common;
#[path = "../../../../tests/src/gate.rs"]
mod gate;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use berth_core::push::{LayerState, PushEvent};
use berth_core::{ErrorCode, Secret};
use berth_docker::{Engine, PushOutcome, PushRequest};
use berth_registry::{Credentials, Registry};
use common::{build_image, docker, dockerd, registry, scratch, write_registry_config};
use tokio_util::sync::CancellationToken;

fn request(source: &str, addr: &str, password: &str) -> PushRequest {
    PushRequest {
        source: source.into(),
        registry: addr.into(),
        repository: "recovery/app".into(),
        tags: vec!["1.0".into()],
        username: "AWS".into(),
        password: Secret::new(password),
    }
}

fn pushing(e: &PushEvent) -> bool {
    matches!(e, PushEvent::Layer { layer } if layer.state == LayerState::Pushing && layer.current > 0)
}

async fn pushed(outcome: berth_core::Result<PushOutcome>) -> berth_core::push::PushSummary {
    match outcome.expect("push") {
        PushOutcome::Pushed(s) => s,
        PushOutcome::Cancelled { .. } => panic!("not cancelled"),
    }
}

#[tokio::test]
async fn a_registry_restarted_mid_push_is_retried_and_retry_gives_the_same_digest() {
    gate::sandbox();
    let host = std::env::var("DOCKER_HOST").expect("DOCKER_HOST: run `make sandbox-up` and load target/sandbox/env");
    let engine = Engine::connect(Some(&host)).await.expect("engine");
    let dir = scratch("reg");
    let (server, addr) = registry(&dir, None);
    // Large enough that the push is still moving when the registry goes away.
    let source = build_image(&host, "recovery", 2, 40 * 1024);
    let request = request(&source, &addr, "unused-by-this-registry");
    let mut stopped = false;
    let mut retried = false;
    let outcome = engine
        .push(&request, &CancellationToken::new(), |e| {
            retried |= matches!(e, PushEvent::Retrying { .. });
            if pushing(&e) && !stopped {
                stopped = true;
                server.bounce(Duration::from_secs(2));
            }
        })
        .await;
    assert!(stopped, "the registry was stopped mid-push");
    let first = match outcome {
        Ok(PushOutcome::Pushed(summary)) => {
            assert!(retried, "the engine reported its retries");
            summary
        }
        Ok(PushOutcome::Cancelled { .. }) => panic!("not cancelled"),
        // If the engine gave up, Retry is the user's next step: it must complete.
        Err(e) => {
            eprintln!("first push failed as the registry went away ({}); retrying", e.message);
            common::wait_for("the registry", || std::net::TcpStream::connect(&addr).is_ok());
            pushed(engine.push(&request, &CancellationToken::new(), |_| {}).await).await
        }
    };
    let registry = Registry::new(&addr, Credentials::Anonymous);
    assert_eq!(registry.manifest_digest("recovery/app", "1.0").await.expect("digest"), first.digest);

    // Retry after success: every layer is there, same digest.
    let again = pushed(engine.push(&request, &CancellationToken::new(), |_| {}).await).await;
    assert_eq!(again.digest, first.digest);
    assert_eq!(again.layers_skipped, 2);
    let _ = docker(&host).args(["rmi", &source]).output();
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_token_that_expires_mid_push_fails_clearly_and_retry_with_a_new_token_completes() {
    gate::sandbox();
    let host = std::env::var("DOCKER_HOST").expect("DOCKER_HOST: run `make sandbox-up` and load target/sandbox/env");
    let engine = Engine::connect(Some(&host)).await.expect("engine");
    let dir = scratch("tok");
    let (server, addr) = registry(&dir, Some("token-1"));
    let source = build_image(&host, "expiry", 2, 40 * 1024);
    // Mid-push the registry stops accepting token-1 (it expired) and accepts token-2 only.
    let mut expired = false;
    let outcome = engine
        .push(&request(&source, &addr, "token-1"), &CancellationToken::new(), |e| {
            if pushing(&e) && !expired {
                expired = true;
                write_registry_config(&dir, &addr, Some("token-2"));
                server.bounce(Duration::from_millis(300));
            }
        })
        .await;
    assert!(expired);
    let err = outcome.expect_err("the old token is refused");
    assert!(matches!(err.code, ErrorCode::AccessDenied | ErrorCode::CredentialsExpired), "{err:?}");
    assert!(err.message.contains("Retry fetches a new token"), "{}", err.message);

    common::wait_for("the registry", || std::net::TcpStream::connect(&addr).is_ok());
    let summary =
        pushed(engine.push(&request(&source, &addr, "token-2"), &CancellationToken::new(), |_| {}).await).await;
    let registry =
        Registry::new(&addr, Credentials::Basic { username: "AWS".into(), password: Secret::new("token-2") });
    assert_eq!(registry.manifest_digest("recovery/app", "1.0").await.expect("digest"), summary.digest);
    let _ = docker(&host).args(["rmi", &source]).output();
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_engine_stopped_mid_push_fails_clearly_and_retry_after_it_is_back_completes() {
    gate::sandbox();
    let dir = scratch("eng");
    let (daemon, host) = dockerd(&dir, &dir.join("data"));
    let (server, addr) = registry(&dir.join("reg"), None);
    let source = build_image(&host, "engine", 2, 40 * 1024);
    let engine = Engine::connect(Some(&host)).await.expect("engine");
    let daemon = Arc::new(Mutex::new(daemon));
    let mut stopped = false;
    let outcome = engine
        .push(&request(&source, &addr, "x"), &CancellationToken::new(), |e| {
            if pushing(&e) && !stopped {
                stopped = true;
                // A graceful stop lets dockerd finish the push in flight (it did, once, on a
                // loaded machine): the engine going away is a crash here.
                daemon.lock().unwrap().crash_and_restart(Duration::from_secs(1));
            }
        })
        .await;
    assert!(stopped);
    let err = outcome.expect_err("the engine went away");
    assert_eq!(err.code, ErrorCode::EngineUnavailable, "{err:?}");
    assert!(err.message.contains("stopped answering"), "{}", err.message);

    let probe = host.clone();
    common::wait_for("dockerd", move || {
        docker(&probe).arg("version").output().map(|o| o.status.success()).unwrap_or(false)
    });
    let engine = Engine::connect(Some(&host)).await.expect("engine is back");
    let summary = pushed(engine.push(&request(&source, &addr, "x"), &CancellationToken::new(), |_| {}).await).await;
    let registry = Registry::new(&addr, Credentials::Anonymous);
    assert_eq!(registry.manifest_digest("recovery/app", "1.0").await.expect("digest"), summary.digest);
    assert!(engine.list_images(false).await.unwrap().iter().any(|i| i.repo_tags.contains(&source)), "image kept");
    drop(server);
    drop(daemon);
    let _ = std::fs::remove_dir_all(&dir);
}
