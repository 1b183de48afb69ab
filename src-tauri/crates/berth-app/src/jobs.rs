//! One way to run a long job for both front ends: register it with its cancellation token,
//! stream its typed events to a sink (the desktop's `tauri::ipc::Channel`, the CLI's progress
//! bars), and always end with exactly one terminal event, even if the work panics.

use std::future::Future;
use std::sync::Arc;

use berth_core::job::{ImageListEvent, JobId, Jobs, LoadEvent};
use berth_core::push::PushEvent;
use berth_core::BerthError;
use tokio_util::sync::CancellationToken;

/// Where a job's events go.
pub trait Sink<E>: Send + Sync + 'static {
    fn send(&self, event: E);
    /// The job ended with something worth telling a user who is not looking (the desktop
    /// shows an OS notification when its window is not in front; the CLI has printed it).
    fn ended(&self, _notice: &Notice) {}
}

impl<E, F: Fn(E) + Send + Sync + 'static> Sink<E> for F {
    fn send(&self, event: E) {
        self(event)
    }
}

/// A short title and body that say how a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

impl Notice {
    pub fn new(title: impl Into<String>, body: impl Into<String>) -> Notice {
        Notice { title: title.into(), body: body.into() }
    }
}

/// An event type with a terminal "failed" event.
pub trait JobEvent: Clone + Send + 'static {
    fn failed(error: BerthError) -> Self;
}

impl JobEvent for PushEvent {
    fn failed(error: BerthError) -> Self {
        PushEvent::Failed { error }
    }
}

impl JobEvent for LoadEvent {
    fn failed(error: BerthError) -> Self {
        LoadEvent::Failed { error }
    }
}

impl JobEvent for ImageListEvent {
    fn failed(error: BerthError) -> Self {
        ImageListEvent::Failed { error }
    }
}

/// A job that was started: its id at once, and its terminal event when it ends.
pub struct Started<E> {
    pub id: JobId,
    done: tokio::task::JoinHandle<E>,
}

impl<E: JobEvent> Started<E> {
    /// Wait for the job to end; answers the terminal event it sent.
    pub async fn wait(self) -> E {
        match self.done.await {
            Ok(event) => event,
            Err(e) => E::failed(BerthError::internal(format!("the job {} stopped: {e}", self.id.0))),
        }
    }
}

/// What a job's work gets: its id, its token, and the sink for its progress events.
pub struct JobContext<E> {
    pub id: JobId,
    pub token: CancellationToken,
    pub sink: Arc<dyn Sink<E>>,
}

impl<E: 'static> JobContext<E> {
    pub fn send(&self, event: E) {
        self.sink.send(event)
    }
}

/// Run `work` as a job of `kind`. The work sends its progress events and answers the terminal
/// event (with a notice, when the end is worth one); this sends that terminal event, or a
/// `failed` one if the work panicked, then forgets the job.
pub fn spawn<E, F, Fut>(jobs: &Jobs, kind: &str, sink: Arc<dyn Sink<E>>, work: F) -> Started<E>
where
    E: JobEvent,
    F: FnOnce(JobContext<E>) -> Fut + Send + 'static,
    Fut: Future<Output = (E, Option<Notice>)> + Send + 'static,
{
    let guard = jobs.start(kind);
    let id = guard.id.clone();
    tracing::trace!(job = id.0, "job started");
    let context = JobContext { id: guard.id.clone(), token: guard.token.clone(), sink: sink.clone() };
    let done = tokio::spawn(async move {
        let job = guard.id.0.clone();
        let (event, notice) = match tokio::spawn(work(context)).await {
            Ok(end) => end,
            Err(e) => {
                tracing::error!(job, "the job's work stopped: {e}");
                (E::failed(BerthError::internal(format!("The job {job} stopped unexpectedly ({e})."))), None)
            }
        };
        tracing::trace!(job, "job ended");
        sink.send(event.clone());
        if let Some(notice) = &notice {
            sink.ended(notice);
        }
        drop(guard);
        event
    });
    Started { id, done }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Clone, Debug, PartialEq)]
    enum Ev {
        Step(u32),
        Done,
        Failed(String),
    }
    impl JobEvent for Ev {
        fn failed(error: BerthError) -> Self {
            Ev::Failed(error.message)
        }
    }

    struct Collect(Mutex<Vec<Ev>>, Mutex<Vec<Notice>>);
    impl Sink<Ev> for Collect {
        fn send(&self, event: Ev) {
            self.0.lock().unwrap().push(event);
        }
        fn ended(&self, notice: &Notice) {
            self.1.lock().unwrap().push(notice.clone());
        }
    }

    #[tokio::test]
    async fn the_terminal_event_is_sent_once_and_the_job_forgotten() {
        let jobs = Jobs::new();
        let sink = Arc::new(Collect(Mutex::default(), Mutex::default()));
        let started = spawn(&jobs, "t", sink.clone(), |ctx| async move {
            ctx.send(Ev::Step(1));
            (Ev::Done, Some(Notice::new("Done", "all of it")))
        });
        assert!(started.id.0.starts_with("t-"));
        assert_eq!(started.wait().await, Ev::Done);
        assert_eq!(*sink.0.lock().unwrap(), [Ev::Step(1), Ev::Done]);
        assert_eq!(sink.1.lock().unwrap().len(), 1);
        assert_eq!(jobs.running(), 0);
    }

    #[tokio::test]
    async fn a_panicking_job_still_ends_with_a_failed_event() {
        let jobs = Jobs::new();
        let sink = Arc::new(Collect(Mutex::default(), Mutex::default()));
        let started = spawn::<Ev, _, _>(&jobs, "t", sink.clone(), |_ctx| async move { panic!("boom") });
        assert!(matches!(started.wait().await, Ev::Failed(_)));
        assert!(matches!(sink.0.lock().unwrap().last(), Some(Ev::Failed(m)) if m.contains("stopped unexpectedly")));
        assert_eq!(jobs.running(), 0);
    }

    #[tokio::test]
    async fn cancelling_by_id_reaches_the_work() {
        let jobs = Jobs::new();
        let sink = Arc::new(Collect(Mutex::default(), Mutex::default()));
        let started = spawn(&jobs, "t", sink.clone(), |ctx| async move {
            ctx.token.cancelled().await;
            (Ev::Done, None)
        });
        assert!(jobs.cancel(&started.id));
        assert_eq!(started.wait().await, Ev::Done);
    }
}
