//! Copy an image from one registry to another without a local engine: every manifest byte for
//! byte (an index with each of its manifests, so every digest stays the same), the blobs
//! streamed from source to destination and verified against their digests, several at a time.
//! A blob the destination has is skipped (`HEAD`); within one registry it is mounted from the
//! source repository (OCI `mount`/`from`; a registry that declines, as ECR does when
//! BLOB_MOUNTING is off, gets the bytes). Each upload is one streamed monolithic `PUT`: ECR
//! keeps only the first PATCH of a chunked upload (aws/containers-roadmap#2831). Nothing is
//! tagged before every blob and manifest is in place, so a stopped copy leaves no tag, and
//! the next try skips what arrived.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use berth_core::push::{layers_done, layers_total, LayerProgress, LayerState, PushEvent, Throughput};
use berth_core::{BerthError, ErrorCode, Result};
use futures_util::{StreamExt, TryStreamExt};
use oci_client::errors::OciDistributionError;
use oci_client::{Reference, RegistryOperation};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::image::is_index;
use crate::{RawManifest, Registry};

/// Blobs sent at the same time (as many as skopeo and the docker engine move).
pub const PARALLEL_BLOBS: usize = 6;

/// Downloaded chunks joined into one upload write at most.
const READY_CHUNKS: usize = 64;

/// Read size for a blob sent from a file.
const FILE_CHUNK: usize = 256 * 1024;

/// How often a blob in flight reports its bytes.
const REPORT_EVERY: Duration = Duration::from_millis(150);

/// One side of a copy: a registry and a repository in it.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub registry: &'a Registry,
    pub repository: &'a str,
}

/// Where a copy reads the blobs: a registry, or files on disk by digest (a local image the
/// engine exported).
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Registry(Side<'a>),
    Files(&'a HashMap<String, PathBuf>),
}

impl<'a> From<Side<'a>> for Source<'a> {
    fn from(side: Side<'a>) -> Source<'a> {
        Source::Registry(side)
    }
}

/// What happened to each blob and manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    /// The digest of the top manifest (the index for a multi-platform image).
    pub digest: String,
    pub manifests: u32,
    pub blobs_copied: u32,
    pub blobs_mounted: u32,
    pub blobs_skipped: u32,
    pub bytes_copied: u64,
    /// Layers the image points at elsewhere (foreign or non-distributable): not copied, as
    /// the distribution specification asks; the destination's manifest still names them.
    pub foreign_layers: Vec<String>,
    pub tags: Vec<String>,
}

/// A blob to move and its size (from the manifest that names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub digest: String,
    pub size: u64,
}

/// Everything the image consists of, read from the source.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The top manifest (pushed last, under each tag).
    pub top: RawManifest,
    /// The manifests an index lists, pushed by digest before the index.
    pub children: Vec<RawManifest>,
    pub blobs: Vec<Blob>,
    pub foreign_layers: Vec<String>,
}

impl Plan {
    pub fn bytes_total(&self) -> u64 {
        self.blobs.iter().map(|b| b.size).sum()
    }
}

/// The layer media types a registry does not serve (the image points at their `urls`).
pub fn is_foreign(media_type: &str) -> bool {
    media_type.contains("foreign") || media_type.contains("nondistributable")
}

fn json(m: &RawManifest) -> Result<Value> {
    serde_json::from_slice(&m.bytes)
        .map_err(|e| BerthError::new(ErrorCode::Remote, format!("The manifest {} is not JSON: {e}", m.digest)))
}

/// The blobs of one image manifest: its config and layers (foreign ones apart).
fn manifest_blobs(value: &Value, blobs: &mut Vec<Blob>, foreign: &mut Vec<String>) {
    let descriptors = value.get("config").into_iter().chain(value["layers"].as_array().into_iter().flatten());
    for d in descriptors {
        let Some(digest) = d["digest"].as_str() else { continue };
        let media_type = d["mediaType"].as_str().unwrap_or_default();
        if is_foreign(media_type) || d.get("urls").is_some_and(|u| u.as_array().is_some_and(|a| !a.is_empty())) {
            if !foreign.iter().any(|f| f == digest) {
                foreign.push(digest.to_string());
            }
        } else if !blobs.iter().any(|b| b.digest == digest) {
            blobs.push(Blob { digest: digest.to_string(), size: d["size"].as_u64().unwrap_or(0) });
        }
    }
}

