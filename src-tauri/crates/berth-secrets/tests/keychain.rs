//! Against a real Secret Service: gnome-keyring on a private D-Bus session (`make test` starts it).

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use berth_core::Secret;
use berth_secrets::Keychain;

fn unique_keychain(name: &str) -> Keychain {
    assert!(
        std::env::var("DBUS_SESSION_BUS_ADDRESS").is_ok(),
        "no D-Bus session: run under `dbus-run-session` with gnome-keyring unlocked (make test does)"
    );
    Keychain::with_service(format!("dev.berth.test.{name}.{}", std::process::id()))
}

#[tokio::test]
async fn store_read_replace_delete() {
    gate::keychain();
    let keychain = unique_keychain("roundtrip");
    assert!(keychain.get("profile-a").await.expect("read").is_none());
    keychain.set("profile-a", &Secret::new("first-secret")).await.expect("store");
    assert_eq!(keychain.get("profile-a").await.expect("read").expect("present").expose(), "first-secret");
    keychain.set("profile-a", &Secret::new("second-secret")).await.expect("replace");
    assert_eq!(keychain.get("profile-a").await.expect("read").expect("present").expose(), "second-secret");
    keychain.delete("profile-a").await.expect("delete");
    assert!(keychain.get("profile-a").await.expect("read").is_none());
    keychain.delete("profile-a").await.expect("deleting twice is harmless");
}

#[tokio::test]
async fn namespaces_do_not_see_each_other() {
    gate::keychain();
    let a = unique_keychain("ns-a");
    let b = unique_keychain("ns-b");
    a.set("same", &Secret::new("in-a")).await.expect("store");
    assert!(b.get("same").await.expect("read").is_none());
    a.delete("same").await.expect("delete");
}
