//! End-to-end: browsing another registry in the window — the sandbox's plain OCI registry,
//! found in the user's Docker configuration (no credentials typed): open its section, open a
//! `team/…` repository, its tags with a filter and a digest on demand, a tag's image read
//! from that registry (layers, pull command), then "Compare with…" an ECR image; a
//! repository opened by name ("Open repository…") is remembered for the next start; that image
//! "Copy to…" ECR, and an ECR tag dragged onto a repository of that registry, each read back
//! with the same digest by a client Berth did not write.

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
    // Tags of this run, into ECR and into the plain registry.
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() % 1_000_000;
    let (into_ecr, into_oci) = (format!("from-oci-{nonce}"), format!("from-ecr-{nonce}"));
    let east = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    let web_digest = ecr_digest(&east, "web", "2").await?;
    let (oci2, alpine2, section2, web2) = (oci.clone(), alpine.clone(), section.clone(), web_digest.clone());
    let (into_ecr2, into_oci2, digest2) = (into_ecr.clone(), into_oci.clone(), digest.clone());
    App::run_with_env(&env, |app| async move {
        let (oci, alpine, section, web_digest) = (oci2, alpine2, section2, web2);
        let (into_ecr, into_oci, digest) = (into_ecr2, into_oci2, digest2);
        let outcome = async {
            // The registry of the Docker configuration is listed, marked so, closed.
            let side = app.on(OTHER_REGISTRIES);
            side.wait_for_text(&format!("{section} [data-testid=from-docker-config]"), "Docker config").await?;
            side.click(&format!("{section} [data-testid=registry-toggle]")).await?;
            let repo = format!("{section} [data-testid=registry-repo][data-name='team/library/alpine']");
            side.find(&repo).await?;
            app.screenshot("100-browse-docker-config-registry").await?;

            // Its repository: the tags, filtered, and a digest on demand.
            let tags = side.click_to(&repo, &browser(&alpine)).await?;
            tags.wait_for_text("[data-testid=browser-repository]", "team/library/alpine").await?;
            tags.wait_for_text("[data-testid=browser-host]", &oci).await?;
            let row = "[data-testid=tag-row][data-tag='3']";
            tags.find(row).await?;
            tags.type_into("[data-testid=tag-filter]", "3").await?;
            tags.click(&format!("{row} [data-testid=tag-digest]")).await?;
            tags.wait_for_text(row, &digest[..19]).await.context("the digest skopeo reads")?;
            app.screenshot("101-browse-tags").await?;

            // A tag's image, read from that registry: platforms, layers, the pull command.
            let image = tags.click_to(&format!("{row} [data-testid=tag-open]"), FOREIGN_IMAGE).await?;
            image.wait_for_all("[data-testid=foreign-layer]", 1).await?;
            image.wait_for_text("[data-testid=foreign-platforms]", "linux/arm64").await?;
            image.wait_for_text("[data-testid=foreign-pull]", &format!("docker pull {alpine}:3")).await?;
            image.wait_for_text("h1", &format!("{alpine}:3")).await?;
            app.screenshot("102-browse-image").await?;

            // Compared with an image of ECR (the active registry).
            image.type_into("[data-testid=foreign-compare-with]", "web:2").await?;
            let compare = image.click_to("[data-testid=foreign-compare]", COMPARE).await?;
            compare.wait_for_text("[data-testid=compare-a]", &format!("{alpine}:3")).await?;
            compare.wait_for_text("[data-testid=compare-b]", "web:2").await?;
            compare.find("[data-testid=compare-layer][data-status='only_a']").await?;
            compare.find("[data-testid=compare-layer][data-status='only_b']").await?;
            app.screenshot("103-browse-compare-with-ecr").await?;

            // Back to it from the comparison (its reference names the other registry).
            let a = "[data-testid=compare-a] button.ref";
            let image = compare.click_to(a, FOREIGN_IMAGE).await?;
            image.wait_for_all("[data-testid=foreign-layer]", 1).await?;

            // "Copy to…" from there: into ECR (the active registry), registry to registry.
            let dialog = image.click_to("[data-testid=foreign-copy]", COPY_DIALOG).await?;
            dialog.type_into("[data-testid=copy-repository]", "web").await?;
            dialog.replace_text("[data-testid=copy-tags]", &into_ecr).await?;
            dialog.wait_for_text("[data-testid=copy-check]", &format!("web:{into_ecr}")).await?;
            app.screenshot("104-browse-copy-to-ecr").await?;
            dialog.click("[data-testid=copy-start]").await?;
            copy_job_done(&app, &format!("web:{into_ecr}")).await?;

            // "Open repository…" by name: its tags, and the sidebar lists it.
            let busybox = format!("{oci}/team/library/busybox");
            let field = format!("{section} [data-testid=open-repository]");
            side.type_into(&field, "team/library/busybox").await?;
            side.type_into(&field, Key::Enter).await?;
            let tags = app.on(&browser(&busybox));
            tags.find("[data-testid=tag-row][data-tag='1']").await?;
            side.find(&format!("{section} [data-testid=registry-repo][data-name='team/library/busybox']")).await?;
            app.screenshot("105-browse-open-by-name").await?;

            // An ECR tag dragged onto that repository of the Docker configuration's registry.
            let page = app.on(OTHER_REGISTRIES).click_to(&repo_item("web"), &repo_page("web")).await?;
            let handle = format!("[data-testid=image-row][data-digest='{web_digest}'] [data-testid=image-drag]");
            let target = format!("{section} [data-testid=registry-repo][data-name='team/library/busybox']");
            // Held until the ghost names busybox (the pointer may cross alpine on its way).
            page.hold_over(&handle, &target, DRAG_GHOST, &format!("copy to {busybox}")).await?;
            app.on(DRAG_GHOST).ready().await?;
            app.driver.action_chain().release().perform().await?;
            let dialog = app.on(COPY_DIALOG);
            dialog.wait_for_value("[data-testid=copy-repository]", "team/library/busybox").await?;
            dialog.replace_text("[data-testid=copy-tags]", &into_oci).await?;
            dialog
                .wait_for_text("[data-testid=copy-check]", &format!("team/library/busybox:{into_oci} in {oci}"))
                .await?;
            app.screenshot("106-browse-drop-onto-docker-config-registry").await?;
            dialog.click("[data-testid=copy-start]").await?;
            copy_job_done(&app, &format!("team/library/busybox:{into_oci} in {oci}")).await?;
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
    // Both copies kept their digests: the index read through the ECR API, the ECR image
    // read back from the plain registry by skopeo.
    let copied = ecr_digest(&east, "web", &into_ecr).await?;
    ensure!(copied == digest, "web:{into_ecr} is {copied}, {alpine}:3 is {digest}");
    let back = skopeo_digest(&format!("{oci}/team/library/busybox:{into_oci}"))?;
    ensure!(back == web_digest, "busybox:{into_oci} is {back}, web:2 is {web_digest}");
    Ok(())
}
