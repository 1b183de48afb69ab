//! `berth lifecycle …`: validate, preview (exactly what ECR would expire or archive, and why),
//! apply, delete.

use std::path::PathBuf;
use std::sync::Arc;

use berth_app::lifecycle::PreviewImages;
use berth_app::Session;
use berth_core::{format, BerthError};
use clap::Subcommand;

use crate::output::{confirm, output, read_text};

#[derive(Subcommand)]
pub enum LifecycleCommand {
    /// Check a lifecycle policy document: every problem with its rule and field
    Validate { file: PathBuf },
    /// Simulate a policy over a repository's images (or a DescribeImages JSON file), as of now
    /// or --at; prints ECR's preview shape (previewResults, summary) with the reason of each
    Preview {
        #[arg(long)]
        policy: PathBuf,
        #[arg(long, conflicts_with = "images", required_unless_present = "images")]
        repo: Option<String>,
        /// `aws ecr describe-images` output ({"imageDetails": [...]})
        #[arg(long)]
        images: Option<PathBuf>,
        /// Evaluation time, RFC 3339 (default: now)
        #[arg(long)]
        at: Option<String>,
    },
    /// Save a lifecycle policy on a repository (validated first, as everywhere)
    Apply { repository: String, file: PathBuf },
    /// Remove a repository's lifecycle policy
    Delete {
        repository: String,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(session: &Arc<Session>, command: &LifecycleCommand, as_json: bool) -> Result<(), BerthError> {
    match command {
        LifecycleCommand::Validate { file } => {
            let problems = session.validate_lifecycle(&read_text(file)?);
            output(as_json, &serde_json::json!({"valid": problems.is_empty(), "problems": problems}), |t| {
                if problems.is_empty() {
                    t.add_row(["valid"]);
                }
                for p in &problems {
                    t.add_row([format!("{}: {}", p.field, p.message)]);
                }
            })?;
            if problems.is_empty() {
                Ok(())
            } else {
                Err(BerthError::invalid(format!("{} problem(s) in {}", problems.len(), file.display())))
            }
        }
        LifecycleCommand::Preview { policy, repo, images, at } => {
            let source = match (repo, images) {
                (Some(repo), _) => PreviewImages::Repository(repo.clone()),
                (None, Some(file)) => PreviewImages::Describe(read_text(file)?),
                (None, None) => return Err(BerthError::invalid("Give --repo REPO or --images FILE.")),
            };
            let preview = session.preview_lifecycle(&read_text(policy)?, source, at.as_deref()).await?;
            output(as_json, &preview.json, |t| {
                t.set_header(["DIGEST", "TAGS", "PUSHED", "RULE", "WHY"]);
                for d in &preview.decisions {
                    let image = &preview.images[d.image as usize];
                    t.add_row([
                        format::short_digest(&image.image_digest).to_string(),
                        image.image_tags.join(", "),
                        image.image_pushed_at.to_string(),
                        d.rule_priority.to_string(),
                        d.reason.to_string(),
                    ]);
                }
                t.add_row([
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    format!("{} of {} images would go", preview.decisions.len(), preview.images.len()),
                ]);
            })
        }
        LifecycleCommand::Apply { repository, file } => {
            session.apply_lifecycle(repository, &read_text(file)?).await?;
            output(as_json, &serde_json::json!({"repository": repository, "lifecycle_policy": "set"}), |t| {
                t.add_row([format!("lifecycle policy saved on {repository}; ECR applies it within 24 hours")]);
            })
        }
        LifecycleCommand::Delete { repository, yes } => {
            if !yes && !confirm(&format!("Remove the lifecycle policy of {repository}?")) {
                return Err(BerthError::invalid("Not removed: confirm with --yes (or answer y in a terminal)."));
            }
            session.delete_lifecycle(repository).await?;
            output(as_json, &serde_json::json!({"repository": repository, "lifecycle_policy": null}), |t| {
                t.add_row([format!("lifecycle policy of {repository} removed")]);
            })
        }
    }
}
