//! Against the sandbox's real Docker engine (DOCKER_HOST from `make sandbox-up`).

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use berth_core::ErrorCode;
use berth_docker::Engine;

fn sandbox_docker_host() -> String {
    std::env::var("DOCKER_HOST")
        .expect("DOCKER_HOST is not set: run `make sandbox-up` and load target/sandbox/env (make test does)")
}

#[tokio::test]
async fn lists_the_seeded_local_images_with_layers() {
    gate::sandbox();
    let engine = Engine::connect(Some(&sandbox_docker_host())).await.expect("engine");
    let info = engine.info().await.expect("version");
    assert!(!info.api_version.is_empty());
    let images = engine.list_images(false).await.expect("images");
    let app = images
        .iter()
        .find(|i| i.repo_tags.iter().any(|t| t == "demo/app:dev"))
        .unwrap_or_else(|| panic!("demo/app:dev not among {images:?}"));
    assert_eq!(app.layers, Some(3), "demo/app:dev is built from three COPY layers");
    assert!(app.size_bytes > 4 * 1024 * 1024);
    assert!(app.id.starts_with("sha256:"));
    assert!(images.iter().all(|i| !i.repo_tags.is_empty()), "dangling images are hidden by default");
}

#[tokio::test]
async fn a_dead_engine_says_where_it_looked_and_what_to_do() {
    let dir = std::env::temp_dir().join(format!("berth-no-engine-{}", std::process::id()));
    let address = format!("unix://{}/docker.sock", dir.display());
    let err = match Engine::connect(Some(&address)).await {
        Ok(_) => panic!("connected to nothing"),
        Err(e) => e,
    };
    assert_eq!(err.code, ErrorCode::EngineUnavailable);
    assert!(err.message.contains(&address), "{}", err.message);
    assert!(err.message.contains("Start Docker"), "{}", err.message);
}
