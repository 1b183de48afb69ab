//! ECR Public: the account's public registry (its alias), public repositories with their
//! catalog data, and the token that pushes to them. The API lives in us-east-1 only; the
//! registry is `public.ecr.aws` (`BERTH_PUBLIC_REGISTRY_ENDPOINT` points it elsewhere, as
//! `BERTH_REGISTRY_ENDPOINT` does for the private registry).

use aws_sdk_ecrpublic::types::ImageIdentifier;
use aws_sdk_ecrpublic::types::RepositoryCatalogDataInput;
use berth_core::copy::{PublicCatalog, PublicRepository};
use berth_core::image::{DeleteFailure, DeleteReport, ImageRef};
use berth_core::model::{PushCheck, TagMutability};
use berth_core::public::PublicImage;
use berth_core::{BerthError, ErrorCode, Result, Secret};

use crate::{non_empty_env, Aws};

pub const PUBLIC_REGISTRY_ENDPOINT_ENV: &str = "BERTH_PUBLIC_REGISTRY_ENDPOINT";

/// Where ECR Public's registry is: `public.ecr.aws`, or the endpoint the environment names.
pub fn public_registry_host() -> String {
    non_empty_env(PUBLIC_REGISTRY_ENDPOINT_ENV).unwrap_or_else(|| "public.ecr.aws".into())
}

impl Aws {
    /// The account's public registry alias (DescribeRegistries: the primary one).
    pub async fn public_alias(&self) -> Result<String> {
        let out = self
            .public
            .describe_registries()
            .send()
            .await
            .map_err(|e| self.fail(e, "read the account's ECR Public registry"))?;
        let aliases: Vec<_> = out.registries().iter().flat_map(|r| r.aliases().iter()).collect();
        aliases
            .iter()
            .find(|a| a.primary_registry_alias())
            .or(aliases.first())
            .map(|a| a.name().to_string())
            .ok_or_else(|| {
                BerthError::not_found(
                    "This account has no ECR Public registry alias yet: create a public repository once in the AWS console, which sets one.",
                )
            })
    }

