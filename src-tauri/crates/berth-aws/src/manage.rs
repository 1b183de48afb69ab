//! Creating, configuring and deleting repositories.

use aws_sdk_ecr::types::{
    EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
    ImageTagMutabilityExclusionFilter, ImageTagMutabilityExclusionFilterType, Tag,
};
use berth_core::model::{
    CreateReport, KmsAlias, RepositoryDetails, RepositorySpec, RepositoryStep, ResourceTag, StepOutcome, StepStatus,
    TagMutability,
};
use berth_core::{BerthError, ErrorCode, Result};

use crate::Aws;

pub(crate) fn mutability(m: TagMutability) -> ImageTagMutability {
    match m {
        TagMutability::Mutable => ImageTagMutability::Mutable,
        TagMutability::Immutable => ImageTagMutability::Immutable,
        TagMutability::MutableWithExclusion => ImageTagMutability::MutableWithExclusion,
        TagMutability::ImmutableWithExclusion => ImageTagMutability::ImmutableWithExclusion,
    }
}

pub(crate) fn exclusion(filter: &str) -> Result<ImageTagMutabilityExclusionFilter> {
    ImageTagMutabilityExclusionFilter::builder()
        .filter_type(ImageTagMutabilityExclusionFilterType::Wildcard)
        .filter(filter)
        .build()
        .map_err(|e| BerthError::invalid(e.to_string()))
}

pub(crate) fn sdk_tag(t: &ResourceTag) -> Result<Tag> {
    Tag::builder().key(&t.key).value(&t.value).build().map_err(|e| BerthError::invalid(e.to_string()))
}

/// Refuse a spec with problems before any call is made.
fn checked(spec: &RepositorySpec) -> Result<()> {
    berth_core::model::refuse(&berth_core::policy::check_spec(spec))
}

