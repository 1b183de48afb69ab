//! App profiles against the real keychain (gnome-keyring on a private D-Bus session) and moto.
//! The secret must not appear in logs, in what the IPC layer returns, or in the config file.

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use std::io::Write;
use std::sync::{Arc, Mutex};

use berth_aws::profiles::ProfileStore;
use berth_aws::Aws;
use berth_core::model::{AppProfileInput, CredentialKind};
use berth_core::{ErrorCode, Secret};
use berth_secrets::Keychain;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRET42";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn input(name: &str) -> AppProfileInput {
    AppProfileInput {
        name: name.into(),
        previous_name: None,
        access_key_id: Some(Secret::new("AKIAIOSFODNN7BERTH01")),
        secret_access_key: Some(Secret::new(SECRET)),
        session_token: Some(Secret::new(TOKEN)),
        clear_session_token: false,
        role_arn: None,
        external_id: None,
        mfa_serial: None,
        region: Some("us-east-1".into()),
        ecr_endpoint: Some(std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: run `make sandbox-up`")),
        registry_endpoint: std::env::var("SANDBOX_REGISTRY").ok(),
    }
}

#[tokio::test]
async fn add_test_rename_edit_and_remove_without_leaking_the_secret() {
    gate::sandbox_and_keychain();
    assert!(
        std::env::var("DBUS_SESSION_BUS_ADDRESS").is_ok(),
        "needs a D-Bus session with an unlocked keyring (make test)"
    );
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let dir = std::env::temp_dir().join(format!("berth-app-profiles-{}", std::process::id()));
    let service = format!("dev.berth.test.profiles.{}", std::process::id());
    let keychain = Keychain::with_service(&service);
    let store = ProfileStore::new(&dir, keychain.clone());

    // Add: the listing shows a hint and flags, never the secret.
    let saved = store.save(input("sandbox")).await.expect("save");
    assert_eq!(saved.id, "app:sandbox");
    assert_eq!(saved.kind, CredentialKind::StaticKeys);
    let app = saved.app.clone().unwrap();
    assert_eq!(app.access_key_hint.as_deref(), Some("…TH01"));
    assert!(app.has_session_token);
    let list = store.list().await;
    assert!(list.keychain_available);
    assert!(list.profiles.iter().any(|p| p.id == "app:sandbox"));

    // Connect with it and test the connection against moto.
    let resolved = store.resolve("app:sandbox").await.expect("resolve");
    let aws = Aws::connect(resolved.settings).await.expect("connect");
    let test = aws.test_connection().await.expect("test");
    assert_eq!(test.account, "000000000000");
    assert_eq!(test.registry_id, "000000000000");
    let repos = aws.list_repositories().await.expect("repositories");
    assert!(repos.iter().any(|r| r.name == "api/orders"));

    // The registry token is cached per connection while it is valid (the sandbox's lasts
    // 12 hours, as ECR's does).
    aws.registry_token().await.expect("token");
    aws.registry_token().await.expect("token again");
    assert_eq!(aws.token_fetches(), 1);

    // Rename and edit without retyping the secret: the keychain keeps it, under the new name.
    let mut edit = input("sandbox-2");
    edit.previous_name = Some("sandbox".into());
    edit.access_key_id = None;
    edit.secret_access_key = None;
    edit.session_token = None;
    edit.clear_session_token = true;
    let renamed = store.save(edit).await.expect("rename");
    assert!(!renamed.app.unwrap().has_session_token);
    assert!(keychain.get("profile:sandbox").await.unwrap().is_none(), "the old entry is gone");
    let resolved = store.resolve("app:sandbox-2").await.expect("resolve renamed");
    let creds = resolved.settings.credentials.unwrap();
    assert_eq!(creds.secret_access_key.expose(), SECRET);
    assert!(creds.session_token.is_none());

    // Remembered active profile and region.
    store.remember("app:sandbox-2", Some("eu-west-1")).await.unwrap();
    assert_eq!(store.active().await, "app:sandbox-2");
    assert_eq!(store.resolve("app:sandbox-2").await.unwrap().settings.region.as_deref(), Some("eu-west-1"));

    // Nowhere to be seen: the config file, the IPC payloads, the logs.
    let file = std::fs::read_to_string(store.path()).unwrap();
    let ipc = serde_json::to_string(&(store.list().await, &saved, &test)).unwrap();
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.is_empty(), "the log capture works");
    for (what, text) in [("config file", &file), ("IPC payloads", &ipc), ("logs", &logs)] {
        assert!(!text.contains(SECRET), "the secret appears in the {what}");
        assert!(!text.contains(TOKEN), "the session token appears in the {what}");
    }
    assert!(!file.contains("AKIAIOSFODNN7BERTH01"), "the access key id stays in the keychain");

    // Duplicates, bad input: refused with the field named, nothing changed.
    let dup = store.save(input("sandbox-2")).await.unwrap_err();
    assert_eq!(dup.code, ErrorCode::AlreadyExists);
    let mut bad = input("x");
    bad.role_arn = Some("not-an-arn".into());
    let err = store.save(bad).await.unwrap_err();
    assert!(err.message.starts_with("Role ARN:"), "{}", err.message);
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), file);

    // Remove: the profile and its keychain entry go.
    store.remove("sandbox-2").await.expect("remove");
    assert!(keychain.get("profile:sandbox-2").await.unwrap().is_none());
    assert!(!store.list().await.profiles.iter().any(|p| p.id.starts_with("app:")));
    assert_eq!(store.active().await, "env");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_corrupt_settings_file_is_reported_and_left_alone() {
    gate::sandbox();
    let dir = std::env::temp_dir().join(format!("berth-corrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = ProfileStore::new(&dir, Keychain::with_service("dev.berth.test.corrupt"));
    std::fs::write(store.path(), "{ not json").unwrap();
    let list = store.list().await;
    assert!(list.profiles.iter().any(|p| p.id == "env"), "the default chain still works");
    assert!(list.problems.iter().any(|p| p.contains("not valid")), "{:?}", list.problems);
    let err = store.save(input("any")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), "{ not json", "nothing the user had is lost");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_role_with_an_mfa_device_asks_for_the_code() {
    gate::sandbox_and_keychain();
    let dir = std::env::temp_dir().join(format!("berth-mfa-{}", std::process::id()));
    let service = format!("dev.berth.test.mfa.{}", std::process::id());
    let store = ProfileStore::new(&dir, Keychain::with_service(&service));
    let mut role = input("mfa");
    role.role_arn = Some("arn:aws:iam::000000000000:role/deployer".into());
    role.mfa_serial = Some("arn:aws:iam::000000000000:mfa/dev".into());
    let saved = store.save(role).await.expect("save");
    assert_eq!(saved.kind, CredentialKind::AssumeRole);
    let mut settings = store.resolve("app:mfa").await.unwrap().settings;
    let err = Aws::connect(settings.clone()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::MfaRequired);
    assert!(err.message.contains("arn:aws:iam::000000000000:mfa/dev"));
    // With a code, STS AssumeRole is called (moto accepts any code) and the role's identity answers.
    settings.mfa_code = Some("123456".into());
    let test = Aws::connect(settings).await.expect("assumed").test_connection().await.expect("test");
    assert!(test.arn.contains("assumed-role/deployer"), "{}", test.arn);
    store.remove("mfa").await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_role_is_assumed_with_the_profiles_keys() {
    gate::sandbox_and_keychain();
    let dir = std::env::temp_dir().join(format!("berth-role-{}", std::process::id()));
    let service = format!("dev.berth.test.role.{}", std::process::id());
    let store = ProfileStore::new(&dir, Keychain::with_service(&service));
    let mut role = input("role");
    role.role_arn = Some("arn:aws:iam::000000000000:role/ci".into());
    role.external_id = Some("berth-ext".into());
    store.save(role).await.expect("save");
    let settings = store.resolve("app:role").await.unwrap().settings;
    let test = Aws::connect(settings).await.expect("connect").test_connection().await.expect("test");
    assert!(test.arn.starts_with("arn:aws:sts::000000000000:assumed-role/ci/"), "{}", test.arn);
    store.remove("role").await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
