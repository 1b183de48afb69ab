//! A registry that goes away mid-push and comes back: the engine retries the layers, the push
//! completes, and pushing again (Retry) skips every layer and yields the identical digest.
//! The registry here is the test's own (CNCF distribution on a free loopback port).

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use berth_core::push::{LayerState, PushEvent};
use berth_core::Secret;
use berth_docker::{Engine, PushOutcome, PushRequest};
use berth_registry::{Credentials, Registry};
use tokio_util::sync::CancellationToken;

struct Server(Arc<Mutex<Option<Child>>>);

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.lock().unwrap().take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn start_registry(config: &std::path::Path) -> Child {
    Command::new("docker-registry")
        .arg("serve")
        .arg(config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker-registry")
}

fn wait_up(addr: &str) {
    for _ in 0..100 {
        if std::net::TcpStream::connect(addr).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the test registry did not start on {addr}");
}

#[tokio::test]
async fn a_registry_restarted_mid_push_is_retried_and_retry_gives_the_same_digest() {
    let host = std::env::var("DOCKER_HOST").expect("DOCKER_HOST: run `make sandbox-up` and load target/sandbox/env");
    let engine = Engine::connect(Some(&host)).await.expect("engine");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let dir = std::env::temp_dir().join(format!("berth-recovery-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let config = dir.join("config.yml");
    std::fs::write(
        &config,
        format!("version: 0.1\nlog: {{level: error}}\nstorage:\n  filesystem: {{rootdirectory: {}}}\nhttp:\n  addr: {addr}\n", dir.join("data").display()),
    )
    .unwrap();
    let server = Server(Arc::new(Mutex::new(Some(start_registry(&config)))));
    wait_up(&addr);

    // An image large enough that the push is still moving when the registry goes away.
    let ctx = dir.join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    let mut x = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    for i in 0..2 {
        let mut bytes = vec![0u8; 40 * 1024 * 1024];
        for b in bytes.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        std::fs::write(ctx.join(format!("l{i}.bin")), bytes).unwrap();
    }
    std::fs::write(ctx.join("Dockerfile"), "FROM scratch\nCOPY l0.bin /l0.bin\nCOPY l1.bin /l1.bin\n").unwrap();
    let source = format!("berth-test/recovery:{}", std::process::id());
    let built = Command::new("docker")
        .env("DOCKER_BUILDKIT", "0")
        .args(["build", "-q", "-t", &source])
        .arg(&ctx)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));

    let request = PushRequest {
        source: source.clone(),
        registry: addr.clone(),
        repository: "recovery/app".into(),
        tags: vec!["1.0".into()],
        username: "AWS".into(),
        password: Secret::new("unused-by-this-registry"),
    };
    // Stop the registry once bytes move; bring it back two seconds later, same storage.
    let slot = server.0.clone();
    let stopped = Arc::new(Mutex::new(false));
    let (config2, addr2, stopped2) = (config.clone(), addr.clone(), stopped.clone());
    let mut retried = false;
    let outcome = engine
        .push(&request, &CancellationToken::new(), |e| {
            if let PushEvent::Retrying { .. } = e {
                retried = true;
            }
            if matches!(&e, PushEvent::Layer { layer } if layer.state == LayerState::Pushing && layer.current > 0) {
                let mut done = stopped2.lock().unwrap();
                if !*done {
                    *done = true;
                    if let Some(mut c) = slot.lock().unwrap().take() {
                        let _ = c.kill();
                        let _ = c.wait();
                    }
                    let (slot, config, addr) = (slot.clone(), config2.clone(), addr2.clone());
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_secs(2));
                        *slot.lock().unwrap() = Some(start_registry(&config));
                        wait_up(&addr);
                    });
                }
            }
        })
        .await;
    assert!(*stopped.lock().unwrap(), "the registry was stopped mid-push");
    let first = match outcome {
        Ok(PushOutcome::Pushed(summary)) => {
            assert!(retried, "the engine reported its retries");
            summary
        }
        // If the engine gave up, Retry is the user's next step: it must complete.
        Ok(PushOutcome::Cancelled) => panic!("not cancelled"),
        Err(e) => {
            eprintln!("first push failed as the registry went away ({}); retrying", e.message);
            match engine.push(&request, &CancellationToken::new(), |_| {}).await.expect("retry") {
                PushOutcome::Pushed(s) => s,
                PushOutcome::Cancelled => panic!("not cancelled"),
            }
        }
    };
    let registry = Registry::new(&addr, Credentials::Anonymous);
    assert_eq!(registry.manifest_digest("recovery/app", "1.0").await.expect("digest"), first.digest);

    // Retry after success: every layer is there, same digest.
    let PushOutcome::Pushed(again) = engine.push(&request, &CancellationToken::new(), |_| {}).await.expect("again")
    else {
        panic!("not cancelled")
    };
    assert_eq!(again.digest, first.digest);
    assert_eq!(again.layers_skipped, 2);
    let _ = Command::new("docker").args(["rmi", &source]).output();
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
