//! `berth load FILE`: a `docker save` tarball or an OCI layout into the local engine.

use std::sync::Arc;

use berth_app::Session;
use berth_core::job::LoadEvent;
use berth_core::{format, BerthError, ErrorCode};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{output, signals};

pub async fn run(session: &Arc<Session>, file: &str, as_json: bool) -> Result<(), BerthError> {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr()).with_style(
        ProgressStyle::with_template("{bar:30.green/white} {bytes:>10}/{total_bytes:<10} {bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let sink = Arc::new(move |e: LoadEvent| match e {
        LoadEvent::Started { bytes_total, .. } => shown.set_length(bytes_total),
        LoadEvent::Progress { bytes_done, bytes_total } => {
            shown.set_length(bytes_total);
            shown.set_position(bytes_done);
        }
        _ => shown.finish_and_clear(),
    });
    let started = session.start_load(file, sink).await?;
    signals::cancel_on_signals(session, &started.id);
    match started.wait().await {
        LoadEvent::Finished { images } => {
            eprintln!("berth: loaded {file} ({})", format::bytes(bar.length().unwrap_or(0)));
            output::output(as_json, &serde_json::json!({"file": file, "images": images}), |t| {
                for i in &images {
                    t.add_row([i.clone()]);
                }
            })
        }
        LoadEvent::Cancelled => Err(BerthError::new(ErrorCode::Cancelled, "Cancelled: the engine loaded nothing.")),
        LoadEvent::Failed { error } => Err(error),
        other => Err(BerthError::internal(format!("the load ended with {other:?}"))),
    }
}
