use aws_sdk_ecr::types::ImageDetail;
use berth_core::model::ImageSummary;
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
        mut on_page: impl FnMut(Vec<ImageSummary>, u32),
    ) -> Result<Listing> {
        berth_core::validate::repository_name(repository)?;
        let mut pages =
            self.ecr.describe_images().repository_name(repository).max_results(1000).into_paginator().send();
        let mut loaded: u32 = 0;
        loop {
            let next = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Ok(Listing::Cancelled { loaded }),
                next = pages.next() => next,
            };
            let Some(page) = next else { break };
            let page = page.map_err(|e| self.fail(e, &format!("list the images of {repository}")))?;
            let images: Vec<ImageSummary> = page.image_details().iter().map(image_summary).collect();
            loaded += images.len() as u32;
            on_page(images, loaded);
        }
        Ok(Listing::Complete { total: loaded })
    }

    /// Every image of a repository at once, newest first.
    pub async fn list_images(&self, repository: &str) -> Result<Vec<ImageSummary>> {
        let mut all = Vec::new();
        let never = CancellationToken::new();
        match self.stream_images(repository, &never, |page, _| all.extend(page)).await? {
            Listing::Complete { .. } => {}
            Listing::Cancelled { .. } => return Err(BerthError::cancelled()),
        }
        all.sort_by(|a, b| b.pushed_at.cmp(&a.pushed_at).then_with(|| a.digest.cmp(&b.digest)));
        Ok(all)
    }
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
    }
}