impl Aws {
    /// Create the repository, then set its lifecycle and repository policies. The report says
    /// which calls were applied; a failure of a later call leaves the repository in place and
    /// is reported, never hidden. A failure of the first call creates nothing.
    pub async fn create_repository(&self, spec: &RepositorySpec) -> Result<CreateReport> {
        checked(spec)?;
        let mut encryption = EncryptionConfiguration::builder().encryption_type(match spec.encryption {
            berth_core::model::EncryptionKind::Aes256 => EncryptionType::Aes256,
            berth_core::model::EncryptionKind::Kms => EncryptionType::Kms,
            berth_core::model::EncryptionKind::KmsDsse => EncryptionType::KmsDsse,
        });
        if let Some(key) = &spec.kms_key {
            encryption = encryption.kms_key(key);
        }
        let mut request = self
            .ecr
            .create_repository()
            .repository_name(&spec.name)
            .image_tag_mutability(mutability(spec.tag_mutability))
            .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(spec.scan_on_push).build())
            .encryption_configuration(encryption.build().map_err(|e| BerthError::invalid(e.to_string()))?);
        for f in &spec.mutability_exclusions {
            request = request.image_tag_mutability_exclusion_filters(exclusion(f)?);
        }
        for t in &spec.tags {
            request = request.tags(sdk_tag(t)?);
        }
        let created =
            request.send().await.map_err(|e| self.fail(e, &format!("create the repository {}", spec.name)))?;
        let repository = created.repository().map(|r| self.repository(r));
        let mut steps =
            vec![StepOutcome { step: RepositoryStep::CreateRepository, status: StepStatus::Done, error: None }];
        steps.extend(self.apply_policies(spec).await);
        Ok(CreateReport { repository, steps })
    }

    /// Set the spec's lifecycle and repository policies on an existing repository (the
    /// creation's later steps, or their retry). Each outcome is reported.
    pub async fn apply_policies(&self, spec: &RepositorySpec) -> Vec<StepOutcome> {
        let mut steps = Vec::new();
        if let Some(text) = &spec.lifecycle_policy {
            let result = self.put_lifecycle_policy(&spec.name, text).await;
            steps.push(outcome(RepositoryStep::PutLifecyclePolicy, result));
        }
        if let Some(text) = &spec.repository_policy {
            let result = self.set_repository_policy(&spec.name, text).await;
            steps.push(outcome(RepositoryStep::SetRepositoryPolicy, result));
        }
        steps
    }

    pub async fn put_lifecycle_policy(&self, name: &str, text: &str) -> Result<()> {
        berth_core::policy::check_lifecycle_json(text).map_err(BerthError::invalid)?;
        self.ecr
            .put_lifecycle_policy()
            .repository_name(name)
            .lifecycle_policy_text(text)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("set the lifecycle policy of {name}")))?;
        Ok(())
    }

    pub async fn set_repository_policy(&self, name: &str, text: &str) -> Result<()> {
        berth_core::policy::check_policy_json(text).map_err(BerthError::invalid)?;
        self.ecr
            .set_repository_policy()
            .repository_name(name)
            .policy_text(text)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("set the repository policy of {name}")))?;
        Ok(())
    }

    pub async fn delete_lifecycle_policy(&self, name: &str) -> Result<()> {
        match self.ecr.delete_lifecycle_policy().repository_name(name).send().await {
            Ok(_) => Ok(()),
            // Deleting what is not there is done already.
            Err(e) if e.as_service_error().is_some_and(|s| s.is_lifecycle_policy_not_found_exception()) => Ok(()),
            Err(e) => Err(self.fail(e, &format!("delete the lifecycle policy of {name}"))),
        }
    }

    pub async fn delete_repository_policy(&self, name: &str) -> Result<()> {
        match self.ecr.delete_repository_policy().repository_name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_policy_not_found_exception()) => Ok(()),
            Err(e) => Err(self.fail(e, &format!("delete the repository policy of {name}"))),
        }
    }

    pub async fn set_tag_mutability(&self, name: &str, m: TagMutability, exclusions: &[String]) -> Result<()> {
        let mut request = self.ecr.put_image_tag_mutability().repository_name(name).image_tag_mutability(mutability(m));
        for f in exclusions {
            request = request.image_tag_mutability_exclusion_filters(exclusion(f)?);
        }
        request.send().await.map_err(|e| self.fail(e, &format!("change the tag mutability of {name}")))?;
        Ok(())
    }

    pub async fn set_scan_on_push(&self, name: &str, scan: bool) -> Result<()> {
        self.ecr
            .put_image_scanning_configuration()
            .repository_name(name)
            .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(scan).build())
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("change scan on push of {name}")))?;
        Ok(())
    }

    /// Make the repository's tags exactly `tags` (adding, changing and removing).
    pub async fn set_tags(&self, arn: &str, tags: &[ResourceTag]) -> Result<()> {
        let current = self.tags(arn).await?;
        let removed: Vec<String> =
            current.iter().filter(|c| !tags.iter().any(|t| t.key == c.key)).map(|c| c.key.clone()).collect();
        if !removed.is_empty() {
            self.ecr
                .untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(removed))
                .send()
                .await
                .map_err(|e| self.fail(e, "remove tags"))?;
        }
        if !tags.is_empty() {
            let sdk: Vec<Tag> = tags.iter().map(sdk_tag).collect::<Result<_>>()?;
            self.ecr
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(sdk))
                .send()
                .await
                .map_err(|e| self.fail(e, "set tags"))?;
        }
        Ok(())
    }

    async fn tags(&self, arn: &str) -> Result<Vec<ResourceTag>> {
        let out = self
            .ecr
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|e| self.fail(e, "read the repository's tags"))?;
        Ok(out.tags().iter().map(|t| ResourceTag { key: t.key().to_string(), value: t.value().to_string() }).collect())
    }

    /// A repository with its policies, tags and image count.
    pub async fn repository_details(&self, name: &str) -> Result<RepositoryDetails> {
        berth_core::validate::repository_name(name)?;
        let out = self
            .ecr
            .describe_repositories()
            .repository_names(name)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("read the repository {name}")))?;
        let sdk = out.repositories().first().ok_or_else(|| BerthError::not_found(format!("{name} does not exist.")))?;
        let repository = self.repository(sdk);
        let lifecycle_policy = self.lifecycle_policy(name).await?;
        let repository_policy = match self.ecr.get_repository_policy().repository_name(name).send().await {
            Ok(o) => o.policy_text().map(str::to_string),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_policy_not_found_exception()) => None,
            Err(e) => return Err(self.fail(e, &format!("read the repository policy of {name}"))),
        };
        let tags = self.tags(&repository.arn).await?;
        let image_count = self.count_images(name).await?;
        Ok(RepositoryDetails {
            mutability_exclusions: sdk
                .image_tag_mutability_exclusion_filters()
                .iter()
                .map(|f| f.filter().to_string())
                .collect(),
            repository,
            lifecycle_policy,
            repository_policy,
            tags,
            image_count,
        })
    }

    /// The repository's lifecycle policy, if it has one.
    pub async fn lifecycle_policy(&self, name: &str) -> Result<Option<String>> {
        match self.ecr.get_lifecycle_policy().repository_name(name).send().await {
            Ok(o) => Ok(o.lifecycle_policy_text().map(str::to_string)),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_lifecycle_policy_not_found_exception()) => Ok(None),
            Err(e) => Err(self.fail(e, &format!("read the lifecycle policy of {name}"))),
        }
    }

    async fn count_images(&self, name: &str) -> Result<u32> {
        let mut pages = self.ecr.list_images().repository_name(name).max_results(1000).into_paginator().send();
        let mut n = 0u32;
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.fail(e, &format!("count the images of {name}")))?;
            // One image may carry several tags: count digests.
            let mut digests: Vec<&str> = page.image_ids().iter().filter_map(|i| i.image_digest()).collect();
            digests.sort_unstable();
            digests.dedup();
            n += digests.len() as u32;
        }
        Ok(n)
    }

    /// Delete a repository. One that holds images is deleted only with `force`, which deletes
    /// the images too.
    pub async fn delete_repository(&self, name: &str, force: bool) -> Result<()> {
        berth_core::validate::repository_name(name)?;
        if !force {
            let count = self.count_images(name).await?;
            if count > 0 {
                return Err(BerthError::new(
                    ErrorCode::Refused,
                    format!("{name} holds {count} image(s), so it was not deleted."),
                ));
            }
        }
        self.ecr
            .delete_repository()
            .repository_name(name)
            .force(force)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("delete the repository {name}")))?;
        Ok(())
    }

    /// The account's KMS aliases (for the key picker), AWS-managed ones last.
    pub async fn kms_aliases(&self) -> Result<Vec<KmsAlias>> {
        let mut pages = self.kms.list_aliases().limit(100).into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| crate::error::sdk_error(e, "list the KMS keys"))?;
            out.extend(page.aliases().iter().map(|a| KmsAlias {
                name: a.alias_name().unwrap_or_default().to_string(),
                arn: a.alias_arn().unwrap_or_default().to_string(),
                target_key_id: a.target_key_id().map(str::to_string),
            }));
        }
        out.sort_by_key(|a| (a.name.starts_with("alias/aws/"), a.name.clone()));
        Ok(out)
    }
}

