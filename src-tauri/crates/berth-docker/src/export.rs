//! A local image read through the engine's image export (`GET /images/NAME/get`, what
//! `docker save` calls), made ready for a registry without `docker push`: the config as the
//! engine holds it (so the image id stays the config digest), each layer gzip-compressed
//! into a temporary file (several at a time), and the image manifest naming them.
//!
//! The export is unpacked to disk as it streams: its `manifest.json`, which says which entry
//! is the config and which are the layers, comes last. A layer the engine exports compressed
//! already (an OCI export of the containerd store) is kept as it is.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use berth_core::{BerthError, ErrorCode, Result};
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::Engine;

pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.docker.distribution.manifest.v2+json";
const CONFIG_MEDIA_TYPE: &str = "application/vnd.docker.container.image.v1+json";
const LAYER_MEDIA_TYPE: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";

/// A blob of the exported image, in a file of the export's temporary folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedBlob {
    pub digest: String,
    pub size: u64,
    pub path: PathBuf,
}

/// A local image ready to be written to a registry. Its files go when it is dropped.
#[derive(Debug)]
pub struct ExportedImage {
    /// The image manifest (Docker v2 schema 2, as `docker push` writes).
    pub manifest: Vec<u8>,
    pub digest: String,
    pub media_type: &'static str,
    /// The config first, then the layers (each once).
    pub blobs: Vec<ExportedBlob>,
    /// Bytes the engine exported (uncompressed layers and the config).
    pub exported_bytes: u64,
    _folder: tempfile::TempDir,
}

impl ExportedImage {
    /// Each blob's file by digest.
    pub fn files(&self) -> HashMap<String, PathBuf> {
        self.blobs.iter().map(|b| (b.digest.clone(), b.path.clone())).collect()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

impl Engine {
    /// Export `reference` (`NAME:TAG` or an image id) and prepare its blobs. Cancelling stops
    /// the export and removes what was written.
    pub async fn export_image(&self, reference: &str, cancel: &CancellationToken) -> Result<ExportedImage> {
        self.client().inspect_image(reference).await.map_err(|e| match e {
            bollard::errors::Error::DockerResponseServerError { status_code: 404, .. } => BerthError::not_found(
                format!("The local image {reference} does not exist. `docker images` lists what the engine has."),
            ),
            other => self.error(other),
        })?;
        let folder = tempfile::Builder::new()
            .prefix("berth-export-")
            .tempdir()
            .map_err(|e| BerthError::internal(format!("Cannot create a temporary folder for the export: {e}")))?;
        let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(16);
        let root = folder.path().to_path_buf();
        let unpack = tokio::task::spawn_blocking(move || unpack(ChannelReader { rx, current: Bytes::new() }, &root));
        let mut stream = self.client().export_image(reference).boxed();
        let forward = async {
            while let Some(chunk) = stream.next().await {
                let failed = chunk.is_err();
                let item = chunk.map_err(|e| std::io::Error::other(format!("the engine stopped the export: {e}")));
                if tx.send(item).await.is_err() || failed {
                    break;
                }
            }
            drop(tx);
        };
        tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(BerthError::new(ErrorCode::Cancelled, "Cancelled while the engine exported the image: nothing was written.")),
            _ = forward => {}
        }
        let entries = unpack.await.map_err(|e| BerthError::internal(e.to_string()))??;
        let prepare = prepare(entries, folder.path().to_path_buf(), reference.to_string());
        let prepared = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(BerthError::new(ErrorCode::Cancelled, "Cancelled while the layers were compressed: nothing was written.")),
            prepared = prepare => prepared?,
        };
        let Prepared { manifest, digest, blobs, exported_bytes } = prepared;
        Ok(ExportedImage { manifest, digest, media_type: MANIFEST_MEDIA_TYPE, blobs, exported_bytes, _folder: folder })
    }
}

