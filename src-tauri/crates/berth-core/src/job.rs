//! Long jobs: an id the UI holds, a cancellation token, and the events they stream.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::error::BerthError;
use crate::model::ImageSummary;

/// The id of a running job, as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize, TS)]
pub struct JobId(pub String);

/// Registry of running jobs and their cancellation tokens.
#[derive(Clone, Default)]
pub struct Jobs {
    next: Arc<AtomicU64>,
    running: Arc<Mutex<HashMap<JobId, CancellationToken>>>,
}

/// A job's handle: its id and token. Dropping it removes the job from the registry.
pub struct JobGuard {
    pub id: JobId,
    pub token: CancellationToken,
    jobs: Jobs,
}

impl Drop for JobGuard {
    fn drop(&mut self) {
        if let Ok(mut running) = self.jobs.running.lock() {
            running.remove(&self.id);
        }
    }
}

impl Jobs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Register a new job; `kind` prefixes its id (`images-3`).
    pub fn start(&self, kind: &str) -> JobGuard {
        let n = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let id = JobId(format!("{kind}-{n}"));
        let token = CancellationToken::new();
        if let Ok(mut running) = self.running.lock() {
            running.insert(id.clone(), token.clone());
        }
        JobGuard { id, token, jobs: self.clone() }
    }

    /// Cancel a job. Returns false when no such job is running (already finished).
    pub fn cancel(&self, id: &JobId) -> bool {
        let token = self.running.lock().ok().and_then(|r| r.get(id).cloned());
        match token {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }

    /// Cancel every running job (the app is closing); answers how many there were.
    pub fn cancel_all(&self) -> usize {
        let tokens: Vec<CancellationToken> =
            self.running.lock().map(|r| r.values().cloned().collect()).unwrap_or_default();
        tokens.iter().for_each(CancellationToken::cancel);
        tokens.len()
    }

    pub fn running(&self) -> usize {
        self.running.lock().map(|r| r.len()).unwrap_or(0)
    }
}

/// Events of a repository's image listing, streamed page by page.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ImageListEvent {
    Started {
        job: JobId,
    },
    Page {
        images: Vec<ImageSummary>,
        loaded: u32,
    },
    /// Digests that are platforms of an index listed as its own row: not stray untagged images.
    IndexChildren {
        digests: Vec<String>,
    },
    Finished {
        total: u32,
    },
    Failed {
        error: BerthError,
    },
    Cancelled {
        loaded: u32,
    },
}

/// What loading an image archive (`docker save` tarball, OCI layout) into the engine streams.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LoadEvent {
    Started {
        job: JobId,
        file: String,
        #[ts(type = "number")]
        bytes_total: u64,
    },
    /// Bytes of the archive read and sent to the engine.
    Progress {
        #[ts(type = "number")]
        bytes_done: u64,
        #[ts(type = "number")]
        bytes_total: u64,
    },
    /// The images the engine loaded: `name:tag` references, or image ids for untagged ones.
    Finished {
        images: Vec<String>,
    },
    Failed {
        error: BerthError,
    },
    Cancelled,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_the_token_and_finished_jobs_are_forgotten() {
        let jobs = Jobs::new();
        let a = jobs.start("images");
        let b = jobs.start("images");
        assert_ne!(a.id, b.id);
        assert_eq!(jobs.running(), 2);
        assert!(jobs.cancel(&a.id));
        assert!(a.token.is_cancelled());
        assert!(!b.token.is_cancelled());
        let id = b.id.clone();
        drop(b);
        assert!(!jobs.cancel(&id), "a finished job cannot be cancelled");
        assert_eq!(jobs.running(), 1);
    }

    #[test]
    fn events_are_tagged() {
        let e = ImageListEvent::Finished { total: 3 };
        assert_eq!(serde_json::to_value(e).unwrap(), serde_json::json!({"event": "finished", "total": 3}));
    }
}
