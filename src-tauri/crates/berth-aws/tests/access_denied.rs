//! Credentials the service refuses: a moto server of this test's own, with IAM
//! authentication switched on (the shared sandbox accepts any keys).

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use berth_aws::{Aws, ConnectionSettings, StaticCredentials};
use berth_core::{ErrorCode, Secret};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn moto_server() -> std::path::PathBuf {
    let tools = std::env::var_os("BERTH_TOOLS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../target/tools"));
    let path = tools.join("moto-venv/bin/moto_server");
    assert!(path.exists(), "{} is missing: run `make deps`", path.display());
    path
}

fn curl(args: &[&str]) -> bool {
    Command::new("curl").args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

#[tokio::test]
async fn refused_keys_are_told_apart_from_missing_ones() {
    gate::moto();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let _server = Server(
        Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..100 {
        if curl(&["-sf", &format!("{base}/moto-api/")]) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "moto_server did not start");
    assert!(
        curl(&[
            "-sf",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "--data",
            "0",
            &format!("{base}/moto-api/reset-auth")
        ]),
        "enable auth"
    );

    let aws = Aws::connect(ConnectionSettings {
        region: Some("us-east-1".into()),
        ecr_endpoint: Some(base),
        credentials: Some(StaticCredentials {
            access_key_id: Secret::new("AKIAIOSFODNN7UNKNOWN"),
            secret_access_key: Secret::new("not-a-key-moto-knows"),
            session_token: None,
        }),
        ..ConnectionSettings::default()
    })
    .await
    .expect("config");
    let err = aws.test_connection().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied, "{err:?}");
    assert!(err.message.contains("does not accept these credentials"), "{}", err.message);
    assert!(err.message.contains("keys"), "says what to check: {}", err.message);
    assert!(!err.message.contains("not-a-key-moto-knows"));
}
