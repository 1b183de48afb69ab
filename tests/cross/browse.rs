//! Cross-crate: browsing other registries through the use cases the window runs — an image of
//! the sandbox's plain OCI registry (seeded under `team/`, credentials from a Docker
//! configuration) and one of ECR, read each from its own registry by full reference and
//! compared across the two; tags page by page with a digest on demand; repositories opened
//! there remembered per host in the settings file, and read back by another session.

use std::path::PathBuf;
use std::sync::{Arc, Once};

use anyhow::{ensure, Context, Result};
use berth_app::{Overrides, ProfileChoice, Session};
use berth_core::copy::RegistryTarget;
use berth_core::ErrorCode;
use berth_tests::sandbox_var;

/// The Docker configuration every test of this file reads (one per process: DOCKER_CONFIG
/// is process-wide): the plain registry's credentials under `auths`.
fn docker_config() -> PathBuf {
    static ONCE: Once = Once::new();
    let dir = std::env::temp_dir().join(format!("berth-browse-docker-{}", std::process::id()));
    ONCE.call_once(|| {
        use base64::Engine as _;
        std::fs::create_dir_all(&dir).expect("scratch");
        let auth = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            sandbox_var("OCI_REGISTRY_USER"),
            sandbox_var("OCI_REGISTRY_PASSWORD")
        ));
        let config = serde_json::json!({"auths": {sandbox_var("OCI_REGISTRY"): {"auth": auth}}});
        std::fs::write(dir.join("config.json"), config.to_string()).expect("config.json");
        std::env::set_var("DOCKER_CONFIG", &dir);
    });
    dir
}

fn session_in(dir: &std::path::Path) -> Arc<Session> {
    let store =
        berth_aws::profiles::ProfileStore::new(dir, berth_secrets::Keychain::with_service("berth-cross-browse"));
    Session::new(store, ProfileChoice::Named(None), Overrides::default())
}

fn session() -> Result<(Arc<Session>, PathBuf)> {
    berth_tests::gate::sandbox();
    docker_config();
    let dir = berth_tests::scratch_dir("browse-session")?;
    Ok((session_in(&dir), dir))
}

/// The active ECR registry's host as a full reference names it (ACCOUNT.dkr.ecr.REGION…).
async fn ecr_host(session: &Session) -> Result<String> {
    let listed = session
        .browse_repositories(RegistryTarget::Pinned { profile: "env".into(), region: "us-east-1".into() })
        .await?;
    ensure!(listed.listed.iter().any(|r| r == "web"), "ECR lists {:?}", listed.listed);
    ensure!(listed.host.ends_with(".dkr.ecr.us-east-1.amazonaws.com"), "{}", listed.host);
    Ok(listed.host)
}

#[tokio::test]
async fn images_of_the_oci_registry_and_of_ecr_are_read_and_compared_by_full_reference() -> Result<()> {
    let (session, _) = session()?;
    let oci = sandbox_var("OCI_REGISTRY");

    // An image of the plain registry, from that registry (credentials of the Docker configuration).
    let busybox = format!("{oci}/team/library/busybox:1");
    let info = session.read_image(&busybox, None).await.context("read the OCI image")?;
    ensure!(info.reference == busybox, "reference {}", info.reference);
    ensure!(!info.layers.is_empty() && info.size > 0, "no layers: {info:?}");
    ensure!(info.digest.starts_with("sha256:"), "{}", info.digest);

    // An index there: its platforms, and the one asked for.
    let alpine = format!("{oci}/team/library/alpine:3");
    let arm = session.read_image(&alpine, Some("linux/arm64")).await?;
    ensure!(arm.platforms.len() >= 2, "platforms {:?}", arm.platforms);
    ensure!(arm.platform().as_deref() == Some("linux/arm64"), "{:?}", arm.platform());
    // The digest on demand is the index's, as the registry names it.
    ensure!(session.registry_digest(&alpine).await? == arm.digest, "digest of the tag");

    // ECR by its full URI reads the same image as the active registry's `web:2`.
    let host = ecr_host(&session).await?;
    let full = format!("{host}/web:2");
    let (by_uri, active) = tokio::try_join!(session.read_image(&full, None), session.read_image("web:2", None))?;
    ensure!(by_uri.digest == active.digest, "{} vs {}", by_uri.digest, active.digest);
    ensure!(by_uri.reference == full, "{}", by_uri.reference);

    // Across the two registries: the OCI image against ECR's, both ways of naming ECR.
    let across = session.compare(&busybox, "web:2", None).await.context("compare OCI with ECR")?;
    ensure!(across.a.reference == busybox && across.b.reference == "web:2", "{:?} {:?}", across.a, across.b);
    ensure!(!across.identical && across.only_a_bytes > 0 && across.only_b_bytes > 0, "{across:?}");
    let same = session.compare(&full, "web:2", None).await?;
    ensure!(same.identical, "ECR by URI and by name differ: {same:?}");

    // A tag that is not there, and a registry that does not answer, are said as such.
    let missing = session.read_image(&format!("{oci}/team/library/busybox:no-such-tag"), None).await.unwrap_err();
    ensure!(missing.code == ErrorCode::NotFound, "{missing:?}");
    let down = session.read_image("127.0.0.1:9/team/x:1", None).await.unwrap_err();
    ensure!(down.code == ErrorCode::Unreachable, "{down:?}");
    Ok(())
}

#[tokio::test]
async fn repositories_opened_are_remembered_per_host_and_the_docker_configuration_is_listed() -> Result<()> {
    let (session, dir) = session()?;
    let oci = sandbox_var("OCI_REGISTRY");

    // The Docker configuration's registry is listed, without credentials asked.
    let docker = session.docker_registries().await?;
    ensure!(docker.iter().any(|d| d.host == oci && d.from == "auths"), "{docker:?}");

    // The catalog lists the seeded repositories.
    let listed = session.browse_repositories(RegistryTarget::Oci { host: oci.clone() }).await?;
    ensure!(listed.host == oci && listed.note.is_none(), "{listed:?}");
    ensure!(listed.listed.iter().any(|r| r == "team/library/alpine"), "{:?}", listed.listed);

    // Opening a repository lists its tags (Link pages) and remembers it for the host.
    let tags = session.browse_tags(&format!("{oci}/team/library/alpine")).await?;
    ensure!(tags.iter().any(|t| t == "3"), "tags {tags:?}");
    let none = session.browse_tags(&format!("{oci}/team/no-such-repository")).await.unwrap_err();
    ensure!(none.code == ErrorCode::NotFound, "{none:?}");

    // The next start (another session on the same settings) has it; the one that failed is not kept.
    let again = session_in(&dir);
    let remembered = again.profiles().remembered_repositories(&oci)?;
    ensure!(remembered == vec!["team/library/alpine".to_string()], "{remembered:?}");
    // Listed by the catalog, it is not repeated among the remembered ones.
    let listed = again.browse_repositories(RegistryTarget::Oci { host: oci.clone() }).await?;
    ensure!(listed.remembered.is_empty(), "{:?}", listed.remembered);
    // Nothing secret went into the settings file.
    let text = std::fs::read_to_string(dir.join("config.json"))?;
    ensure!(text.contains("team/library/alpine"), "{text}");
    ensure!(!text.contains(&sandbox_var("OCI_REGISTRY_PASSWORD")), "the password is in the settings file");
    ensure!(again.forget_repository(&oci, "team/library/alpine").await?.is_empty(), "forgotten");
    Ok(())
}
