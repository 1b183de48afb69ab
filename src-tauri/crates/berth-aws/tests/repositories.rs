//! Creating, configuring and deleting repositories against moto, read back independently.

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use berth_aws::{Aws, ConnectionSettings};
use berth_core::model::{RepositorySpec, RepositoryStep, ResourceTag, StepStatus, TagMutability};
use berth_core::policy;
use berth_core::ErrorCode;

async fn aws() -> Aws {
    assert!(std::env::var("AWS_ENDPOINT_URL").is_ok(), "AWS_ENDPOINT_URL: run `make sandbox-up` (make test does)");
    Aws::connect(ConnectionSettings::from_env()).await.expect("config")
}

fn unique(name: &str) -> String {
    format!("it/{name}-{}", std::process::id())
}

fn spec(name: &str) -> RepositorySpec {
    RepositorySpec::named(name)
}

#[tokio::test]
async fn create_with_every_option_and_read_it_back() {
    gate::sandbox();
    let aws = aws().await;
    let alias = aws.kms_aliases().await.expect("aliases").into_iter().find(|a| a.name == "alias/berth-payments");
    let alias = alias.expect("the sandbox seeds alias/berth-payments");
    let name = unique("full");
    let mut s = spec(&name);
    s.tag_mutability = TagMutability::ImmutableWithExclusion;
    s.mutability_exclusions = vec!["latest".into(), "dev-*".into()];
    s.scan_on_push = true;
    s.encryption = berth_core::model::EncryptionKind::Kms;
    s.kms_key = Some(alias.arn.clone());
    s.lifecycle_policy = Some(policy::lifecycle_keep_release_tags("release-*", 10, 14));
    s.repository_policy = Some(policy::policy_allow_pull_from_accounts(&["111122223333".into()]));
    s.tags = vec![ResourceTag { key: "team".into(), value: "platform".into() }];

    let report = aws.create_repository(&s).await.expect("create");
    assert!(report.complete(), "{report:?}");
    assert_eq!(report.steps.len(), 3);

    let d = aws.repository_details(&name).await.expect("details");
    assert_eq!(d.repository.tag_mutability, TagMutability::ImmutableWithExclusion);
    assert_eq!(d.mutability_exclusions, ["latest", "dev-*"]);
    assert!(d.repository.scan_on_push);
    assert_eq!(d.repository.encryption.kind, berth_core::model::EncryptionKind::Kms);
    assert_eq!(d.repository.encryption.kms_key.as_deref(), Some(alias.arn.as_str()));
    let lifecycle: serde_json::Value = serde_json::from_str(d.lifecycle_policy.as_deref().unwrap()).unwrap();
    assert_eq!(lifecycle["rules"][1]["selection"]["tagPatternList"][0], "release-*");
    assert!(policy::describe_policy(d.repository_policy.as_deref().unwrap())[0].contains("account 111122223333"));
    assert_eq!(d.tags, s.tags);
    assert_eq!(d.image_count, 0);

    // Settings change afterwards; encryption cannot.
    aws.set_tag_mutability(&name, TagMutability::Mutable, &[]).await.expect("mutability");
    aws.set_scan_on_push(&name, false).await.expect("scan");
    aws.delete_lifecycle_policy(&name).await.expect("delete lifecycle");
    aws.delete_lifecycle_policy(&name).await.expect("deleting twice is harmless");
    aws.delete_repository_policy(&name).await.expect("delete policy");
    let tags = vec![ResourceTag { key: "owner".into(), value: "me".into() }];
    aws.set_tags(&d.repository.arn, &tags).await.expect("tags");
    let d = aws.repository_details(&name).await.expect("details");
    assert_eq!(d.repository.tag_mutability, TagMutability::Mutable);
    assert!(!d.repository.scan_on_push);
    assert!(d.lifecycle_policy.is_none() && d.repository_policy.is_none());
    assert_eq!(d.tags, tags);

    // The settings page's calls, one setting each (berth-app reports them step by step).
    aws.set_tag_mutability(&name, TagMutability::Immutable, &[]).await.expect("mutability");
    aws.set_scan_on_push(&name, true).await.expect("scan on push");
    aws.put_lifecycle_policy(&name, &policy::lifecycle_keep_last_tagged(5)).await.expect("lifecycle");
    let changed = aws.repository_details(&name).await.expect("details");
    assert_eq!(changed.repository.tag_mutability, TagMutability::Immutable);
    assert!(changed.repository.scan_on_push && changed.lifecycle_policy.is_some());

    // The review of a new spec: a taken name is a problem; the CLI equivalent is given.
    let review = aws.review_repository(&spec(&name)).await.expect("review");
    assert!(review.problems.iter().any(|p| p.field == "name" && p.message.contains("exists already")), "{review:?}");
    let fresh = aws.review_repository(&spec(&unique("fresh"))).await.expect("review");
    assert!(fresh.problems.is_empty(), "{fresh:?}");
    assert!(fresh.cli_commands[0].starts_with("aws ecr create-repository"));
    assert!(fresh.uri.ends_with(&unique("fresh")));

    aws.delete_repository(&name, false).await.expect("delete an empty repository");
    assert_eq!(aws.repository_details(&name).await.unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_policy_refused_after_creation_is_reported_and_can_be_retried() {
    gate::sandbox();
    let aws = aws().await;
    let name = unique("partial");
    let mut s = spec(&name);
    s.lifecycle_policy = Some(policy::lifecycle_expire_untagged(7));
    // Well-formed JSON that AWS's policy validator refuses (an action without its service prefix).
    s.repository_policy = Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["BatchGetImage"]}]}"#.into(),
    );
    let report = aws.create_repository(&s).await.expect("the repository is created");
    assert!(!report.complete());
    assert!(report.repository.is_some());
    let status = |step| report.steps.iter().find(|o| o.step == step).map(|o| o.status);
    assert_eq!(status(RepositoryStep::CreateRepository), Some(StepStatus::Done));
    assert_eq!(status(RepositoryStep::PutLifecyclePolicy), Some(StepStatus::Done));
    assert_eq!(status(RepositoryStep::SetRepositoryPolicy), Some(StepStatus::Failed));
    let failed = report.steps.iter().find(|o| o.status == StepStatus::Failed).unwrap();
    assert_eq!(failed.error.as_ref().unwrap().code, ErrorCode::InvalidInput);

    // Retry the remaining step with a corrected policy.
    s.repository_policy = Some(policy::policy_allow_pull_from_accounts(&["111122223333".into()]));
    s.lifecycle_policy = None;
    let retried = aws.apply_policies(&s).await;
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].status, StepStatus::Done, "{retried:?}");
    assert!(aws.repository_details(&name).await.unwrap().repository_policy.is_some());
    aws.delete_repository(&name, true).await.expect("delete");
}

