//! The registry-wide use cases (one registry per account and region): read everything ECR
//! configures for it, and change each part — replication, pull-through cache rules, creation
//! templates, scanning, the registry policy, account settings — plus archiving, restoring and
//! the replication status of images. Each input is checked with `berth_core::registry`'s
//! rules before any call, so the app and the CLI refuse the same things with the same words.

use berth_core::model::{refuse, FieldProblem};
use berth_core::registry::{
    self as core, CreationTemplate, PullThroughInput, PullThroughRule, PullThroughValidation, RegistryOverview,
    ReplicationConfiguration, ReplicationStatus, ScanningConfiguration, ScanningView, StorageChange,
};
use berth_core::{BerthError, Result};

use crate::Session;

impl Session {
    /// The registry host of the active profile and region, as the registry token names it.
    pub async fn registry_host(&self) -> Result<String> {
        Ok(self.aws().await?.registry_token().await?.server)
    }

    /// Everything ECR configures for the registry of the active profile and region.
    pub async fn registry_overview(&self) -> Result<RegistryOverview> {
        let aws = self.aws().await?;
        let host = self.registry_host().await?;
        let (registry_id, replication) = aws.describe_registry().await?;
        let (pull_through_cache, templates, scanning, policy, settings) = tokio::join!(
            aws.pull_through_rules(&host),
            aws.creation_templates(),
            aws.scanning_configuration(),
            aws.registry_policy(),
            aws.account_settings(),
        );
        Ok(RegistryOverview {
            registry_id,
            region: aws.region().to_string(),
            replication,
            pull_through_cache: pull_through_cache?,
            templates: templates?,
            scanning: scanning?,
            policy: policy?,
            settings,
        })
    }

    pub async fn check_replication(&self, config: &ReplicationConfiguration) -> Result<Vec<FieldProblem>> {
        let aws = self.aws().await?;
        let (account, _) = aws.describe_registry().await?;
        Ok(core::check_replication(config, &account, aws.region()))
    }

    /// Replace the replication rules (checked first; nothing is sent when one is invalid).
    pub async fn set_replication(&self, config: &ReplicationConfiguration) -> Result<ReplicationConfiguration> {
        refuse(&self.check_replication(config).await?)?;
        let aws = self.aws().await?;
        aws.put_replication(config).await?;
        Ok(aws.describe_registry().await?.1)
    }

    /// The rules in words, with this registry's account told apart from others.
    pub async fn replication_words(&self, config: &ReplicationConfiguration) -> Result<Vec<String>> {
        let (account, _) = self.aws().await?.describe_registry().await?;
        Ok(core::replication_in_words(config, &account))
    }

    /// A registry policy to start from, filled in with this registry's account and region.
    pub async fn registry_policy_template(&self, template: &core::RegistryPolicyTemplate) -> Result<String> {
        let aws = self.aws().await?;
        let (account, _) = aws.describe_registry().await?;
        Ok(template.render(&account, aws.region()))
    }

    pub async fn clear_replication(&self) -> Result<()> {
        self.aws().await?.put_replication(&ReplicationConfiguration::default()).await
    }

    pub async fn replication_status(&self, repository: &str, reference: &str) -> Result<Vec<ReplicationStatus>> {
        berth_core::validate::repository_name(repository)?;
        check_reference(reference)?;
        self.aws().await?.replication_status(repository, reference).await
    }

    pub async fn pull_through_rules(&self) -> Result<Vec<PullThroughRule>> {
        let host = self.registry_host().await?;
        self.aws().await?.pull_through_rules(&host).await
    }

    /// The secrets a rule may use (`ecr-pullthroughcache/…`): name and ARN.
    pub async fn credential_secrets(&self) -> Result<Vec<core::CredentialSecret>> {
        self.aws().await?.credential_secrets().await
    }

    /// Add a rule. A typed user name and token become a secret first (its name
    /// `ecr-pullthroughcache/PREFIX`); when the rule is then refused the secret stays, and the
    /// message says so: adding the rule again reuses it.
    pub async fn add_pull_through_rule(&self, input: &PullThroughInput) -> Result<PullThroughRule> {
        refuse(&core::check_pull_through(input))?;
        let aws = self.aws().await?;
        let (credential, typed_secret) = typed_credential(&aws, input).await?;
        let created = aws
            .create_pull_through_rule(
                &input.ecr_repository_prefix,
                &input.upstream_registry_url,
                input.upstream_repository_prefix.as_deref(),
                credential.as_deref(),
                input.custom_role_arn.as_deref(),
            )
            .await;
        self.rule_after(&aws, &input.ecr_repository_prefix, created, typed_secret).await
    }

