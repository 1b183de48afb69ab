//! Loading image archives into a real engine: a `docker save` tarball (then pushed), an OCI
//! image layout, a file that is no image, and an engine whose disk is full.

mod common;
#[path = "../../../../tests/src/gate.rs"]
mod gate;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use berth_aws::{Aws, ConnectionSettings};
use berth_core::ErrorCode;
use berth_docker::{Engine, LoadOutcome, PushOutcome, PushRequest};
use berth_registry::{Credentials, Registry};
use common::{build_image, docker, dockerd, nonce, scratch};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

fn sandbox_host() -> String {
    std::env::var("DOCKER_HOST").expect("DOCKER_HOST: run `make sandbox-up` and load target/sandbox/env")
}

fn image_id(host: &str, reference: &str) -> Option<String> {
    let out = docker(host).args(["image", "inspect", "-f", "{{.Id}}", reference]).output().unwrap();
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn save(host: &str, reference: &str, file: &Path) {
    let out = docker(host).args(["save", "-o"]).arg(file).arg(reference).output().unwrap();
    assert!(out.status.success(), "docker save: {}", String::from_utf8_lossy(&out.stderr));
}

async fn load(engine: &Engine, file: &Path) -> berth_core::Result<Vec<String>> {
    let mut ticks = 0;
    let outcome = engine.load_archive(file, &CancellationToken::new(), |_, _| ticks += 1).await?;
    assert!(ticks > 0, "progress was reported");
    match outcome {
        LoadOutcome::Loaded(images) => Ok(images),
        LoadOutcome::Cancelled => panic!("not cancelled"),
    }
}

#[tokio::test]
async fn a_docker_save_tarball_is_loaded_then_pushed() {
    gate::sandbox();
    let host = sandbox_host();
    let engine = Engine::connect(Some(&host)).await.unwrap();
    let source = build_image(&host, "saved", 2, 256);
    let id = image_id(&host, &source).unwrap();
    let dir = scratch("save");
    let file = dir.join("saved.tar");
    save(&host, &source, &file);
    assert!(docker(&host).args(["rmi", &source]).output().unwrap().status.success());
    assert_eq!(image_id(&host, &source), None);

    let images = load(&engine, &file).await.expect("load");
    assert_eq!(images, std::slice::from_ref(&source));
    assert_eq!(image_id(&host, &source).as_deref(), Some(id.as_str()), "the same image is back");

    // Offered for push: it pushes like any local image.
    let aws = Aws::connect(ConnectionSettings::from_env()).await.unwrap();
    let token = aws.registry_token().await.unwrap();
    let tag = format!("loaded-{}", nonce() % 1_000_000);
    let request = PushRequest {
        source: source.clone(),
        registry: token.server.clone(),
        repository: "web".into(),
        tags: vec![tag.clone()],
        username: token.username.clone(),
        password: token.password.clone(),
    };
    let PushOutcome::Pushed(summary) = engine.push(&request, &CancellationToken::new(), |_| {}).await.unwrap() else {
        panic!("cancelled?")
    };
    let registry =
        Registry::new(&token.server, Credentials::Basic { username: token.username, password: token.password });
    assert_eq!(registry.manifest_digest("web", &tag).await.unwrap(), summary.digest);
    let _ = docker(&host).args(["rmi", &source]).output();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The files of a tar archive.
fn untar(file: &Path) -> HashMap<String, Vec<u8>> {
    let mut archive = tar::Archive::new(std::fs::File::open(file).unwrap());
    let mut out = HashMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.header().entry_type().is_file() {
            let name = entry.path().unwrap().to_string_lossy().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            out.insert(name, bytes);
        }
    }
    out
}

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Re-pack a `docker save` tarball as a gzip-compressed OCI image layout (as `skopeo copy
/// oci-archive:` or `buildx --output type=oci` write them), with `ref_name` as its ref.
fn to_oci_layout(saved: &Path, out: &Path, ref_name: &str) {
    let files = untar(saved);
    let manifest: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let config = &files[manifest[0]["Config"].as_str().unwrap()];
    let mut blobs: Vec<(String, Vec<u8>)> = vec![(sha(config), config.clone())];
    let mut layers = Vec::new();
    for layer in manifest[0]["Layers"].as_array().unwrap() {
        let bytes = &files[layer.as_str().unwrap()];
        layers.push(json!({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": format!("sha256:{}", sha(bytes)), "size": bytes.len()}));
        blobs.push((sha(bytes), bytes.clone()));
    }
    let image_manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{}", sha(config)), "size": config.len()},
        "layers": layers,
    }))
    .unwrap();
    let index = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{}", sha(&image_manifest)),
        "size": image_manifest.len(), "annotations": {"org.opencontainers.image.ref.name": ref_name}}]}))
    .unwrap();
    blobs.push((sha(&image_manifest), image_manifest));
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(out).unwrap(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, data).unwrap();
    };
    add("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
    for (hex, bytes) in &blobs {
        add(&format!("blobs/sha256/{hex}"), bytes);
    }
    add("index.json", &index);
    b.into_inner().unwrap().finish().unwrap();
}

