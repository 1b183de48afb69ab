//! Against the sandbox's moto server (the AWS_* variables of target/sandbox/env).

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use berth_aws::{Aws, ConnectionSettings, Listing};
use berth_core::ErrorCode;
use tokio_util::sync::CancellationToken;

fn sandbox() -> ConnectionSettings {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL is not set: run `make sandbox-up` and load target/sandbox/env (make test does)"
    );
    ConnectionSettings::from_env()
}

#[tokio::test]
async fn lists_seeded_repositories_with_their_settings() {
    gate::sandbox();
    let aws = Aws::connect(sandbox()).await.expect("config");
    let repos = aws.list_repositories().await.expect("repositories");
    let names: Vec<&str> = repos.iter().map(|r| r.name.as_str()).collect();
    for expected in ["api/orders", "api/payments", "web", "tools/empty"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let payments = repos.iter().find(|r| r.name == "api/payments").unwrap();
    assert_eq!(payments.tag_mutability, berth_core::model::TagMutability::Immutable);
    assert_eq!(payments.encryption.kind, berth_core::model::EncryptionKind::Kms);
    assert!(payments.encryption.kms_key.as_deref().unwrap_or("").starts_with("arn:aws:kms:"));
    let orders = repos.iter().find(|r| r.name == "api/orders").unwrap();
    assert!(orders.scan_on_push);
    let registry = std::env::var("SANDBOX_REGISTRY").unwrap();
    assert_eq!(orders.uri, format!("{registry}/api/orders"), "the URI is ECR's, on the region's registry");
}

#[tokio::test]
async fn lists_images_with_tags_sizes_and_an_untagged_one() {
    gate::sandbox();
    let aws = Aws::connect(sandbox()).await.expect("config");
    let images = aws.list_images("api/orders").await.expect("images");
    assert!(images.len() >= 3, "{images:?}");
    let latest = images.iter().find(|i| i.tags.contains(&"latest".to_string())).expect("latest");
    assert!(latest.tags.contains(&"1.1.0".to_string()));
    assert!(latest.digest.starts_with("sha256:"));
    assert!(latest.size_bytes.unwrap_or(0) > 4 * 1024 * 1024, "size is the sum of the layers");
    assert!(latest.pushed_at.is_some());
    assert!(images.iter().any(|i| i.tags.is_empty()), "the image 'nightly' moved away from stays, untagged");
}

#[tokio::test]
async fn streaming_stops_when_cancelled() {
    gate::sandbox();
    let aws = Aws::connect(sandbox()).await.expect("config");
    let token = CancellationToken::new();
    token.cancel();
    let mut pages = 0;
    let outcome = aws.stream_images("api/orders", &token, |_, _, _| pages += 1).await.expect("listing");
    assert_eq!(outcome, Listing::Cancelled { loaded: 0 });
    assert_eq!(pages, 0);
}

#[tokio::test]
async fn errors_carry_stable_codes() {
    gate::sandbox();
    let aws = Aws::connect(sandbox()).await.expect("config");
    let missing = aws.list_images("no-such-repository").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound, "{missing:?}");
    let invalid = aws.list_images("Not A Name").await.unwrap_err();
    assert_eq!(invalid.code, ErrorCode::InvalidInput);

    let dead = Aws::connect(ConnectionSettings { ecr_endpoint: Some("http://127.0.0.1:9".into()), ..sandbox() })
        .await
        .expect("config");
    let err = dead.list_repositories().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unreachable, "{err:?}");
    assert!(err.message.contains("endpoint"), "{}", err.message);
    assert!(err.message.to_lowercase().contains("connection refused"), "the cause is named: {}", err.message);
}

#[tokio::test]
async fn registry_credentials_come_from_the_token_api() {
    gate::sandbox();
    let aws = Aws::connect(sandbox()).await.expect("config");
    let creds = aws.registry_credentials().await.expect("token");
    assert_eq!(creds.username, "AWS");
    assert!(!creds.password.is_empty());
    assert_eq!(creds.server, std::env::var("SANDBOX_REGISTRY").unwrap());
    assert!(!format!("{creds:?}").contains(creds.password.expose()), "Debug must not show the token");
    let me = aws.caller_identity().await.expect("sts");
    assert_eq!(me.account, "000000000000");
    // Test connection names the same host (not one made up from the account and region).
    let test = aws.test_connection().await.expect("test connection");
    assert_eq!(test.registry_host, creds.server);
}
