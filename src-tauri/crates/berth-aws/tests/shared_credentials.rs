//! Every kind of shared-config credentials connects, with the endpoint in the profiles
//! (`endpoint_url`) and AWS_ENDPOINT_URL unset: the credential chain's STS calls (AssumeRole,
//! AssumeRoleWithWebIdentity) reach the sandbox's moto through the profile alone.
//! (Its own test binary: it sets process-wide environment variables.)

mod common;
#[path = "../../../../tests/src/gate.rs"]
mod gate;

use berth_aws::profiles::ProfileStore;
use berth_aws::{Aws, ConnectionSettings};
use common::{assert_assumed, moto, shared_config, test_profile, ACCOUNT};

fn setup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let endpoint = moto();
        shared_config("shared-credentials", &format!("endpoint_url = {endpoint}\n"));
        // Only the profiles say where AWS is; and no region from the environment either.
        for name in
            ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_ECR", "AWS_REGION", "AWS_DEFAULT_REGION"]
        {
            std::env::remove_var(name);
        }
    });
}

#[tokio::test]
async fn static_keys() {
    gate::sandbox();
    setup();
    let test = test_profile("static").await;
    assert_eq!(test.account, ACCOUNT);
    assert!(!test.arn.contains("assumed-role"), "{}", test.arn);
}

#[tokio::test]
async fn assume_role_with_a_source_profile() {
    gate::sandbox();
    setup();
    let test = test_profile("assume").await;
    assert_assumed(&test, "Deploy");
    assert_eq!(test.region, "us-east-1");
}

#[tokio::test]
async fn a_role_chain_of_two_hops() {
    gate::sandbox();
    setup();
    let test = test_profile("chained").await;
    assert_assumed(&test, "Second");
    assert_eq!(test.region, "eu-west-1");
}

#[tokio::test]
async fn credential_process() {
    gate::sandbox();
    setup();
    let test = test_profile("process").await;
    assert_eq!(test.account, ACCOUNT);
    // And a role assumed with the keys the process printed.
    assert_assumed(&test_profile("from-process").await, "FromProcess");
}

#[tokio::test]
async fn web_identity() {
    gate::sandbox();
    setup();
    let test = test_profile("web").await;
    assert_assumed(&test, "Web");
    assert!(test.arn.ends_with("/berth-web"), "role_session_name is used: {}", test.arn);
}

#[tokio::test]
async fn credential_source_environment() {
    gate::sandbox();
    setup();
    assert_assumed(&test_profile("from-env").await, "FromEnv");
}

#[tokio::test]
async fn through_the_profile_store_and_with_a_region_override() {
    gate::sandbox();
    setup();
    let dir = std::env::temp_dir().join(format!("berth-shared-credentials-store-{}", std::process::id()));
    let store = ProfileStore::new(&dir, berth_secrets::Keychain::with_service("dev.berth.test.shared-credentials"));
    let resolved = store.resolve("aws:chained").await.expect("resolve");
    assert_eq!(resolved.settings.region.as_deref(), Some("eu-west-1"));
    let test = Aws::connect(resolved.settings).await.expect("connect").test_connection().await.expect("test");
    assert_assumed(&test, "Second");
    // The region menu's choice signs the STS calls of the chain too.
    let settings = ConnectionSettings {
        profile: Some("assume".into()),
        region: Some("ap-southeast-2".into()),
        ..ConnectionSettings::default()
    };
    let test = Aws::connect(settings).await.expect("connect").test_connection().await.expect("test");
    assert_assumed(&test, "Deploy");
    assert_eq!(test.region, "ap-southeast-2");
    let _ = std::fs::remove_dir_all(&dir);
}
