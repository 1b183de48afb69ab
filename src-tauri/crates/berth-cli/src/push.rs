//! `berth push`: the push use case, rendered as per-layer bars on stderr and a JSON summary
//! on stdout.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use berth_app::push::PushInput;
use berth_app::{Session, Sink};
use berth_core::push::{LayerState, PushEvent};
use berth_core::{format, BerthError, ErrorCode};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{output, signals};

/// Per-layer bars and a total bar on stderr; plain lines when stderr is not a terminal.
pub(crate) struct Bars {
    bars: MultiProgress,
    overall: ProgressBar,
    layer_style: ProgressStyle,
    layers: Mutex<HashMap<String, ProgressBar>>,
    quiet: bool,
}

impl Bars {
    pub(crate) fn new() -> Bars {
        let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let layer_style =
            ProgressStyle::with_template("  {prefix:12} {bar:30.cyan/blue} {bytes:>10}/{total_bytes:<10} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        let total_style = ProgressStyle::with_template(
            "{prefix:14} {bar:30.green/white} {bytes:>10}/{total_bytes:<10} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let overall = bars.add(ProgressBar::new(0).with_style(total_style).with_prefix("total"));
        Bars {
            bars,
            overall,
            layer_style,
            layers: Mutex::default(),
            quiet: !std::io::IsTerminal::is_terminal(&std::io::stderr()),
        }
    }
}

fn state_words(state: LayerState) -> &'static str {
    match state {
        LayerState::Waiting => "waiting",
        LayerState::Preparing => "preparing",
        LayerState::Pushing => "pushing",
        LayerState::AlreadyExists => "already exists",
        LayerState::Mounted => "mounted",
        LayerState::Pushed => "pushed",
        LayerState::Retrying => "retrying",
    }
}

impl Sink<PushEvent> for Bars {
    fn send(&self, event: PushEvent) {
        match event {
            PushEvent::Started { source, target, job } if job.0.starts_with("copy") => {
                eprintln!("berth: copying {source} to {target}")
            }
            PushEvent::Started { source, target, .. } => eprintln!("berth: pushing {source} to {target}"),
            PushEvent::Layer { layer } => {
                let mut layers = self.layers.lock().unwrap_or_else(|p| p.into_inner());
                let bar = layers.entry(layer.id.clone()).or_insert_with(|| {
                    self.bars.insert_before(
                        &self.overall,
                        ProgressBar::new(0).with_style(self.layer_style.clone()).with_prefix(layer.id.clone()),
                    )
                });
                bar.set_length(layer.total);
                bar.set_position(layer.current);
                let state = state_words(layer.state);
                bar.set_message(state);
                if matches!(layer.state, LayerState::Pushed | LayerState::AlreadyExists | LayerState::Mounted) {
                    bar.finish_with_message(state);
                    if self.quiet && layer.state == LayerState::Pushed {
                        eprintln!("  {} {state} ({})", layer.id, format::bytes(layer.total));
                    } else if self.quiet {
                        eprintln!("  {} {state}", layer.id);
                    }
                }
            }
            PushEvent::Progress { bytes_done, bytes_total, .. } => {
                self.overall.set_length(bytes_total);
                self.overall.set_position(bytes_done);
            }
            PushEvent::Retrying { layer, message } => {
                let _ = self.bars.println(format!("  {}: {message}", layer.unwrap_or_default()));
            }
            PushEvent::Finished { .. }
            | PushEvent::Copied { .. }
            | PushEvent::Failed { .. }
            | PushEvent::Cancelled { .. } => self.overall.finish(),
        }
    }
}

pub async fn run(session: &Arc<Session>, source: &str, target: &str, extra: &[String]) -> Result<(), BerthError> {
    let input = PushInput::from_target(source, target, extra);
    let started = session.start_push(input, Arc::new(Bars::new())).await?;
    signals::cancel_on_signals(session, &started.id);
    match started.wait().await {
        PushEvent::Finished { summary } => {
            eprintln!(
                "berth: pushed {} in {:.1} s ({} sent, {} layer(s) already there)",
                summary.digest,
                summary.seconds,
                format::bytes(summary.bytes_pushed),
                summary.layers_skipped
            );
            output::json(&summary)
        }
        PushEvent::Cancelled { message, .. } => Err(BerthError::new(ErrorCode::Cancelled, message)),
        PushEvent::Failed { error } => Err(error),
        other => Err(BerthError::internal(format!("the push ended with {other:?}"))),
    }
}
