//! Every kind of shared-config credentials that calls STS connects when the endpoint comes
//! from AWS_ENDPOINT_URL (the sandbox's env) and the profiles name none.
//! (Its own test binary: it sets process-wide environment variables.)

mod common;
#[path = "../../../../tests/src/gate.rs"]
mod gate;

use common::{assert_assumed, shared_config, test_profile};

fn setup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        common::moto();
        shared_config("shared-credentials-env", "");
    });
}

#[tokio::test]
async fn assume_role_and_chains() {
    gate::sandbox();
    setup();
    assert_assumed(&test_profile("assume").await, "Deploy");
    assert_assumed(&test_profile("chained").await, "Second");
}

#[tokio::test]
async fn credential_process_as_a_source() {
    gate::sandbox();
    setup();
    assert_assumed(&test_profile("from-process").await, "FromProcess");
}

#[tokio::test]
async fn web_identity() {
    gate::sandbox();
    setup();
    assert_assumed(&test_profile("web").await, "Web");
}
