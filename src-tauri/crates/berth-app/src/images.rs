//! A repository's images: the streamed listing, details, comparison, tags, deletion, scans.

use std::sync::Arc;
use std::time::{Duration, Instant};

use berth_aws::inspect::ImageDetails;
use berth_aws::Listing;
use berth_core::copy::{Location, Place};
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

/// The registry a full reference names, or `None` for one of the active registry
/// (`REPO:TAG`) or of the engine (`local:…`).
pub fn foreign_location(text: &str) -> Result<Option<Location>> {
    if text.trim_start().starts_with("local:") {
        return Ok(None);
    }
    let location = Location::parse(text)?;
    Ok(match location.place {
        Place::Active | Place::Engine => None,
        _ => Some(location),
    })
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

    /// An image of the registry, of the engine, or of any registry a full reference names
    /// (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG`, `HOST[:PORT]/PATH:TAG`,
    /// `public.ecr.aws/ALIAS/REPO:TAG`), read from that registry.
    pub async fn read_image(&self, reference: &str, platform: Option<&str>) -> Result<ImageInfo> {
        if let Some(location) = foreign_location(reference)? {
            return self.read_foreign(reference, &location, platform).await;
        }
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
        // Both of the active registry: one connection, and the findings compared too.
        if foreign_location(a)?.is_none() && foreign_location(b)?.is_none() {
            let (sa, sb) = (ImageSource::parse(a)?, ImageSource::parse(b)?);
            if matches!((&sa, &sb), (ImageSource::Registry { .. }, ImageSource::Registry { .. })) {
                return self.aws().await?.compare(a, b, platform).await;
            }
        }
        let (ia, ib) = tokio::try_join!(self.read_image(a, platform), self.read_image(b, platform))?;
        berth_aws::inspect::compare_read(&ia, &ib)
    }

    /// An image read from the registry `location` names, with the credentials a copy would
    /// use; its `reference` is the full one (`HOST/REPO:TAG`, `HOST/REPO@DIGEST`).
    async fn read_foreign(&self, text: &str, location: &Location, platform: Option<&str>) -> Result<ImageInfo> {
        let end = self.open_location(location).await?;
        let reference = location.reference_or_latest();
        let mut info = end.registry()?.image(&location.repository, &reference, platform).await?;
        info.reference = match location.reference {
            Some(_) => text.trim().to_string(),
            None => format!("{}:latest", text.trim()),
        };
        Ok(info)
    }

    /// The digest a tag of any registry names (a full reference, as [`Session::read_image`]).
    pub async fn registry_digest(&self, reference: &str) -> Result<String> {
        let location = foreign_location(reference)?
            .ok_or_else(|| BerthError::invalid("Give a full reference: HOST/REPOSITORY:TAG."))?;
        let end = self.open_location(&location).await?;
        end.registry()?.manifest_digest(&location.repository, &location.reference_or_latest()).await
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

    #[test]
    fn full_references_name_another_registry() {
        for active in [
            "web:1",
            "api/orders:1.0",
            "local:web:dev",
            "web@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert!(foreign_location(active).unwrap().is_none(), "{active}");
        }
        let oci = foreign_location("127.0.0.1:5000/team/library/alpine:3").unwrap().unwrap();
        assert_eq!(
            (oci.place, oci.repository.as_str()),
            (Place::Oci { host: "127.0.0.1:5000".into() }, "team/library/alpine")
        );
        let ecr = foreign_location("123456789012.dkr.ecr.us-west-2.amazonaws.com/web:2").unwrap().unwrap();
        assert!(matches!(ecr.place, Place::Ecr { ref region, .. } if region == "us-west-2"));
        let public = foreign_location("public.ecr.aws/alias/tool:1").unwrap().unwrap();
        assert!(matches!(public.place, Place::Public { ref alias } if alias == "alias"));
        assert!(foreign_location("ghcr.io/Org/x:1").is_err());
    }
}
