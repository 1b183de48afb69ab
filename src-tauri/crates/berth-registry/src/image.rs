//! An image read from the registry: manifest (index followed to one platform), configuration
//! blob and layers, with everything fetched by digest going through the disk cache.

use berth_core::image::{ImageConfig, ImageInfo, LayerInfo, PlatformEntry};
use berth_core::{BerthError, ErrorCode, Result};
use oci_client::RegistryOperation;
use serde_json::Value;

use crate::cache::sha256_digest;
use crate::{RawManifest, Registry};

/// Media types of a multi-platform index.
pub fn is_index(media_type: &str) -> bool {
    media_type.contains("image.index") || media_type.contains("manifest.list")
}

fn platform_of(v: &Value) -> String {
    let p = &v["platform"];
    let (os, arch) = (p["os"].as_str().unwrap_or("unknown"), p["architecture"].as_str().unwrap_or("unknown"));
    match p["variant"].as_str() {
        Some(variant) => format!("{os}/{arch}/{variant}"),
        None => format!("{os}/{arch}"),
    }
}

/// The platforms of an index manifest.
pub fn index_platforms(index: &Value) -> Vec<PlatformEntry> {
    index["manifests"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|d| PlatformEntry {
                    platform: platform_of(d),
                    digest: d["digest"].as_str().unwrap_or_default().to_string(),
                    media_type: d["mediaType"].as_str().unwrap_or_default().to_string(),
                    size: d["size"].as_u64().unwrap_or(0),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Registry {
    /// A manifest by digest from the cache, else from the registry (then cached).
    pub async fn manifest_cached(&self, repository: &str, digest: &str) -> Result<RawManifest> {
        berth_core::validate::digest(digest)?;
        if let Some(cache) = &self.cache {
            if let Some(bytes) = cache.get(digest) {
                let media_type = crate::serde_media_type(&bytes);
                return Ok(RawManifest { digest: digest.to_string(), media_type, bytes });
            }
        }
        let m = self.manifest(repository, digest).await?;
        if let Some(cache) = &self.cache {
            cache.put(&m.digest, &m.bytes);
        }
        Ok(m)
    }

    /// A blob's bytes (configs: small), verified against the digest, through the cache.
    pub async fn blob(&self, repository: &str, digest: &str) -> Result<Vec<u8>> {
        berth_core::validate::digest(digest)?;
        if let Some(bytes) = self.cache.as_ref().and_then(|c| c.get(digest)) {
            return Ok(bytes);
        }
        let r = self.reference(repository, digest)?;
        self.client
            .auth(&r, &self.auth, RegistryOperation::Pull)
            .await
            .map_err(|e| self.error(e, repository, digest))?;
        let mut bytes = Vec::new();
        self.client.pull_blob(&r, digest, &mut bytes).await.map_err(|e| self.error(e, repository, digest))?;
        if sha256_digest(&bytes) != digest {
            return Err(BerthError::new(
                ErrorCode::Remote,
                format!("The registry sent a blob that does not match its digest {digest}. Retry; if it persists, the registry's storage is damaged."),
            ));
        }
        if let Some(cache) = &self.cache {
            cache.put(digest, &bytes);
        }
        Ok(bytes)
    }

    /// `repository:reference` read as an image. An index is followed to `platform` (default:
    /// linux/amd64, else its first real platform); its platforms are listed.
    pub async fn image(&self, repository: &str, reference: &str, platform: Option<&str>) -> Result<ImageInfo> {
        // A tag can move: ask the registry for its digest; a digest is looked up in the cache.
        let parsed = berth_core::image::TagOrDigest::parse(reference)?;
        let top = if parsed.is_digest() {
            self.manifest_cached(repository, reference).await?
        } else {
            let m = self.manifest(repository, reference).await?;
            if let Some(cache) = &self.cache {
                cache.put(&m.digest, &m.bytes);
            }
            m
        };
        let value: Value = serde_json::from_slice(&top.bytes).map_err(|e| {
            BerthError::new(ErrorCode::Remote, format!("The manifest of {repository}:{reference} is not JSON: {e}"))
        })?;
        let media_type = top.media_type.clone().unwrap_or_default();
        let (manifest, platforms) = if is_index(&media_type) || value.get("manifests").is_some() {
            let platforms = index_platforms(&value);
            let wanted = platform.unwrap_or("linux/amd64");
            let chosen = platforms
                .iter()
                .find(|p| p.platform == wanted)
                .or_else(|| platforms.iter().find(|p| !p.platform.starts_with("unknown")))
                .ok_or_else(|| BerthError::not_found(format!("The index {repository}:{reference} lists no image.")))?;
            if platform.is_some_and(|p| p != chosen.platform) {
                return Err(BerthError::not_found(format!(
                    "{repository}:{reference} has no {} image (it has: {}).",
                    platform.unwrap_or_default(),
                    platforms.iter().map(|p| p.platform.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
            (self.manifest_cached(repository, &chosen.digest).await?, platforms)
        } else {
            (top.clone(), Vec::new())
        };
        let m: Value = serde_json::from_slice(&manifest.bytes).map_err(|e| {
            BerthError::new(ErrorCode::Remote, format!("The manifest {} is not JSON: {e}", manifest.digest))
        })?;
        let config_digest = m["config"]["digest"].as_str().ok_or_else(|| {
            BerthError::new(
                ErrorCode::Remote,
                format!("{repository}:{reference} is not a container image (its manifest has no config): an artifact?"),
            )
        })?;
        let config_bytes = self.blob(repository, config_digest).await?;
        let config_json: Value = serde_json::from_slice(&config_bytes).unwrap_or(Value::Null);
        let layers: Vec<LayerInfo> = m["layers"]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|d| LayerInfo {
                        digest: d["digest"].as_str().unwrap_or_default().to_string(),
                        size: d["size"].as_u64().unwrap_or(0),
                        media_type: d["mediaType"].as_str().unwrap_or_default().to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let size = layers.iter().map(|l| l.size).sum::<u64>() + m["config"]["size"].as_u64().unwrap_or(0);
        let manifest_json = serde_json::to_string_pretty(&value).unwrap_or_default();
        Ok(ImageInfo {
            reference: format!("{repository}{}{reference}", parsed.separator()),
            digest: top.digest,
            media_type,
            manifest_digest: manifest.digest,
            size,
            config: ImageConfig::from_json(&config_json),
            layers,
            platforms,
            manifest_json,
            source: "registry".into(),
        })
    }
}
