//! The registry-wide configuration of ECR: replication, pull-through cache rules, repository
//! creation templates, scanning, the registry policy, account settings; image storage classes
//! and replication status. Each call maps one ECR API; the rules of what is valid live in
//! `berth_core::registry`.

use aws_sdk_ecr::types::{
    self as ecr, EncryptionConfigurationForRepositoryCreationTemplate, EncryptionType, ImageIdentifier, RctAppliedFor,
    RegistryScanningRule, ScanningRepositoryFilter, ScanningRepositoryFilterType, TargetStorageClass,
};
use berth_core::model::{EncryptionKind, RepositorySpec, ResourceTag, TagMutability};
use berth_core::registry::{
    self as core, AccountSetting, AppliedFor, CreationTemplate, ImageStatus, PullThroughRule, PullThroughValidation,
    ReplicationConfiguration, ReplicationDestination, ReplicationRule, ReplicationStatus, RepositoryFilter,
    ScanFrequency, ScanType, ScanningConfiguration, ScanningRule, Upstream,
};
use berth_core::{BerthError, ErrorCode, Result, Secret};

use crate::manage::{exclusion, mutability, sdk_tag};
use crate::{rfc3339, Aws};

fn invalid(e: impl std::fmt::Display) -> BerthError {
    BerthError::invalid(e.to_string())
}

/// The tag on the secrets Berth creates for a typed credential: the rule prefix it is for.
const SECRET_PREFIX_TAG: &str = "berth:pull-through-prefix";

fn image_id(reference: &str) -> ImageIdentifier {
    if reference.starts_with("sha256:") || reference.starts_with("sha512:") {
        ImageIdentifier::builder().image_digest(reference).build()
    } else {
        ImageIdentifier::builder().image_tag(reference).build()
    }
}

fn applied_for(a: AppliedFor) -> RctAppliedFor {
    match a {
        AppliedFor::PullThroughCache => RctAppliedFor::PullThroughCache,
        AppliedFor::Replication => RctAppliedFor::Replication,
        AppliedFor::CreateOnPush => RctAppliedFor::CreateOnPush,
    }
}

fn from_sdk_mutability(m: Option<&ecr::ImageTagMutability>) -> TagMutability {
    match m {
        Some(ecr::ImageTagMutability::Immutable) => TagMutability::Immutable,
        Some(ecr::ImageTagMutability::ImmutableWithExclusion) => TagMutability::ImmutableWithExclusion,
        Some(ecr::ImageTagMutability::MutableWithExclusion) => TagMutability::MutableWithExclusion,
        _ => TagMutability::Mutable,
    }
}

fn template(t: &ecr::RepositoryCreationTemplate) -> CreationTemplate {
    let prefix = t.prefix().unwrap_or_default().to_string();
    let encryption = t.encryption_configuration();
    let settings = RepositorySpec {
        name: prefix.clone(),
        tag_mutability: from_sdk_mutability(t.image_tag_mutability()),
        mutability_exclusions: t
            .image_tag_mutability_exclusion_filters()
            .iter()
            .map(|f| f.filter().to_string())
            .collect(),
        scan_on_push: false,
        encryption: match encryption.map(|e| e.encryption_type()) {
            Some(EncryptionType::Kms) => EncryptionKind::Kms,
            Some(EncryptionType::KmsDsse) => EncryptionKind::KmsDsse,
            _ => EncryptionKind::Aes256,
        },
        kms_key: encryption.and_then(|e| e.kms_key()).map(str::to_string),
        lifecycle_policy: t.lifecycle_policy().filter(|p| !p.is_empty()).map(str::to_string),
        repository_policy: t.repository_policy().filter(|p| !p.is_empty()).map(str::to_string),
        tags: t
            .resource_tags()
            .iter()
            .map(|t| ResourceTag { key: t.key().to_string(), value: t.value().to_string() })
            .collect(),
    };
    let mut applied: Vec<AppliedFor> = t.applied_for().iter().filter_map(|a| AppliedFor::parse(a.as_str())).collect();
    applied.sort();
    CreationTemplate {
        prefix,
        description: t.description().filter(|d| !d.is_empty()).map(str::to_string),
        applied_for: applied,
        settings,
        custom_role_arn: t.custom_role_arn().filter(|r| !r.is_empty()).map(str::to_string),
        created_at: t.created_at().map(rfc3339),
        updated_at: t.updated_at().map(rfc3339),
    }
}