/// The export's bytes as a reader, for the tar reader on a blocking thread.
struct ChannelReader {
    rx: mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(chunk) => self.current = chunk?,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// An entry of the export written to disk: its file and size.
type Entries = HashMap<String, (PathBuf, u64)>;

fn damaged(why: impl std::fmt::Display) -> BerthError {
    BerthError::new(
        ErrorCode::EngineUnavailable,
        format!("The engine's export of the image could not be read ({why}). Check the engine with `docker save IMAGE > /dev/null`, then retry."),
    )
}

/// Write every file of the export under `root` (numbered: the export's names are not trusted
/// as paths).
fn unpack(reader: impl Read, root: &Path) -> Result<Entries> {
    let mut archive = tar::Archive::new(reader);
    let mut entries = Entries::new();
    for (n, entry) in archive.entries().map_err(damaged)?.enumerate() {
        let mut entry = entry.map_err(damaged)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry.path().map_err(damaged)?.to_string_lossy().trim_start_matches("./").to_string();
        let path = root.join(format!("entry-{n}"));
        let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).map_err(damaged)?);
        let size = std::io::copy(&mut entry, &mut file).map_err(damaged)?;
        file.flush().map_err(damaged)?;
        entries.insert(name, (path, size));
    }
    Ok(entries)
}

#[derive(Debug)]
struct Prepared {
    manifest: Vec<u8>,
    digest: String,
    blobs: Vec<ExportedBlob>,
    exported_bytes: u64,
}

/// Read `manifest.json`, compress the layers (as many at once as there are cores) and write
/// the image manifest.
async fn prepare(entries: Entries, root: PathBuf, reference: String) -> Result<Prepared> {
    let read = |name: &str| -> Result<Vec<u8>> {
        let (path, _) = entries.get(name).ok_or_else(|| damaged(format!("it has no {name}")))?;
        std::fs::read(path).map_err(damaged)
    };
    let listing: Value = serde_json::from_slice(&read("manifest.json")?).map_err(damaged)?;
    let image = listing.as_array().and_then(|a| a.first()).ok_or_else(|| damaged("manifest.json lists no image"))?;
    let config_name = image["Config"].as_str().ok_or_else(|| damaged("manifest.json names no config"))?;
    let config = read(config_name)?;
    let config_value: Value = serde_json::from_slice(&config).map_err(damaged)?;
    let layer_names: Vec<String> =
        image["Layers"].as_array().into_iter().flatten().filter_map(|l| l.as_str().map(str::to_string)).collect();
    let diff_ids = config_value["rootfs"]["diff_ids"].as_array().map(Vec::len).unwrap_or(0);
    if diff_ids != layer_names.len() {
        return Err(damaged(format!(
            "{reference} has {} layers in the export and {diff_ids} in its config",
            layer_names.len()
        )));
    }
    let config_path = root.join("config.json");
    std::fs::write(&config_path, &config).map_err(damaged)?;
    let config_blob = ExportedBlob { digest: sha256_hex(&config), size: config.len() as u64, path: config_path };
    let mut exported_bytes = config.len() as u64;

    // Each distinct layer file once, compressed on a blocking thread, at most one per core.
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let mut distinct: Vec<String> = Vec::new();
    for name in &layer_names {
        if !distinct.contains(name) {
            distinct.push(name.clone());
        }
    }
    let mut jobs = Vec::new();
    for (i, name) in distinct.iter().enumerate() {
        let (path, size) = entries.get(name).cloned().ok_or_else(|| damaged(format!("it has no {name}")))?;
        exported_bytes += size;
        let out = root.join(format!("layer-{i}.gz"));
        jobs.push(async move {
            tokio::task::spawn_blocking(move || compress(&path, &out))
                .await
                .map_err(|e| BerthError::internal(e.to_string()))?
        });
    }
    let compressed: Vec<ExportedBlob> = futures_util::stream::iter(jobs)
        .buffered(cores)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let by_name: HashMap<&str, &ExportedBlob> = distinct.iter().map(String::as_str).zip(compressed.iter()).collect();
    let layers: Vec<Value> = layer_names
        .iter()
        .map(|name| {
            let blob = by_name[name.as_str()];
            json!({"mediaType": LAYER_MEDIA_TYPE, "size": blob.size, "digest": blob.digest})
        })
        .collect();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": CONFIG_MEDIA_TYPE, "size": config_blob.size, "digest": config_blob.digest},
        "layers": layers,
    });
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| BerthError::internal(e.to_string()))?;
    let mut blobs = vec![config_blob];
    for blob in compressed {
        if !blobs.iter().any(|b| b.digest == blob.digest) {
            blobs.push(blob);
        }
    }
    Ok(Prepared { digest: sha256_hex(&manifest), manifest, blobs, exported_bytes })
}

