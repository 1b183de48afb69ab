//! What an image archive holds, read from its small JSON entries only.
//!
//! Two kinds are loaded: a `docker save` tarball (it has `manifest.json`; loaded as it is) and an
//! OCI image layout (`oci-layout` + `index.json` + `blobs/`). Engines before Docker 25 load only
//! the first kind, so for an OCI layout Berth writes the `manifest.json` the engine expects —
//! config and layer paths are the layout's own blob paths, which both formats share. Either may
//! be gzip-compressed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use berth_core::{BerthError, ErrorCode, Result};
use serde_json::{json, Value};

/// JSON entries larger than this are not manifests, indexes or configs.
const SMALL: u64 = 4 << 20;

#[derive(Debug, Clone, PartialEq)]
pub enum ArchiveKind {
    /// Has `manifest.json`: the engine loads it as it is.
    DockerSave,
    /// An OCI image layout without `manifest.json`: this one is added when loading.
    OciLayout { manifest_json: Vec<u8>, images: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveInfo {
    pub kind: ArchiveKind,
    pub gzip: bool,
    /// Size of the file on disk.
    pub size: u64,
}

/// The archive's entries, decompressed when the file is gzip.
pub(crate) fn open(path: &Path) -> Result<(Box<dyn Read + Send>, bool, u64)> {
    let unreadable = |e: std::io::Error| {
        let code = if e.kind() == std::io::ErrorKind::NotFound { ErrorCode::NotFound } else { ErrorCode::InvalidInput };
        BerthError::new(code, format!("Cannot read {}: {e}.", path.display()))
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.is_dir() {
        return Err(BerthError::invalid(format!(
            "{} is a folder. Drop the archive itself: `docker save -o app.tar IMAGE` makes one.",
            path.display()
        )));
    }
    let (reader, gzip) = open_reader(BufReader::new(file), path)?;
    Ok((reader, gzip, meta.len()))
}

/// `reader` as tar bytes: gunzipped when it starts with the gzip magic.
pub(crate) fn open_reader<R: BufRead + Send + 'static>(
    mut reader: R,
    path: &Path,
) -> Result<(Box<dyn Read + Send>, bool)> {
    let head = reader.fill_buf().map_err(|e| BerthError::invalid(format!("Cannot read {}: {e}.", path.display())))?;
    let gzip = head.len() >= 2 && head[..2] == [0x1f, 0x8b];
    Ok(if gzip { (Box::new(flate2::read::GzDecoder::new(reader)), true) } else { (Box::new(reader), false) })
}

/// The file's name (the whole path is in the job's title already).
fn shown(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string())
}

pub(crate) fn not_an_image(path: &Path, why: &str) -> BerthError {
    BerthError::invalid(format!(
        "{} is not an image archive ({why}). Berth loads `docker save` tarballs (.tar, .tar.gz) and OCI image layouts \
         packed as tar (with index.json); make one with `docker save -o image.tar IMAGE`.",
        shown(path)
    ))
}

/// Read the archive once, keeping only its small JSON entries, and tell what it is.
/// `platform` (os, architecture) picks the image of a multi-platform OCI index.
pub fn inspect(path: &Path, platform: (&str, &str)) -> Result<ArchiveInfo> {
    let (reader, gzip, size) = open(path)?;
    let mut archive = tar::Archive::new(reader);
    let mut small: HashMap<String, Vec<u8>> = HashMap::new();
    let mut entries_seen = 0usize;
    let entries = archive.entries().map_err(|e| not_an_image(path, &e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| {
            if entries_seen == 0 {
                not_an_image(path, "not a tar archive")
            } else {
                damaged(path, &e.to_string())
            }
        })?;
        entries_seen += 1;
        if !entry.header().entry_type().is_file() || entry.size() > SMALL {
            continue;
        }
        let name = normalize(&entry.path().map_err(|e| damaged(path, &e.to_string()))?.to_string_lossy());
        let wanted =
            matches!(name.as_str(), "manifest.json" | "index.json" | "oci-layout") || name.starts_with("blobs/");
        if wanted {
            let mut bytes = Vec::with_capacity(entry.size() as usize);
            entry.read_to_end(&mut bytes).map_err(|e| damaged(path, &e.to_string()))?;
            small.insert(name, bytes);
        }
    }
    if entries_seen == 0 {
        return Err(not_an_image(path, "it is empty or not a tar archive"));
    }
    if small.contains_key("manifest.json") {
        return Ok(ArchiveInfo { kind: ArchiveKind::DockerSave, gzip, size });
    }
    let Some(index) = small.get("index.json") else {
        return Err(not_an_image(path, "a tar archive without manifest.json (docker save) or index.json (OCI layout)"));
    };
    let index: Value =
        serde_json::from_slice(index).map_err(|e| damaged(path, &format!("index.json is not JSON: {e}")))?;
    let stem = file_stem(path);
    let mut images = Vec::new();
    for descriptor in index["manifests"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let name = reference_name(descriptor, &stem);
        let manifest = resolve(path, &small, descriptor, platform, 0)?;
        let layers: Vec<String> = manifest["layers"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|l| blob_path(path, &l["digest"]))
            .collect::<Result<_>>()?;
        let config = blob_path(path, &manifest["config"]["digest"])?;
        images.push(json!({"Config": config, "RepoTags": name.map(|n| vec![n]), "Layers": layers}));
    }
    if images.is_empty() {
        return Err(not_an_image(path, "its index.json lists no image"));
    }
    let count = images.len();
    let manifest_json = serde_json::to_vec(&images).map_err(|e| BerthError::internal(e.to_string()))?;
    Ok(ArchiveInfo { kind: ArchiveKind::OciLayout { manifest_json, images: count }, gzip, size })
}

pub(crate) fn damaged(path: &Path, why: &str) -> BerthError {
    BerthError::invalid(format!(
        "The archive {} is damaged or truncated ({why}). Create it again (`docker save -o image.tar IMAGE`) and drop the new file.",
        shown(path)
    ))
}

fn normalize(name: &str) -> String {
    name.trim_start_matches("./").to_string()
}

fn file_stem(path: &Path) -> String {
    let stem = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let stem = stem.trim_end_matches(".gz").trim_end_matches(".tgz").trim_end_matches(".tar").to_lowercase();
    let clean: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '-' })
        .collect();
    let clean = clean.trim_matches(|c: char| !c.is_ascii_alphanumeric()).to_string();
    if clean.is_empty() {
        "loaded".into()
    } else {
        clean
    }
}