/// Per-blob states and overall bytes, turned into the push events the tray and the CLI show.
struct Tracker {
    started: Instant,
    layers: BTreeMap<String, LayerProgress>,
    throughput: Throughput,
    last_report: BTreeMap<String, Instant>,
}

impl Tracker {
    fn new(blobs: &[Blob]) -> Tracker {
        let layers = blobs
            .iter()
            .map(|b| {
                let layer =
                    LayerProgress { id: b.digest.clone(), state: LayerState::Waiting, current: 0, total: b.size };
                (b.digest.clone(), layer)
            })
            .collect();
        Tracker { started: Instant::now(), layers, throughput: Throughput::default(), last_report: BTreeMap::new() }
    }

    /// A blob's new state and bytes: its layer event and the overall progress, when there is
    /// something new to say (a new state, or bytes after `REPORT_EVERY`).
    fn update(&mut self, digest: &str, state: LayerState, current: u64) -> Option<[PushEvent; 2]> {
        let now = Instant::now();
        let layer = self.layers.get_mut(digest)?;
        let changed = layer.state != state;
        layer.state = state;
        layer.current = current.min(layer.total);
        let due = self.last_report.get(digest).is_none_or(|t| now.duration_since(*t) >= REPORT_EVERY);
        if !changed && !due {
            return None;
        }
        self.last_report.insert(digest.to_string(), now);
        let layer = layer.clone();
        let (done, total) = (layers_done(self.layers.values()), layers_total(self.layers.values()));
        let progress = self.throughput.progress(self.started.elapsed().as_secs_f64(), done, total);
        Some([PushEvent::Layer { layer }, progress])
    }
}

/// Where a copy's layer and progress events go (the same events a push streams).
type Report<'a> = &'a (dyn Fn(PushEvent) + Send + Sync);

impl Registry {
    fn reference_unchecked(&self, repository: &str, digest: &str) -> Reference {
        Reference::with_digest(self.host.clone(), repository.to_string(), digest.to_string())
    }

    /// Read what `repository:reference` consists of: the manifest, and for an index each
    /// manifest it lists (an index inside an index too), with every blob they name.
    pub async fn plan_copy(&self, repository: &str, reference: &str) -> Result<Plan> {
        let top = self.manifest(repository, reference).await?;
        let mut children = Vec::new();
        let (mut blobs, mut foreign) = (Vec::new(), Vec::new());
        let mut pending = vec![top.clone()];
        let mut seen = HashSet::new();
        while let Some(m) = pending.pop() {
            if !seen.insert(m.digest.clone()) {
                continue;
            }
            let value = json(&m)?;
            let media_type = m.media_type.clone().unwrap_or_default();
            if is_index(&media_type) || value.get("manifests").is_some() {
                for d in value["manifests"].as_array().into_iter().flatten() {
                    let digest = d["digest"].as_str().unwrap_or_default();
                    berth_core::validate::digest(digest)?;
                    let child = self.manifest(repository, digest).await?;
                    pending.push(child.clone());
                    children.push(child);
                }
            } else {
                manifest_blobs(&value, &mut blobs, &mut foreign);
            }
        }
        // Children go before their parents: a nested index after its manifests.
        children.reverse();
        Ok(Plan { top, children, blobs, foreign_layers: foreign })
    }