#[tokio::test]
async fn an_oci_layout_archive_is_loaded_with_its_name() {
    gate::sandbox();
    let host = sandbox_host();
    let engine = Engine::connect(Some(&host)).await.unwrap();
    let source = build_image(&host, "oci", 2, 128);
    let id = image_id(&host, &source).unwrap();
    let dir = scratch("oci");
    save(&host, &source, &dir.join("saved.tar"));
    let name = format!("oci-{}", nonce() % 1_000_000);
    let file = dir.join(format!("{name}.tar.gz"));
    to_oci_layout(&dir.join("saved.tar"), &file, "1.0");
    let _ = docker(&host).args(["rmi", &source]).output();

    let images = load(&engine, &file).await.expect("load");
    assert_eq!(images.len(), 1, "{images:?}");
    assert!(images[0].ends_with(&format!("{name}:1.0")), "{images:?}");
    assert_eq!(image_id(&host, &format!("{name}:1.0")).as_deref(), Some(id.as_str()), "the same image");
    let _ = docker(&host).args(["rmi", &format!("{name}:1.0")]).output();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_file_that_is_not_an_image_gets_a_clear_message() {
    gate::sandbox();
    let engine = Engine::connect(Some(&sandbox_host())).await.unwrap();
    let dir = scratch("notimg");
    let file = dir.join("report.pdf");
    std::fs::write(&file, b"%PDF-1.7 not an image ".repeat(200)).unwrap();
    let err = engine.load_archive(&file, &CancellationToken::new(), |_, _| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("report.pdf is not an image archive"), "{}", err.message);
    assert!(err.message.contains("docker save"), "{}", err.message);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_engine_with_a_full_disk_says_so() {
    gate::sandbox();
    let dir = scratch("full");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    // The engine's data on a 40 MiB tmpfs (tests run as root, as make test does).
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=40m", "tmpfs"]).arg(&data).status().unwrap();
    assert!(mounted.success(), "mount a tmpfs for the engine's data (needs root)");
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(data.clone());
    let (daemon, host) = dockerd(&dir, &data);

    // A 64 MiB image, saved from the sandbox's engine.
    let sandbox = sandbox_host();
    let source = build_image(&sandbox, "full", 1, 64 * 1024);
    let file = dir.join("big.tar");
    save(&sandbox, &source, &file);
    let _ = docker(&sandbox).args(["rmi", &source]).output();

    let engine = Engine::connect(Some(&host)).await.unwrap();
    let err = engine.load_archive(&file, &CancellationToken::new(), |_, _| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::DiskFull, "{err:?}");
    assert!(err.message.contains("disk is full"), "{}", err.message);
    // The engine is still fine.
    assert!(engine.list_images(true).await.is_ok());
    drop(daemon);
    drop(_unmount);
    let _ = std::fs::remove_dir_all(&dir);
}