impl Aws {
    /// The registry's id (the account) and its replication configuration.
    pub async fn describe_registry(&self) -> Result<(String, ReplicationConfiguration)> {
        let out = self.ecr.describe_registry().send().await.map_err(|e| self.fail(e, "read the registry"))?;
        let rules = out
            .replication_configuration()
            .map(|c| c.rules())
            .unwrap_or_default()
            .iter()
            .map(|r| ReplicationRule {
                destinations: r
                    .destinations()
                    .iter()
                    .map(|d| ReplicationDestination {
                        region: d.region().to_string(),
                        registry_id: d.registry_id().to_string(),
                    })
                    .collect(),
                repository_filters: r
                    .repository_filters()
                    .iter()
                    .map(|f| RepositoryFilter {
                        filter: f.filter().to_string(),
                        filter_type: f.filter_type().as_str().to_string(),
                    })
                    .collect(),
            })
            .collect();
        Ok((out.registry_id().unwrap_or_default().to_string(), ReplicationConfiguration { rules }))
    }

    /// Replace the replication configuration (no rules: replication off).
    pub async fn put_replication(&self, config: &ReplicationConfiguration) -> Result<()> {
        let mut rules = Vec::new();
        for rule in &config.rules {
            let mut r = ecr::ReplicationRule::builder();
            for d in &rule.destinations {
                r = r.destinations(
                    ecr::ReplicationDestination::builder()
                        .region(&d.region)
                        .registry_id(&d.registry_id)
                        .build()
                        .map_err(invalid)?,
                );
            }
            for f in &rule.repository_filters {
                r = r.repository_filters(
                    ecr::RepositoryFilter::builder()
                        .filter(&f.filter)
                        .filter_type(ecr::RepositoryFilterType::from(f.filter_type.as_str()))
                        .build()
                        .map_err(invalid)?,
                );
            }
            if r.get_destinations().is_none() {
                r = r.set_destinations(Some(Vec::new())); // ECR refuses it, in its words
            }
            rules.push(r.build().map_err(invalid)?);
        }
        let configuration = ecr::ReplicationConfiguration::builder().set_rules(Some(rules)).build().map_err(invalid)?;
        self.ecr
            .put_replication_configuration()
            .replication_configuration(configuration)
            .send()
            .await
            .map_err(|e| self.fail(e, "set the replication rules"))?;
        Ok(())
    }

