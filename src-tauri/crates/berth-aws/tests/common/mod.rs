//! Shared-config files with a profile of each credentials kind, written into a temp dir that
//! AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE point at (process-wide: each test binary that
//! uses this sets them once, before any AWS call).

use std::path::PathBuf;
use std::sync::OnceLock;

use berth_aws::{Aws, ConnectionSettings};
use berth_core::model::ConnectionTest;

pub const ACCOUNT: &str = "000000000000";

/// The sandbox's moto URL (from target/sandbox/env).
pub fn moto() -> String {
    static MOTO: OnceLock<String> = OnceLock::new();
    MOTO.get_or_init(|| {
        std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL: run `make sandbox-up` and load target/sandbox/env")
    })
    .clone()
}

/// Write the files once; `endpoint_line` goes into every profile (`endpoint_url = …` or "").
/// Returns the directory.
pub fn shared_config(tag: &str, endpoint_line: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("berth-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let process = dir.join("credential-process.sh");
        std::fs::write(
            &process,
            "#!/bin/sh\n\
             printf '%s\\n' '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESSEXAMPLE01\", \"SecretAccessKey\": \"process-secret\"}'\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&process, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let token = dir.join("web-identity-token");
        std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiZXJ0aCJ9.c2lnbmF0dXJl").unwrap();
        let e = endpoint_line;
        let role = |name: &str| format!("arn:aws:iam::{ACCOUNT}:role/{name}");
        let config = format!(
            "[profile static]\nregion = us-east-1\n{e}\n\
             [profile assume]\nregion = us-east-1\n{e}\nrole_arn = {}\nsource_profile = static\n\n\
             [profile chained]\nregion = eu-west-1\n{e}\nrole_arn = {}\nsource_profile = assume\n\n\
             [profile process]\nregion = us-east-1\n{e}\ncredential_process = {}\n\n\
             [profile from-process]\nregion = us-east-1\n{e}\nrole_arn = {}\nsource_profile = process\n\n\
             [profile web]\nregion = us-east-1\n{e}\nrole_arn = {}\nweb_identity_token_file = {}\nrole_session_name = berth-web\n\n\
             [profile from-env]\nregion = us-east-1\n{e}\nrole_arn = {}\ncredential_source = Environment\n",
            role("Deploy"),
            role("Second"),
            process.display(),
            role("FromProcess"),
            role("Web"),
            token.display(),
            role("FromEnv"),
        );
        std::fs::write(dir.join("config"), config).unwrap();
        std::fs::write(
            dir.join("credentials"),
            "[static]\naws_access_key_id = AKIASTATICEXAMPLE001\naws_secret_access_key = static-secret\n",
        )
        .unwrap();
        std::env::set_var("AWS_CONFIG_FILE", dir.join("config"));
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"));
        std::env::remove_var("AWS_PROFILE");
        dir
    })
    .clone()
}

/// Connect with the shared-config profile `name` and test the connection.
pub async fn test_profile(name: &str) -> ConnectionTest {
    let settings = ConnectionSettings { profile: Some(name.into()), ..ConnectionSettings::default() };
    let aws = Aws::connect(settings).await.unwrap_or_else(|e| panic!("connect with {name}: {e:?}"));
    aws.test_connection().await.unwrap_or_else(|e| panic!("test connection with {name}: {e:?}"))
}

/// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`
pub fn assert_assumed(test: &ConnectionTest, role: &str) {
    let prefix = format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/");
    assert!(test.arn.starts_with(&prefix), "expected the role {role}, got {}", test.arn);
    assert_eq!(test.account, ACCOUNT);
    assert_eq!(test.registry_id, ACCOUNT);
}
