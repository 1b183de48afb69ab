//! No Secret Service reachable: a clear error, nothing written anywhere else.
//! (Its own test binary: keyring opens its store once per process.)

use berth_core::{ErrorCode, Secret};
use berth_secrets::Keychain;

#[tokio::test]
async fn no_keychain_says_what_to_do() {
    // A session bus address where nothing listens.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/berth-test-bus");
    let keychain = Keychain::with_service("dev.berth.test.absent");
    assert!(!keychain.available().await);
    let err = keychain.set("profile:x", &Secret::new("s3cret")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::KeychainUnavailable, "{err:?}");
    assert!(err.message.contains("~/.aws/config"), "{}", err.message);
    assert!(!err.message.contains("s3cret"));
    assert_eq!(keychain.get("profile:x").await.unwrap_err().code, ErrorCode::KeychainUnavailable);
}
