use aws_sdk_ecr::types::{EncryptionType, ImageTagMutability, Repository as SdkRepository};
use berth_core::model::{Encryption, EncryptionKind, Repository, TagMutability};
use berth_core::Result;

use crate::{rfc3339, Aws};

impl Aws {
    /// Every repository of the registry (all pages of DescribeRepositories, 1000 a page), by name.
    pub async fn list_repositories(&self) -> Result<Vec<Repository>> {
        let mut pages = self.ecr.describe_repositories().max_results(1000).into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.fail(e, "list repositories"))?;
            out.extend(page.repositories().iter().map(|r| self.repository(r)));
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    pub(crate) fn repository(&self, r: &SdkRepository) -> Repository {
        let name = r.repository_name().unwrap_or_default().to_string();
        let registry_id = r.registry_id().unwrap_or_default().to_string();
        let uri = match &self.settings.registry_endpoint {
            Some(endpoint) => format!("{endpoint}/{name}"),
            None => r.repository_uri().unwrap_or_default().to_string(),
        };
        Repository {
            uri,
            arn: r.repository_arn().unwrap_or_default().to_string(),
            registry_id,
            created_at: r.created_at().map(rfc3339),
            tag_mutability: match r.image_tag_mutability() {
                Some(ImageTagMutability::Immutable) => TagMutability::Immutable,
                Some(ImageTagMutability::ImmutableWithExclusion) => TagMutability::ImmutableWithExclusion,
                Some(ImageTagMutability::MutableWithExclusion) => TagMutability::MutableWithExclusion,
                _ => TagMutability::Mutable,
            },
            scan_on_push: r.image_scanning_configuration().map(|c| c.scan_on_push()).unwrap_or(false),
            encryption: Encryption {
                kind: match r.encryption_configuration().map(|e| e.encryption_type()) {
                    Some(EncryptionType::Kms) => EncryptionKind::Kms,
                    Some(EncryptionType::KmsDsse) => EncryptionKind::KmsDsse,
                    _ => EncryptionKind::Aes256,
                },
                kms_key: r.encryption_configuration().and_then(|e| e.kms_key()).map(str::to_string),
            },
            name,
        }
    }
}