#[tokio::test]
async fn duplicates_bad_input_and_repositories_with_images() {
    gate::sandbox();
    let aws = aws().await;
    let dup = aws.create_repository(&spec("web")).await.unwrap_err();
    assert_eq!(dup.code, ErrorCode::AlreadyExists, "{dup:?}");

    // Refused locally: no API call for what validation already rejects.
    let bad = aws.create_repository(&spec("Bad Name")).await.unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    assert!(bad.message.contains("lower case"), "{}", bad.message);
    assert_eq!(aws.repository_details("bad-name").await.unwrap_err().code, ErrorCode::NotFound);

    // A repository with images is deleted only with force.
    let err = aws.delete_repository("api/orders", false).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Refused);
    // Every image counts, archived ones too (the seed archives one of the four).
    let n = aws.list_images("api/orders").await.unwrap().len();
    assert!(err.message.contains(&format!("holds {n} image")), "{n}: {}", err.message);
    assert!(aws.repository_details("api/orders").await.is_ok(), "nothing was deleted");
}

#[tokio::test]
async fn push_targets_are_checked_tag_by_tag() {
    gate::sandbox();
    let aws = aws().await;
    let check = aws.check_push_target("api/orders", &["latest".into(), "never-pushed".into()]).await.expect("check");
    assert!(check.repository_exists);
    assert_eq!(check.tag_mutability, Some(TagMutability::Mutable));
    assert!(check.tags[0].digest.as_deref().unwrap_or("").starts_with("sha256:"), "{check:?}");
    assert_eq!(check.tags[1].digest, None);
    let immutable = aws.check_push_target("api/payments", &["1.0.0".into()]).await.expect("check");
    assert_eq!(immutable.tag_mutability, Some(TagMutability::Immutable));
    assert!(immutable.tags[0].digest.is_some());
    let missing = aws.check_push_target("no/such-repo", &["x".into()]).await.expect("check");
    assert!(!missing.repository_exists);
}

#[tokio::test]
async fn push_targets_follow_the_mutability_exclusions() {
    let aws = aws().await;
    let name = unique("push-exclusions");
    let mut s = spec(&name);
    s.tag_mutability = TagMutability::ImmutableWithExclusion;
    s.mutability_exclusions = vec!["dev-*".into()];
    assert!(aws.create_repository(&s).await.expect("create").complete());
    for (i, tag) in ["v1", "dev-1"].into_iter().enumerate() {
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
            .image_tag(tag)
            .send()
            .await
            .unwrap();
    }
    let tags: Vec<String> = ["v1", "dev-1", "v2"].map(String::from).to_vec();

    let check = aws.check_push_target(&name, &tags).await.expect("check");
    assert_eq!(check.tag_mutability, Some(TagMutability::ImmutableWithExclusion));
    assert_eq!(check.mutability_exclusions, ["dev-*"]);
    let [v1, dev, v2] = &check.tags[..] else { panic!("{check:?}") };
    assert!(v1.immutable && v1.digest.is_some(), "{v1:?}");
    assert_eq!(
        v1.refusal.as_deref(),
        Some(format!(
            "The tag v1 exists and is immutable in {name} (IMMUTABLE_WITH_EXCLUSION; exclusions: dev-*). \
             Push under another tag, or change the repository's tag mutability."
        ))
        .as_deref()
    );
    assert!(!dev.immutable && dev.digest.is_some() && dev.refusal.is_none(), "excluded: it may move: {dev:?}");
    assert!(v2.immutable && v2.digest.is_none() && v2.refusal.is_none(), "free: it may be pushed: {v2:?}");
    assert_eq!(berth_core::push::refusal(&check).expect("refused").code, ErrorCode::Refused);

    // The other way round: the excluded tags are the protected ones.
    aws.set_tag_mutability(&name, TagMutability::MutableWithExclusion, &["dev-*".into()]).await.expect("mutability");
    let check = aws.check_push_target(&name, &tags).await.expect("check");
    let refused: Vec<&str> = check.tags.iter().filter(|t| t.refusal.is_some()).map(|t| t.tag.as_str()).collect();
    assert_eq!(refused, ["dev-1"], "{check:?}");

    assert!(aws.check_push_target(&name, &["bad?tag".into()]).await.is_err(), "tags are validated first");
    aws.delete_repository(&name, true).await.expect("clean up");
}
