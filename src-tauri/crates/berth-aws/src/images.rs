use aws_sdk_ecr::types::ImageDetail;
use berth_core::model::ImageSummary;
use berth_core::registry::ImageStatus;
use berth_core::{BerthError, Result};
use tokio_util::sync::CancellationToken;

use crate::{rfc3339, Aws};

/// How a streamed listing ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Complete { total: u32 },
    Cancelled { loaded: u32 },
}

impl Aws {
    /// Every image of a repository, page by page (DescribeImages, 1000 a page): `on_page`
    /// gets each page as it arrives. Stops between pages when `cancel` fires.
    pub async fn stream_images(
        &self,
        repository: &str,
        cancel: &CancellationToken,
        mut on_page: impl FnMut(Vec<ImageSummary>, u32, Vec<String>),
    ) -> Result<Listing> {
        berth_core::validate::repository_name(repository)?;
        let mut pages = self
            .ecr
            .describe_images()
            .repository_name(repository)
            .filter(every_status())
            .max_results(1000)
            .into_paginator()
            .send();
        let mut loaded: u32 = 0;
        loop {
            let next = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Ok(Listing::Cancelled { loaded }),
                next = pages.next() => next,
            };
            let Some(page) = next else { break };
            let page = page.map_err(|e| self.fail(e, &format!("list the images of {repository}")))?;
            let mut images: Vec<ImageSummary> = page.image_details().iter().map(image_summary).collect();
            let children = self.index_platforms(repository, &mut images).await;
            loaded += images.len() as u32;
            on_page(images, loaded, children);
        }
        Ok(Listing::Complete { total: loaded })
    }

    /// Fill in the platforms of the indexes among `images` (BatchGetImage, 100 a call) and
    /// answer the digests of their platform manifests. A failure here costs the platforms
    /// column only, never the listing.
    async fn index_platforms(&self, repository: &str, images: &mut [ImageSummary]) -> Vec<String> {
        use aws_sdk_ecr::types::ImageIdentifier;
        let indexes: Vec<String> = images
            .iter()
            .filter(|i| i.manifest_media_type.as_deref().is_some_and(is_index_media_type))
            .map(|i| i.digest.clone())
            .collect();
        let mut children = Vec::new();
        for chunk in indexes.chunks(100) {
            let ids: Vec<ImageIdentifier> =
                chunk.iter().map(|d| ImageIdentifier::builder().image_digest(d).build()).collect();
            let got = self
                .ecr
                .batch_get_image()
                .repository_name(repository)
                .set_image_ids(Some(ids))
                .accepted_media_types("application/vnd.oci.image.index.v1+json")
                .accepted_media_types("application/vnd.docker.distribution.manifest.list.v2+json")
                .send()
                .await;
            let out = match got {
                Ok(out) => out,
                Err(e) => {
                    tracing::warn!(
                        "platforms of the indexes of {repository}: {}",
                        self.fail(e, "read indexes").message
                    );
                    continue;
                }
            };
            for image in out.images() {
                let (Some(digest), Some(manifest)) =
                    (image.image_id().and_then(|i| i.image_digest()), image.image_manifest())
                else {
                    continue;
                };
                let Ok(value) = serde_json::from_str::<serde_json::Value>(manifest) else { continue };
                let mut platforms = Vec::new();
                for m in value["manifests"].as_array().map(Vec::as_slice).unwrap_or_default() {
                    let p = &m["platform"];
                    let (os, arch) =
                        (p["os"].as_str().unwrap_or("unknown"), p["architecture"].as_str().unwrap_or("unknown"));
                    if let Some(child) = m["digest"].as_str() {
                        children.push(child.to_string());
                    }
                    if os == "unknown" {
                        continue; // attestation manifests
                    }
                    platforms.push(match p["variant"].as_str() {
                        Some(v) => format!("{os}/{arch}/{v}"),
                        None => format!("{os}/{arch}"),
                    });
                }
                if let Some(row) = images.iter_mut().find(|i| i.digest == digest) {
                    row.platforms = platforms;
                }
            }
        }
        children
    }

    /// Every image of a repository at once, newest first.
    pub async fn list_images(&self, repository: &str) -> Result<Vec<ImageSummary>> {
        let mut all = Vec::new();
        let mut children = std::collections::HashSet::new();
        let never = CancellationToken::new();
        match self
            .stream_images(repository, &never, |page, _, c| {
                all.extend(page);
                children.extend(c);
            })
            .await?
        {
            Listing::Complete { .. } => {}
            Listing::Cancelled { .. } => return Err(BerthError::cancelled()),
        }
        // An untagged platform manifest of a listed index is part of that row; a tagged one stays.
        all.retain(|i| !i.tags.is_empty() || !children.contains(&i.digest));
        all.sort_by(|a, b| b.pushed_at.cmp(&a.pushed_at).then_with(|| a.digest.cmp(&b.digest)));
        Ok(all)
    }
}

pub fn is_index_media_type(media_type: &str) -> bool {
    media_type.contains("image.index") || media_type.contains("manifest.list")
}

fn image_summary(d: &ImageDetail) -> ImageSummary {
    let mut tags: Vec<String> = d.image_tags().to_vec();
    tags.sort();
    ImageSummary {
        digest: d.image_digest().unwrap_or_default().to_string(),
        tags,
        size_bytes: d.image_size_in_bytes().and_then(|s| u64::try_from(s).ok()),
        pushed_at: d.image_pushed_at().map(rfc3339),
        last_pulled_at: d.last_recorded_pull_time().map(rfc3339),
        manifest_media_type: d.image_manifest_media_type().map(str::to_string),
        artifact_media_type: d.artifact_media_type().map(str::to_string),
        scan_status: d.image_scan_status().and_then(|s| s.status()).map(crate::tagging::scan_status),
        severity_counts: d
            .image_scan_findings_summary()
            .and_then(|s| s.finding_severity_counts())
            .map(|m| m.iter().map(|(k, v)| (k.as_str().to_string(), (*v).max(0) as u32)).collect())
            .unwrap_or_default(),
        platforms: Vec::new(),
        status: status_of(d.image_status()),
        last_archived_at: d.last_archived_at().map(rfc3339),
        last_activated_at: d.last_activated_at().map(rfc3339),
    }
}

/// DescribeImages' filter for images in every status: without it ECR answers ACTIVE images
/// only, and archived or restoring ones would vanish (from the table, the tag lookups…).
pub(crate) fn every_status() -> aws_sdk_ecr::types::DescribeImagesFilter {
    aws_sdk_ecr::types::DescribeImagesFilter::builder().image_status(aws_sdk_ecr::types::ImageStatusFilter::Any).build()
}

/// ECR's image status as Berth's type (none: ACTIVE).
pub(crate) fn status_of(s: Option<&aws_sdk_ecr::types::ImageStatus>) -> ImageStatus {
    match s {
        Some(aws_sdk_ecr::types::ImageStatus::Archived) => ImageStatus::Archived,
        Some(aws_sdk_ecr::types::ImageStatus::Activating) => ImageStatus::Activating,
        _ => ImageStatus::Active,
    }
}
