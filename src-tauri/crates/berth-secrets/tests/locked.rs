//! A locked keyring: a clear error, no hang. This test locks the session's default
//! collection, so it runs only in the private keyring session `make test` starts for it.

use std::process::Command;
use std::time::Duration;

use berth_core::{ErrorCode, Secret};
use berth_secrets::Keychain;

#[tokio::test]
async fn a_locked_keyring_is_reported_as_such() {
    assert_eq!(
        std::env::var("BERTH_PRIVATE_KEYRING").as_deref(),
        Ok("1"),
        "this test locks the session keyring: run it through `make test`, which gives it a private one"
    );
    let keychain = Keychain::with_service(format!("dev.berth.test.locked.{}", std::process::id()));
    keychain.set("profile:a", &Secret::new("before-lock")).await.expect("store while unlocked");

    let status = Command::new("dbus-send")
        .args([
            "--session",
            "--dest=org.freedesktop.secrets",
            "--print-reply",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .expect("dbus-send");
    assert!(status.status.success(), "lock: {}", String::from_utf8_lossy(&status.stderr));

    let read = tokio::time::timeout(Duration::from_secs(30), keychain.get("profile:a")).await.expect("no hang");
    let err = read.expect_err("a locked keyring cannot be read");
    assert_eq!(err.code, ErrorCode::KeychainUnavailable, "{err:?}");
    assert!(err.message.contains("locked") || err.message.contains("Unlock"), "{}", err.message);
    assert!(!err.message.contains("before-lock"));
}