/// Gzip `path` into `out` (fast level: the registry stores what `docker push` would send,
/// at a fraction of its CPU), hashing what is written. A layer already gzip is kept as is.
fn compress(path: &Path, out: &Path) -> Result<ExportedBlob> {
    let mut input = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path).map_err(damaged)?);
    let mut magic = [0u8; 2];
    let already = input.read(&mut magic).map_err(damaged)? == 2 && magic == [0x1f, 0x8b];
    drop(input);
    if already {
        let mut hasher = HashingWriter { inner: std::io::sink(), hasher: Sha256::new(), written: 0 };
        std::io::copy(&mut std::fs::File::open(path).map_err(damaged)?, &mut hasher).map_err(damaged)?;
        let digest = format!("sha256:{:x}", hasher.hasher.finalize());
        return Ok(ExportedBlob { digest, size: hasher.written, path: path.to_path_buf() });
    }
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out).map_err(damaged)?);
    let hashing = HashingWriter { inner: file, hasher: Sha256::new(), written: 0 };
    let mut encoder = flate2::write::GzEncoder::new(hashing, flate2::Compression::fast());
    std::io::copy(&mut std::fs::File::open(path).map_err(damaged)?, &mut encoder).map_err(damaged)?;
    let mut hashing = encoder.finish().map_err(damaged)?;
    hashing.inner.flush().map_err(damaged)?;
    // The uncompressed copy is not needed any more.
    let _ = std::fs::remove_file(path);
    let digest = format!("sha256:{:x}", hashing.hasher.finalize());
    Ok(ExportedBlob { digest, size: hashing.written, path: out.to_path_buf() })
}

struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, bytes) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, bytes.as_slice()).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn layer(content: &[u8]) -> Vec<u8> {
        tar_of(&[("file", content.to_vec())])
    }

    async fn prepared(files: &[(&str, Vec<u8>)]) -> (Result<Prepared>, tempfile::TempDir) {
        let folder = tempfile::tempdir().unwrap();
        let entries = unpack(std::io::Cursor::new(tar_of(files)), folder.path()).unwrap();
        (prepare(entries, folder.path().to_path_buf(), "web:1".into()).await, folder)
    }

    #[tokio::test]
    async fn a_docker_save_becomes_a_manifest_with_gzip_layers_and_the_same_config() {
        let config = br#"{"rootfs":{"type":"layers","diff_ids":["sha256:a","sha256:b","sha256:a"]}}"#.to_vec();
        let listing =
            br#"[{"Config":"abc.json","RepoTags":["web:1"],"Layers":["l1/layer.tar","l2/layer.tar","l1/layer.tar"]}]"#;
        let (prepared, _folder) = prepared(&[
            ("l1/layer.tar", layer(b"one")),
            ("l2/layer.tar", layer(b"two")),
            ("abc.json", config.clone()),
            ("manifest.json", listing.to_vec()),
        ])
        .await;
        let p = prepared.unwrap();
        let manifest: Value = serde_json::from_slice(&p.manifest).unwrap();
        assert_eq!(p.digest, sha256_hex(&p.manifest));
        assert_eq!(manifest["config"]["digest"], sha256_hex(&config));
        let layers = manifest["layers"].as_array().unwrap();
        assert_eq!(layers.len(), 3, "every layer of the config, in order");
        assert_eq!(layers[0]["digest"], layers[2]["digest"]);
        // The config and two distinct layers, each blob's file holding what its digest says.
        assert_eq!(p.blobs.len(), 3);
        for blob in &p.blobs {
            let bytes = std::fs::read(&blob.path).unwrap();
            assert_eq!(sha256_hex(&bytes), blob.digest);
            assert_eq!(bytes.len() as u64, blob.size);
        }
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(std::fs::read(&p.blobs[1].path).unwrap().as_slice())
            .read_to_end(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, layer(b"one"));
    }

    #[tokio::test]
    async fn an_export_that_does_not_add_up_is_refused() {
        let config = br#"{"rootfs":{"diff_ids":["sha256:a","sha256:b"]}}"#.to_vec();
        let listing = br#"[{"Config":"c.json","Layers":["l1/layer.tar"]}]"#;
        let (prepared, _f) =
            prepared(&[("l1/layer.tar", layer(b"x")), ("c.json", config), ("manifest.json", listing.to_vec())]).await;
        assert!(prepared.unwrap_err().message.contains("1 layers in the export and 2 in its config"));
        let (prepared, _f) = prepared_without_listing().await;
        assert!(prepared.unwrap_err().message.contains("it has no manifest.json"));
    }

    async fn prepared_without_listing() -> (Result<Prepared>, tempfile::TempDir) {
        prepared(&[("l1/layer.tar", layer(b"x"))]).await
    }
}
