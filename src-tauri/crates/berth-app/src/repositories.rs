//! Repositories: review, create (step by step, retrying only what failed), settings changes
//! (each setting on its own, reported), delete.

use berth_core::model::{
    CreateReport, FieldProblem, KmsAlias, PolicyChange, PolicyTemplate, Repository, RepositoryChange,
    RepositoryDetails, RepositoryReview, RepositorySpec, RepositoryStep, StepOutcome, UpdateReport,
};
use berth_core::{BerthError, ErrorCode, Result};

use crate::Session;

use berth_core::model::refuse;

/// The error of a report whose steps did not all succeed: which were applied, which not.
pub fn partial(name: &str, steps: &[StepOutcome], what_next: &str) -> BerthError {
    let failed: Vec<String> = steps
        .iter()
        .filter_map(|s| s.error.as_ref().map(|e| format!("{}: {}", step_words(s.step), e.message)))
        .collect();
    let done: Vec<&str> = steps.iter().filter(|s| s.error.is_none()).map(|s| step_words(s.step)).collect();
    let done = if done.is_empty() { "nothing".to_string() } else { done.join(", ") };
    BerthError::new(
        ErrorCode::Partial,
        format!("Not everything was applied to {name}. Done: {done}. Failed: {}. {what_next}", failed.join("; ")),
    )
}

/// A step in words.
pub fn step_words(step: RepositoryStep) -> &'static str {
    match step {
        RepositoryStep::CreateRepository => "create the repository",
        RepositoryStep::PutLifecyclePolicy => "set the lifecycle policy",
        RepositoryStep::SetRepositoryPolicy => "set the repository policy",
        RepositoryStep::SetTagMutability => "set tag mutability",
        RepositoryStep::SetScanOnPush => "set scan on push",
        RepositoryStep::DeleteLifecyclePolicy => "delete the lifecycle policy",
        RepositoryStep::DeleteRepositoryPolicy => "delete the repository policy",
        RepositoryStep::SetTags => "set the resource tags",
    }
}

/// The part of `change` whose steps failed in `report`: what a retry sends again.
pub fn failed_part(change: &RepositoryChange, report: &UpdateReport) -> RepositoryChange {
    let failed = |step: RepositoryStep| report.steps.iter().any(|s| s.step == step && s.error.is_some());
    let mut retry = RepositoryChange::keep(change.name.clone());
    if failed(RepositoryStep::SetTagMutability) {
        retry.tag_mutability = change.tag_mutability;
        retry.mutability_exclusions = change.mutability_exclusions.clone();
    }
    if failed(RepositoryStep::SetScanOnPush) {
        retry.scan_on_push = change.scan_on_push;
    }
    if failed(RepositoryStep::PutLifecyclePolicy) || failed(RepositoryStep::DeleteLifecyclePolicy) {
        retry.lifecycle_policy = change.lifecycle_policy.clone();
    }
    if failed(RepositoryStep::SetRepositoryPolicy) || failed(RepositoryStep::DeleteRepositoryPolicy) {
        retry.repository_policy = change.repository_policy.clone();
    }
    if failed(RepositoryStep::SetTags) {
        retry.tags = change.tags.clone();
    }
    retry
}

impl Session {
    pub async fn list_repositories(&self) -> Result<Vec<Repository>> {
        if let Some(list) = self.prefetched_repositories().await {
            return Ok(list);
        }
        self.aws().await?.list_repositories().await
    }

    /// The form's problems as the user types (local rules only: no API call).
    pub fn check_repository(&self, spec: &RepositorySpec) -> Vec<FieldProblem> {
        berth_core::policy::check_spec(spec)
    }

    /// The wizard's review: every problem (local rules, and whether the name is free), the
    /// repository policy in words, and the equivalent AWS CLI commands.
    pub async fn review_repository(&self, spec: &RepositorySpec) -> Result<RepositoryReview> {
        self.aws().await?.review_repository(spec).await
    }

    /// Create the repository, then its policies; every step is reported. A spec with any
    /// problem (the same rules as the wizard's, the lifecycle policy's included) creates nothing.
    pub async fn create_repository(&self, spec: &RepositorySpec) -> Result<CreateReport> {
        refuse(&berth_core::policy::check_spec(spec))?;
        self.aws().await?.create_repository(spec).await
    }

    /// Retry the policy steps of a creation that stopped half-way.
    pub async fn retry_repository_policies(&self, spec: &RepositorySpec) -> Result<Vec<StepOutcome>> {
        refuse(&berth_core::policy::check_spec(spec))?;
        Ok(self.aws().await?.apply_policies(spec).await)
    }

    pub async fn repository_details(&self, name: &str) -> Result<RepositoryDetails> {
        self.aws().await?.repository_details(name).await
    }

    /// A repository's row of the registry overview: its images as the images table counts
    /// them, their bytes, the newest push, and its lifecycle policy's rule count.
    pub async fn repository_stats(&self, name: &str) -> Result<berth_core::model::RepositoryStats> {
        berth_core::validate::repository_name(name)?;
        let aws = self.aws().await?;
        let (images, policy) = tokio::try_join!(aws.list_images(name), aws.lifecycle_policy(name))?;
        Ok(berth_core::model::RepositoryStats {
            name: name.to_string(),
            images: images.len() as u32,
            bytes: images.iter().filter_map(|i| i.size_bytes).sum(),
            last_pushed: images.iter().filter_map(|i| i.pushed_at).max(),
            // A policy ECR holds but Berth cannot read still counts as a policy.
            lifecycle_rules: policy
                .map(|text| berth_core::lifecycle::parse(&text).map(|p| p.rules.len() as u32).unwrap_or(0)),
        })
    }