    /// Every public repository of the account, with its catalog data.
    pub async fn public_repositories(&self) -> Result<Vec<PublicRepository>> {
        let mut pages = self.public.describe_repositories().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.fail(e, "list the public repositories"))?;
            for r in page.repositories() {
                let name = r.repository_name().unwrap_or_default().to_string();
                out.push(self.public_repository(&name, r.repository_uri(), r.created_at()).await?);
            }
        }
        Ok(out)
    }

    async fn public_repository(
        &self,
        name: &str,
        uri: Option<&str>,
        created: Option<&aws_sdk_ecrpublic::primitives::DateTime>,
    ) -> Result<PublicRepository> {
        let catalog = self
            .public
            .get_repository_catalog_data()
            .repository_name(name)
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("read the catalog data of {name}")))?;
        let data = catalog.catalog_data();
        Ok(PublicRepository {
            name: name.to_string(),
            uri: uri.unwrap_or_default().to_string(),
            created_at: created.and_then(|t| berth_core::Timestamp::from_unix(t.secs())),
            description: data.and_then(|d| d.description()).map(str::to_string),
            about_text: data.and_then(|d| d.about_text()).map(str::to_string),
            usage_text: data.and_then(|d| d.usage_text()).map(str::to_string),
            architectures: data.map(|d| d.architectures().to_vec()).unwrap_or_default(),
            operating_systems: data.map(|d| d.operating_systems().to_vec()).unwrap_or_default(),
        })
    }

    /// Whether the account has the public repository `name`.
    pub async fn public_repository_exists(&self, name: &str) -> Result<bool> {
        match self.public.describe_repositories().repository_names(name).send().await {
            Ok(out) => Ok(!out.repositories().is_empty()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_not_found_exception()) => Ok(false),
            Err(e) => Err(self.fail(e, &format!("check the public repository {name}"))),
        }
    }

    /// Create a public repository with its catalog data.
    pub async fn create_public_repository(&self, name: &str, catalog: &PublicCatalog) -> Result<PublicRepository> {
        berth_core::validate::repository_name(name)?;
        let problems = berth_core::copy::catalog_problems(catalog);
        if !problems.is_empty() {
            return Err(BerthError::invalid(problems.join(" ")));
        }
        let data = RepositoryCatalogDataInput::builder()
            .set_description(catalog.description.clone())
            .set_about_text(catalog.about_text.clone())
            .set_usage_text(catalog.usage_text.clone())
            .set_architectures(Some(catalog.architectures.clone()).filter(|a| !a.is_empty()))
            .set_operating_systems(Some(catalog.operating_systems.clone()).filter(|o| !o.is_empty()))
            .build();
        let out =
            self.public.create_repository().repository_name(name).catalog_data(data).send().await.map_err(|e| {
                if e.as_service_error().is_some_and(|s| s.is_repository_already_exists_exception()) {
                    BerthError::new(ErrorCode::AlreadyExists, format!("The public repository {name} exists already."))
                } else {
                    self.fail(e, &format!("create the public repository {name}"))
                }
            })?;
        let r = out.repository();
        self.public_repository(name, r.and_then(|r| r.repository_uri()), r.and_then(|r| r.created_at())).await
    }

    /// Delete a public repository (with `force`, its images too).
    pub async fn delete_public_repository(&self, name: &str, force: bool) -> Result<()> {
        self.public
            .delete_repository()
            .repository_name(name)
            .force(force)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.fail(e, &format!("delete the public repository {name}")))
    }

    /// Basic credentials that push to the account's public registry (user `AWS`).
    pub async fn public_registry_token(&self) -> Result<(String, Secret)> {
        let out = self
            .public
            .get_authorization_token()
            .send()
            .await
            .map_err(|e| self.fail(e, "get an ECR Public registry token"))?;
        let encoded = out
            .authorization_data()
            .and_then(|d| d.authorization_token())
            .ok_or_else(|| BerthError::new(ErrorCode::Remote, "ECR Public sent no authorization token."))?;
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                BerthError::new(ErrorCode::Remote, "ECR Public sent an authorization token that is not base64.")
            })?;
        let (user, password) = decoded.split_once(':').ok_or_else(|| {
            BerthError::new(ErrorCode::Remote, "ECR Public sent an authorization token without a user.")
        })?;
        Ok((user.to_string(), Secret::new(password.to_string())))
    }

    /// The images of a public repository (every page of DescribeImages), newest first; `None`
    /// when the repository does not exist.
    pub async fn public_images(&self, name: &str) -> Result<Option<Vec<PublicImage>>> {
        let mut pages = self.public.describe_images().repository_name(name).into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_not_found_exception()) => {
                    return Ok(None)
                }
                Err(e) => return Err(self.fail(e, &format!("list the images of the public repository {name}"))),
            };
            out.extend(page.image_details().iter().filter_map(|d| {
                Some(PublicImage {
                    digest: d.image_digest()?.to_string(),
                    tags: d.image_tags().to_vec(),
                    size_bytes: d.image_size_in_bytes().and_then(|b| u64::try_from(b).ok()),
                    pushed_at: d.image_pushed_at().and_then(|t| berth_core::Timestamp::from_unix(t.secs())),
                    media_type: d.image_manifest_media_type().map(str::to_string),
                })
            }));
        }
        berth_core::public::sort_newest_first(&mut out);
        Ok(Some(out))
    }

    /// Before a push to a public repository: does it exist, and which digest each tag names
    /// now (ECR Public has no immutable tags: an existing tag moves).
    pub async fn check_public_push_target(&self, name: &str, tags: &[String]) -> Result<PushCheck> {
        berth_core::validate::repository_name(name)?;
        for tag in tags {
            berth_core::validate::tag(tag)?;
        }
        let Some(images) = self.public_images(name).await? else {
            return Ok(PushCheck::missing(tags));
        };
        let found = tags
            .iter()
            .map(|tag| {
                let digest = images.iter().find(|i| i.tags.contains(tag)).map(|i| i.digest.clone());
                (tag.clone(), digest)
            })
            .collect();
        Ok(PushCheck::existing(name, TagMutability::Mutable, Vec::new(), found))
    }

    /// After a push: ECR Public must list `tag` with the pushed digest (it may take a moment).
    pub async fn confirm_public_pushed(
        &self,
        name: &str,
        tag: &str,
        digest: &str,
        wait: std::time::Duration,
    ) -> Result<()> {
        crate::manage::until_listed("ECR Public", name, tag, digest, wait, || async {
            let Some(images) = self.public_images(name).await? else {
                return Err(BerthError::not_found(format!(
                    "The public repository {name} was deleted during the push: the registry took the layers, but \
                     ECR Public holds no image. Create the repository again, then Retry."
                )));
            };
            Ok(images.into_iter().find(|i| i.tags.iter().any(|t| t == tag)).map(|i| i.digest))
        })
        .await
    }

    /// Delete images of a public repository by digest or tag (BatchDeleteImage, 100 a call).
    pub async fn delete_public_images(&self, name: &str, images: &[ImageRef]) -> Result<DeleteReport> {
        berth_core::validate::repository_name(name)?;
        for image in images {
            image.check()?;
        }
        let mut report = DeleteReport { deleted: Vec::new(), failed: Vec::new() };
        for chunk in images.chunks(100) {
            let ids = chunk
                .iter()
                .map(|i| {
                    ImageIdentifier::builder().set_image_digest(i.digest.clone()).set_image_tag(i.tag.clone()).build()
                })
                .collect();
            let out = self
                .public
                .batch_delete_image()
                .repository_name(name)
                .set_image_ids(Some(ids))
                .send()
                .await
                .map_err(|e| self.fail(e, &format!("delete images of the public repository {name}")))?;
            report.deleted.extend(out.image_ids().iter().map(|id| ImageRef {
                digest: id.image_digest().map(str::to_string),
                tag: id.image_tag().map(str::to_string),
            }));
            report.failed.extend(out.failures().iter().map(|f| DeleteFailure {
                image: ImageRef {
                    digest: f.image_id().and_then(|i| i.image_digest()).map(str::to_string),
                    tag: f.image_id().and_then(|i| i.image_tag()).map(str::to_string),
                },
                reason: f.failure_reason().unwrap_or("ECR Public gave no reason").to_string(),
            }));
        }
        Ok(report)
    }

    /// One public repository with its catalog data; `None` when it does not exist.
    pub async fn public_repository_named(&self, name: &str) -> Result<Option<PublicRepository>> {
        match self.public.describe_repositories().repository_names(name).send().await {
            Ok(out) => match out.repositories().first() {
                Some(r) => Ok(Some(self.public_repository(name, r.repository_uri(), r.created_at()).await?)),
                None => Ok(None),
            },
            Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_not_found_exception()) => Ok(None),
            Err(e) => Err(self.fail(e, &format!("read the public repository {name}"))),
        }
    }
}