    /// Each destination's state for one image.
    pub async fn replication_status(&self, repository: &str, reference: &str) -> Result<Vec<ReplicationStatus>> {
        let out = self
            .ecr
            .describe_image_replication_status()
            .repository_name(repository)
            .image_id(image_id(reference))
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("read the replication status of {repository}:{reference}")))?;
        Ok(out
            .replication_statuses()
            .iter()
            .map(|s| {
                let region = s.region().unwrap_or_default().to_string();
                let status = s.status().map(|s| s.as_str().to_string()).unwrap_or_default();
                let failure_code = s.failure_code().filter(|c| !c.is_empty()).map(str::to_string);
                ReplicationStatus {
                    words: core::replication_status_words(&region, &status, failure_code.as_deref()),
                    region,
                    registry_id: s.registry_id().unwrap_or_default().to_string(),
                    status,
                    failure_code,
                }
            })
            .collect())
    }

    pub async fn pull_through_rules(&self, registry_host: &str) -> Result<Vec<PullThroughRule>> {
        let mut rules = Vec::new();
        let mut pages = self.ecr.describe_pull_through_cache_rules().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.fail(e, "list the pull-through cache rules"))?;
            for r in page.pull_through_cache_rules() {
                let prefix = r.ecr_repository_prefix().unwrap_or_default().to_string();
                let url = r.upstream_registry_url().unwrap_or_default().to_string();
                let upstream = r
                    .upstream_registry()
                    .and_then(|u| serde_json::from_value::<Upstream>(serde_json::Value::String(u.as_str().into())).ok())
                    .or_else(|| Upstream::from_url(&url));
                rules.push(PullThroughRule {
                    pull_command: core::pull_command(registry_host, &prefix, upstream, r.upstream_repository_prefix()),
                    ecr_repository_prefix: prefix,
                    upstream_registry_url: url,
                    upstream,
                    upstream_repository_prefix: r.upstream_repository_prefix().map(str::to_string),
                    credential_arn: r.credential_arn().map(str::to_string),
                    custom_role_arn: r.custom_role_arn().map(str::to_string),
                    created_at: r.created_at().map(rfc3339),
                    updated_at: r.updated_at().map(rfc3339),
                });
            }
        }
        rules.sort_by(|a, b| a.ecr_repository_prefix.cmp(&b.ecr_repository_prefix));
        Ok(rules)
    }

    pub async fn create_pull_through_rule(
        &self,
        prefix: &str,
        upstream_url: &str,
        upstream_prefix: Option<&str>,
        credential_arn: Option<&str>,
        custom_role_arn: Option<&str>,
    ) -> Result<()> {
        let mut request = self
            .ecr
            .create_pull_through_cache_rule()
            .ecr_repository_prefix(prefix)
            .upstream_registry_url(upstream_url)
            .set_upstream_repository_prefix(upstream_prefix.map(str::to_string))
            .set_credential_arn(credential_arn.map(str::to_string))
            .set_custom_role_arn(custom_role_arn.map(str::to_string));
        if let Some(u) = Upstream::from_url(upstream_url) {
            request = request.upstream_registry(ecr::UpstreamRegistry::from(u.word()));
        }
        request.send().await.map_err(|e| self.fail(e, &format!("add the pull-through cache rule {prefix}")))?;
        Ok(())
    }

    /// A rule's credential and role (the only settings UpdatePullThroughCacheRule changes).
    pub async fn update_pull_through_rule(
        &self,
        prefix: &str,
        credential_arn: Option<&str>,
        custom_role_arn: Option<&str>,
    ) -> Result<()> {
        self.ecr
            .update_pull_through_cache_rule()
            .ecr_repository_prefix(prefix)
            .set_credential_arn(credential_arn.map(str::to_string))
            .set_custom_role_arn(custom_role_arn.map(str::to_string))
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("change the pull-through cache rule {prefix}")))?;
        Ok(())
    }

    pub async fn delete_pull_through_rule(&self, prefix: &str) -> Result<()> {
        self.ecr
            .delete_pull_through_cache_rule()
            .ecr_repository_prefix(prefix)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("remove the pull-through cache rule {prefix}")))?;
        Ok(())
    }

    pub async fn validate_pull_through_rule(&self, prefix: &str) -> Result<PullThroughValidation> {
        let out = self
            .ecr
            .validate_pull_through_cache_rule()
            .ecr_repository_prefix(prefix)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("validate the pull-through cache rule {prefix}")))?;
        Ok(PullThroughValidation {
            ecr_repository_prefix: prefix.to_string(),
            is_valid: out.is_valid(),
            failure: out.failure().filter(|f| !f.is_empty()).map(str::to_string),
        })
    }

    /// A Secrets Manager secret with a registry credential, as ECR's pull-through cache reads
    /// it (`{"username", "accessToken"}`); its ARN. The token goes only into the request.
    pub async fn create_credential_secret(
        &self,
        name: &str,
        prefix: &str,
        username: &str,
        token: &Secret,
    ) -> Result<String> {
        use aws_sdk_secretsmanager::types::Tag;
        let value = serde_json::json!({"username": username, "accessToken": token.expose()}).to_string();
        let out = self
            .secrets
            .create_secret()
            .name(name)
            .description("Registry credential of an ECR pull-through cache rule (created by Berth)")
            .tags(Tag::builder().key(SECRET_PREFIX_TAG).value(prefix).build())
            .secret_string(value.clone())
            .send()
            .await;
        let arn = match out {
            Ok(out) => out.arn().map(str::to_string),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_exists_exception()) => {
                // Only Berth's own secret of this very prefix (left by a removed rule, or by a
                // refused one) takes the credential just typed, as a new version; a secret of
                // that name made otherwise (by hand, or for another prefix) is never written.
                let found = self
                    .secrets
                    .describe_secret()
                    .secret_id(name)
                    .send()
                    .await
                    .map_err(|e| self.fail(e, &format!("read the existing secret {name}")))?;
                let ours = found.tags().iter().any(|t| t.key() == Some(SECRET_PREFIX_TAG) && t.value() == Some(prefix));
                if !ours {
                    return Err(BerthError::new(
                        ErrorCode::AlreadyExists,
                        format!(
                            "A secret named {name} already exists and Berth did not make it for the rule {prefix}: \
                             pick it as an existing secret if it holds this registry's credential, or use another prefix."
                        ),
                    ));
                }
                self.secrets
                    .put_secret_value()
                    .secret_id(name)
                    .secret_string(value)
                    .send()
                    .await
                    .map_err(|e| self.fail(e, &format!("store the new credential in the existing secret {name}")))?
                    .arn()
                    .map(str::to_string)
            }
            Err(e) => return Err(self.fail(e, &format!("create the secret {name} in Secrets Manager"))),
        };
        arn.ok_or_else(|| BerthError::new(ErrorCode::Remote, "Secrets Manager returned no ARN."))
    }

    /// The names and ARNs of secrets ECR's pull-through cache may read.
    pub async fn credential_secrets(&self) -> Result<Vec<core::CredentialSecret>> {
        let mut out = Vec::new();
        let mut pages = self
            .secrets
            .list_secrets()
            .filters(
                aws_sdk_secretsmanager::types::Filter::builder()
                    .key(aws_sdk_secretsmanager::types::FilterNameStringType::Name)
                    .values(core::CREDENTIAL_SECRET_PREFIX)
                    .build(),
            )
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.fail(e, "list the secrets of pull-through cache rules"))?;
            for s in page.secret_list() {
                if let (Some(name), Some(arn)) = (s.name(), s.arn()) {
                    if name.starts_with(core::CREDENTIAL_SECRET_PREFIX) {
                        out.push(core::CredentialSecret { name: name.to_string(), arn: arn.to_string() });
                    }
                }
            }
        }
        out.sort();
        Ok(out)
    }

    pub async fn creation_templates(&self) -> Result<Vec<CreationTemplate>> {
        let mut out = Vec::new();
        let mut pages = self.ecr.describe_repository_creation_templates().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.fail(e, "list the repository creation templates"))?;
            out.extend(page.repository_creation_templates().iter().map(template));
        }
        out.sort_by(|a, b| a.prefix.cmp(&b.prefix));
        Ok(out)
    }

    /// Create the template, or replace the one of the same prefix when `update`.
    pub async fn put_creation_template(&self, t: &CreationTemplate, update: bool) -> Result<()> {
        berth_core::model::refuse(&core::check_template(t))?;
        let s = &t.settings;
        let mut encryption =
            EncryptionConfigurationForRepositoryCreationTemplate::builder().encryption_type(match s.encryption {
                EncryptionKind::Aes256 => EncryptionType::Aes256,
                EncryptionKind::Kms => EncryptionType::Kms,
                EncryptionKind::KmsDsse => EncryptionType::KmsDsse,
            });
        if let Some(key) = &s.kms_key {
            encryption = encryption.kms_key(key);
        }
        let encryption = encryption.build().map_err(invalid)?;
        let mut exclusions = Vec::new();
        for f in &s.mutability_exclusions {
            exclusions.push(exclusion(f)?);
        }
        let mut tags = Vec::new();
        for tag in &s.tags {
            tags.push(sdk_tag(tag)?);
        }
        let applied: Vec<RctAppliedFor> = t.applied_for.iter().copied().map(applied_for).collect();
        let action = format!("save the repository creation template {}", t.prefix);
        // A replaced template has only what this one says: on update an empty text clears what
        // the stored template had (UpdateRepositoryCreationTemplate keeps a field left out).
        let cleared = |v: &Option<String>| match v {
            Some(v) => Some(v.clone()),
            None if update => Some(String::new()),
            None => None,
        };
        macro_rules! fill {
            ($req:expr) => {
                $req.prefix(&t.prefix)
                    .set_description(cleared(&t.description))
                    .encryption_configuration(encryption)
                    .set_resource_tags(Some(tags))
                    .image_tag_mutability(mutability(s.tag_mutability))
                    // (An empty list is not allowed: a mutability without exclusions drops them.)
                    .set_image_tag_mutability_exclusion_filters(if exclusions.is_empty() {
                        None
                    } else {
                        Some(exclusions)
                    })
                    .set_repository_policy(cleared(&s.repository_policy))
                    .set_lifecycle_policy(cleared(&s.lifecycle_policy))
                    .set_applied_for(Some(applied))
                    .set_custom_role_arn(cleared(&t.custom_role_arn))
            };
        }
        if update {
            fill!(self.ecr.update_repository_creation_template()).send().await.map_err(|e| self.fail(e, &action))?;
        } else {
            fill!(self.ecr.create_repository_creation_template()).send().await.map_err(|e| self.fail(e, &action))?;
        }
        Ok(())
    }

    pub async fn delete_creation_template(&self, prefix: &str) -> Result<()> {
        self.ecr
            .delete_repository_creation_template()
            .prefix(prefix)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("remove the repository creation template {prefix}")))?;
        Ok(())
    }

    pub async fn scanning_configuration(&self) -> Result<ScanningConfiguration> {
        let out = self
            .ecr
            .get_registry_scanning_configuration()
            .send()
            .await
            .map_err(|e| self.fail(e, "read the registry's scanning configuration"))?;
        let config = out.scanning_configuration();
        let scan_type = match config.and_then(|c| c.scan_type()) {
            Some(ecr::ScanType::Enhanced) => ScanType::Enhanced,
            _ => ScanType::Basic,
        };
        let rules = config
            .map(|c| c.rules())
            .unwrap_or_default()
            .iter()
            .filter_map(|r| {
                Some(ScanningRule {
                    scan_frequency: ScanFrequency::parse(r.scan_frequency().as_str())?,
                    repository_filters: r.repository_filters().iter().map(|f| f.filter().to_string()).collect(),
                })
            })
            .collect();
        Ok(ScanningConfiguration { scan_type, rules })
    }

    pub async fn put_scanning_configuration(&self, config: &ScanningConfiguration) -> Result<()> {
        berth_core::model::refuse(&core::check_scanning(config))?;
        let mut rules = Vec::new();
        for rule in &config.rules {
            let mut r =
                RegistryScanningRule::builder().scan_frequency(ecr::ScanFrequency::from(match rule.scan_frequency {
                    ScanFrequency::ScanOnPush => "SCAN_ON_PUSH",
                    ScanFrequency::ContinuousScan => "CONTINUOUS_SCAN",
                    ScanFrequency::Manual => "MANUAL",
                }));
            for f in &rule.repository_filters {
                r = r.repository_filters(
                    ScanningRepositoryFilter::builder()
                        .filter(f)
                        .filter_type(ScanningRepositoryFilterType::Wildcard)
                        .build()
                        .map_err(invalid)?,
                );
            }
            rules.push(r.build().map_err(invalid)?);
        }
        self.ecr
            .put_registry_scanning_configuration()
            .scan_type(match config.scan_type {
                ScanType::Basic => ecr::ScanType::Basic,
                ScanType::Enhanced => ecr::ScanType::Enhanced,
            })
            .set_rules(Some(rules))
            .send()
            .await
            .map_err(|e| self.fail(e, "set the registry's scanning configuration"))?;
        Ok(())
    }

    /// The scan frequency ECR applies to each repository (`BatchGetRepositoryScanningConfiguration`,
    /// 25 names a call).
    pub async fn repository_scan_frequencies(&self, repositories: &[String]) -> Result<Vec<(String, ScanFrequency)>> {
        let mut out = Vec::new();
        for chunk in repositories.chunks(25) {
            let answer = self
                .ecr
                .batch_get_repository_scanning_configuration()
                .set_repository_names(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| self.fail(e, "read the repositories' scanning configuration"))?;
            for c in answer.scanning_configurations() {
                let frequency =
                    c.scan_frequency().and_then(|f| ScanFrequency::parse(f.as_str())).unwrap_or(ScanFrequency::Manual);
                out.push((c.repository_name().unwrap_or_default().to_string(), frequency));
            }
        }
        Ok(out)
    }

    /// The registry policy's JSON; none when the registry has none.
    pub async fn registry_policy(&self) -> Result<Option<String>> {
        match self.ecr.get_registry_policy().send().await {
            Ok(out) => Ok(out.policy_text().filter(|p| !p.is_empty()).map(str::to_string)),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_registry_policy_not_found_exception()) => Ok(None),
            Err(e) => Err(self.fail(e, "read the registry policy")),
        }
    }

    pub async fn put_registry_policy(&self, text: &str) -> Result<()> {
        berth_core::policy::check_policy_json(text)
            .map_err(|m| BerthError::invalid(m.replace("repository policy", "registry policy")))?;
        self.ecr
            .put_registry_policy()
            .policy_text(text)
            .send()
            .await
            .map_err(|e| self.fail(e, "set the registry policy"))?;
        Ok(())
    }

    /// Remove the registry policy; removing none is not an error.
    pub async fn delete_registry_policy(&self) -> Result<()> {
        match self.ecr.delete_registry_policy().send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_registry_policy_not_found_exception()) => Ok(()),
            Err(e) => Err(self.fail(e, "remove the registry policy")),
        }
    }

    /// The account settings Berth knows, with their values (none where ECR does not answer).
    pub async fn account_settings(&self) -> Vec<AccountSetting> {
        let mut out = Vec::new();
        for (name, values, explanation) in core::ACCOUNT_SETTINGS {
            let value = match self.ecr.get_account_setting().name(name).send().await {
                Ok(o) => o.value().map(str::to_string),
                Err(e) => {
                    tracing::info!(setting = name, error = %crate::sdk_error(e, "read an account setting"), "account setting unread");
                    None
                }
            };
            out.push(AccountSetting {
                name: name.to_string(),
                value,
                values: values.iter().map(|v| v.to_string()).collect(),
                explanation: explanation.to_string(),
            });
        }
        out
    }

    pub async fn put_account_setting(&self, name: &str, value: &str) -> Result<()> {
        core::check_account_setting(name, value)?;
        self.ecr
            .put_account_setting()
            .name(name)
            .value(value)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("set the account setting {name}")))?;
        Ok(())
    }

    /// The digest and status of the image `reference` (a tag or a digest) names, whatever its
    /// status.
    pub async fn image_status(&self, repository: &str, reference: &str) -> Result<(String, ImageStatus)> {
        let out = self
            .ecr
            .describe_images()
            .repository_name(repository)
            .image_ids(image_id(reference))
            .filter(crate::images::every_status())
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|s| s.is_image_not_found_exception()) {
                    BerthError::not_found(format!(
                        "{repository} has no image {reference}: check the tag or digest (berth images list {repository})."
                    ))
                } else {
                    self.fail(e, &format!("read the status of {repository}:{reference}"))
                }
            })?;
        let detail = out.image_details().first().ok_or_else(|| {
            BerthError::not_found(format!("{repository} has no image {reference}: check the tag or digest."))
        })?;
        Ok((detail.image_digest().unwrap_or_default().to_string(), crate::images::status_of(detail.image_status())))
    }

    /// Archive (`archive`) or restore an image; its digest and status after the call.
    pub async fn set_image_storage_class(
        &self,
        repository: &str,
        reference: &str,
        archive: bool,
    ) -> Result<(Option<String>, ImageStatus)> {
        let target = if archive { TargetStorageClass::Archive } else { TargetStorageClass::Standard };
        let verb = if archive { "archive" } else { "restore" };
        let out = self
            .ecr
            .update_image_storage_class()
            .repository_name(repository)
            .image_id(image_id(reference))
            .target_storage_class(target)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("{verb} {repository}:{reference}")))?;
        Ok((
            out.image_id().and_then(|i| i.image_digest()).map(str::to_string),
            crate::images::status_of(out.image_status()),
        ))
    }
}
