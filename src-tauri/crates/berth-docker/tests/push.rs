//! Pushing through the sandbox's real dockerd into its real registry, with the ECR token.

mod common;
#[path = "../../../../tests/src/gate.rs"]
mod gate;

use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use berth_aws::{Aws, ConnectionSettings, RegistryCredentials};
use berth_core::push::{LayerState, PushEvent};
use berth_core::{ErrorCode, Secret};
use berth_docker::{Engine, PushOutcome, PushRequest};
use berth_registry::{Credentials, Registry};
use tokio_util::sync::CancellationToken;

async fn setup() -> (Engine, RegistryCredentials) {
    let host = std::env::var("DOCKER_HOST").expect("DOCKER_HOST: run `make sandbox-up` and load target/sandbox/env");
    let engine = Engine::connect(Some(&host)).await.expect("engine");
    let aws = Aws::connect(ConnectionSettings::from_env()).await.expect("config");
    (engine, aws.registry_token().await.expect("token"))
}

fn nonce() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos()
}

fn request(source: &str, creds: &RegistryCredentials, repository: &str, tags: &[&str]) -> PushRequest {
    PushRequest {
        source: source.into(),
        registry: creds.server.clone(),
        repository: repository.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        username: creds.username.clone(),
        password: creds.password.clone(),
    }
}

fn registry(creds: &RegistryCredentials) -> Registry {
    Registry::new(
        &creds.server,
        Credentials::Basic { username: creds.username.clone(), password: creds.password.clone() },
    )
}

/// A local image of `layers` layers of `kib` KiB of random bytes each.
fn build_image(name: &str, layers: usize, kib: usize) -> String {
    common::build_image(&std::env::var("DOCKER_HOST").unwrap_or_default(), name, layers, kib)
}

#[tokio::test]
async fn push_a_multi_layer_image_then_again_with_every_layer_in_place() {
    gate::sandbox();
    let (engine, creds) = setup().await;
    let source = build_image("multi", 3, 512);
    let tag = format!("push-{}", nonce() % 1_000_000);
    let mut events = Vec::new();
    let outcome = engine
        .push(&request(&source, &creds, "web", &[&tag, "push-test-extra"]), &CancellationToken::new(), |e| {
            events.push(e)
        })
        .await
        .expect("push");
    let PushOutcome::Pushed(summary) = outcome else { panic!("cancelled?") };
    let layer_ids: std::collections::BTreeSet<String> = events
        .iter()
        .filter_map(|e| match e {
            PushEvent::Layer { layer } => Some(layer.id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(layer_ids.len(), 3, "per-layer progress is told apart by layer id: {layer_ids:?}");
    assert!(events.iter().any(|e| matches!(e, PushEvent::Layer { layer } if layer.state == LayerState::Pushed)));
    assert!(summary.bytes_pushed >= 3 * 512 * 1024, "{summary:?}");
    assert_eq!(summary.layers_skipped, 0);
    assert_eq!(summary.tags, [tag.as_str(), "push-test-extra"]);

    // The registry reports the same digest, for both tags.
    let reg = registry(&creds);
    assert_eq!(reg.manifest_digest("web", &tag).await.expect("digest"), summary.digest);
    assert_eq!(reg.manifest_digest("web", "push-test-extra").await.expect("digest"), summary.digest);

    // The local image is untouched, and the registry tags Berth created are gone again.
    let images = engine.list_images(false).await.unwrap();
    // (Only this image's tags: the other tests of this file push their own images at the same time.)
    let ours = images.iter().find(|i| i.repo_tags.contains(&source)).expect("the local image is still there");
    assert!(
        !ours.repo_tags.iter().any(|t| t.starts_with(&creds.server)),
        "temporary tags removed: {:?}",
        ours.repo_tags
    );

    // Again: every layer is already there.
    let again =
        engine.push(&request(&source, &creds, "web", &[&tag]), &CancellationToken::new(), |_| {}).await.expect("again");
    let PushOutcome::Pushed(again) = again else { panic!("cancelled?") };
    assert_eq!(again.layers_skipped, 3);
    assert_eq!(again.bytes_pushed, 0);
    assert_eq!(again.digest, summary.digest);
    let _ = Command::new("docker").args(["rmi", &source]).output();
}

#[tokio::test]
async fn wrong_credentials_are_refused_in_band() {
    gate::sandbox();
    let (engine, mut creds) = setup().await;
    creds.password = Secret::new("not-the-token");
    let err = engine
        .push(&request("demo/tool:1.0", &creds, "web", &["refused"]), &CancellationToken::new(), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied, "{err:?}");
    assert!(err.message.contains("Retry fetches a new token"), "{}", err.message);
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_moves() {
    gate::sandbox();
    let (engine, creds) = setup().await;
    let bad_tag =
        engine.push(&request("demo/tool:1.0", &creds, "web", &["-bad"]), &CancellationToken::new(), |_| {}).await;
    assert_eq!(bad_tag.unwrap_err().code, ErrorCode::InvalidInput);
    let gone =
        engine.push(&request("berth-test/none:0", &creds, "web", &["x"]), &CancellationToken::new(), |_| {}).await;
    assert_eq!(gone.unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn cancelling_mid_push_leaves_no_tag_and_the_image_untouched() {
    gate::sandbox();
    let (engine, creds) = setup().await;
    let source = build_image("big", 2, 48 * 1024);
    let tag = format!("cancel-{}", nonce() % 1_000_000);
    let token = CancellationToken::new();
    let canceller = token.clone();
    let outcome = engine
        .push(&request(&source, &creds, "web", &[&tag]), &token, move |e| {
            if matches!(e, PushEvent::Layer { ref layer } if layer.state == LayerState::Pushing && layer.current > 0) {
                canceller.cancel();
            }
        })
        .await
        .expect("cancel is not an error");
    assert_eq!(outcome, PushOutcome::Cancelled { written: vec![] });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let missing = registry(&creds).manifest_digest("web", &tag).await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound, "no half-applied tag");
    assert!(engine.list_images(false).await.unwrap().iter().any(|i| i.repo_tags.contains(&source)));
    let _ = Command::new("docker").args(["rmi", &source]).output();
}
