//! The use cases against the real sandbox (moto, the registry, dockerd), as both front ends
//! run them: no window, no CLI.

#[path = "../../../../tests/src/gate.rs"]
mod gate;

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use berth_app::push::PushInput;
use berth_app::{Overrides, ProfileChoice, Session};
use berth_core::model::{PolicyChange, RepositoryChange, RepositorySpec, RepositoryStep, StepStatus, TagMutability};
use berth_core::push::PushEvent;
use berth_core::ErrorCode;

fn nonce() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos()
}

fn session() -> Arc<Session> {
    assert!(std::env::var("AWS_ENDPOINT_URL").is_ok(), "AWS_ENDPOINT_URL: run `make sandbox-up` (make test does)");
    let dir = std::env::temp_dir().join(format!("berth-app-test-{}-{}", std::process::id(), nonce()));
    let store = berth_aws::profiles::ProfileStore::new(dir, berth_secrets::Keychain::with_service("berth-app-test"));
    Session::new(store, ProfileChoice::Named(None), Overrides::default())
}

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker").args(args).env("DOCKER_BUILDKIT", "0").output().expect("docker CLI");
    assert!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A small local image of unique content: `berth-app-test:NONCE`.
fn local_image() -> String {
    let n = nonce();
    let dir = std::env::temp_dir().join(format!("berth-app-img-{n}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("unique.txt"), format!("berth app test {n}\n")).unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM scratch\nCOPY unique.txt /unique.txt\n").unwrap();
    let name = format!("berth-app-test:{n}");
    docker(&["build", "-q", "-t", &name, dir.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    name
}

async fn repository(session: &Session, name: &str, mutability: TagMutability, exclusions: &[&str]) {
    let mut spec = RepositorySpec::named(name);
    spec.tag_mutability = mutability;
    spec.mutability_exclusions = exclusions.iter().map(|e| e.to_string()).collect();
    let report = session.create_repository(&spec).await.expect("create");
    assert!(report.complete(), "{report:?}");
}

/// Push and wait; the events are collected.
async fn push(
    session: &Arc<Session>,
    source: &str,
    repository: &str,
    tags: &[&str],
) -> Result<PushEvent, berth_core::BerthError> {
    let input = PushInput {
        source: source.into(),
        repository: repository.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    let started = session.start_push(input, Arc::new(|_e: PushEvent| {})).await?;
    Ok(started.wait().await)
}

fn local_refs() -> String {
    docker(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
}

#[tokio::test]
async fn a_push_into_a_missing_repository_is_refused_before_anything_moves() {
    gate::sandbox();
    let session = session();
    let image = local_image();
    let repo = format!("it/no-such-{}", nonce());
    let err = push(&session, &image, &repo, &["1"]).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("does not exist") && err.message.contains("Create it first"), "{}", err.message);
    assert!(!err.message.contains("deleted during the push"), "{}", err.message);
    assert_eq!(session.jobs.running(), 0, "no job was started");
    assert!(!local_refs().contains(&repo), "no temporary tag was made");
    docker(&["rmi", &image]);
}

#[tokio::test]
async fn tags_are_pushed_once_each_and_ecr_lists_them() {
    gate::sandbox();
    let session = session();
    let image = local_image();
    let repo = format!("it/dedup-{}", nonce() % 1_000_000_000);
    repository(&session, &repo, TagMutability::Mutable, &[]).await;
    let end = push(&session, &image, &repo, &["a", "b", "a"]).await.expect("push");
    let PushEvent::Finished { summary } = end else { panic!("{end:?}") };
    assert_eq!(summary.tags, ["a", "b"]);
    let listed = session.list_images(&repo).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].digest, summary.digest);
    let mut tags = listed[0].tags.clone();
    tags.sort();
    assert_eq!(tags, ["a", "b"]);
    session.delete_repository(&repo, true).await.unwrap();
    docker(&["rmi", &image]);
}

#[tokio::test]
async fn protected_tags_are_refused_before_the_push_in_every_mutability_mode() {
    gate::sandbox();
    let session = session();
    let image = local_image();
    let n = nonce() % 1_000_000_000;

    // IMMUTABLE_WITH_EXCLUSION: immutable except dev-*.
    let repo = format!("it/immx-{n}");
    repository(&session, &repo, TagMutability::ImmutableWithExclusion, &["dev-*"]).await;
    assert!(matches!(push(&session, &image, &repo, &["v1", "dev-1"]).await, Ok(PushEvent::Finished { .. })));
    let refused = push(&session, &image, &repo, &["v1"]).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Refused, "{refused:?}");
    assert!(refused.message.contains("v1") && refused.message.contains("immutable"), "{}", refused.message);
    assert_eq!(session.jobs.running(), 0);
    assert!(
        matches!(push(&session, &image, &repo, &["dev-1"]).await, Ok(PushEvent::Finished { .. })),
        "dev-* may move"
    );
    let check = session.check_push_target(&repo, &["v1".into(), "dev-1".into(), "v2".into()]).await.unwrap();
    assert!(check.tags[0].refusal.is_some() && check.tags[1].refusal.is_none() && check.tags[2].refusal.is_none());
    session.delete_repository(&repo, true).await.unwrap();

    // MUTABLE_WITH_EXCLUSION: mutable except release-*.
    let repo = format!("it/mutx-{n}");
    repository(&session, &repo, TagMutability::MutableWithExclusion, &["release-*"]).await;
    assert!(matches!(push(&session, &image, &repo, &["latest", "release-1"]).await, Ok(PushEvent::Finished { .. })));
    assert!(matches!(push(&session, &image, &repo, &["latest"]).await, Ok(PushEvent::Finished { .. })));
    let refused = push(&session, &image, &repo, &["latest", "release-1"]).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Refused);
    assert!(refused.message.contains("release-1"), "{}", refused.message);
    session.delete_repository(&repo, true).await.unwrap();
    docker(&["rmi", &image]);
}

