//! `berth push`: per-layer progress bars on stderr, a JSON summary on stdout.

use std::collections::HashMap;
use std::time::Duration;

use berth_core::push::{LayerState, PushEvent};
use berth_core::{format, BerthError, ErrorCode};
use berth_docker::{Engine, PushOutcome, PushRequest};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio_util::sync::CancellationToken;

/// `REPO[:TAG]` → (repository, tag if given).
pub fn split_target(target: &str) -> (String, Option<String>) {
    match target.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo.to_string(), Some(tag.to_string())),
        _ => (target.to_string(), None),
    }
}

/// The tags to push: the target's, then --tag ones; else the source's own tag, else latest.
pub fn tags_for(source: &str, target_tag: Option<String>, extra: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = target_tag.into_iter().chain(extra.iter().cloned()).collect();
    if tags.is_empty() {
        let own =
            source.rsplit_once(':').map(|(_, t)| t).filter(|t| !t.contains('/') && !source.starts_with("sha256:"));
        tags.push(own.unwrap_or("latest").to_string());
    }
    tags.dedup();
    tags
}

/// How long ECR may take to list a pushed tag.
pub const CONFIRM_WAIT: Duration = Duration::from_secs(10);

pub async fn run(aws: berth_aws::Aws, source: &str, target: &str, extra: &[String]) -> Result<(), BerthError> {
    let (repository, tag) = split_target(target);
    let tags = tags_for(source, tag, extra);
    let token = aws.registry_token().await?;
    let engine = Engine::connect(None).await?;
    let request = PushRequest {
        source: source.to_string(),
        registry: token.server.clone(),
        repository: repository.clone(),
        tags: tags.clone(),
        username: token.username,
        password: token.password,
    };

    let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let layer_style =
        ProgressStyle::with_template("  {prefix:12} {bar:30.cyan/blue} {bytes:>10}/{total_bytes:<10} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    let total_style = ProgressStyle::with_template(
        "{prefix:14} {bar:30.green/white} {bytes:>10}/{total_bytes:<10} {bytes_per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    let overall = bars.add(ProgressBar::new(0).with_style(total_style).with_prefix("total"));
    let mut layers: HashMap<String, ProgressBar> = HashMap::new();
    let quiet = !std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprintln!("berth: pushing {source} to {}/{repository} ({})", request.registry, tags.join(", "));

    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let outcome = engine
        .push(&request, &cancel, |event| match event {
            PushEvent::Layer { layer } => {
                let bar = layers.entry(layer.id.clone()).or_insert_with(|| {
                    bars.insert_before(
                        &overall,
                        ProgressBar::new(0).with_style(layer_style.clone()).with_prefix(layer.id.clone()),
                    )
                });
                bar.set_length(layer.total);
                bar.set_position(layer.current);
                let state = match layer.state {
                    LayerState::Waiting => "waiting",
                    LayerState::Preparing => "preparing",
                    LayerState::Pushing => "pushing",
                    LayerState::AlreadyExists => "already exists",
                    LayerState::Mounted => "mounted",
                    LayerState::Pushed => "pushed",
                    LayerState::Retrying => "retrying",
                };
                bar.set_message(state);
                if matches!(layer.state, LayerState::Pushed | LayerState::AlreadyExists | LayerState::Mounted) {
                    bar.finish_with_message(state);
                    if quiet && layer.state == LayerState::Pushed {
                        eprintln!("  {} {state} ({})", layer.id, format::bytes(layer.total));
                    } else if quiet {
                        eprintln!("  {} {state}", layer.id);
                    }
                }
            }
            PushEvent::Progress { bytes_done, bytes_total, .. } => {
                overall.set_length(bytes_total);
                overall.set_position(bytes_done);
            }
            PushEvent::Retrying { layer, message } => {
                let _ = bars.println(format!("  {}: {message}", layer.unwrap_or_default()));
            }
            _ => {}
        })
        .await;
    overall.finish();
    match outcome? {
        PushOutcome::Pushed(summary) => {
            aws.confirm_pushed(&repository, &summary.tags[0], &summary.digest, CONFIRM_WAIT).await?;
            eprintln!(
                "berth: pushed {} in {:.1} s ({} sent, {} layer(s) already there)",
                summary.digest,
                summary.seconds,
                format::bytes(summary.bytes_pushed),
                summary.layers_skipped
            );
            println!("{}", serde_json::to_string_pretty(&summary).map_err(|e| BerthError::internal(e.to_string()))?);
            Ok(())
        }
        PushOutcome::Cancelled => {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(BerthError::new(
                ErrorCode::Cancelled,
                "Cancelled: no tag was written; layers already sent stay and will be skipped next time.",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_tags() {
        assert_eq!(split_target("api/orders:1.4.2"), ("api/orders".into(), Some("1.4.2".into())));
        assert_eq!(split_target("api/orders"), ("api/orders".into(), None));
        assert_eq!(tags_for("app:dev", None, &[]), ["dev"]);
        assert_eq!(tags_for("app", None, &[]), ["latest"]);
        assert_eq!(tags_for("app:dev", Some("1.0".into()), &["latest".into()]), ["1.0", "latest"]);
        assert_eq!(tags_for("sha256:abc", None, &[]), ["latest"]);
    }
}
