//! Shared-config profiles, read through aws-config from a temp AWS_CONFIG_FILE with one
//! profile of each kind. (Its own test binary: it sets process-wide environment variables.)

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use berth_aws::profiles::{shared_profiles, ProfileStore};
use berth_aws::Aws;
use berth_core::model::CredentialKind;
use berth_core::ErrorCode;

#[tokio::test]
async fn every_kind_is_listed_with_its_region_and_sso_errors_say_how_to_log_in() {
    gate::sandbox();
    let endpoint =
        std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: run `make sandbox-up` and load target/sandbox/env");
    let dir = std::env::temp_dir().join(format!("berth-shared-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    let credentials = dir.join("credentials");
    std::fs::write(
        &config,
        format!(
            "[default]\nregion = eu-west-1\n\n\
             [profile static]\nregion = us-east-1\nendpoint_url = {endpoint}\n\n\
             [profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = eu-central-1\n\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-central-1\n\n\
             [profile assume]\nrole_arn = arn:aws:iam::111122223333:role/Deploy\nsource_profile = static\n\n\
             [profile process]\ncredential_process = /bin/false\n\n\
             [profile web]\nrole_arn = arn:aws:iam::111122223333:role/Web\nweb_identity_token_file = /tmp/token\n\n\
             [profile region-only]\nregion = ap-south-1\nberth_registry_endpoint = 127.0.0.1:5999\n"
        ),
    )
    .unwrap();
    std::fs::write(
        &credentials,
        "[static]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = not-a-real-secret\n",
    )
    .unwrap();
    std::env::set_var("AWS_CONFIG_FILE", &config);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &credentials);
    std::env::remove_var("AWS_PROFILE");

    let profiles = shared_profiles().await.expect("profiles");
    let kind = |name: &str| profiles.iter().find(|p| p.label == name).map(|p| p.kind);
    assert_eq!(kind("default"), Some(CredentialKind::None));
    assert_eq!(kind("static"), Some(CredentialKind::StaticKeys));
    assert_eq!(kind("sso"), Some(CredentialKind::Sso));
    assert_eq!(kind("assume"), Some(CredentialKind::AssumeRole));
    assert_eq!(kind("process"), Some(CredentialKind::CredentialProcess));
    assert_eq!(kind("web"), Some(CredentialKind::WebIdentity));
    let region_only = profiles.iter().find(|p| p.label == "region-only").unwrap();
    assert_eq!(region_only.region.as_deref(), Some("ap-south-1"));
    assert_eq!(region_only.registry_endpoint.as_deref(), Some("127.0.0.1:5999"));
    assert!(region_only.edit_in.as_deref().unwrap_or("").contains(config.to_str().unwrap()));

    // The listing of the app's store includes them, and the static profile connects.
    let store = ProfileStore::new(dir.join("berth"), berth_secrets::Keychain::with_service("dev.berth.test.shared"));
    let ids: Vec<String> = store.list().await.profiles.into_iter().map(|p| p.id).collect();
    assert!(ids.contains(&"env".to_string()) && ids.contains(&"aws:sso".to_string()), "{ids:?}");
    let resolved = store.resolve("aws:static").await.expect("resolve");
    let test = Aws::connect(resolved.settings).await.unwrap().test_connection().await.expect("test connection");
    assert_eq!(test.account, "000000000000");
    assert_eq!(test.region, "us-east-1");

    // An SSO profile without a login: the message names the command that fixes it.
    let resolved = store.resolve("aws:sso").await.expect("resolve");
    let err = Aws::connect(resolved.settings).await.unwrap().test_connection().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::CredentialsExpired, "{err:?}");
    assert!(err.message.contains("aws sso login --profile sso"), "{}", err.message);

    // A profile that is not there.
    assert_eq!(store.resolve("aws:nope").await.unwrap_err().code, ErrorCode::NotFound);

    // An unreadable config file: a message, not a crash, and the default chain stays.
    std::fs::write(&config, "[profile broken\nregion = x\n").unwrap();
    let list = store.list().await;
    assert!(list.profiles.iter().any(|p| p.id == "env"));
    assert!(!list.problems.is_empty(), "{list:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
