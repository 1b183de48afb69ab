//! Pushing a local image through the engine, with per-layer progress.
//!
//! bollard 0.21's `push_image` parses the stream into a type without the layer `id` that the
//! engine sends on every per-layer line, so per-layer progress could not be told apart. Here the
//! push endpoint is called over the engine's own socket (hyper 1, as bollard does) and each line
//! is parsed with the id kept; bollard still does everything else (version negotiation, tagging,
//! inspecting). The engine does the upload itself, so digests, compression and layer mounting are
//! exactly those of `docker push`.

use std::time::Instant;

use base64::Engine as _;
use berth_core::push::{EngineLine, PushEvent, PushSummary, PushTracker};
use berth_core::{BerthError, ErrorCode, Result, Secret};
use bollard::query_parameters::{RemoveImageOptions, TagImageOptions};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio_util::sync::CancellationToken;

use crate::Engine;

/// What to push where, with which registry credentials.
#[derive(Debug, Clone)]
pub struct PushRequest {
    /// The local image: `name:tag` or an image id.
    pub source: String,
    /// Registry `host[:port]`.
    pub registry: String,
    pub repository: String,
    pub tags: Vec<String>,
    pub username: String,
    pub password: Secret,
}

/// How a push ended when it did not fail.
#[derive(Debug, Clone, PartialEq)]
pub enum PushOutcome {
    Pushed(PushSummary),
    /// Stopped by the token. `written`: the tags whose push the engine had finished before
    /// (in the request's order); the tag being pushed when it stopped is not among them.
    Cancelled {
        written: Vec<String>,
    },
}

enum Stream {
    Unix(tokio::net::UnixStream),
    Tcp(tokio::net::TcpStream),
}

impl Engine {
    /// Tag `source` for the registry and push each tag, streaming events. Cancelling closes
    /// the connection: the engine stops, and since the manifest goes last no tag is left
    /// half-applied. The tags this call created locally are removed again; the image stays.
    pub async fn push(
        &self,
        request: &PushRequest,
        cancel: &CancellationToken,
        mut on_event: impl FnMut(PushEvent),
    ) -> Result<PushOutcome> {
        if request.tags.is_empty() {
            return Err(BerthError::invalid("Give at least one tag to push."));
        }
        for tag in &request.tags {
            berth_core::validate::tag(tag).map_err(|e| BerthError::invalid(format!("Tag “{tag}”: {}", e.message)))?;
        }
        berth_core::validate::repository_name(&request.repository)?;
        let image = self.client().inspect_image(&request.source).await.map_err(|e| match e {
            bollard::errors::Error::DockerResponseServerError { status_code: 404, .. } => {
                BerthError::not_found(format!(
                    "The local image {} does not exist (any more). Refresh the list of local images.",
                    request.source
                ))
            }
            other => {
                BerthError::new(ErrorCode::EngineUnavailable, format!("The Docker engine did not answer: {other}"))
            }
        })?;
        let existing: Vec<String> = image.repo_tags.unwrap_or_default();
        let target = format!("{}/{}", request.registry, request.repository);
        let mut created = Vec::new();
        for tag in &request.tags {
            let reference = format!("{target}:{tag}");
            if !existing.contains(&reference) {
                self.client()
                    .tag_image(
                        &request.source,
                        Some(TagImageOptions { repo: Some(target.clone()), tag: Some(tag.clone()) }),
                    )
                    .await
                    .map_err(|e| {
                        BerthError::new(ErrorCode::Remote, format!("Could not tag {}: {e}", request.source))
                    })?;
                created.push(reference);
            }
        }
        let result = self.push_tags(request, &target, cancel, &mut on_event).await;
        for reference in created {
            // Untag only: the image keeps its other tags (noprune keeps its layers in any case).
            let _ = self
                .client()
                .remove_image(
                    &reference,
                    Some(RemoveImageOptions { force: false, noprune: true, ..Default::default() }),
                    None,
                )
                .await;
        }
        result
    }

