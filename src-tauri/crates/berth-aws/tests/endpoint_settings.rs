//! An endpoint setting that is not valid is refused before any call, and the message names
//! the setting at fault and where it came from. (Its own test binary, and one test: it sets
//! process-wide environment variables one after the other.)

use berth_aws::profiles::ProfileStore;
use berth_aws::{Aws, ConnectionSettings};
use berth_core::ErrorCode;
use berth_secrets::Keychain;

async fn refusal(settings: ConnectionSettings) -> String {
    let err = Aws::connect(settings).await.expect_err("refused");
    assert_eq!(err.code, ErrorCode::InvalidInput, "{err:?}");
    err.message
}

fn assert_names(message: &str, expected: &str) {
    assert!(message.starts_with(expected), "expected “{expected}…”, got: {message}");
}

#[tokio::test]
async fn each_endpoint_setting_is_named_when_it_is_not_valid() {
    for name in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECR", "AWS_PROFILE", "BERTH_REGISTRY_ENDPOINT"] {
        std::env::remove_var(name);
    }
    std::env::set_var("AWS_REGION", "us-east-1");
    let dir = std::env::temp_dir().join(format!("berth-endpoint-settings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // A command-line value, with its origin given by the caller.
    let mut settings = ConnectionSettings::default();
    settings.set_ecr_endpoint("htp:/x", "--endpoint-url");
    let message = refusal(settings).await;
    assert_names(&message, "The ECR endpoint setting (--endpoint-url) “htp:/x” is not a URL: ");
    assert!(message.contains("https://"), "says what a URL looks like: {message}");

    let mut settings = ConnectionSettings::default();
    settings.set_registry_endpoint("https://registry.example/v2", "--registry-endpoint");
    assert_names(
        &refusal(settings).await,
        "The registry endpoint setting (--registry-endpoint) “https://registry.example/v2” is not host[:port]: ",
    );

    // Without an origin, still the setting's name.
    let settings = ConnectionSettings { ecr_endpoint: Some("ftp://x".into()), ..ConnectionSettings::default() };
    assert_names(&refusal(settings).await, "The ECR endpoint setting (the ECR endpoint override) “ftp://x”");

    // The environment: what the SDK would read, and Berth's own variable.
    std::env::set_var("AWS_ENDPOINT_URL", "localhost:4566");
    assert_names(
        &refusal(ConnectionSettings::from_env()).await,
        "The ECR endpoint setting (AWS_ENDPOINT_URL) “localhost:4566” is not a URL: ",
    );
    std::env::set_var("AWS_ENDPOINT_URL_ECR", "http://ecr host");
    assert_names(&refusal(ConnectionSettings::from_env()).await, "The ECR endpoint setting (AWS_ENDPOINT_URL_ECR)");
    std::env::set_var("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:9");
    std::env::set_var("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    std::env::set_var("BERTH_REGISTRY_ENDPOINT", "127.0.0.1:port");
    let message = refusal(ConnectionSettings::from_env()).await;
    assert_names(
        &message,
        "The registry endpoint setting (BERTH_REGISTRY_ENDPOINT) “127.0.0.1:port” is not host[:port]: ",
    );
    assert!(message.contains("port"), "{message}");
    std::env::remove_var("BERTH_REGISTRY_ENDPOINT");
    Aws::connect(ConnectionSettings::from_env()).await.expect("valid endpoints connect (nothing is called yet)");
    std::env::remove_var("AWS_ENDPOINT_URL_ECR");
    std::env::remove_var("AWS_ENDPOINT_URL");

    // A shared-config profile: its endpoint_url and berth_registry_endpoint.
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[profile bad-url]\nregion = us-east-1\nendpoint_url = htp:/x\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = x\n\n\
         [profile bad-registry]\nregion = us-east-1\nberth_registry_endpoint = registry.example/path\n",
    )
    .unwrap();
    std::env::set_var("AWS_CONFIG_FILE", &config);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
    let store = ProfileStore::new(dir.join("berth"), Keychain::with_service("dev.berth.test.endpoint-settings"));
    let settings = store.resolve("aws:bad-url").await.expect("resolve").settings;
    let message = refusal(settings).await;
    assert_names(&message, "The ECR endpoint setting (endpoint_url of the profile “bad-url” in ");
    assert!(message.contains(config.to_str().unwrap()) && message.contains("“htp:/x” is not a URL"), "{message}");
    let settings = store.resolve("aws:bad-registry").await.expect("resolve").settings;
    let message = refusal(settings).await;
    assert_names(&message, "The registry endpoint setting (berth_registry_endpoint of the profile “bad-registry” in ");

    // An app profile saved by an older Berth, before the form checked endpoints (the keys are
    // needed to resolve it, so this part runs where a keychain is).
    if std::env::var("DBUS_SESSION_BUS_ADDRESS").is_ok() {
        let service = format!("dev.berth.test.endpoint-settings.{}", std::process::id());
        let keychain = Keychain::with_service(&service);
        let app_dir = dir.join("app");
        std::fs::create_dir_all(&app_dir).unwrap();
        std::fs::write(
            app_dir.join("config.json"),
            r#"{"profiles":[{"name":"old","region":"us-east-1","ecr_endpoint":"https//api.example","registry_endpoint":null,
                "role_arn":null,"external_id":null,"mfa_serial":null,"access_key_hint":"…1234","has_session_token":false}]}"#,
        )
        .unwrap();
        keychain
            .set(
                "profile:old",
                &berth_core::Secret::new(
                    r#"{"access_key_id":"AKIAEXAMPLEEXAMPLE12","secret_access_key":"x","session_token":null}"#,
                ),
            )
            .await
            .unwrap();
        let store = ProfileStore::new(&app_dir, keychain.clone());
        let settings = store.resolve("app:old").await.expect("resolve").settings;
        assert_names(
            &refusal(settings).await,
            "The ECR endpoint setting (the ECR API endpoint field of the profile “old”) “https//api.example” is not a URL: ",
        );
        store.remove("old").await.unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