#[tokio::test]
async fn a_cancelled_push_says_exactly_which_tags_ecr_holds() {
    gate::sandbox();
    let session = session();
    let image = local_image();
    let repo = format!("it/cancel-{}", nonce() % 1_000_000_000);
    repository(&session, &repo, TagMutability::Mutable, &[]).await;
    let tags: Vec<String> = (1..=80).map(|i| format!("m{i}")).collect();
    let input = PushInput { source: image.clone(), repository: repo.clone(), tags: tags.clone() };
    let started = session.start_push(input, Arc::new(|_e: PushEvent| {})).await.expect("start");
    // Cancel once ECR lists a few tags (the first pushes the layers, the others only tag).
    let watcher = session.clone();
    let (id, r) = (started.id.clone(), repo.clone());
    tokio::spawn(async move {
        for _ in 0..600 {
            let listed = watcher.list_images(&r).await.map(|l| l.first().map(|i| i.tags.len()).unwrap_or(0));
            if listed.unwrap_or(0) >= 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        watcher.cancel_job(&id);
    });
    let end = started.wait().await;
    let PushEvent::Cancelled { written, message } = end else { panic!("the push was not cancelled: {end:?}") };
    let mut listed = session.list_images(&repo).await.unwrap().first().map(|i| i.tags.clone()).unwrap_or_default();
    let mut reported = written.clone();
    listed.sort();
    reported.sort();
    assert_eq!(reported, listed, "the message lists what ECR holds: {message}");
    assert!(written.len() >= 3 && written.len() < tags.len(), "{written:?}");
    assert!(!message.contains("no tag was written"), "{message}");
    for t in &written {
        assert!(message.contains(&format!(" {t},")) || message.contains(&format!(" {t}.")), "{t} in {message}");
    }
    assert!(message.contains("Not written:"), "{message}");
    assert!(!local_refs().contains(&repo), "the temporary tags are removed");
    session.delete_repository(&repo, true).await.unwrap();
    docker(&["rmi", &image]);
}

#[tokio::test]
async fn a_settings_change_applies_each_setting_and_reports_a_refused_one() {
    gate::sandbox();
    let session = session();
    let name = format!("it/update-{}", nonce() % 1_000_000_000);
    repository(&session, &name, TagMutability::Mutable, &[]).await;
    let mut change = RepositoryChange::keep(name.clone());
    change.tag_mutability = Some(TagMutability::Immutable);
    change.scan_on_push = Some(true);
    // Well-formed JSON that AWS's policy validator refuses (an action without its service prefix).
    change.repository_policy = PolicyChange::Set {
        text: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["BatchGetImage"]}]}"#.into(),
    };
    let report = session.update_repository(&change).await.expect("a report");
    let status = |step| report.steps.iter().find(|s| s.step == step).map(|s| s.status);
    assert_eq!(status(RepositoryStep::SetTagMutability), Some(StepStatus::Done));
    assert_eq!(status(RepositoryStep::SetScanOnPush), Some(StepStatus::Done));
    assert_eq!(status(RepositoryStep::SetRepositoryPolicy), Some(StepStatus::Failed));
    let details = report.details.clone().expect("read back");
    assert_eq!(details.repository.tag_mutability, TagMutability::Immutable, "applied despite the refused policy");
    assert!(details.repository.scan_on_push);
    assert!(details.repository_policy.is_none());

    // The retry sends only the failed part, corrected.
    let mut retry = berth_app::repositories::failed_part(&change, &report);
    assert_eq!((retry.tag_mutability, retry.scan_on_push), (None, None));
    retry.repository_policy =
        PolicyChange::Set { text: berth_core::policy::policy_allow_pull_from_accounts(&["111122223333".into()]) };
    let again = session.update_repository(&retry).await.unwrap();
    assert!(again.complete(), "{again:?}");
    assert_eq!(again.steps.len(), 1);
    assert!(again.details.unwrap().repository_policy.is_some());

    // Invalid values are refused before any call.
    let mut bad = RepositoryChange::keep(name.clone());
    bad.lifecycle_policy = PolicyChange::Set { text: zero_count_policy() };
    assert_eq!(session.update_repository(&bad).await.unwrap_err().code, ErrorCode::InvalidInput);
    session.delete_repository(&name, true).await.unwrap();
}