fn outcome(step: RepositoryStep, result: Result<()>) -> StepOutcome {
    match result {
        Ok(()) => StepOutcome { step, status: StepStatus::Done, error: None },
        Err(e) => StepOutcome { step, status: StepStatus::Failed, error: Some(e) },
    }
}

impl Aws {
    /// The wizard's review: local problems, whether the name is free, the policy in words,
    /// and the AWS CLI equivalent.
    pub async fn review_repository(&self, spec: &RepositorySpec) -> Result<berth_core::model::RepositoryReview> {
        let mut problems = berth_core::policy::check_spec(spec);
        if !problems.iter().any(|p| p.field == "name") {
            match self.ecr.describe_repositories().repository_names(&spec.name).send().await {
                Ok(_) => problems.push(berth_core::model::FieldProblem {
                    field: "name".into(),
                    message: format!("A repository named {} exists already in {}.", spec.name, self.region),
                }),
                Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_not_found_exception()) => {}
                Err(e) => return Err(self.fail(e, "check whether the name is free")),
            }
        }
        let registry_id = self.caller_identity().await.map(|me| me.account).unwrap_or_default();
        let host = self.registry_host(&registry_id).await;
        Ok(berth_core::model::RepositoryReview {
            policy_in_words: spec
                .repository_policy
                .as_deref()
                .map(berth_core::policy::describe_policy)
                .unwrap_or_default(),
            cli_commands: berth_core::policy::aws_cli_commands(spec, &self.region),
            uri: format!("{host}/{}", spec.name),
            problems,
        })
    }
}

