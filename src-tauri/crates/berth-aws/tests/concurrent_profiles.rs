//! Several writers of one settings directory at once: each with its own ProfileStore (its own
//! file handles, so the advisory lock really contends), in this process and in child processes
//! (the lock is flock(2), which holds across processes). Against the real keychain
//! (gnome-keyring on a private D-Bus session, as `make test` runs it).

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use berth_aws::profiles::ProfileStore;
use berth_core::model::AppProfileInput;
use berth_core::{ErrorCode, Secret};
use berth_secrets::Keychain;

const WRITERS: usize = 8;
/// Set in the environment of a child process: the settings directory it writes to.
const CHILD_DIR: &str = "BERTH_TEST_CHILD_DIR";
const CHILD_SERVICE: &str = "BERTH_TEST_CHILD_SERVICE";
const CHILD_INDEX: &str = "BERTH_TEST_CHILD_INDEX";

fn input(name: &str) -> AppProfileInput {
    AppProfileInput {
        name: name.into(),
        previous_name: None,
        access_key_id: Some(Secret::new(format!("AKIAIOSFODNN7{:0>7}", name.len()))),
        secret_access_key: Some(Secret::new(format!("secret-of-{name}"))),
        session_token: None,
        clear_session_token: false,
        role_arn: None,
        external_id: None,
        mfa_serial: None,
        region: Some("us-east-1".into()),
        ecr_endpoint: None,
        registry_endpoint: None,
    }
}

fn needs_keyring() {
    assert!(
        std::env::var("DBUS_SESSION_BUS_ADDRESS").is_ok(),
        "needs a D-Bus session with an unlocked keyring (make test)"
    );
}

fn scratch(what: &str) -> (PathBuf, Keychain) {
    let dir = std::env::temp_dir().join(format!("berth-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    (dir, Keychain::with_service(format!("dev.berth.test.{what}.{}", std::process::id())))
}

/// Every profile is listed and resolves to its own keys.
async fn assert_all_held(dir: &Path, keychain: &Keychain, names: &[String]) {
    let store = ProfileStore::new(dir, keychain.clone());
    let list = store.list().await;
    let ids: Vec<String> = list.profiles.iter().map(|p| p.id.clone()).filter(|id| id.starts_with("app:")).collect();
    for name in names {
        assert!(ids.contains(&format!("app:{name}")), "{name} was lost: {ids:?}");
        let resolved = store.resolve(&format!("app:{name}")).await.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let keys = resolved.settings.credentials.expect("keys from the keychain");
        assert_eq!(keys.secret_access_key.expose(), format!("secret-of-{name}"));
    }
    assert_eq!(ids.len(), names.len(), "{ids:?}");
}

async fn clean_up(dir: &Path, keychain: &Keychain, names: &[String]) {
    let store = ProfileStore::new(dir, keychain.clone());
    for name in names {
        store.remove(name).await.expect("remove");
        assert!(keychain.get(&format!("profile:{name}")).await.unwrap().is_none(), "{name}'s keys stay behind");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn eight_writers_at_once_lose_no_profile() {
    gate::keychain();
    needs_keyring();
    let (dir, keychain) = scratch("eight-writers");
    let names: Vec<String> = (0..WRITERS).map(|i| format!("writer-{i}")).collect();
    let start = Arc::new(tokio::sync::Barrier::new(WRITERS));
    let mut tasks = Vec::new();
    for name in names.clone() {
        let (dir, keychain, start) = (dir.clone(), keychain.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            let store = ProfileStore::new(&dir, keychain);
            start.wait().await;
            store.save(input(&name)).await
        }));
    }
    for task in tasks {
        task.await.expect("writer").expect("each save succeeds");
    }
    assert_all_held(&dir, &keychain, &names).await;
    clean_up(&dir, &keychain, &names).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn remembering_a_region_while_profiles_are_added_keeps_both() {
    gate::keychain();
    needs_keyring();
    let (dir, keychain) = scratch("remember-race");
    let names: Vec<String> = (0..4).map(|i| format!("cli-{i}")).collect();
    let start = Arc::new(tokio::sync::Barrier::new(names.len() + 1));
    let mut tasks = Vec::new();
    for name in names.clone() {
        let (dir, keychain, start) = (dir.clone(), keychain.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            let store = ProfileStore::new(&dir, keychain);
            start.wait().await;
            store.save(input(&name)).await.map(|_| ())
        }));
    }
    let app = {
        let (dir, keychain, start) = (dir.clone(), keychain.clone(), start.clone());
        tokio::spawn(async move {
            let store = ProfileStore::new(&dir, keychain);
            start.wait().await;
            for region in ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"] {
                store.remember("env", Some(region)).await?;
            }
            Ok::<(), berth_core::BerthError>(())
        })
    };
    for task in tasks {
        task.await.expect("writer").expect("save");
    }
    app.await.expect("app").expect("remember");
    let store = ProfileStore::new(&dir, keychain.clone());
    assert_eq!(store.remembered_region("env").as_deref(), Some("eu-central-1"));
    assert_eq!(store.active().await, "env");
    assert_all_held(&dir, &keychain, &names).await;
    clean_up(&dir, &keychain, &names).await;
}