fn zero_count_policy() -> String {
    r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}}]}"#.into()
}

#[tokio::test]
async fn a_lifecycle_policy_ecr_would_refuse_creates_nothing() {
    gate::sandbox();
    let session = session();
    for (what, text) in [
        ("countNumber 0", zero_count_policy()),
        ("a misspelt field", r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixListt":["v"],"countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}]}"#.into()),
    ] {
        let name = format!("it/refused-lc-{}", nonce() % 1_000_000_000);
        let mut spec = RepositorySpec::named(&name);
        spec.lifecycle_policy = Some(text.clone());
        let err = session.create_repository(&spec).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{what}: {err:?}");
        assert_eq!(session.repository_details(&name).await.unwrap_err().code, ErrorCode::NotFound, "{what}");
        assert_eq!(session.apply_lifecycle("web", &text).await.unwrap_err().code, ErrorCode::InvalidInput, "{what}");
    }
}

#[tokio::test]
async fn the_listing_job_streams_pages_and_always_ends() {
    gate::sandbox();
    let session = session();
    let events: Arc<Mutex<Vec<&'static str>>> = Arc::default();
    let seen = events.clone();
    let sink = Arc::new(move |e: berth_core::job::ImageListEvent| {
        use berth_core::job::ImageListEvent as E;
        seen.lock().unwrap().push(match e {
            E::Started { .. } => "started",
            E::Page { .. } => "page",
            E::IndexChildren { .. } => "children",
            E::Finished { .. } => "finished",
            E::Failed { .. } => "failed",
            E::Cancelled { .. } => "cancelled",
        });
    });
    let end = session.start_list_images("web", sink.clone()).await.unwrap().wait().await;
    assert!(matches!(end, berth_core::job::ImageListEvent::Finished { .. }), "{end:?}");
    let got = events.lock().unwrap().clone();
    assert_eq!(got.first(), Some(&"started"));
    assert_eq!(got.last(), Some(&"finished"));
    assert!(got.contains(&"page"));
    // A repository that does not exist ends with `failed`, and a name that is not one is refused at once.
    let end = session.start_list_images("it/not-there", sink.clone()).await.unwrap().wait().await;
    assert!(
        matches!(end, berth_core::job::ImageListEvent::Failed { ref error } if error.code == ErrorCode::NotFound),
        "{end:?}"
    );
    assert_eq!(
        session.start_list_images("Not A Name", sink).await.err().map(|e| e.code),
        Some(ErrorCode::InvalidInput)
    );
}

