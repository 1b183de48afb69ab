//! Reading images through ECR's data plane (the registry, with the token of this connection):
//! details of one image, and the comparison of two.

use berth_core::image::{self, Comparison, ImageInfo, ImageName, ScanFindings, Snippets, TagOrDigest};
use berth_core::{BerthError, ErrorCode, Result};
use berth_registry::cache::BlobCache;
use berth_registry::{Credentials, Registry};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Aws;

/// Everything the details panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImageDetails {
    pub image: ImageInfo,
    pub repository: String,
    /// Every tag that names this image now (ECR's DescribeImages).
    pub tags: Vec<String>,
    pub findings: Option<ScanFindings>,
    pub snippets: Snippets,
}

/// `repo:tag`, `repo@sha256:…`, `repo:tag@sha256:…` or `repo` (latest) → (repository,
/// reference), each validated ([`ImageName::parse`]): the reference is a valid tag or digest.
pub fn split_reference(text: &str) -> Result<(String, String)> {
    let name = ImageName::parse(text)?;
    Ok((name.repository, name.reference.as_str().to_string()))
}

/// A repository and a tag or digest from the user, validated before any request.
fn checked(repository: &str, reference: &str) -> Result<TagOrDigest> {
    berth_core::validate::repository_name(repository)?;
    TagOrDigest::parse(reference)
}

impl Aws {
    /// The registry of this connection, with its token, caching what it fetches by digest.
    pub async fn registry(&self) -> Result<Registry> {
        let token = self.registry_token().await?;
        let credentials = Credentials::Basic { username: token.username, password: token.password };
        Ok(Registry::new(&token.server, credentials).with_cache(BlobCache::for_user()))
    }

    /// An image read from the registry (an index followed to `platform`).
    pub async fn image(&self, repository: &str, reference: &str, platform: Option<&str>) -> Result<ImageInfo> {
        checked(repository, reference)?;
        self.image_from(&self.registry().await?, repository, reference, platform).await
    }

    /// The image from `registry`; one it does not serve because it is archived (404, as ECR)
    /// is said to be archived, with what to do.
    async fn image_from(
        &self,
        registry: &Registry,
        repository: &str,
        reference: &str,
        platform: Option<&str>,
    ) -> Result<ImageInfo> {
        match registry.image(repository, reference, platform).await {
            Ok(image) => Ok(image),
            Err(e) if e.code == ErrorCode::NotFound => Err(match self.image_status(repository, reference).await {
                Ok((_, status)) if status != berth_core::registry::ImageStatus::Active => BerthError::new(
                    ErrorCode::Refused,
                    format!(
                        "{repository}:{reference} is {}: its manifest and layers cannot be read until it is restored \
                         (Restore… in the images table, or berth images restore {repository} {reference}).",
                        if status == berth_core::registry::ImageStatus::Archived {
                            "archived"
                        } else {
                            "being restored"
                        }
                    ),
                ),
                _ => e,
            }),
            Err(e) => Err(e),
        }
    }

    /// Manifest, configuration, layers, findings and snippets of `repository:reference`.
    pub async fn image_details(
        &self,
        repository: &str,
        reference: &str,
        platform: Option<&str>,
    ) -> Result<ImageDetails> {
        checked(repository, reference)?;
        let registry = self.registry().await?;
        let image = self.image_from(&registry, repository, reference, platform).await?;
        let findings = self.scan_findings(repository, &image.digest).await?;
        let snippets = image::snippets(registry.host(), repository, &image.digest);
        let id = aws_sdk_ecr::types::ImageIdentifier::builder().image_digest(&image.digest).build();
        let mut tags: Vec<String> = match self
            .ecr
            .describe_images()
            .repository_name(repository)
            .image_ids(id)
            .filter(crate::images::every_status())
            .send()
            .await
        {
            Ok(out) => out.image_details().first().map(|d| d.image_tags().to_vec()).unwrap_or_default(),
            Err(e) => return Err(self.fail(e, &format!("read the tags of {repository}@{}", image.digest))),
        };
        tags.sort();
        Ok(ImageDetails { image, repository: repository.to_string(), tags, findings, snippets })
    }

    /// Compare two registry images (`repo:tag` / `repo@digest`), with their vulnerabilities
    /// when both were scanned.
    pub async fn compare(&self, a: &str, b: &str, platform: Option<&str>) -> Result<Comparison> {
        let ((ra, xa), (rb, xb)) = (split_reference(a)?, split_reference(b)?);
        let registry = self.registry().await?;
        let (ia, ib) = tokio::try_join!(registry.image(&ra, &xa, platform), registry.image(&rb, &xb, platform))?;
        let mut comparison = image::compare(&ia, &ib);
        let (fa, fb) = tokio::try_join!(self.scan_findings(&ra, &ia.digest), self.scan_findings(&rb, &ib.digest))?;
        if let (Some(fa), Some(fb)) = (fa, fb) {
            comparison.vulnerabilities = Some(image::vulnerability_diff(&fa.findings, &fb.findings));
        }
        Ok(comparison)
    }
}

/// Compare an image of the registry or the engine with another, both already read.
pub fn compare_read(a: &ImageInfo, b: &ImageInfo) -> Result<Comparison> {
    if a.layers.is_empty() && b.layers.is_empty() {
        return Err(BerthError::invalid(
            "Neither image has layers to compare (both are empty or artifacts without layers); open each one's details to see its manifest.",
        ));
    }
    Ok(image::compare(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(split_reference("api/orders:1.0").unwrap(), ("api/orders".into(), "1.0".into()));
        assert_eq!(split_reference("web").unwrap(), ("web".into(), "latest".into()));
        let d = format!("sha256:{}", "a".repeat(64));
        assert_eq!(split_reference(&format!("web@{d}")).unwrap(), ("web".into(), d.clone()));
        assert!(split_reference("Bad Name:1").is_err());
        assert!(split_reference("web:-bad").is_err());
        assert_eq!(split_reference(&format!("web:1.0@{d}")).unwrap(), ("web".into(), d));
    }

    #[test]
    fn references_cannot_reach_other_paths_or_add_a_query() {
        for bad in [
            "web@sha256:x/../../../web/manifests/latest",
            "web@sha256:abc?x=1#frag",
            "web@sha256:abc",
            "web@latest",
            "web:1.0?x=1",
            "web:a#frag",
            "web:../../x",
        ] {
            let err = split_reference(bad).expect_err(bad);
            assert_eq!(err.code, berth_core::ErrorCode::InvalidInput, "{bad}");
        }
        let md5 = split_reference(&format!("web@md5:{}", "a".repeat(32))).unwrap_err();
        assert!(md5.message.contains("use sha256 or sha512"), "{}", md5.message);
        // What image details and reads get from the user is checked the same way.
        assert!(checked("web", "sha256:x/../../../web/manifests/latest").is_err());
        assert!(checked("web", "sha256:abc?x=1#frag").is_err());
        assert!(checked("web/../x", "latest").is_err());
        assert!(checked("web", "latest").is_ok());
    }
}
