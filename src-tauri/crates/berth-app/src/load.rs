//! Load an image archive (`docker save` tarball, OCI layout) into the local engine.

use std::path::PathBuf;
use std::sync::Arc;

use berth_core::job::LoadEvent;
use berth_core::{BerthError, Result};
use berth_docker::LoadOutcome;

use crate::jobs::{self, Notice, Sink, Started};
use crate::Session;

impl Session {
    /// Start loading `path` into the engine: progress in bytes of the archive, then the names
    /// of the images loaded.
    pub async fn start_load(
        self: &Arc<Self>,
        path: &str,
        sink: Arc<dyn Sink<LoadEvent>>,
    ) -> Result<Started<LoadEvent>> {
        let file = PathBuf::from(path);
        let size = std::fs::metadata(&file)
            .map_err(|e| BerthError::invalid(format!("Cannot read {path}: {e}.")).caused_by(&e))?
            .len();
        let engine = self.engine().await?;
        let path = path.to_string();
        Ok(jobs::spawn(&self.jobs, "load", sink, move |job| async move {
            job.send(LoadEvent::Started { job: job.id.clone(), file: path.clone(), bytes_total: size });
            let outcome = engine
                .load_archive(&file, &job.token, |bytes_done, bytes_total| {
                    job.send(LoadEvent::Progress { bytes_done, bytes_total })
                })
                .await;
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or(path);
            match outcome {
                Ok(LoadOutcome::Loaded(images)) => {
                    let notice = Notice::new(format!("Loaded {name}"), images.join(", "));
                    (LoadEvent::Finished { images }, Some(notice))
                }
                Ok(LoadOutcome::Cancelled) => (LoadEvent::Cancelled, None),
                Err(error) => {
                    let notice = Notice::new(format!("Could not load {name}"), error.message.clone());
                    (LoadEvent::Failed { error }, Some(notice))
                }
            }
        }))
    }
}