/// The registry overview's row of a seeded repository: the images as the images table counts
/// them (an index with its platforms is one), their bytes, the newest push; and the rule count
/// of a lifecycle policy, none without one.
#[tokio::test]
async fn a_repositorys_overview_row_counts_its_images_and_its_lifecycle_rules() {
    gate::sandbox();
    let session = session();
    let listed = session.aws().await.unwrap().list_images("api/orders").await.unwrap();
    let stats = session.repository_stats("api/orders").await.unwrap();
    assert_eq!(stats.images as usize, listed.len());
    assert_eq!(stats.bytes, listed.iter().filter_map(|i| i.size_bytes).sum::<u64>());
    assert_eq!(stats.last_pushed, listed.iter().filter_map(|i| i.pushed_at).max());
    assert!(stats.images >= 3 && stats.bytes > 0, "{stats:?}");

    let name = format!("it/stats-{}", nonce() % 1_000_000_000);
    repository(&session, &name, TagMutability::Mutable, &[]).await;
    let empty = session.repository_stats(&name).await.unwrap();
    assert_eq!((empty.images, empty.bytes, empty.last_pushed, empty.lifecycle_rules), (0, 0, None, None));
    let mut change = RepositoryChange::keep(name.clone());
    change.lifecycle_policy = berth_core::model::PolicyChange::Set {
        text: r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}"#.into(),
    };
    session.update_repository(&change).await.unwrap();
    assert_eq!(session.repository_stats(&name).await.unwrap().lifecycle_rules, Some(2));
    // A name ECR would refuse never reaches it.
    assert_eq!(session.repository_stats("Bad Name").await.unwrap_err().code, berth_core::ErrorCode::InvalidInput);
    session.aws().await.unwrap().delete_repository(&name, true).await.unwrap();
}

/// The desktop's start-up listing: the first listing after `warm_up` is the one warm_up made
/// (a repository created after it is not in it: no second call was made), the next one asks
/// ECR again.
#[tokio::test]
async fn the_first_listing_is_the_one_the_start_up_made_and_only_the_first() {
    gate::sandbox();
    let app = session();
    app.warm_up().await;
    let other = session();
    let name = format!("it/warm-{}", nonce() % 1_000_000_000);
    repository(&other, &name, TagMutability::Mutable, &[]).await;

    let first = app.list_repositories().await.unwrap();
    assert!(first.iter().any(|r| r.name == "web"), "the start-up listing: {first:?}");
    assert!(!first.iter().any(|r| r.name == name), "listed again instead of taking the start-up listing");
    let second = app.list_repositories().await.unwrap();
    assert!(second.iter().any(|r| r.name == name), "the second listing is not ECR's of now: {second:?}");
    other.aws().await.unwrap().delete_repository(&name, true).await.unwrap();
}

/// A region switch before the window asked: the listing is the new region's, never the one
/// the start-up made for the old region.
#[tokio::test]
async fn a_region_switch_drops_the_start_up_listing() {
    gate::sandbox();
    let n = nonce() % 1_000_000_000;
    let (east_only, west_only) = (format!("it/east-{n}"), format!("it/west-{n}"));
    let maker = session();
    repository(&maker, &east_only, TagMutability::Mutable, &[]).await;
    maker.set_region("us-west-2").await.unwrap();
    repository(&maker, &west_only, TagMutability::Mutable, &[]).await;

    let app = session();
    app.warm_up().await;
    assert_eq!(app.connection().await.unwrap().region, "us-east-1", "the sandbox's default region");
    app.set_region("us-west-2").await.unwrap();
    let listed: Vec<String> = app.list_repositories().await.unwrap().into_iter().map(|r| r.name).collect();
    assert!(listed.contains(&west_only), "not us-west-2's listing: {listed:?}");
    assert!(!listed.contains(&east_only), "the start-up's us-east-1 listing after the switch: {listed:?}");

    maker.aws().await.unwrap().delete_repository(&west_only, true).await.unwrap();
    maker.set_region("us-east-1").await.unwrap();
    maker.aws().await.unwrap().delete_repository(&east_only, true).await.unwrap();
}