    async fn push_tags(
        &self,
        request: &PushRequest,
        target: &str,
        cancel: &CancellationToken,
        on_event: &mut impl FnMut(PushEvent),
    ) -> Result<PushOutcome> {
        let auth = registry_auth(&request.username, &request.password, &request.registry);
        let started = Instant::now();
        let mut first: Option<PushTracker> = None;
        let mut digest = String::new();
        let mut written: Vec<String> = Vec::new();
        for tag in &request.tags {
            let mut tracker = PushTracker::new();
            // The first tag uploads; the others find every layer in place. Only the first streams.
            let streaming = first.is_none();
            let finished = self
                .push_one(target, tag, &auth, cancel, |line| {
                    let events = tracker.feed(line, started.elapsed().as_secs_f64())?;
                    if streaming {
                        events.into_iter().for_each(&mut *on_event);
                    }
                    Ok(())
                })
                .await?;
            if !finished {
                return Ok(PushOutcome::Cancelled { written });
            }
            digest = tracker.digest().map(str::to_string).ok_or_else(|| {
                BerthError::new(
                    ErrorCode::Remote,
                    format!("The engine finished pushing {target}:{tag} without reporting a digest."),
                )
            })?;
            if first.is_none() {
                first = Some(tracker);
            }
            written.push(tag.clone());
        }
        let first = first.unwrap_or_default();
        Ok(PushOutcome::Pushed(PushSummary {
            repository: request.repository.clone(),
            tags: request.tags.clone(),
            digest,
            bytes_pushed: first.bytes_done(),
            layers_skipped: first.layers_skipped(),
            seconds: started.elapsed().as_secs_f64(),
        }))
    }

    /// One push request; `false` when cancelled.
    async fn push_one(
        &self,
        target: &str,
        tag: &str,
        auth: &str,
        cancel: &CancellationToken,
        mut on_line: impl FnMut(&EngineLine) -> Result<()>,
    ) -> Result<bool> {
        let unreachable = |e: &dyn std::fmt::Display| {
            BerthError::new(
                ErrorCode::EngineUnavailable,
                format!("The Docker engine at {} stopped answering ({e}).", self.address()),
            )
        };
        let io = match self.connect_raw().await.map_err(|e| unreachable(&e))? {
            Stream::Unix(s) => TokioIo::new(Box::new(s) as Box<dyn Io>),
            Stream::Tcp(s) => TokioIo::new(Box::new(s) as Box<dyn Io>),
        };
        let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await.map_err(|e| unreachable(&e))?;
        let driver = tokio::spawn(connection);
        let _abort = AbortOnDrop(driver);
        let v = self.client().client_version();
        let uri = format!("/v{}.{}/images/{target}/push?tag={tag}", v.major_version, v.minor_version);
        let request = Request::post(uri)
            .header(hyper::header::HOST, "docker")
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header("X-Registry-Auth", auth)
            .body(Empty::<Bytes>::new())
            .map_err(|e| BerthError::internal(e.to_string()))?;
        let response = tokio::select! {
            _ = cancel.cancelled() => return Ok(false),
            r = sender.send_request(request) => r.map_err(|e| unreachable(&e))?,
        };
        let status = response.status();
        let mut body = response.into_body();
        if !status.is_success() {
            let bytes = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            let message = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_string))
                .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
            return Err(berth_core::push::classify_engine_error(&message));
        }
        let mut buffer: Vec<u8> = Vec::new();
        loop {
            let frame = tokio::select! {
                _ = cancel.cancelled() => return Ok(false),
                f = body.frame() => f,
            };
            let Some(frame) = frame else { break };
            let frame = frame.map_err(|e| unreachable(&e))?;
            let Some(data) = frame.data_ref() else { continue };
            buffer.extend_from_slice(data);
            while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match serde_json::from_slice::<EngineLine>(&line) {
                    Ok(parsed) => on_line(&parsed)?,
                    Err(e) => tracing::debug!("unreadable push line ({e}): {}", String::from_utf8_lossy(&line)),
                }
            }
        }
        Ok(true)
    }

    async fn connect_raw(&self) -> std::io::Result<Stream> {
        let address = self.address();
        if let Some(path) = address.strip_prefix("unix://") {
            return tokio::net::UnixStream::connect(path).await.map(Stream::Unix);
        }
        let host = address.trim_start_matches("tcp://").trim_start_matches("http://").trim_end_matches('/');
        if address.starts_with("tcp://") || address.starts_with("http://") {
            return tokio::net::TcpStream::connect(host).await.map(Stream::Tcp);
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            format!("pushing with per-layer progress needs a unix or tcp engine address, not {address}"),
        ))
    }
}

trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin> Io for T {}

struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The engine's X-Registry-Auth header: base64url of the JSON credentials.
fn registry_auth(username: &str, password: &Secret, server: &str) -> String {
    let json = serde_json::json!({"username": username, "password": password.expose(), "serveraddress": server});
    base64::engine::general_purpose::URL_SAFE.encode(json.to_string())
}