/// The image name an OCI descriptor carries: containerd's full name, or the OCI ref name (a
/// bare tag is put on a name made from the file's name).
fn reference_name(descriptor: &Value, stem: &str) -> Option<String> {
    let annotations = &descriptor["annotations"];
    if let Some(full) = annotations["io.containerd.image.name"].as_str() {
        return Some(full.to_string());
    }
    let name = annotations["org.opencontainers.image.ref.name"].as_str()?;
    let is_tag = !name.contains('/') && !name.contains(':');
    if is_tag {
        berth_core::validate::tag(name).ok()?;
        Some(format!("{stem}:{name}"))
    } else {
        Some(name.to_string())
    }
}

fn blob_path(path: &Path, digest: &Value) -> Result<String> {
    let digest = digest.as_str().ok_or_else(|| damaged(path, "a descriptor without a digest"))?;
    let (algorithm, hex) = digest.split_once(':').ok_or_else(|| damaged(path, &format!("bad digest {digest}")))?;
    if algorithm.is_empty() || hex.is_empty() || !hex.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(damaged(path, &format!("bad digest {digest}")));
    }
    Ok(format!("blobs/{algorithm}/{hex}"))
}

/// An image manifest for a descriptor; an index is followed to the entry of `platform`.
fn resolve(
    path: &Path,
    small: &HashMap<String, Vec<u8>>,
    descriptor: &Value,
    platform: (&str, &str),
    depth: u8,
) -> Result<Value> {
    if depth > 4 {
        return Err(damaged(path, "indexes nested too deep"));
    }
    let blob = blob_path(path, &descriptor["digest"])?;
    let bytes = small.get(&blob).ok_or_else(|| damaged(path, &format!("{blob} is missing")))?;
    let value: Value = serde_json::from_slice(bytes).map_err(|e| damaged(path, &format!("{blob}: {e}")))?;
    let media = value["mediaType"].as_str().or(descriptor["mediaType"].as_str()).unwrap_or_default();
    let is_index = media.contains("index") || media.contains("manifest.list") || value.get("manifests").is_some();
    if !is_index {
        return Ok(value);
    }
    let entries = value["manifests"].as_array().map(Vec::as_slice).unwrap_or_default();
    let matches = |d: &&Value| {
        d["platform"]["os"].as_str() == Some(platform.0) && d["platform"]["architecture"].as_str() == Some(platform.1)
    };
    // Attestation manifests (buildx) have platform unknown/unknown: never pick those by default.
    let real = |d: &&Value| d["platform"]["os"].as_str() != Some("unknown");
    let chosen = entries
        .iter()
        .find(matches)
        .or_else(|| entries.iter().find(real))
        .ok_or_else(|| not_an_image(path, &format!("the index in {blob} lists no image")))?;
    resolve(path, small, chosen, platform, depth + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn digest(bytes: &[u8]) -> String {
        format!("sha256:{:x}", Sha256::digest(bytes))
    }

    fn tar_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, data.as_slice()).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn write(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("berth-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// An OCI layout of one image under an index of two platforms.
    fn oci_layout(ref_name: &str) -> Vec<u8> {
        let layer = b"layer bytes".to_vec();
        let config = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.to_vec();
        let manifest = |config: &[u8]| {
            serde_json::to_vec(&json!({
                "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest(config), "size": config.len()},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest(&layer), "size": layer.len()}]
            }))
            .unwrap()
        };
        let arm_config = br#"{"architecture":"arm64","os":"linux"}"#.to_vec();
        let (m_amd, m_arm) = (manifest(&config), manifest(&arm_config));
        let inner = serde_json::to_vec(&json!({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(&m_arm), "size": m_arm.len(), "platform": {"os": "linux", "architecture": "arm64"}},
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(&m_amd), "size": m_amd.len(), "platform": {"os": "linux", "architecture": "amd64"}}
            ]
        }))
        .unwrap();
        let index = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": digest(&inner), "size": inner.len(),
                           "annotations": {"org.opencontainers.image.ref.name": ref_name}}]
        }))
        .unwrap();
        let blob = |b: &[u8]| format!("blobs/sha256/{}", &digest(b)[7..]);
        tar_of(&[
            ("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec()),
            ("index.json", index),
            (&blob(&inner), inner.clone()),
            (&blob(&m_amd), m_amd.clone()),
            (&blob(&m_arm), m_arm.clone()),
            (&blob(&config), config.clone()),
            (&blob(&arm_config), arm_config.clone()),
            (&blob(&layer), layer.clone()),
        ])
    }

    #[test]
    fn an_oci_layout_gets_a_manifest_for_the_engine_platform() {
        let p = write("My App.tar", &oci_layout("1.0"));
        let info = inspect(&p, ("linux", "amd64")).unwrap();
        let ArchiveKind::OciLayout { manifest_json, images } = info.kind else { panic!("{info:?}") };
        assert_eq!(images, 1);
        let m: Value = serde_json::from_slice(&manifest_json).unwrap();
        assert_eq!(m[0]["RepoTags"], json!(["my-app:1.0"]));
        let config = m[0]["Config"].as_str().unwrap();
        assert!(config.starts_with("blobs/sha256/"));
        assert_eq!(m[0]["Layers"].as_array().unwrap().len(), 1);
        // The amd64 config was chosen, not the first (arm64) entry.
        let amd = digest(br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#);
        assert_eq!(config, format!("blobs/sha256/{}", &amd[7..]));
        let full = write("full.tar", &oci_layout("registry.example.com/team/app:2.0"));
        let ArchiveKind::OciLayout { manifest_json, .. } = inspect(&full, ("linux", "amd64")).unwrap().kind else {
            panic!()
        };
        let m: Value = serde_json::from_slice(&manifest_json).unwrap();
        assert_eq!(m[0]["RepoTags"], json!(["registry.example.com/team/app:2.0"]));
    }

    #[test]
    fn gzip_and_docker_save_are_recognised() {
        let save = tar_of(&[("manifest.json", b"[]".to_vec()), ("abc/layer.tar", b"x".to_vec())]);
        let p = write("save.tar", &save);
        assert_eq!(inspect(&p, ("linux", "amd64")).unwrap().kind, ArchiveKind::DockerSave);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &save).unwrap();
        let p = write("save.tar.gz", &gz.finish().unwrap());
        let info = inspect(&p, ("linux", "amd64")).unwrap();
        assert!(info.gzip);
        assert_eq!(info.kind, ArchiveKind::DockerSave);
    }

    #[test]
    fn other_files_get_a_message_that_says_what_to_drop() {
        let text = write("notes.txt", &b"just some notes\n".repeat(100));
        let e = inspect(&text, ("linux", "amd64")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("is not an image archive"), "{}", e.message);
        assert!(e.message.contains("docker save"), "{}", e.message);
        let plain_tar = write("src.tar", &tar_of(&[("main.rs", b"fn main() {}".to_vec())]));
        let e = inspect(&plain_tar, ("linux", "amd64")).unwrap_err();
        assert!(e.message.contains("without manifest.json"), "{}", e.message);
        let e = inspect(Path::new("/nonexistent/berth.tar"), ("linux", "amd64")).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        let dir = inspect(&std::env::temp_dir(), ("linux", "amd64")).unwrap_err();
        assert!(dir.message.contains("is a folder"), "{}", dir.message);
        let mut broken = oci_layout("1.0");
        broken.truncate(1536);
        let e = inspect(&write("broken.tar", &broken), ("linux", "amd64")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
    }
}
