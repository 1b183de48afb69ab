//! Ctrl-C (SIGINT) and SIGTERM end a running job as a cancel does: the job stops, cleans up
//! (a push removes its temporary local tag), and the command says what was done.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use berth_app::Session;
use berth_core::job::JobId;
use tokio_util::sync::CancellationToken;

/// The signal that cancelled the job, if any (for the exit code: 128 + signal).
static RECEIVED: AtomicI32 = AtomicI32::new(0);

pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::Relaxed) {
        0 => None,
        n => Some(n),
    }
}

/// Cancel `job` when the process gets SIGINT or SIGTERM (or SIGHUP).
pub fn cancel_on_signals(session: &Arc<Session>, job: &JobId) {
    let session = session.clone();
    let job = job.clone();
    on_signal(move || {
        session.cancel_job(&job);
    });
}

/// Cancel `token` on those signals: work before a job starts (a local image's export). The
/// listener ends with the returned guard, so a later job installs its own.
pub fn cancel_token_on_signals(token: &CancellationToken) -> tokio::task::JoinHandle<()> {
    let token = token.clone();
    on_signal(move || token.cancel())
}

fn on_signal(then: impl FnOnce() + Send + 'static) -> tokio::task::JoinHandle<()> {
    use tokio::signal::unix::{signal, SignalKind};
    tokio::spawn(async move {
        let (Ok(mut int), Ok(mut term), Ok(mut hup)) =
            (signal(SignalKind::interrupt()), signal(SignalKind::terminate()), signal(SignalKind::hangup()))
        else {
            tracing::warn!("could not listen for signals: Ctrl-C will not cancel cleanly");
            return;
        };
        let n = tokio::select! {
            _ = int.recv() => 2,
            _ = term.recv() => 15,
            _ = hup.recv() => 1,
        };
        RECEIVED.store(n, Ordering::Relaxed);
        eprintln!("\nberth: stopping (the job cleans up; a second signal is ignored)…");
        then();
    })
}