    /// Change a rule's credential (an existing secret, or a typed user name and token) and
    /// role; its prefix and upstream stay (ECR changes only these).
    pub async fn update_pull_through_rule(&self, input: &PullThroughInput) -> Result<PullThroughRule> {
        let host = self.registry_host().await?;
        let aws = self.aws().await?;
        let existing = aws
            .pull_through_rules(&host)
            .await?
            .into_iter()
            .find(|r| r.ecr_repository_prefix == input.ecr_repository_prefix)
            .ok_or_else(|| {
                BerthError::not_found(format!(
                    "There is no pull-through cache rule {}: the rules there are: berth registry pull-through list.",
                    input.ecr_repository_prefix
                ))
            })?;
        // The rule's own upstream decides which credential it needs.
        let input = PullThroughInput {
            upstream_registry_url: existing.upstream_registry_url.clone(),
            upstream_repository_prefix: existing.upstream_repository_prefix.clone(),
            ..input.clone()
        };
        refuse(&core::check_pull_through(&input))?;
        let (credential, typed_secret) = typed_credential(&aws, &input).await?;
        let updated = aws
            .update_pull_through_rule(
                &input.ecr_repository_prefix,
                credential.as_deref(),
                input.custom_role_arn.as_deref(),
            )
            .await;
        self.rule_after(&aws, &input.ecr_repository_prefix, updated, typed_secret).await
    }

    /// The rule as ECR lists it after a change; a refusal says where a typed credential went.
    async fn rule_after(
        &self,
        aws: &berth_aws::Aws,
        prefix: &str,
        changed: Result<()>,
        typed_secret: Option<String>,
    ) -> Result<PullThroughRule> {
        if let Err(mut e) = changed {
            if let Some(name) = typed_secret {
                let end = if e.message.ends_with('.') { "" } else { "." };
                e.message = format!(
                    "{}{end} The credential is kept in the secret {name}: trying again with the same user name and token reuses it.",
                    e.message
                );
            }
            return Err(e);
        }
        let host = self.registry_host().await?;
        aws.pull_through_rules(&host)
            .await?
            .into_iter()
            .find(|r| r.ecr_repository_prefix == prefix)
            .ok_or_else(|| BerthError::not_found("ECR does not list the rule just changed; refresh the Registry page."))
    }

    pub async fn validate_pull_through_rule(&self, prefix: &str) -> Result<PullThroughValidation> {
        self.aws().await?.validate_pull_through_rule(prefix).await
    }

    pub async fn remove_pull_through_rule(&self, prefix: &str) -> Result<()> {
        self.aws().await?.delete_pull_through_rule(prefix).await
    }

    pub async fn creation_templates(&self) -> Result<Vec<CreationTemplate>> {
        self.aws().await?.creation_templates().await
    }

    pub fn check_template(&self, template: &CreationTemplate) -> Vec<FieldProblem> {
        core::check_template(template)
    }

    /// Create a template, or change the one of the same prefix.
    pub async fn save_template(&self, template: &CreationTemplate) -> Result<CreationTemplate> {
        refuse(&core::check_template(template))?;
        let aws = self.aws().await?;
        let exists = aws.creation_templates().await?.iter().any(|t| t.prefix == template.prefix);
        aws.put_creation_template(template, exists).await?;
        aws.creation_templates().await?.into_iter().find(|t| t.prefix == template.prefix).ok_or_else(|| {
            BerthError::not_found("ECR does not list the template just saved; refresh the Registry page.")
        })
    }

    pub async fn remove_template(&self, prefix: &str) -> Result<()> {
        self.aws().await?.delete_creation_template(prefix).await
    }

    /// Scanning with its coverage of every repository of the registry.
    pub async fn scanning(&self) -> Result<ScanningView> {
        let aws = self.aws().await?;
        let configuration = aws.scanning_configuration().await?;
        let names: Vec<(String, bool)> =
            self.list_repositories().await?.into_iter().map(|r| (r.name, r.scan_on_push)).collect();
        Ok(ScanningView {
            words: core::scanning_in_words(&configuration),
            coverage: core::scanning_coverage(&configuration, &names),
            configuration,
        })
    }