impl Aws {
    /// Before a push: does the repository exist, which of `tags` name an image already (and
    /// which digest), and which of those ECR would refuse to move (the repository's tag
    /// mutability and its exclusion filters: each tag's `immutable` and `refusal`).
    pub async fn check_push_target(&self, repository: &str, tags: &[String]) -> Result<berth_core::model::PushCheck> {
        use aws_sdk_ecr::types::ImageIdentifier;
        use berth_core::model::PushCheck;
        berth_core::validate::repository_name(repository)?;
        for tag in tags {
            berth_core::validate::tag(tag)?;
        }
        let repo = match self.ecr.describe_repositories().repository_names(repository).send().await {
            Ok(out) => out.repositories().first().map(|r| {
                let exclusions: Vec<String> =
                    r.image_tag_mutability_exclusion_filters().iter().map(|f| f.filter().to_string()).collect();
                (self.repository(r), exclusions)
            }),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_not_found_exception()) => None,
            Err(e) => return Err(self.fail(e, &format!("check the repository {repository}"))),
        };
        let Some((repo, exclusions)) = repo else {
            return Ok(PushCheck::missing(tags));
        };
        // One call a tag: DescribeImages fails as a whole when any of several ids is missing.
        let mut found = Vec::with_capacity(tags.len());
        for tag in tags {
            let id = ImageIdentifier::builder().image_tag(tag).build();
            let digest = match self
                .ecr
                .describe_images()
                .repository_name(repository)
                .image_ids(id)
                .filter(crate::images::every_status())
                .send()
                .await
            {
                Ok(out) => out.image_details().first().and_then(|d| d.image_digest()).map(str::to_string),
                Err(e) if e.as_service_error().is_some_and(|s| s.is_image_not_found_exception()) => None,
                Err(e) => return Err(self.fail(e, &format!("check the tag {tag} of {repository}"))),
            };
            found.push((tag.clone(), digest));
        }
        Ok(PushCheck::existing(repository, repo.tag_mutability, exclusions, found))
    }
}

impl Aws {
    /// After the engine reported a pushed digest: ECR lists `repository:tag` with that digest.
    /// Real ECR refuses a push into a deleted repository outright ("name unknown"); a registry
    /// that accepts it anyway (a mirror, the sandbox) is caught here. Waits up to `wait` for the
    /// image to show, as registries that record pushes asynchronously need a moment.
    pub async fn confirm_pushed(
        &self,
        repository: &str,
        tag: &str,
        digest: &str,
        wait: std::time::Duration,
    ) -> Result<()> {
        use aws_sdk_ecr::types::ImageIdentifier;
        until_listed("ECR", repository, tag, digest, wait, || async {
            let id = ImageIdentifier::builder().image_tag(tag).build();
            match self
                .ecr
                .describe_images()
                .repository_name(repository)
                .image_ids(id)
                .filter(crate::images::every_status())
                .send()
                .await
            {
                Ok(out) => Ok(out.image_details().first().and_then(|d| d.image_digest()).map(str::to_string)),
                Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_not_found_exception()) => {
                    Err(BerthError::not_found(format!(
                        "The repository {repository} was deleted during the push: the registry took the layers, but \
                         ECR holds no image. Create the repository again, then Retry (layers already sent are skipped)."
                    )))
                }
                Err(e) if e.as_service_error().is_some_and(|s| s.is_image_not_found_exception()) => Ok(None),
                Err(e) => Err(self.fail(e, &format!("confirm the pushed tag {repository}:{tag}"))),
            }
        })
        .await
    }
}

/// Poll `look` (the digest `service` lists for `repository:tag`, if any) until it is `digest`:
/// soon at first (a registry that records pushes asynchronously needs a moment, not 200 ms),
/// then less often, for at most `wait`. Another digest at the end is someone else's push.
pub(crate) async fn until_listed<F, Fut>(
    service: &str,
    repository: &str,
    tag: &str,
    digest: &str,
    wait: std::time::Duration,
    mut look: F,
) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>>>,
{
    let deadline = std::time::Instant::now() + wait;
    let mut pause = std::time::Duration::from_millis(10);
    loop {
        let found = look().await?;
        match found {
            Some(d) if d == digest => return Ok(()),
            Some(other) if std::time::Instant::now() >= deadline => {
                return Err(BerthError::new(
                    ErrorCode::Conflict,
                    format!(
                        "{repository}:{tag} points at {other}, not at the pushed {digest}: someone pushed the same tag \
                         at the same time. Look at the repository's images before retrying."
                    ),
                ));
            }
            None if std::time::Instant::now() >= deadline => {
                return Err(BerthError::new(
                    ErrorCode::Timeout,
                    format!(
                        "The push finished, but {service} does not list {repository}:{tag} after {} s. Refresh the \
                         repository in a moment; if the tag is still missing, Retry.",
                        wait.as_secs()
                    ),
                ));
            }
            _ => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(std::time::Duration::from_millis(200));
            }
        }
    }
}

