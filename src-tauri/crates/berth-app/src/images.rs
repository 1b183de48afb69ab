//! A repository's images: the streamed listing, details, comparison, tags, deletion, scans.

use std::sync::Arc;
use std::time::{Duration, Instant};

use berth_aws::inspect::ImageDetails;
use berth_aws::Listing;
use berth_core::image::{Comparison, DeleteReport, ImageInfo, ImageRef};
use berth_core::job::ImageListEvent;
use berth_core::model::{ImageSummary, LocalImage};
use berth_core::{BerthError, ErrorCode, Result};

use crate::jobs::{self, Sink, Started};
use crate::Session;

/// Where a reference points: the registry (`REPO:TAG`, `REPO@DIGEST`) or the engine (`local:NAME:TAG`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    Registry { repository: String, reference: String },
    Engine { reference: String },
}

impl ImageSource {
    pub fn parse(text: &str) -> Result<ImageSource> {
        if let Some(local) = text.strip_prefix("local:") {
            if local.trim().is_empty() {
                return Err(BerthError::invalid("local: needs an image of the engine, e.g. local:web:dev."));
            }
            return Ok(ImageSource::Engine { reference: local.to_string() });
        }
        let (repository, reference) = berth_aws::inspect::split_reference(text)?;
        Ok(ImageSource::Registry { repository, reference })
    }
}

/// How long reading the two images and computing their differences took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareTimings {
    pub read: Duration,
    pub diff: Duration,
}

impl Session {
    /// Start listing a repository's images: every DescribeImages page as it arrives.
    pub async fn start_list_images(
        self: &Arc<Self>,
        repository: &str,
        sink: Arc<dyn Sink<ImageListEvent>>,
    ) -> Result<Started<ImageListEvent>> {
        berth_core::validate::repository_name(repository)?;
        let aws = self.aws().await?;
        let repository = repository.to_string();
        Ok(jobs::spawn(&self.jobs, "images", sink, move |job| async move {
            job.send(ImageListEvent::Started { job: job.id.clone() });
            let outcome = aws
                .stream_images(&repository, &job.token, |images, loaded, children| {
                    job.send(ImageListEvent::Page { images, loaded });
                    if !children.is_empty() {
                        job.send(ImageListEvent::IndexChildren { digests: children });
                    }
                })
                .await;
            let end = match outcome {
                Ok(Listing::Complete { total }) => ImageListEvent::Finished { total },
                Ok(Listing::Cancelled { loaded }) => ImageListEvent::Cancelled { loaded },
                Err(error) => ImageListEvent::Failed { error },
            };
            (end, None)
        }))
    }

    /// Every image of a repository, newest first (an index's untagged platform manifests are
    /// part of its row, as in the window).
    pub async fn list_images(&self, repository: &str) -> Result<Vec<ImageSummary>> {
        self.aws().await?.list_images(repository).await
    }

    /// Manifest, configuration, history, layers, findings and snippets of one image.
    pub async fn image_details(
        &self,
        repository: &str,
        reference: &str,
        platform: Option<&str>,
    ) -> Result<ImageDetails> {
        self.aws().await?.image_details(repository, reference, platform).await
    }

    /// An image of the registry or of the engine.
    pub async fn read_image(&self, reference: &str, platform: Option<&str>) -> Result<ImageInfo> {
        match ImageSource::parse(reference)? {
            ImageSource::Engine { reference } => self.engine().await?.image_info(&reference).await,
            ImageSource::Registry { repository, reference } => {
                self.aws().await?.image(&repository, &reference, platform).await
            }
        }
    }

    /// Compare two images, each of the registry or the engine. Between two registry images
    /// the vulnerability findings are compared too.
    pub async fn compare(&self, a: &str, b: &str, platform: Option<&str>) -> Result<Comparison> {
        let (sa, sb) = (ImageSource::parse(a)?, ImageSource::parse(b)?);
        if matches!((&sa, &sb), (ImageSource::Registry { .. }, ImageSource::Registry { .. })) {
            return self.aws().await?.compare(a, b, platform).await;
        }
        let (ia, ib) = tokio::try_join!(self.read_image(a, platform), self.read_image(b, platform))?;
        berth_aws::inspect::compare_read(&ia, &ib)
    }

    /// Compare without the vulnerability findings, timing the reads and the computation
    /// (the benchmark's measure).
    pub async fn compare_timed(
        &self,
        a: &str,
        b: &str,
        platform: Option<&str>,
    ) -> Result<(Comparison, CompareTimings)> {
        let started = Instant::now();
        let (ia, ib) = tokio::try_join!(self.read_image(a, platform), self.read_image(b, platform))?;
        let read = started.elapsed();
        let diff_started = Instant::now();
        let comparison = berth_core::image::compare(&ia, &ib);
        Ok((comparison, CompareTimings { read, diff: diff_started.elapsed() }))
    }

    /// Add a tag to an image without pulling it; answers the image's digest.
    pub async fn add_tag(&self, repository: &str, source: &str, new_tag: &str) -> Result<String> {
        self.aws().await?.add_tag(repository, source, new_tag).await
    }

    /// Remove tags or delete images (100 a call); answers what was deleted and what failed.
    pub async fn delete_images(&self, repository: &str, images: &[ImageRef]) -> Result<DeleteReport> {
        if images.is_empty() {
            return Err(BerthError::invalid("Select at least one image or tag to delete."));
        }
        self.aws().await?.delete_images(repository, images).await
    }

    /// Start a scan of an image; answers the scan status.
    pub async fn start_scan(&self, repository: &str, digest: &str) -> Result<berth_core::model::ScanStatus> {
        self.aws().await?.start_scan(repository, digest).await
    }

    /// The local engine's images (dangling ones with `all`).
    pub async fn local_images(&self, all: bool) -> Result<Vec<LocalImage>> {
        let result = self.engine().await?.list_images(all).await;
        if matches!(&result, Err(e) if e.code == ErrorCode::EngineUnavailable) {
            self.forget_engine().await;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_registry_or_the_engine() {
        assert_eq!(
            ImageSource::parse("web:1").unwrap(),
            ImageSource::Registry { repository: "web".into(), reference: "1".into() }
        );
        assert_eq!(ImageSource::parse("local:web:dev").unwrap(), ImageSource::Engine { reference: "web:dev".into() });
        assert_eq!(ImageSource::parse("local:").unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(ImageSource::parse("Web:1").unwrap_err().code, ErrorCode::InvalidInput);
    }
}
