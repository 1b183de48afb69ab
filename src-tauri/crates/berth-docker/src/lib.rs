//! Berth's access to the local container engine (Docker Engine API over bollard).
//!
//! bollard 0.21 speaks API 1.53 by default; older engines (Debian's 20.10 speaks 1.41)
//! refuse that, so every connection negotiates the version first.

use berth_core::model::{EngineInfo, LocalImage};
use berth_core::{BerthError, ErrorCode, Result};
use bollard::query_parameters::ListImagesOptions;
use bollard::Docker;
use futures_util::stream::{self, StreamExt};

pub mod archive;
pub mod export;
pub mod load;
pub mod push;
pub use export::{ExportedBlob, ExportedImage};
pub use load::LoadOutcome;
pub use push::{PushOutcome, PushRequest};

/// A connected engine.
#[derive(Clone)]
pub struct Engine {
    docker: Docker,
    address: String,
}

/// Where to look for an engine, in order: `DOCKER_HOST`, then the usual sockets.
pub fn candidate_addresses() -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(host) = std::env::var("DOCKER_HOST") {
        if !host.trim().is_empty() {
            out.push(host);
            return out;
        }
    }
    #[cfg(unix)]
    {
        out.push("unix:///var/run/docker.sock".into());
        if let Ok(dir) = std::env::var("XDG_RUNTIME_DIR") {
            out.push(format!("unix://{dir}/docker.sock"));
        }
        if let Ok(home) = std::env::var("HOME") {
            out.push(format!("unix://{home}/.docker/run/docker.sock"));
            out.push(format!("unix://{home}/.docker/desktop/docker.sock"));
        }
    }
    #[cfg(windows)]
    out.push("npipe:////./pipe/docker_engine".into());
    out
}

fn unavailable(tried: &[String], detail: &str) -> BerthError {
    let hint = if cfg!(target_os = "linux") {
        "Start Docker (for example `sudo systemctl start docker`) or set DOCKER_HOST to your engine's address, then retry."
    } else {
        "Start Docker Desktop (or your engine) or set DOCKER_HOST to its address, then retry."
    };
    BerthError::new(
        ErrorCode::EngineUnavailable,
        format!("No Docker engine answered at {} ({detail}). {hint}", tried.join(", ")),
    )
}

impl Engine {
    /// Connect to `address` (`unix://…`, `tcp://…`, `npipe://…`) or, when `None`, to the first
    /// of [`candidate_addresses`] that answers.
    pub async fn connect(address: Option<&str>) -> Result<Engine> {
        let candidates = match address {
            Some(a) => vec![a.to_string()],
            None => candidate_addresses(),
        };
        let mut last = String::from("nothing to try");
        for candidate in &candidates {
            match Self::try_connect(candidate).await {
                Ok(engine) => return Ok(engine),
                Err(e) => last = e,
            }
        }
        Err(unavailable(&candidates, &last))
    }

    async fn try_connect(address: &str) -> std::result::Result<Engine, String> {
        let docker = Docker::connect_with_host(address).map_err(|e| e.to_string())?;
        let docker = docker.negotiate_version().await.map_err(describe)?;
        Ok(Engine { docker, address: address.to_string() })
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn client(&self) -> &Docker {
        &self.docker
    }

    pub async fn info(&self) -> Result<EngineInfo> {
        let v = self.docker.version().await.map_err(|e| self.error(e))?;
        Ok(EngineInfo {
            address: self.address.clone(),
            version: v.version.unwrap_or_default(),
            api_version: v.api_version.unwrap_or_default(),
        })
    }

    /// Local images, newest first. Dangling images (no tag) only when `include_dangling`.
    pub async fn list_images(&self, include_dangling: bool) -> Result<Vec<LocalImage>> {
        let summaries = self
            .docker
            .list_images(Some(ListImagesOptions { all: false, ..Default::default() }))
            .await
            .map_err(|e| self.error(e))?;
        let mut images: Vec<LocalImage> = summaries
            .into_iter()
            .map(|s| LocalImage {
                id: s.id,
                repo_tags: s.repo_tags.into_iter().filter(|t| t != "<none>:<none>").collect(),
                repo_digests: s.repo_digests.into_iter().filter(|t| t != "<none>@<none>").collect(),
                size_bytes: u64::try_from(s.size).unwrap_or(0),
                created_at: rfc3339_from_unix(s.created),
                layers: None,
            })
            .filter(|i| include_dangling || !i.repo_tags.is_empty())
            .collect();
        // The list endpoint has no layer count; inspect concurrently (a few at a time).
        let docker = self.docker.clone();
        let ids: Vec<String> = images.iter().map(|i| i.id.clone()).collect();
        let counts: Vec<Option<u32>> =
            stream::iter(ids).map(move |id| layer_count(docker.clone(), id)).buffered(8).collect().await;
        for (image, count) in images.iter_mut().zip(counts) {
            image.layers = count;
        }
        images.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| a.repo_tags.cmp(&b.repo_tags)));
        Ok(images)
    }

    fn error(&self, e: bollard::errors::Error) -> BerthError {
        use bollard::errors::Error as E;
        let cause = e.to_string();
        let error = match e {
            E::DockerResponseServerError { status_code: 404, message } => BerthError::not_found(message),
            E::DockerResponseServerError { status_code, message } => {
                BerthError::new(ErrorCode::Remote, format!("The Docker engine answered {status_code}: {message}"))
            }
            other => unavailable(std::slice::from_ref(&self.address), &describe(other)),
        };
        error.with_cause(format!("bollard: {cause}"))
    }
}