impl Aws {
    /// ECR's own preview of a lifecycle policy (StartLifecyclePolicyPreview, then
    /// GetLifecyclePolicyPreview until complete), as a cross-check of Berth's simulation.
    /// Endpoints without it (moto) get a clear message; nothing is retried against them.
    pub async fn ecr_lifecycle_preview(
        &self,
        repository: &str,
        text: &str,
    ) -> Result<berth_core::lifecycle::EcrPreview> {
        use aws_sdk_ecr::config::retry::RetryConfig;
        use berth_core::lifecycle::{EcrPreview, EcrPreviewHit};
        let once = aws_sdk_ecr::config::Builder::default().retry_config(RetryConfig::disabled());
        let unsupported = |status: Option<u16>| {
            BerthError::new(
                ErrorCode::Unsupported,
                format!(
                    "This endpoint does not offer ECR's own lifecycle preview (StartLifecyclePolicyPreview answered{}). \
                     Berth's simulation follows ECR's documented rules; against AWS the cross-check runs.",
                    status.map(|s| format!(" HTTP {s}")).unwrap_or_default()
                ),
            )
        };
        let started = self
            .ecr
            .start_lifecycle_policy_preview()
            .repository_name(repository)
            .lifecycle_policy_text(text)
            .customize()
            .config_override(once.clone())
            .send()
            .await;
        if let Err(e) = started {
            let status = e.raw_response().map(|r| r.status().as_u16());
            if e.as_service_error().is_some_and(|s| s.meta().code().is_some())
                && !matches!(status, Some(500 | 501 | 404))
            {
                return Err(self.fail(e, &format!("start ECR's lifecycle preview of {repository}")));
            }
            return Err(unsupported(status));
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            let out = self
                .ecr
                .get_lifecycle_policy_preview()
                .repository_name(repository)
                .max_results(100)
                .send()
                .await
                .map_err(|e| self.fail(e, &format!("read ECR's lifecycle preview of {repository}")))?;
            use aws_sdk_ecr::types::LifecyclePolicyPreviewStatus as Sdk;
            use berth_core::lifecycle::LifecyclePreviewStatus as Status;
            let status = match out.status() {
                Some(Sdk::Complete) => Status::Complete,
                Some(Sdk::Expired) => Status::Expired,
                Some(Sdk::Failed) => Status::Failed,
                _ => Status::InProgress,
            };
            if matches!(status, Status::Complete | Status::Failed | Status::Expired)
                || std::time::Instant::now() > deadline
            {
                let mut results: Vec<EcrPreviewHit> = out
                    .preview_results()
                    .iter()
                    .map(|r| EcrPreviewHit {
                        digest: r.image_digest().unwrap_or_default().to_string(),
                        rule_priority: r.applied_rule_priority().map(i64::from).unwrap_or(0),
                    })
                    .collect();
                let mut token = out.next_token().map(str::to_string);
                while let Some(t) = token {
                    let page = self
                        .ecr
                        .get_lifecycle_policy_preview()
                        .repository_name(repository)
                        .next_token(t)
                        .send()
                        .await
                        .map_err(|e| self.fail(e, "read ECR's lifecycle preview"))?;
                    results.extend(page.preview_results().iter().map(|r| EcrPreviewHit {
                        digest: r.image_digest().unwrap_or_default().to_string(),
                        rule_priority: r.applied_rule_priority().map(i64::from).unwrap_or(0),
                    }));
                    token = page.next_token().map(str::to_string);
                }
                return Ok(EcrPreview { status, results });
            }
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
    }
}
