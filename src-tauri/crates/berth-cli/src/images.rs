//! `berth images list`, `berth inspect`, `berth tag`, `berth compare`.

use std::sync::Arc;

use berth_app::Session;
use berth_core::image::LayerStatus;
use berth_core::{format, BerthError};
use clap::Subcommand;

use crate::output::output;

#[derive(Subcommand)]
pub enum ImagesCommand {
    /// List every image of a repository, newest first
    List { repository: String },
    /// Move images to the archive storage class (they cannot be pulled until restored)
    Archive {
        repository: String,
        /// Tags or digests
        #[arg(required = true)]
        images: Vec<String>,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
    /// Bring archived images back to standard storage (ACTIVATING, then ACTIVE)
    Restore {
        repository: String,
        #[arg(required = true)]
        images: Vec<String>,
    },
    /// Replication status of an image in each destination (IN_PROGRESS, COMPLETE, FAILED)
    Replication { repository: String, image: String },
}

pub async fn run(session: &Arc<Session>, command: &ImagesCommand, as_json: bool) -> Result<(), BerthError> {
    match command {
        ImagesCommand::List { repository } => list(session, repository, as_json).await,
        ImagesCommand::Archive { repository, images, yes } => {
            crate::registry::storage(session, repository, images, true, *yes, as_json).await
        }
        ImagesCommand::Restore { repository, images } => {
            crate::registry::storage(session, repository, images, false, true, as_json).await
        }
        ImagesCommand::Replication { repository, image } => {
            crate::registry::replication(session, repository, image, as_json).await
        }
    }
}

async fn list(session: &Arc<Session>, repository: &str, as_json: bool) -> Result<(), BerthError> {
    let images = session.list_images(repository).await?;
    output(as_json, &images, |t| {
        t.set_header(["TAGS", "DIGEST", "SIZE", "PUSHED", "STATUS"]);
        for i in &images {
            t.add_row([
                if i.tags.is_empty() { "<untagged>".into() } else { i.tags.join(", ") },
                format::short_digest(&i.digest).to_string(),
                i.size_bytes.map(format::bytes).unwrap_or_default(),
                i.pushed_at.map(|t| t.to_string()).unwrap_or_default(),
                crate::output::wire(&i.status),
            ]);
        }
    })
}

pub async fn inspect(
    session: &Session,
    reference: &str,
    platform: Option<&str>,
    as_json: bool,
) -> Result<(), BerthError> {
    let info = session.read_image(reference, platform).await?;
    output(as_json, &info, |t| {
        t.add_row(["reference", &info.reference]);
        t.add_row(["digest", &info.digest]);
        t.add_row(["media type", &info.media_type]);
        t.add_row(["platform", &info.platform().unwrap_or_default()]);
        t.add_row(["size", &format::bytes(info.size)]);
        t.add_row(["created", info.config.created.as_deref().unwrap_or_default()]);
        t.add_row(["entrypoint", &info.config.entrypoint.join(" ")]);
        t.add_row(["cmd", &info.config.cmd.join(" ")]);
        for (i, l) in info.layers.iter().enumerate() {
            t.add_row([
                format!("layer {}", i + 1),
                format!("{} {}", format::short_digest(&l.digest), format::bytes(l.size)),
            ]);
        }
        for p in &info.platforms {
            t.add_row([format!("platform {}", p.platform), p.digest.clone()]);
        }
    })
}

pub async fn tag(
    session: &Session,
    repository: &str,
    source: &str,
    new_tag: &str,
    as_json: bool,
) -> Result<(), BerthError> {
    let digest = session.add_tag(repository, source, new_tag).await?;
    let result = serde_json::json!({"repository": repository, "tag": new_tag, "digest": digest});
    output(as_json, &result, |t| {
        t.add_row([format!("{repository}:{new_tag} → {digest}")]);
    })
}

pub async fn compare(
    session: &Session,
    a: &str,
    b: &str,
    platform: Option<&str>,
    timings: bool,
    as_json: bool,
) -> Result<(), BerthError> {
    let comparison = if timings {
        let (comparison, t) = session.compare_timed(a, b, platform).await?;
        eprintln!(
            "berth: timings: read {:.1} ms, diff {:.3} ms ({} + {} layers)",
            t.read.as_secs_f64() * 1e3,
            t.diff.as_secs_f64() * 1e3,
            comparison.layers.iter().filter(|l| l.status != LayerStatus::OnlyB).count(),
            comparison.layers.iter().filter(|l| l.status != LayerStatus::OnlyA).count()
        );
        comparison
    } else {
        session.compare(a, b, platform).await?
    };
    output(as_json, &comparison, |t| {
        t.set_header(["", "A", "B"]);
        t.add_row(["reference".to_string(), comparison.a.reference.clone(), comparison.b.reference.clone()]);
        t.add_row(["digest".to_string(), comparison.a.digest.clone(), comparison.b.digest.clone()]);
        t.add_row(["size".to_string(), format::bytes(comparison.a.size), format::bytes(comparison.b.size)]);
        for l in &comparison.layers {
            let (x, y) = match l.status {
                LayerStatus::Shared => ("=", "="),
                LayerStatus::OnlyA => ("only A", ""),
                LayerStatus::OnlyB => ("", "only B"),
            };
            t.add_row([
                format!("layer {} {}", format::short_digest(&l.digest), format::bytes(l.size)),
                x.into(),
                y.into(),
            ]);
        }
        for c in &comparison.config_changes {
            t.add_row([c.path.clone(), c.a.clone().unwrap_or("—".into()), c.b.clone().unwrap_or("—".into())]);
        }
        if comparison.identical {
            t.add_row(["identical".to_string(), String::new(), String::new()]);
        }
    })
}