async fn layer_count(docker: Docker, id: String) -> Option<u32> {
    let inspect = docker.inspect_image(&id).await.ok()?;
    inspect.root_fs?.layers.map(|l| l.len() as u32)
}

fn describe(e: bollard::errors::Error) -> String {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

fn rfc3339_from_unix(secs: i64) -> Option<berth_core::Timestamp> {
    berth_core::Timestamp::from_unix(secs)
}

impl Engine {
    /// A local image as the comparison reads it: configuration, history, and its layers by
    /// content (the engine knows uncompressed digests only; sizes from the history).
    pub async fn image_info(&self, reference: &str) -> Result<berth_core::image::ImageInfo> {
        use berth_core::image::{ImageConfig, ImageInfo, LayerInfo};
        let not_found = |e: bollard::errors::Error| match e {
            bollard::errors::Error::DockerResponseServerError { status_code: 404, .. } => {
                BerthError::not_found(format!("The local image {reference} does not exist."))
            }
            other => self.error(other),
        };
        let inspect = self.docker.inspect_image(reference).await.map_err(not_found)?;
        let history = self.docker.image_history(reference).await.map_err(not_found)?;
        let c = inspect.config.clone().unwrap_or_default();
        // Oldest step first, as in an image configuration.
        let steps: Vec<serde_json::Value> = history
            .iter()
            .rev()
            .map(|h| {
                serde_json::json!({
                    "created_by": h.created_by, "empty_layer": h.size == 0,
                    "comment": h.comment,
                })
            })
            .collect();
        let diff_ids = inspect.root_fs.as_ref().and_then(|r| r.layers.clone()).unwrap_or_default();
        let config = serde_json::json!({
            "architecture": inspect.architecture, "os": inspect.os, "variant": inspect.variant, "created": inspect.created,
            "config": {"User": c.user, "WorkingDir": c.working_dir, "Entrypoint": c.entrypoint, "Cmd": c.cmd, "Env": c.env,
                       "Labels": c.labels, "ExposedPorts": c.exposed_ports.map(|p| p.into_iter().map(|k| (k, serde_json::json!({}))).collect::<serde_json::Map<_, _>>())},
            "history": steps,
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
        });
        // Sizes of the layer-making steps, oldest first, matched to the layers in order.
        let mut sizes = history.iter().rev().filter(|h| h.size > 0).map(|h| h.size as u64);
        let layers = diff_ids
            .iter()
            .map(|d| LayerInfo {
                digest: d.clone(),
                size: sizes.next().unwrap_or(0),
                media_type: "application/vnd.docker.image.rootfs.diff.tar".into(),
            })
            .collect::<Vec<_>>();
        let id = inspect.id.clone().unwrap_or_default();
        Ok(ImageInfo {
            reference: format!("local:{reference}"),
            digest: id.clone(),
            media_type: "engine".into(),
            manifest_digest: id,
            size: inspect.size.map(|s| s.max(0) as u64).unwrap_or(0),
            config: ImageConfig::from_json(&config),
            layers,
            platforms: Vec::new(),
            manifest_json: serde_json::to_string_pretty(&config).unwrap_or_default(),
            source: "engine".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_become_rfc3339() {
        assert_eq!(rfc3339_from_unix(0).map(|t| t.to_string()).as_deref(), Some("1970-01-01T00:00:00Z"));
    }

    #[test]
    fn the_error_names_the_address_and_what_to_do() {
        let e = unavailable(&["unix:///nope.sock".into()], "connection refused");
        assert_eq!(e.code, ErrorCode::EngineUnavailable);
        assert!(e.message.contains("unix:///nope.sock"));
        assert!(e.message.contains("DOCKER_HOST"));
    }
}
