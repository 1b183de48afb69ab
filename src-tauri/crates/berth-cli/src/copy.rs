//! `berth copy`: the copy use case, rendered as per-blob bars on stderr and a JSON summary on
//! stdout (the same bars as a push).

use std::sync::Arc;

use berth_app::copy::CopyInput;
use berth_app::Session;
use berth_core::push::PushEvent;
use berth_core::{format, BerthError, ErrorCode};

use crate::push::Bars;
use crate::{output, signals};

pub async fn run(session: &Arc<Session>, input: CopyInput) -> Result<(), BerthError> {
    if input.source.trim().strip_prefix("local:").is_some_and(|name| !name.trim().is_empty()) {
        eprintln!("berth: reading {} from the engine (export, then gzip)…", input.source.trim());
    }
    let planning = tokio_util::sync::CancellationToken::new();
    let listener = signals::cancel_token_on_signals(&planning);
    let plan = session.plan_copy_until(&input, &planning).await;
    listener.abort();
    let plan = plan?;
    for tag in &plan.moving {
        eprintln!("berth: {} names another image; it moves to this one", plan.destination.label(tag));
    }
    if !plan.plan.foreign_layers.is_empty() {
        eprintln!(
            "berth: {} foreign or non-distributable layer(s) are not copied (the image points at them elsewhere): {}",
            plan.plan.foreign_layers.len(),
            plan.plan.foreign_layers.join(", ")
        );
    }
    let started = session.start_copy(plan, Arc::new(Bars::new()));
    signals::cancel_on_signals(session, &started.id);
    match started.wait().await {
        PushEvent::Copied { summary } => {
            eprintln!(
                "berth: copied {} in {:.1} s ({} sent; {} blob(s) copied, {} mounted, {} already there)",
                summary.digest,
                summary.seconds,
                format::bytes(summary.bytes_copied),
                summary.blobs_copied,
                summary.blobs_mounted,
                summary.blobs_skipped
            );
            output::json(&summary)
        }
        PushEvent::Cancelled { message, .. } => Err(BerthError::new(ErrorCode::Cancelled, message)),
        PushEvent::Failed { error } => Err(error),
        other => Err(BerthError::internal(format!("the copy ended with {other:?}"))),
    }
}