    pub async fn set_scanning(&self, config: &ScanningConfiguration) -> Result<ScanningView> {
        refuse(&core::check_scanning(config))?;
        self.aws().await?.put_scanning_configuration(config).await?;
        self.scanning().await
    }

    pub async fn registry_policy(&self) -> Result<Option<String>> {
        self.aws().await?.registry_policy().await
    }

    pub async fn set_registry_policy(&self, text: &str) -> Result<()> {
        self.aws().await?.put_registry_policy(text).await
    }

    pub async fn clear_registry_policy(&self) -> Result<()> {
        self.aws().await?.delete_registry_policy().await
    }

    /// Names and values are ECR's upper-case words; `blob_mounting enabled` is read as such.
    pub async fn set_account_setting(&self, name: &str, value: &str) -> Result<()> {
        let (name, value) = (name.trim().to_ascii_uppercase(), value.trim().to_ascii_uppercase());
        core::check_account_setting(&name, &value)?;
        self.aws().await?.put_account_setting(&name, &value).await
    }

    /// Archive (or restore) each image named by tag or digest; every image gets an outcome, a
    /// failure of one does not stop the others.
    pub async fn set_storage(&self, repository: &str, images: &[String], archive: bool) -> Result<Vec<StorageChange>> {
        berth_core::validate::repository_name(repository)?;
        if images.is_empty() {
            return Err(BerthError::invalid("Name at least one image, by tag or digest."));
        }
        for image in images {
            check_reference(image)?;
        }
        let aws = self.aws().await?;
        let mut out: Vec<StorageChange> = Vec::new();
        for image in images {
            let change = |digest: Option<String>, status, error, note| StorageChange {
                image: image.clone(),
                digest,
                status,
                error,
                note,
            };
            let (digest, status) = match aws.image_status(repository, image).await {
                Ok(found) => found,
                Err(e) => {
                    out.push(change(None, None, Some(e.message), None));
                    continue;
                }
            };
            // Two tags of one image: one change.
            if let Some(first) = out.iter().find(|c| c.digest.as_deref() == Some(&digest) && c.error.is_none()) {
                let note = format!("the same image as {}", first.image);
                let status = first.status;
                out.push(change(Some(digest), status, None, Some(note)));
                continue;
            }
            let (already, refused) = match (archive, status) {
                (true, core::ImageStatus::Archived) => (Some("already archived: nothing to do"), None),
                (true, core::ImageStatus::Activating) => {
                    (None, Some("it is being restored (ACTIVATING): archive it once it is active again"))
                }
                (false, core::ImageStatus::Active) => (Some("already active: nothing to restore"), None),
                (false, core::ImageStatus::Activating) => (Some("already being restored (ACTIVATING)"), None),
                _ => (None, None),
            };
            if let Some(why) = refused {
                out.push(change(Some(digest), Some(status), Some(format!("{image}: {why}.")), None));
                continue;
            }
            if let Some(note) = already {
                out.push(change(Some(digest), Some(status), None, Some(note.to_string())));
                continue;
            }
            out.push(match aws.set_image_storage_class(repository, image, archive).await {
                Ok((d, status)) => change(d.or(Some(digest)), Some(status), None, None),
                Err(e) => change(Some(digest), None, Some(e.message), None),
            });
        }
        Ok(out)
    }
}

/// A tag or a digest, each checked before it goes into a request.
fn check_reference(reference: &str) -> Result<()> {
    if reference.contains(':') {
        berth_core::validate::digest(reference)
    } else {
        berth_core::validate::tag(reference)
    }
}

/// The credential ARN a rule gets: the secret picked, or the one a typed user name and token
/// go into (with its name, for the message if the rule is then refused).
async fn typed_credential(aws: &berth_aws::Aws, input: &PullThroughInput) -> Result<(Option<String>, Option<String>)> {
    match (&input.username, &input.token) {
        (Some(username), Some(token)) => {
            let name = core::credential_secret_name(&input.ecr_repository_prefix);
            let arn = aws.create_credential_secret(&name, &input.ecr_repository_prefix, username, token).await?;
            Ok((Some(arn), Some(name)))
        }
        _ => Ok((input.credential_arn.clone(), None)),
    }
}
