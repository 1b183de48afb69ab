//! Lifecycle policies: one validator (the studio's) for every way a policy enters, the exact
//! simulation with reasons, ECR's own preview as a cross-check, apply and delete.

use std::sync::Arc;

use berth_core::lifecycle::{Decision, EcrPreview, SimImage, Simulation};
use berth_core::model::FieldProblem;
use berth_core::{BerthError, Result};

use crate::Session;

/// The images a preview runs over.
#[derive(Debug, Clone)]
pub enum PreviewImages {
    /// A repository's images, listed now.
    Repository(String),
    /// `aws ecr describe-images` output (`{"imageDetails": [...]}`).
    Describe(String),
}

/// A preview: the images simulated, what would happen to which, and ECR's preview shape.
#[derive(Debug, Clone)]
pub struct Preview {
    pub images: Vec<SimImage>,
    pub decisions: Vec<Decision>,
    /// ECR's GetLifecyclePolicyPreview shape (`previewResults`, `summary`), with reasons.
    pub json: serde_json::Value,
}

/// The first problem as an error, pointing at the command that lists them all.
fn refuse(problems: &[FieldProblem], all: &str) -> Result<()> {
    match problems.first() {
        Some(p) if problems.len() == 1 => Err(BerthError::invalid(format!("{}: {}", p.field, p.message))),
        Some(p) => Err(BerthError::invalid(format!(
            "{}: {} ({} more problems; {all} lists all)",
            p.field,
            p.message,
            problems.len() - 1
        ))),
        None => Ok(()),
    }
}

impl Session {
    /// Every problem of a lifecycle policy document, with its rule and field.
    pub fn validate_lifecycle(&self, text: &str) -> Vec<FieldProblem> {
        berth_core::lifecycle::validate(text)
    }

    /// The studio's live simulation: the document's problems, and what it would do to
    /// `images` as of `at` (RFC 3339; default now).
    pub fn simulate_lifecycle(&self, text: &str, images: &[SimImage], at: Option<&str>) -> Simulation {
        berth_core::lifecycle::simulate_text(text, images, at)
    }

    /// Simulate a valid policy over a repository's images or a DescribeImages file.
    pub async fn preview_lifecycle(
        self: &Arc<Self>,
        text: &str,
        images: PreviewImages,
        at: Option<&str>,
    ) -> Result<Preview> {
        refuse(&berth_core::lifecycle::validate(text), "`berth lifecycle validate`")?;
        let images: Vec<SimImage> = match images {
            PreviewImages::Repository(name) => self.list_images(&name).await?.iter().map(SimImage::from).collect(),
            PreviewImages::Describe(json) => {
                berth_core::lifecycle::images_from_describe(&json).map_err(BerthError::invalid)?
            }
        };
        let simulation = berth_core::lifecycle::simulate_text(text, &images, at);
        refuse(&simulation.problems, "`berth lifecycle validate`")?;
        let json = berth_core::lifecycle::preview_json(&images, &simulation.decisions);
        Ok(Preview { images, decisions: simulation.decisions, json })
    }

    /// ECR's own preview of a policy, where the endpoint offers it.
    pub async fn ecr_lifecycle_preview(&self, repository: &str, text: &str) -> Result<EcrPreview> {
        refuse(&berth_core::lifecycle::validate(text), "the studio")?;
        self.aws().await?.ecr_lifecycle_preview(repository, text).await
    }

    /// Save a lifecycle policy on a repository, after the same validation as everywhere.
    pub async fn apply_lifecycle(&self, repository: &str, text: &str) -> Result<()> {
        berth_core::validate::repository_name(repository)?;
        refuse(&berth_core::lifecycle::validate(text), "`berth lifecycle validate`")?;
        self.aws().await?.put_lifecycle_policy(repository, text).await
    }

    /// Remove a repository's lifecycle policy.
    pub async fn delete_lifecycle(&self, repository: &str) -> Result<()> {
        berth_core::validate::repository_name(repository)?;
        self.aws().await?.delete_lifecycle_policy(repository).await
    }
}