    /// Copy what `plan` holds from `source` to `self` (the destination) at `repository`, then
    /// tag it with each of `tags` (none: it stays untagged, found by its digest). `mount`
    /// allows cross-repository mounts when both sides are this same registry.
    #[allow(clippy::too_many_arguments)]
    pub async fn copy_from(
        &self,
        source: Source<'_>,
        repository: &str,
        plan: &Plan,
        tags: &[String],
        mount: bool,
        report: Report<'_>,
        cancel: &CancellationToken,
    ) -> Result<CopyReport> {
        berth_core::validate::repository_name(repository)?;
        for tag in tags {
            berth_core::validate::tag(tag)?;
        }
        // Blobs and manifests under the cancellation; the tags after, in one quick step, so
        // a cancelled copy has written none.
        let transfer = self.transfer(source, repository, plan, mount, report);
        let mut result = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(BerthError::new(ErrorCode::Cancelled, "Cancelled: no tag was written; blobs already copied stay in the destination and are skipped next time.")),
            result = transfer => result?,
        };
        for tag in tags {
            self.put_manifest(repository, &plan.top, tag).await?;
            result.tags.push(tag.clone());
        }
        Ok(result)
    }

    /// Every blob, then each manifest by digest (an index's manifests before the index).
    async fn transfer(
        &self,
        source: Source<'_>,
        repository: &str,
        plan: &Plan,
        mount: bool,
        report: Report<'_>,
    ) -> Result<CopyReport> {
        let destination = self.reference_unchecked(repository, &plan.top.digest);
        self.client
            .auth(&destination, &self.auth, RegistryOperation::Push)
            .await
            .map_err(|e| self.error(e, repository, "push"))?;
        let mut same_registry = false;
        if let Source::Registry(source) = source {
            let from = source.registry.reference_unchecked(source.repository, &plan.top.digest);
            source
                .registry
                .client
                .auth(&from, &source.registry.auth, RegistryOperation::Pull)
                .await
                .map_err(|e| source.registry.error(e, source.repository, &plan.top.digest))?;
            same_registry = mount && source.registry.host == self.host && source.repository != repository;
        }
        let tracker = Mutex::new(Tracker::new(&plan.blobs));
        let tracker = Arc::new(tracker);
        let emit = |digest: &str, state: LayerState, current: u64| {
            let events = tracker.lock().ok().and_then(|mut t| t.update(digest, state, current));
            events.into_iter().flatten().for_each(report);
        };
        // Boxed, as a list: a closure over borrowed blobs would not be `Send` for every
        // lifetime (rust-lang/rust#102211).
        let emit: &(dyn Fn(&str, LayerState, u64) + Send + Sync) = &emit;
        let uploads: Vec<futures_util::future::BoxFuture<'_, Result<(LayerState, u64)>>> = plan
            .blobs
            .iter()
            .map(|blob| Box::pin(self.copy_blob(source, repository, blob, same_registry, emit)) as _)
            .collect();
        let outcomes: Vec<(LayerState, u64)> =
            futures_util::stream::iter(uploads).buffer_unordered(PARALLEL_BLOBS).try_collect().await?;
        let mut result = CopyReport { digest: plan.top.digest.clone(), ..CopyReport::default() };
        for (state, bytes) in outcomes {
            match state {
                LayerState::AlreadyExists => result.blobs_skipped += 1,
                LayerState::Mounted => result.blobs_mounted += 1,
                _ => {
                    result.blobs_copied += 1;
                    result.bytes_copied += bytes;
                }
            }
        }
        for child in &plan.children {
            self.put_manifest(repository, child, &child.digest).await?;
            result.manifests += 1;
        }
        self.put_manifest(repository, &plan.top, &plan.top.digest).await?;
        result.manifests += 1;
        result.foreign_layers = plan.foreign_layers.clone();
        Ok(result)
    }

    /// One blob: skipped if there, else mounted (same registry), else streamed.
    async fn copy_blob(
        &self,
        source: Source<'_>,
        repository: &str,
        blob: &Blob,
        same_registry: bool,
        emit: &(dyn Fn(&str, LayerState, u64) + Send + Sync),
    ) -> Result<(LayerState, u64)> {
        berth_core::validate::digest(&blob.digest)?;
        let destination = self.reference_unchecked(repository, &blob.digest);
        let exists = self
            .client
            .blob_exists(&destination, &blob.digest)
            .await
            .map_err(|e| self.error(e, repository, &blob.digest))?;
        if exists {
            emit(&blob.digest, LayerState::AlreadyExists, 0);
            return Ok((LayerState::AlreadyExists, 0));
        }
        if let (Source::Registry(source), true) = (source, same_registry) {
            let from = source.registry.reference_unchecked(source.repository, &blob.digest);
            match self.client.mount_blob(&destination, &from, &blob.digest).await {
                Ok(()) => {
                    emit(&blob.digest, LayerState::Mounted, 0);
                    return Ok((LayerState::Mounted, 0));
                }
                Err(e) => tracing::debug!(digest = blob.digest, "mount declined, copying: {e}"),
            }
        }
        emit(&blob.digest, LayerState::Pushing, 0);
        let (stream, size) = match source {
            Source::Registry(source) => {
                let from = source.registry.reference_unchecked(source.repository, &blob.digest);
                let stream = source
                    .registry
                    .client
                    .pull_blob_stream(&from, blob.digest.as_str())
                    .await
                    .map_err(|e| source.registry.error(e, source.repository, &blob.digest))?;
                let size = stream.content_length.filter(|n| *n > 0).unwrap_or(blob.size);
                (coalesce(stream.stream).boxed(), size)
            }
            Source::Files(files) => {
                let path = files.get(&blob.digest).ok_or_else(|| {
                    BerthError::internal(format!("The exported image has no file for {}", blob.digest))
                })?;
                let file = tokio::fs::File::open(path).await.map_err(|e| {
                    BerthError::internal(format!("The exported layer {} cannot be read: {e}", path.display()))
                })?;
                let stream = tokio_util::io::ReaderStream::with_capacity(file, FILE_CHUNK);
                (stream.boxed(), blob.size)
            }
        };
        let sent = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = sent.clone();
        // The bytes are counted as they leave for the destination; progress is reported from
        // here, so the stream handed to the client owns only the counter.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
        let body = stream.map(move |chunk| {
            let chunk = chunk.map_err(OciDistributionError::IoError)?;
            let n = counter.fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::Relaxed) + chunk.len() as u64;
            let _ = tx.send(n);
            Ok(chunk)
        });
        let upload = self.client.push_blob_stream(&destination, body, &blob.digest, Some(size));
        tokio::pin!(upload);
        let outcome = loop {
            tokio::select! {
                result = &mut upload => break result,
                Some(n) = rx.recv() => emit(&blob.digest, LayerState::Pushing, n),
            }
        };
        outcome.map_err(|e| self.upload_error(e, repository, &blob.digest))?;
        let bytes = sent.load(std::sync::atomic::Ordering::Relaxed);
        emit(&blob.digest, LayerState::Pushed, bytes);
        Ok((LayerState::Pushed, bytes))
    }

    fn upload_error(&self, e: OciDistributionError, repository: &str, digest: &str) -> BerthError {
        let text = format!("{e}");
        if text.contains("DIGEST_INVALID") || text.contains("digest") && text.contains("mismatch") {
            return BerthError::new(
                ErrorCode::Remote,
                format!("The blob {digest} did not match its digest on the way to {}/{repository}: nothing was tagged. Retry; if it persists, the source's storage is damaged.", self.host),
            )
            .with_cause(format!("oci-client: {e}"));
        }
        self.error(e, repository, digest)
    }

    /// PUT a manifest's stored bytes under `reference` (its digest, or a tag). A panic in the
    /// client (it has one for a registry that answers without a Location) becomes an error.
    async fn put_manifest(&self, repository: &str, manifest: &RawManifest, reference: &str) -> Result<()> {
        let target = self.reference(repository, reference)?;
        let media_type = manifest.media_type.clone().unwrap_or_else(|| default_media_type(&manifest.bytes));
        let content_type = media_type.parse().map_err(|_| {
            BerthError::new(ErrorCode::Remote, format!("The manifest's media type {media_type:?} is not valid."))
        })?;
        let client = self.client.clone();
        let bytes = manifest.bytes.clone();
        let put = tokio::spawn(async move { client.push_manifest_raw(&target, bytes, content_type).await });
        match put.await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(self.manifest_error(e, repository, reference)),
            Err(e) => Err(BerthError::new(
                ErrorCode::Remote,
                format!("Writing the manifest {repository}:{reference} to {} failed: {e}", self.host),
            )),
        }
    }

    fn manifest_error(&self, e: OciDistributionError, repository: &str, reference: &str) -> BerthError {
        let text = format!("{e}");
        if text.contains("ImageTagAlreadyExists") || text.contains("immutable") || text.contains("TAG_INVALID") {
            return BerthError::new(
                ErrorCode::AlreadyExists,
                format!("{}/{repository} refused the tag {reference}: its tags are immutable and {reference} exists. Copy under another tag.", self.host),
            )
            .with_cause(format!("oci-client: {e}"));
        }
        self.error(e, repository, reference)
    }
}