/// Run by the test below in child processes (does nothing when run on its own).
#[tokio::test]
async fn child_process_writer() {
    let (Ok(dir), Ok(service), Ok(index)) =
        (std::env::var(CHILD_DIR), std::env::var(CHILD_SERVICE), std::env::var(CHILD_INDEX))
    else {
        return;
    };
    let store = ProfileStore::new(dir, Keychain::with_service(service));
    for n in 0..2 {
        store.save(input(&format!("process-{index}-{n}"))).await.expect("save in a child process");
        store.remember(&format!("app:process-{index}-{n}"), Some("eu-west-1")).await.expect("remember");
    }
}

#[tokio::test]
async fn writers_in_several_processes_lose_no_profile() {
    gate::keychain();
    needs_keyring();
    let (dir, keychain) = scratch("processes");
    let exe = std::env::current_exe().expect("the test binary");
    let children: Vec<_> = (0..4)
        .map(|i| {
            std::process::Command::new(&exe)
                .args(["--exact", "child_process_writer", "--test-threads", "1", "--quiet"])
                .env(CHILD_DIR, &dir)
                .env(CHILD_SERVICE, keychain.service())
                .env(CHILD_INDEX, i.to_string())
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("a child process")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("child").success(), "a child process failed");
    }
    let names: Vec<String> = (0..4).flat_map(|i| (0..2).map(move |n| format!("process-{i}-{n}"))).collect();
    assert_all_held(&dir, &keychain, &names).await;
    let store = ProfileStore::new(&dir, keychain.clone());
    for name in &names {
        let id = format!("app:{name}");
        assert_eq!(store.remembered_region(&id).as_deref(), Some("eu-west-1"), "the region of {name} was lost");
    }
    let active = store.active().await;
    assert!(names.iter().any(|n| active == format!("app:{n}")), "the active profile is one of theirs: {active}");
    clean_up(&dir, &keychain, &names).await;
}

#[tokio::test]
async fn removing_a_profile_the_file_lost_deletes_its_keychain_entry() {
    gate::keychain();
    needs_keyring();
    let (dir, keychain) = scratch("orphan");
    // A keychain entry without a profile in the file (what the old lost updates left behind).
    keychain.set("profile:ghost", &Secret::new("{}")).await.expect("keychain");
    let store = ProfileStore::new(&dir, keychain.clone());
    store.remove("ghost").await.expect("the orphaned entry is found and removed");
    assert!(keychain.get("profile:ghost").await.unwrap().is_none());
    // Nothing anywhere: not found.
    assert_eq!(store.remove("ghost").await.unwrap_err().code, ErrorCode::NotFound);
    let _ = std::fs::remove_dir_all(&dir);
}
