//! Against the sandbox's CNCF distribution registry, with the token moto's ECR API hands out.

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use berth_aws::{Aws, ConnectionSettings};
use berth_core::{ErrorCode, Secret};
use berth_registry::{Credentials, Registry};
use sha2::{Digest, Sha256};

async fn sandbox_registry() -> Registry {
    assert!(
        std::env::var("SANDBOX_REGISTRY").is_ok(),
        "SANDBOX_REGISTRY is not set: run `make sandbox-up` and load target/sandbox/env (make test does)"
    );
    let aws = Aws::connect(ConnectionSettings::from_env()).await.expect("config");
    let creds = aws.registry_credentials().await.expect("token");
    Registry::new(&creds.server, Credentials::Basic { username: creds.username, password: creds.password })
}

#[tokio::test]
async fn reads_a_manifest_whose_bytes_match_its_digest() {
    gate::sandbox();
    let registry = sandbox_registry().await;
    let manifest = registry.manifest("api/orders", "latest").await.expect("manifest");
    let computed = format!("sha256:{:x}", Sha256::digest(&manifest.bytes));
    assert_eq!(manifest.digest, computed);
    assert_eq!(manifest.media_type.as_deref(), Some("application/vnd.docker.distribution.manifest.v2+json"));
    let head = registry.manifest_digest("api/orders", "latest").await.expect("digest");
    assert_eq!(head, computed);
    let by_digest = registry.manifest("api/orders", &computed).await.expect("by digest");
    assert_eq!(by_digest.bytes, manifest.bytes);
}

#[tokio::test]
async fn the_registry_and_the_ecr_api_agree_on_digests() {
    gate::sandbox();
    let registry = sandbox_registry().await;
    let aws = Aws::connect(ConnectionSettings::from_env()).await.expect("config");
    for image in aws.list_images("web").await.expect("images") {
        for tag in &image.tags {
            let digest = registry.manifest_digest("web", tag).await.expect("digest");
            assert_eq!(digest, image.digest, "web:{tag}");
        }
    }
}

#[tokio::test]
async fn missing_tags_wrong_credentials_and_dead_registries_are_told_apart() {
    gate::sandbox();
    let registry = sandbox_registry().await;
    let missing = registry.manifest("api/orders", "no-such-tag").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound, "{missing:?}");

    let host = std::env::var("SANDBOX_REGISTRY").unwrap();
    let wrong = Registry::new(&host, Credentials::Basic { username: "AWS".into(), password: Secret::new("wrong") });
    let denied = wrong.manifest("api/orders", "latest").await.unwrap_err();
    assert_eq!(denied.code, ErrorCode::AccessDenied, "{denied:?}");

    let dead = Registry::new("127.0.0.1:9", Credentials::Anonymous);
    let unreachable = dead.manifest("api/orders", "latest").await.unwrap_err();
    assert_eq!(unreachable.code, ErrorCode::Unreachable, "{unreachable:?}");
}