/// The chunks a download has ready, joined (up to `READY_CHUNKS` at a time): the upload gets
/// fewer, larger writes than the network's reads, with no wait added.
fn coalesce(
    stream: impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    stream.ready_chunks(READY_CHUNKS).map(|chunks| {
        if chunks.len() == 1 {
            return chunks.into_iter().next().unwrap_or_else(|| Ok(bytes::Bytes::new()));
        }
        let mut joined = bytes::BytesMut::with_capacity(chunks.iter().map(|c| c.as_ref().map_or(0, |b| b.len())).sum());
        for chunk in chunks {
            joined.extend_from_slice(&chunk?);
        }
        Ok(joined.freeze())
    })
}

/// A manifest without `mediaType` (allowed for OCI): an index if it lists manifests.
fn default_media_type(bytes: &[u8]) -> String {
    let value: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    if value.get("manifests").is_some() {
        "application/vnd.oci.image.index.v1+json".into()
    } else {
        "application/vnd.oci.image.manifest.v1+json".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_names_its_config_and_layers_once_and_foreign_layers_apart() {
        let m = serde_json::json!({
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:c", "size": 10},
            "layers": [
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:a", "size": 100},
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:a", "size": 100},
                {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "digest": "sha256:w", "size": 5, "urls": ["https://x"]},
                {"mediaType": "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", "digest": "sha256:n", "size": 5},
            ]
        });
        let (mut blobs, mut foreign) = (Vec::new(), Vec::new());
        manifest_blobs(&m, &mut blobs, &mut foreign);
        let digests: Vec<&str> = blobs.iter().map(|b| b.digest.as_str()).collect();
        assert_eq!(digests, ["sha256:c", "sha256:a"]);
        assert_eq!(foreign, ["sha256:w", "sha256:n"]);
    }

    #[test]
    fn progress_counts_only_what_moves() {
        let blobs = [("a", 100), ("b", 50)].map(|(d, n)| Blob { digest: d.into(), size: n });
        let mut t = Tracker::new(&blobs);
        t.update("b", LayerState::AlreadyExists, 0);
        let [_, progress] = t.update("a", LayerState::Pushing, 40).unwrap();
        assert!(matches!(progress, PushEvent::Progress { bytes_done: 40, bytes_total: 100, .. }));
        // Within the reporting interval and in the same state: nothing new to say.
        assert!(t.update("a", LayerState::Pushing, 41).is_none());
        let [_, progress] = t.update("a", LayerState::Pushed, 100).unwrap();
        assert!(matches!(progress, PushEvent::Progress { bytes_done: 100, bytes_total: 100, .. }));
        assert!(t.update("unknown", LayerState::Pushed, 1).is_none());
    }

    #[test]
    fn manifests_without_a_media_type_are_read_by_shape() {
        assert!(default_media_type(br#"{"manifests":[]}"#).contains("index"));
        assert!(default_media_type(br#"{"layers":[]}"#).contains("manifest"));
    }
}
