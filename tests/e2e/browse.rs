//! End-to-end: browsing another registry in the window — the sandbox's plain OCI registry,
//! found in the user's Docker configuration (no credentials typed): open its section, open a
//! `team/…` repository, its tags with a filter and a digest on demand, a tag's image read
//! from that registry (layers, pull command), then "Compare with…" an ECR image; a
//! repository opened by name ("Open repository…") is remembered for the next start.

use anyhow::{ensure, Context, Result};
use berth_tests::{needs_the_window, sandbox_var, App};
use thirtyfour::prelude::*;

use crate::screens::*;

const OTHER_REGISTRIES: &str = "[data-testid=other-registries]";
const FOREIGN_IMAGE: &str = "[data-testid=foreign-image]";

/// The browser of `HOST/REPOSITORY`.
fn browser(repository: &str) -> String {
    format!("[data-testid=registry-browser][data-repository='{repository}']")
}

/// A Docker configuration holding the plain registry's credentials under `auths`.
fn docker_config() -> Result<String> {
    use base64::Engine as _;
    let dir = berth_tests::scratch_dir("browse-docker-config")?;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        sandbox_var("OCI_REGISTRY_USER"),
        sandbox_var("OCI_REGISTRY_PASSWORD")
    ));
    let config = serde_json::json!({"auths": {sandbox_var("OCI_REGISTRY"): {"auth": auth}}});
    std::fs::write(dir.join("config.json"), config.to_string())?;
    Ok(dir.to_string_lossy().into_owned())
}

/// The digest skopeo (a client Berth did not write) reads for `HOST/REPO:TAG` of the plain registry.
fn skopeo_digest(reference: &str) -> Result<String> {
    use sha2::Digest;
    let creds = format!("{}:{}", sandbox_var("OCI_REGISTRY_USER"), sandbox_var("OCI_REGISTRY_PASSWORD"));
    let out = std::process::Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false", "--creds", &creds, &format!("docker://{reference}")])
        .output()
        .context("run skopeo (make deps installs it)")?;
    ensure!(out.status.success(), "skopeo inspect {reference}: {}", String::from_utf8_lossy(&out.stderr));
    Ok(format!("sha256:{:x}", sha2::Sha256::digest(&out.stdout)))
}

#[tokio::test]
async fn browse_a_registry_of_the_docker_configuration_and_compare_its_image_with_ecr() -> Result<()> {
    needs_the_window();
    let oci = sandbox_var("OCI_REGISTRY");
    let alpine = format!("{oci}/team/library/alpine");
    let digest = skopeo_digest(&format!("{alpine}:3"))?;
    let docker = docker_config()?;
    let config = berth_tests::scratch_dir("browse-config")?.to_string_lossy().into_owned();
    let env = [("DOCKER_CONFIG", docker.as_str()), ("BERTH_CONFIG_DIR", config.as_str())];
    let section = format!("[data-testid=registry-section][data-key='docker|{oci}']");
    let (oci2, alpine2, section2) = (oci.clone(), alpine.clone(), section.clone());
    App::run_with_env(&env, |app| async move {
        let (oci, alpine, section) = (oci2, alpine2, section2);
        let outcome = async {
            // The registry of the Docker configuration is listed, marked so, closed.
            let side = app.on(OTHER_REGISTRIES);
            side.wait_for_text(&format!("{section} [data-testid=from-docker-config]"), "Docker config").await?;
            side.click(&format!("{section} [data-testid=registry-toggle]")).await?;
            let repo = format!("{section} [data-testid=registry-repo][data-name='team/library/alpine']");
            side.find(&repo).await?;
            app.screenshot("90-browse-docker-config-registry").await?;

            // Its repository: the tags, filtered, and a digest on demand.
            let tags = side.click_to(&repo, &browser(&alpine)).await?;
            tags.wait_for_text("[data-testid=browser-repository]", "team/library/alpine").await?;
            tags.wait_for_text("[data-testid=browser-host]", &oci).await?;
            let row = "[data-testid=tag-row][data-tag='3']";
            tags.find(row).await?;
            tags.type_into("[data-testid=tag-filter]", "3").await?;
            tags.click(&format!("{row} [data-testid=tag-digest]")).await?;
            tags.wait_for_text(row, &digest[..19]).await.context("the digest skopeo reads")?;
            app.screenshot("91-browse-tags").await?;

            // A tag's image, read from that registry: platforms, layers, the pull command.
            let image = tags.click_to(&format!("{row} [data-testid=tag-open]"), FOREIGN_IMAGE).await?;
            image.wait_for_all("[data-testid=foreign-layer]", 1).await?;
            image.wait_for_text("[data-testid=foreign-platforms]", "linux/arm64").await?;
            image.wait_for_text("[data-testid=foreign-pull]", &format!("docker pull {alpine}:3")).await?;
            image.wait_for_text("h1", &format!("{alpine}:3")).await?;
            app.screenshot("92-browse-image").await?;

            // Compared with an image of ECR (the active registry).
            image.type_into("[data-testid=foreign-compare-with]", "web:2").await?;
            let compare = image.click_to("[data-testid=foreign-compare]", COMPARE).await?;
            compare.wait_for_text("[data-testid=compare-a]", &format!("{alpine}:3")).await?;
            compare.wait_for_text("[data-testid=compare-b]", "web:2").await?;
            compare.find("[data-testid=compare-layer][data-status='only_a']").await?;
            compare.find("[data-testid=compare-layer][data-status='only_b']").await?;
            app.screenshot("93-browse-compare-with-ecr").await?;

            // Back to it from the comparison (its reference names the other registry).
            let a = "[data-testid=compare-a] button.ref";
            let image = compare.click_to(a, FOREIGN_IMAGE).await?;
            image.wait_for_all("[data-testid=foreign-layer]", 1).await?;

            // "Open repository…" by name: its tags, and the sidebar lists it.
            let busybox = format!("{oci}/team/library/busybox");
            let field = format!("{section} [data-testid=open-repository]");
            side.type_into(&field, "team/library/busybox").await?;
            side.type_into(&field, Key::Enter).await?;
            let tags = app.on(&browser(&busybox));
            tags.find("[data-testid=tag-row][data-tag='1']").await?;
            side.find(&format!("{section} [data-testid=registry-repo][data-name='team/library/busybox']")).await?;
            app.screenshot("94-browse-open-by-name").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;
    // Opened, so remembered in the settings file (names only), for the next start.
    let text = std::fs::read_to_string(std::path::Path::new(&config).join("config.json"))?;
    ensure!(text.contains("team/library/busybox") && text.contains("team/library/alpine"), "{text}");
    ensure!(!text.contains(&sandbox_var("OCI_REGISTRY_PASSWORD")), "a password in the settings file");
    Ok(())
}
