//! Images against the sandbox (moto + the CNCF registry): retag without pulling, batched
//! deletes, an index with two platforms, comparison checked against the registry's manifests.

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use berth_aws::{Aws, ConnectionSettings};
use berth_core::image::{ImageRef, LayerStatus};
use berth_core::model::RepositorySpec;
use berth_core::ErrorCode;
use berth_registry::{Credentials, Registry};
use std::time::{SystemTime, UNIX_EPOCH};

async fn aws() -> Aws {
    assert!(std::env::var("AWS_ENDPOINT_URL").is_ok(), "run `make sandbox-up` and load target/sandbox/env");
    Aws::connect(ConnectionSettings::from_env()).await.expect("config")
}

fn nonce() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos()
}

/// The registry, read independently of Berth's data plane code paths (no cache).
async fn raw_registry(aws: &Aws) -> Registry {
    let t = aws.registry_token().await.unwrap();
    Registry::new(&t.server, Credentials::Basic { username: t.username, password: t.password })
}

#[tokio::test]
async fn a_tag_added_without_pulling_names_the_same_digest() {
    gate::sandbox();
    let aws = aws().await;
    let tag = format!("retag-{}", nonce() % 1_000_000);
    let digest = aws.add_tag("web", "1", &tag).await.expect("retag");
    let listed = aws.list_images("web").await.unwrap();
    let row = listed.iter().find(|i| i.tags.contains(&tag)).expect("the new tag is listed");
    assert_eq!(row.digest, digest);
    assert!(row.tags.contains(&"1".to_string()), "same image, both tags: {:?}", row.tags);
    // Removing the tag keeps the image (it still has "1").
    let report = aws.delete_images("web", &[ImageRef { digest: None, tag: Some(tag.clone()) }]).await.unwrap();
    assert_eq!(report.deleted.len(), 1);
    let listed = aws.list_images("web").await.unwrap();
    assert!(listed.iter().any(|i| i.digest == digest), "the image stays");
    assert!(!listed.iter().any(|i| i.tags.contains(&tag)));
    // Bad input never reaches ECR.
    assert_eq!(aws.add_tag("web", "1", "-bad").await.unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(aws.add_tag("web", "no-such-tag", "x").await.unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn deletes_go_in_batches_of_100() {
    gate::sandbox();
    let aws = aws().await;
    let name = format!("bulk/del-{}", nonce() % 1_000_000);
    aws.create_repository(&RepositorySpec::named(name.clone())).await.unwrap();
    // 150 distinct tiny manifests, put straight through the API.
    for i in 0..150 {
        let manifest = serde_json::json!({
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2,
                       "digest": format!("sha256:{:064x}", i + 1)},
            "layers": []
        });
        aws.ecr()
            .put_image()
            .repository_name(&name)
            .image_manifest(manifest.to_string())
            .image_tag(format!("t{i}"))
            .send()
            .await
            .unwrap();
    }
    let all: Vec<ImageRef> = (0..150).map(|i| ImageRef { digest: None, tag: Some(format!("t{i}")) }).collect();
    let report = aws.delete_images(&name, &all).await.expect("delete");
    assert_eq!(report.deleted.len(), 150, "{:?}", report.failed);
    assert!(report.failed.is_empty());
    assert!(aws.list_images(&name).await.unwrap().is_empty());
    aws.delete_repository(&name, true).await.unwrap();
}

#[tokio::test]
async fn an_index_is_one_row_with_its_platforms_and_reads_per_platform() {
    gate::sandbox();
    let aws = aws().await;
    let listed = aws.list_images("web").await.unwrap();
    let index = listed.iter().find(|i| i.tags.contains(&"multi".to_string())).expect("seeded index web:multi");
    assert_eq!(index.platforms, ["linux/amd64", "linux/arm64"]);
    let arm = aws.image("web", "multi", Some("linux/arm64")).await.unwrap();
    assert_eq!(arm.config.architecture.as_deref(), Some("arm64"));
    assert_eq!(arm.digest, index.digest);
    assert_eq!(arm.platforms.len(), 2);
    // The platform manifests are part of the index's row, not stray untagged images.
    for p in &arm.platforms {
        assert!(!listed.iter().any(|i| i.digest == p.digest && i.tags.is_empty()), "{} listed as untagged", p.digest);
    }
    let missing = aws.image("web", "multi", Some("linux/s390x")).await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert!(missing.message.contains("linux/amd64, linux/arm64"), "{}", missing.message);
    // Two indexes: a platform matrix.
    let c = aws.compare("web:multi", "web:multi", None).await.unwrap();
    assert!(c.identical);
    assert_eq!(c.platforms.len(), 2);
}

#[tokio::test]
async fn comparison_matches_what_the_registry_serves() {
    gate::sandbox();
    let aws = aws().await;
    // web:1 and web:2 share the seeded base layer and differ in their own (see the sandbox seed).
    let c = aws.compare("web:1", "web:2", None).await.expect("compare");
    let raw = raw_registry(&aws).await;
    let layers = |bytes: &[u8]| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        v["layers"].as_array().unwrap().iter().map(|l| l["digest"].as_str().unwrap().to_string()).collect()
    };
    let a = layers(&raw.manifest("web", "1").await.unwrap().bytes);
    let b = layers(&raw.manifest("web", "2").await.unwrap().bytes);
    for row in &c.layers {
        let (in_a, in_b) = (a.contains(&row.digest), b.contains(&row.digest));
        let expected = match (in_a, in_b) {
            (true, true) => LayerStatus::Shared,
            (true, false) => LayerStatus::OnlyA,
            (false, true) => LayerStatus::OnlyB,
            _ => panic!("{} is in neither manifest", row.digest),
        };
        assert_eq!(row.status, expected, "{}", row.digest);
    }
    assert_eq!(c.layers.len(), a.len() + b.len() - c.layers.iter().filter(|l| l.status == LayerStatus::Shared).count());
    assert!(c.layers.iter().any(|l| l.status == LayerStatus::Shared));
    assert_eq!(c.a.digest, raw.manifest_digest("web", "1").await.unwrap());
    // The second COPY differs (another file), so the history does too.
    assert!(c.history.iter().any(|h| h.status != LayerStatus::Shared), "{:?}", c.history);
    let json = serde_json::to_value(&c).unwrap();
    for key in ["a", "b", "layers", "config_changes"] {
        assert!(json.get(key).is_some(), "{key}");
    }
}

#[tokio::test]
async fn a_scan_shows_in_the_listing_and_its_findings_read_back() {
    gate::sandbox();
    let aws = aws().await;
    let name = format!("scan/repo-{}", nonce() % 1_000_000);
    aws.create_repository(&RepositorySpec::named(name.clone())).await.unwrap();
    let manifest = serde_json::json!({
        "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": format!("sha256:{:064x}", nonce())},
        // Fixed layer digests: the sandbox's scanner derives findings from the layers.
        "layers": (1..=6).map(|i| serde_json::json!({"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 10, "digest": format!("sha256:{i:064x}")})).collect::<Vec<_>>()
    });
    let put = aws
        .ecr()
        .put_image()
        .repository_name(&name)
        .image_manifest(manifest.to_string())
        .image_tag("1")
        .send()
        .await
        .unwrap();
    let digest = put.image().and_then(|i| i.image_id()).and_then(|i| i.image_digest()).unwrap().to_string();
    assert_eq!(aws.scan_findings(&name, &digest).await.unwrap(), None, "never scanned");
    aws.start_scan(&name, &digest).await.expect("scan");
    let findings = aws.scan_findings(&name, &digest).await.unwrap().expect("findings");
    assert_eq!(findings.status, berth_core::model::ScanStatus::Complete);
    assert!(!findings.findings.is_empty(), "{findings:?}");
    let total: u32 = findings.severity_counts.values().sum();
    assert_eq!(total as usize, findings.findings.len(), "counts agree with the findings");
    assert!(findings.findings.iter().all(|f| f.package.is_some() && !f.severity.is_empty()), "{:?}", findings.findings);
    let row = aws.list_images(&name).await.unwrap().remove(0);
    assert_eq!(row.scan_status, Some(berth_core::model::ScanStatus::Complete));
    assert_eq!(row.severity_counts, findings.severity_counts);
    // A second scan the same day: ECR's limit, said plainly.
    assert_eq!(aws.start_scan(&name, &digest).await.unwrap_err().code, ErrorCode::LimitExceeded);
    aws.delete_repository(&name, true).await.unwrap();
}

/// ECR's own preview (StartLifecyclePolicyPreview, which the sandbox answers as ECR does) is
/// read back in Berth's shape: keep the newest image, the two older ones expire.
#[tokio::test]
async fn ecrs_own_lifecycle_preview_is_read_back() {
    gate::sandbox();
    let aws = aws().await;
    let n = nonce() % 1_000_000;
    let name = format!("life/preview-{n}");
    aws.create_repository(&RepositorySpec::named(name.clone())).await.unwrap();
    let mut digests = Vec::new();
    for (i, tag) in ["p1", "p2", "p3"].iter().enumerate() {
        let manifest = serde_json::json!({
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": format!("sha256:{:064x}", n * 10 + i as u128)},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1024, "digest": format!("sha256:{:064x}", n * 10 + 5 + i as u128)}]
        });
        let out = aws
            .ecr()
            .put_image()
            .repository_name(&name)
            .image_manifest(manifest.to_string())
            .image_tag(*tag)
            .send()
            .await
            .unwrap();
        digests.push(out.image().and_then(|i| i.image_id()).and_then(|i| i.image_digest()).unwrap().to_string());
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    }
    let policy = r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#;
    let preview = aws.ecr_lifecycle_preview(&name, policy).await.unwrap();
    assert_eq!(preview.status, berth_core::lifecycle::LifecyclePreviewStatus::Complete);
    let mut hit: Vec<&str> = preview.results.iter().map(|h| h.digest.as_str()).collect();
    hit.sort();
    let mut older = vec![digests[0].as_str(), digests[1].as_str()];
    older.sort();
    assert_eq!(hit, older, "the two older images expire");
    assert!(preview.results.iter().all(|h| h.rule_priority == 1));
    aws.delete_repository(&name, true).await.unwrap();
}

#[tokio::test]
async fn a_lifecycle_policy_is_applied_read_back_and_deleted() {
    gate::sandbox();
    let aws = aws().await;
    let name = format!("life/repo-{}", nonce() % 1_000_000);
    aws.create_repository(&RepositorySpec::named(name.clone())).await.unwrap();
    let text = berth_core::lifecycle::print(&berth_core::lifecycle::parse(r#"{"rules": [{"rulePriority": 1, "description": "releases", "selection": {"tagStatus": "tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 10}, "action": {"type": "expire"}}]}"#).unwrap());
    aws.put_lifecycle_policy(&name, &text).await.unwrap();
    let details = aws.repository_details(&name).await.unwrap();
    let back = berth_core::lifecycle::parse(details.lifecycle_policy.as_deref().unwrap()).unwrap();
    assert_eq!(berth_core::lifecycle::print(&back), text, "read back as applied");
    aws.delete_lifecycle_policy(&name).await.unwrap();
    assert_eq!(aws.repository_details(&name).await.unwrap().lifecycle_policy, None);
    aws.delete_repository(&name, true).await.unwrap();
}

/// Under enhanced scanning (the seed's: api/* scanned on push) the findings carry Inspector's
/// details, read from DescribeImageScanFindings' `enhancedFindings`.
#[tokio::test]
async fn enhanced_findings_carry_score_fix_exploit_path_remediation_and_dates() {
    gate::sandbox();
    let aws = aws().await;
    let details = aws.image_details("api/orders", "1.1.0", None).await.unwrap();
    let findings = details.findings.expect("api/orders:1.1.0 was scanned on push");
    let enhanced: Vec<_> = findings.findings.iter().filter(|f| f.score.is_some()).collect();
    assert!(!enhanced.is_empty(), "{findings:?}");
    for f in enhanced {
        assert!(f.score_source.as_deref().is_some_and(|s| !s.is_empty()), "{f:?}");
        assert!(matches!(f.fix_available.as_deref(), Some("YES" | "NO" | "PARTIAL")), "{f:?}");
        assert!(matches!(f.exploit_available.as_deref(), Some("YES" | "NO")), "{f:?}");
        assert!(f.remediation.is_some() && f.package.is_some() && f.version.is_some(), "{f:?}");
        assert!(f.first_observed.is_some() && f.last_observed.is_some(), "{f:?}");
        assert!(f.name.starts_with("CVE-"), "{f:?}");
    }
}
