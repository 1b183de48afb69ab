//! Image operations that need no pull: add a tag (BatchGetImage + PutImage with the same
//! manifest and media type), remove tags and delete images (BatchDeleteImage, 100 a call),
//! start a scan and read its findings.

use aws_sdk_ecr::types::ImageIdentifier;
use berth_core::image::{DeleteFailure, DeleteReport, Finding, ImageRef, ScanFindings};
use berth_core::model::ScanStatus;
use berth_core::{validate, BerthError, ErrorCode, Result};

use crate::{rfc3339, Aws};

fn identifier(r: &ImageRef) -> ImageIdentifier {
    ImageIdentifier::builder().set_image_digest(r.digest.clone()).set_image_tag(r.tag.clone()).build()
}

fn to_ref(id: Option<&ImageIdentifier>) -> ImageRef {
    ImageRef {
        digest: id.and_then(|i| i.image_digest()).map(str::to_string),
        tag: id.and_then(|i| i.image_tag()).map(str::to_string),
    }
}

impl Aws {
    /// Add `new_tag` to the image `source` (a tag or a digest) without pulling it: its manifest,
    /// with its own media type, is put again under the new tag. Answers the digest.
    pub async fn add_tag(&self, repository: &str, source: &str, new_tag: &str) -> Result<String> {
        validate::repository_name(repository)?;
        validate::tag(new_tag)?;
        let id = match berth_core::image::TagOrDigest::parse(source)? {
            berth_core::image::TagOrDigest::Digest(d) => ImageIdentifier::builder().image_digest(d).build(),
            berth_core::image::TagOrDigest::Tag(t) => ImageIdentifier::builder().image_tag(t).build(),
        };
        let got = self
            .ecr
            .batch_get_image()
            .repository_name(repository)
            .image_ids(id)
            .set_accepted_media_types(Some(berth_registry_media_types().iter().map(|s| s.to_string()).collect()))
            .send()
            .await
            .map_err(|e| self.fail(e, &format!("read {repository}:{source}")))?;
        let image = got.images().first().ok_or_else(|| {
            let why = got.failures().first().and_then(|f| f.failure_reason()).unwrap_or("no such image");
            BerthError::not_found(format!(
                "{repository}:{source} cannot be read ({why}). Refresh the image list: the tag may have moved or been deleted."
            ))
        })?;
        let manifest = image.image_manifest().unwrap_or_default();
        let digest = image.image_id().and_then(|i| i.image_digest()).unwrap_or_default().to_string();
        let mut put = self
            .ecr
            .put_image()
            .repository_name(repository)
            .image_manifest(manifest)
            .image_tag(new_tag)
            .image_digest(&digest);
        if let Some(media_type) = image.image_manifest_media_type() {
            put = put.image_manifest_media_type(media_type);
        }
        match put.send().await {
            Ok(_) => Ok(digest),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_image_already_exists_exception()) => Ok(digest),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_image_tag_already_exists_exception()) => {
                Err(BerthError::new(
                    ErrorCode::AlreadyExists,
                    format!(
                        "{repository} has immutable tags and {new_tag} already names another image: pick another tag."
                    ),
                ))
            }
            Err(e) => Err(self.fail(e, &format!("tag {repository}:{source} as {new_tag}"))),
        }
    }

    /// Delete images or tags, 100 a call (ECR's limit). A tag given alone removes only that
    /// tag (the image stays while it has others); a digest deletes the image with all its tags.
    pub async fn delete_images(&self, repository: &str, refs: &[ImageRef]) -> Result<DeleteReport> {
        validate::repository_name(repository)?;
        for r in refs {
            r.check()?;
        }
        let mut report = DeleteReport::default();
        for chunk in refs.chunks(100) {
            let out = self
                .ecr
                .batch_delete_image()
                .repository_name(repository)
                .set_image_ids(Some(chunk.iter().map(identifier).collect()))
                .send()
                .await
                .map_err(|e| self.fail(e, &format!("delete images of {repository}")))?;
            report.deleted.extend(out.image_ids().iter().map(|i| to_ref(Some(i))));
            report.failed.extend(out.failures().iter().map(|f| DeleteFailure {
                image: to_ref(f.image_id()),
                reason: f.failure_reason().unwrap_or("refused").to_string(),
            }));
        }
        Ok(report)
    }

    /// Start a scan of the image `digest`; answers the scan status.
    pub async fn start_scan(&self, repository: &str, digest: &str) -> Result<ScanStatus> {
        validate::repository_name(repository)?;
        validate::digest(digest)?;
        let out = self
            .ecr
            .start_image_scan()
            .repository_name(repository)
            .image_id(ImageIdentifier::builder().image_digest(digest).build())
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|s| s.is_limit_exceeded_exception()) {
                    return BerthError::new(
                        ErrorCode::LimitExceeded,
                        "ECR scans an image at most once a day with basic scanning: this one was scanned today. \
                         Its findings below are the latest.",
                    );
                }
                self.fail(e, &format!("start a scan of {repository}@{digest}"))
            })?;
        Ok(out.image_scan_status().and_then(|s| s.status()).map(scan_status).unwrap_or(ScanStatus::InProgress))
    }

    /// The findings of the last scan of `digest`; none when it was never scanned.
    pub async fn scan_findings(&self, repository: &str, digest: &str) -> Result<Option<ScanFindings>> {
        validate::repository_name(repository)?;
        validate::digest(digest)?;
        let mut pages = self
            .ecr
            .describe_image_scan_findings()
            .repository_name(repository)
            .image_id(ImageIdentifier::builder().image_digest(digest).build())
            .max_results(1000)
            .into_paginator()
            .send();
        let mut result: Option<ScanFindings> = None;
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(p) => p,
                Err(e) if e.as_service_error().is_some_and(|s| s.is_scan_not_found_exception()) => return Ok(None),
                Err(e) => return Err(self.fail(e, &format!("read the scan findings of {repository}@{digest}"))),
            };
            let status = page.image_scan_status();
            let found = page.image_scan_findings();
            let r = result.get_or_insert_with(|| ScanFindings {
                status: status.and_then(|s| s.status()).map(scan_status).unwrap_or(ScanStatus::Unknown),
                description: status.and_then(|s| s.description()).map(str::to_string),
                completed_at: found.and_then(|f| f.image_scan_completed_at()).map(rfc3339),
                severity_counts: found
                    .and_then(|f| f.finding_severity_counts())
                    .map(|m| m.iter().map(|(k, v)| (k.as_str().to_string(), (*v).max(0) as u32)).collect())
                    .unwrap_or_default(),
                findings: Vec::new(),
            });
            let Some(found) = found else { continue };
            for f in found.findings() {
                let attr = |key: &str| {
                    f.attributes().iter().find(|a| a.key() == key).and_then(|a| a.value()).map(str::to_string)
                };
                r.findings.push(Finding {
                    name: f.name().unwrap_or_default().to_string(),
                    severity: f.severity().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    package: attr("package_name"),
                    version: attr("package_version"),
                    fixed_in: None,
                    uri: f.uri().map(str::to_string),
                    ..Default::default()
                });
            }
            for f in found.enhanced_findings() {
                let details = f.package_vulnerability_details();
                let package = details.and_then(|d| d.vulnerable_packages().first());
                r.findings.push(Finding {
                    name: details.and_then(|d| d.vulnerability_id()).or(f.title()).unwrap_or_default().to_string(),
                    severity: f.severity().unwrap_or_default().to_string(),
                    package: package.and_then(|p| p.name()).map(str::to_string),
                    version: package.and_then(|p| p.version()).map(str::to_string),
                    fixed_in: package.and_then(|p| p.fixed_in_version()).map(str::to_string),
                    uri: details
                        .and_then(|d| d.source_url().or_else(|| d.reference_urls().first().map(String::as_str)))
                        .map(str::to_string),
                    score: Some(f.score()).filter(|s| *s > 0.0),
                    score_source: f
                        .score_details()
                        .and_then(|s| s.cvss())
                        .and_then(|c| c.score_source())
                        .or_else(|| details.and_then(|d| d.cvss().first()).and_then(|c| c.source()))
                        .map(str::to_string),
                    scoring_vector: f
                        .score_details()
                        .and_then(|s| s.cvss())
                        .and_then(|c| c.scoring_vector())
                        .or_else(|| details.and_then(|d| d.cvss().first()).and_then(|c| c.scoring_vector()))
                        .map(str::to_string),
                    fix_available: f.fix_available().map(str::to_string),
                    exploit_available: f.exploit_available().map(str::to_string),
                    file_path: package.and_then(|p| p.file_path()).map(str::to_string),
                    remediation: f
                        .remediation()
                        .and_then(|r| r.recommendation())
                        .and_then(|r| r.text())
                        .map(str::to_string),
                    first_observed: f.first_observed_at().map(rfc3339),
                    last_observed: f.last_observed_at().map(rfc3339),
                    title: f.title().map(str::to_string),
                });
            }
        }
        Ok(result)
    }
}

/// The manifest media types PutImage and BatchGetImage deal in.
fn berth_registry_media_types() -> [&'static str; 4] {
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
}

/// ECR's scan status as Berth's type.
pub(crate) fn scan_status(s: &aws_sdk_ecr::types::ScanStatus) -> ScanStatus {
    use aws_sdk_ecr::types::ScanStatus as Sdk;
    match s {
        Sdk::InProgress => ScanStatus::InProgress,
        Sdk::Complete => ScanStatus::Complete,
        Sdk::Failed => ScanStatus::Failed,
        Sdk::UnsupportedImage => ScanStatus::UnsupportedImage,
        Sdk::Active => ScanStatus::Active,
        Sdk::Pending => ScanStatus::Pending,
        Sdk::ScanEligibilityExpired => ScanStatus::ScanEligibilityExpired,
        Sdk::FindingsUnavailable => ScanStatus::FindingsUnavailable,
        Sdk::LimitExceeded => ScanStatus::LimitExceeded,
        Sdk::ImageArchived => ScanStatus::ImageArchived,
        _ => ScanStatus::Unknown,
    }
}
