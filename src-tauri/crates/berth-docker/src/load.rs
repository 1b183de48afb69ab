//! Loading an image archive into the engine (`POST /images/load`, through bollard), streamed
//! from disk with progress, cancellable. An OCI layout gets the `manifest.json` older engines
//! need, added on the fly while the archive streams (no temporary copy).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use berth_core::{BerthError, ErrorCode, Result};
use bollard::query_parameters::ImportImageOptions;
use bytes::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::archive::{self, ArchiveKind};
use crate::Engine;

const CHUNK: usize = 256 * 1024;

/// How a load ended when it did not fail.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadOutcome {
    /// The images loaded: `name:tag`, or `sha256:…` ids for untagged ones.
    Loaded(Vec<String>),
    Cancelled,
}

impl Engine {
    /// The engine's platform (os, architecture), which picks the image of a multi-platform archive.
    pub async fn platform(&self) -> Result<(String, String)> {
        let v = self.client().version().await.map_err(|e| self.error(e))?;
        Ok((v.os.unwrap_or_else(|| "linux".into()), v.arch.unwrap_or_else(|| "amd64".into())))
    }

    /// Load `path` into the engine. `on_progress(bytes_read, bytes_total)` ticks while it streams.
    pub async fn load_archive(
        &self,
        path: &Path,
        cancel: &CancellationToken,
        mut on_progress: impl FnMut(u64, u64),
    ) -> Result<LoadOutcome> {
        let (os, arch) = self.platform().await?;
        let owned: PathBuf = path.to_path_buf();
        let info = tokio::task::spawn_blocking(move || archive::inspect(&owned, (&os, &arch)))
            .await
            .map_err(|e| BerthError::internal(e.to_string()))??;
        let total = info.size;
        let read = Arc::new(AtomicU64::new(0));
        let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(8);
        let producer = {
            let (path, read) = (path.to_path_buf(), read.clone());
            tokio::task::spawn_blocking(move || produce(&path, &info.kind, tx, read))
        };
        let body = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
        let mut responses =
            self.client().import_image_stream(ImportImageOptions { quiet: true, platform: None }, body, None).boxed();
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        let mut loaded = Vec::new();
        let mut failure: Option<bollard::errors::Error> = None;
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return Ok(LoadOutcome::Cancelled),
                _ = tick.tick() => on_progress(read.load(Ordering::Relaxed), total),
                item = responses.next() => match item {
                    None => break,
                    Some(Ok(line)) => {
                        if let Some(name) = line.stream.as_deref().and_then(loaded_name) {
                            loaded.push(name);
                        }
                    }
                    Some(Err(e)) => { failure = Some(e); break; }
                },
            }
        }
        drop(responses);
        // The archive's own problem (damaged, truncated) explains an engine failure best.
        let produced = producer.await.map_err(|e| BerthError::internal(e.to_string()))?;
        if let Err(Some(e)) = produced {
            return Err(e);
        }
        if let Some(e) = failure {
            return Err(load_error(self, e));
        }
        on_progress(total, total);
        if loaded.is_empty() {
            return Err(BerthError::new(
                ErrorCode::Remote,
                format!("The engine read {} but reported no image loaded.", path.display()),
            ));
        }
        Ok(LoadOutcome::Loaded(loaded))
    }
}

/// "Loaded image: demo/app:1.0" / "Loaded image ID: sha256:…" → the reference.
fn loaded_name(line: &str) -> Option<String> {
    let line = line.trim();
    line.strip_prefix("Loaded image ID: ").or_else(|| line.strip_prefix("Loaded image: ")).map(|s| s.trim().to_string())
}

fn load_error(engine: &Engine, e: bollard::errors::Error) -> BerthError {
    use bollard::errors::Error as E;
    let message = match &e {
        E::DockerStreamError { error } => error.clone(),
        E::DockerResponseServerError { message, .. } => message.clone(),
        other => {
            return BerthError::new(
                ErrorCode::EngineUnavailable,
                format!(
                    "The Docker engine at {} stopped answering during the load ({other}). Start it and retry.",
                    engine.address()
                ),
            )
        }
    };
    let m = message.to_lowercase();
    if m.contains("unexpected eof") || m.contains("invalid tar header") || m.contains("archive/tar") {
        BerthError::invalid(format!(
            "The engine could not read the archive ({message}): it is damaged or truncated. Create it again with `docker save`."
        ))
    } else {
        berth_core::push::classify_engine_error(&message)
    }
}

/// Counts the bytes read from the file (compressed bytes for a .tar.gz: those are the file's size).
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Chunks written bytes into the request body; fails once the request is gone.
struct ChannelWriter {
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Stream the archive into the request body. `Err(None)`: the request went away (the engine
/// failed or the user cancelled: that side reports); `Err(Some(e))`: the archive is at fault.
fn produce(
    path: &Path,
    kind: &ArchiveKind,
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    read: Arc<AtomicU64>,
) -> std::result::Result<(), Option<BerthError>> {
    let mut out = ChannelWriter { tx: tx.clone(), buffer: Vec::with_capacity(CHUNK) };
    let source_error = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            None
        } else {
            Some(archive::damaged(path, &e.to_string()))
        }
    };
    let fail = |e: Option<BerthError>| {
        if let Some(e) = &e {
            let _ = tx.blocking_send(Err(std::io::Error::other(e.message.clone())));
        }
        e
    };
    match kind {
        ArchiveKind::DockerSave => {
            // As it is (the engine decompresses a .tar.gz itself).
            let file = std::fs::File::open(path).map_err(|e| fail(source_error(e)))?;
            let mut counted = Counting { inner: file, read };
            std::io::copy(&mut counted, &mut out).map_err(|e| fail(source_error(e)))?;
            out.flush().map_err(|e| fail(source_error(e)))?;
        }
        ArchiveKind::OciLayout { manifest_json, .. } => {
            let file = std::fs::File::open(path).map_err(|e| fail(source_error(e)))?;
            let counted = std::io::BufReader::new(Counting { inner: file, read });
            let (reader, _) = archive::open_reader(counted, path).map_err(|e| fail(Some(e)))?;
            let mut input = tar::Archive::new(reader);
            let mut builder = tar::Builder::new(out);
            for entry in input.entries().map_err(|e| fail(source_error(e)))? {
                let mut entry = entry.map_err(|e| fail(source_error(e)))?;
                let mut header = entry.header().clone();
                let name = entry.path().map_err(|e| fail(source_error(e)))?.into_owned();
                builder.append_data(&mut header, &name, &mut entry).map_err(|e| fail(source_error(e)))?;
            }
            let mut header = tar::Header::new_gnu();
            header.set_size(manifest_json.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, "manifest.json", manifest_json.as_slice())
                .map_err(|e| fail(source_error(e)))?;
            let mut out = builder.into_inner().map_err(|e| fail(source_error(e)))?;
            out.flush().map_err(|e| fail(source_error(e)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loaded_lines() {
        assert_eq!(loaded_name("Loaded image: demo/app:1.0\n").as_deref(), Some("demo/app:1.0"));
        assert_eq!(loaded_name("Loaded image ID: sha256:abc\n").as_deref(), Some("sha256:abc"));
        assert_eq!(loaded_name("Loading layer 1/3"), None);
    }
}