    /// Apply a settings change: each setting that changes is its own call, tried even when
    /// another failed, and reported; then the repository is read back. Nothing is sent when
    /// any new value is invalid.
    pub async fn update_repository(&self, change: &RepositoryChange) -> Result<UpdateReport> {
        let name = &change.name;
        let aws = self.aws().await?;
        let before = aws.repository_details(name).await?;
        let mutability = change.tag_mutability.unwrap_or(before.repository.tag_mutability);
        let exclusions = change.mutability_exclusions.clone().unwrap_or(before.mutability_exclusions.clone());
        // The new values, checked together by the wizard's rules before any call.
        let mut spec = RepositorySpec::named(name.clone());
        spec.tag_mutability = mutability;
        spec.mutability_exclusions = exclusions.clone();
        spec.tags = change.tags.clone().unwrap_or_default();
        if let PolicyChange::Set { text } = &change.lifecycle_policy {
            spec.lifecycle_policy = Some(text.clone());
        }
        if let PolicyChange::Set { text } = &change.repository_policy {
            spec.repository_policy = Some(text.clone());
        }
        refuse(&berth_core::policy::check_spec(&spec))?;

        let mut steps = Vec::new();
        if change.tag_mutability.is_some() || change.mutability_exclusions.is_some() {
            let r = aws.set_tag_mutability(name, mutability, &exclusions).await;
            steps.push(StepOutcome::of(RepositoryStep::SetTagMutability, r));
        }
        if let Some(scan) = change.scan_on_push {
            steps.push(StepOutcome::of(RepositoryStep::SetScanOnPush, aws.set_scan_on_push(name, scan).await));
        }
        match &change.lifecycle_policy {
            PolicyChange::Set { text } => steps
                .push(StepOutcome::of(RepositoryStep::PutLifecyclePolicy, aws.put_lifecycle_policy(name, text).await)),
            PolicyChange::Remove => steps
                .push(StepOutcome::of(RepositoryStep::DeleteLifecyclePolicy, aws.delete_lifecycle_policy(name).await)),
            PolicyChange::Keep => {}
        }
        match &change.repository_policy {
            PolicyChange::Set { text } => steps.push(StepOutcome::of(
                RepositoryStep::SetRepositoryPolicy,
                aws.set_repository_policy(name, text).await,
            )),
            PolicyChange::Remove => steps.push(StepOutcome::of(
                RepositoryStep::DeleteRepositoryPolicy,
                aws.delete_repository_policy(name).await,
            )),
            PolicyChange::Keep => {}
        }
        if let Some(tags) = &change.tags {
            steps.push(StepOutcome::of(RepositoryStep::SetTags, aws.set_tags(&before.repository.arn, tags).await));
        }
        let details = match aws.repository_details(name).await {
            Ok(d) => Some(d),
            Err(e) => {
                tracing::warn!("could not read {name} back after a change: {e:?}");
                None
            }
        };
        Ok(UpdateReport { steps, details })
    }

    /// Delete a repository (with `force`, the images it holds too).
    pub async fn delete_repository(&self, name: &str, force: bool) -> Result<()> {
        self.aws().await?.delete_repository(name, force).await
    }

    pub async fn kms_aliases(&self) -> Result<Vec<KmsAlias>> {
        self.aws().await?.kms_aliases().await
    }

    pub fn render_policy_template(&self, template: &PolicyTemplate) -> String {
        berth_core::policy::render(template)
    }

    /// A repository policy's statements in words.
    pub fn describe_repository_policy(&self, text: &str) -> Vec<String> {
        berth_core::policy::describe_policy(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_core::model::{StepStatus, TagMutability};

    #[test]
    fn a_retry_sends_only_what_failed() {
        let mut change = RepositoryChange::keep("web");
        change.tag_mutability = Some(TagMutability::Immutable);
        change.scan_on_push = Some(true);
        change.repository_policy = PolicyChange::Set { text: "{}".into() };
        let report = UpdateReport {
            steps: vec![
                StepOutcome::of(RepositoryStep::SetTagMutability, Ok(())),
                StepOutcome::of(RepositoryStep::SetScanOnPush, Ok(())),
                StepOutcome::of(RepositoryStep::SetRepositoryPolicy, Err(BerthError::invalid("bad principal"))),
            ],
            details: None,
        };
        assert!(!report.complete());
        let retry = failed_part(&change, &report);
        assert_eq!(retry.tag_mutability, None);
        assert_eq!(retry.scan_on_push, None);
        assert_eq!(retry.repository_policy, PolicyChange::Set { text: "{}".into() });
        let e = partial("web", &report.steps, "Fix the policy and save again.");
        assert_eq!(e.code, ErrorCode::Partial);
        assert!(e.message.contains("Done: set tag mutability, set scan on push."), "{}", e.message);
        assert!(e.message.contains("Failed: set the repository policy: bad principal."), "{}", e.message);
        assert_eq!(report.steps[2].status, StepStatus::Failed);
    }
}
