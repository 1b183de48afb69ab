//! End-to-end: promotion in the window — pin another region of the same profile in the
//! sidebar, drag a tag of a repository onto a repository of that region, watch the copy job,
//! and find the tag there with the same digest; "Copy to…" as the menu alternative.

use anyhow::{ensure, Context, Result};
use berth_tests::{needs_the_window, App};

use crate::screens::*;

const OTHER_REGISTRIES: &str = "[data-testid=other-registries]";

fn nonce() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_nanos() % 1_000_000
}

async fn aws_in(region: &str) -> Result<berth_aws::Aws> {
    let mut settings = berth_aws::ConnectionSettings::from_env();
    settings.region = Some(region.to_string());
    Ok(berth_aws::Aws::connect(settings).await?)
}

#[tokio::test]
async fn drag_a_tag_onto_a_repository_of_another_region_and_copy_another_from_the_menu() -> Result<()> {
    needs_the_window();
    let n = nonce();
    let destination = format!("promoted/web-{n}");
    let west = aws_in("us-west-2").await?;
    west.create_repository(&berth_core::model::RepositorySpec::named(&destination)).await?;
    let east = aws_in("us-east-1").await?;
    let source_digest = ecr_digest(&east, "api/orders", "1.1.0").await?;
    let menu_tag = format!("e2e-copy-{n}");
    let config_dir = berth_tests::scratch_dir("copy-config")?;
    let config = config_dir.to_string_lossy().into_owned();

    let (dest, tag2, digest) = (destination.clone(), menu_tag.clone(), source_digest.clone());
    App::run_with_env(&[("BERTH_CONFIG_DIR", &config)], |app| async move {
        let (destination, menu_tag, source_digest) = (dest, tag2, digest);
        let outcome = async {
            // Pin the same profile in us-west-2: "Other registries" → + → AWS profile and region.
            let side = app.on(OTHER_REGISTRIES);
            side.click("[data-testid=add-registry]").await?;
            let form = app.on("[data-testid=add-registry-form]");
            form.click("[data-testid=add-registry-profile] option[value='env']").await?;
            form.click("[data-testid=add-registry-region] option[value='us-west-2']").await?;
            app.screenshot("110-add-registry").await?;
            form.click("[data-testid=add-registry-save]").await?;
            let section = "[data-testid=registry-section][data-key='pinned|env|us-west-2']";
            side.click(&format!("{section} [data-testid=registry-toggle]")).await?;
            let target = format!("{section} [data-testid=registry-repo][data-name='{destination}']");
            side.find(&target).await?;

            // Drag api/orders:1.1.0 by its handle onto that repository.
            let page = app.on(OVERVIEW).click_to(&repo_item("api/orders"), &repo_page("api/orders")).await?;
            let handle = format!("[data-testid=image-row][data-digest='{source_digest}'] [data-testid=image-drag]");
            page.find(&handle).await?;
            // The ghost names this very target (a looser "copy to" also matched the source's own
            // repository in the sidebar, where a layout change once put the pointer).
            page.hold_over(&handle, &target, DRAG_GHOST, &format!("copy to {destination} (us-west-2)")).await?;
            app.screenshot("111-dragging-a-tag-to-another-region").await?;
            app.on(DRAG_GHOST).ready().await?;
            app.driver.action_chain().release().perform().await?;

            // The dialog names both ends with their account and region, checked before anything moves.
            let dialog = app.on(COPY_DIALOG);
            dialog.wait_for_value("[data-testid=copy-repository]", &destination).await?;
            dialog.wait_for_text("[data-testid=copy-check]", "us-west-2").await?;
            dialog.wait_for_text("[data-testid=copy-check]", "us-east-1").await?;
            app.screenshot("112-copy-dialog").await?;
            dialog.click("[data-testid=copy-start]").await?;
            let jobs = app.on(JOBS);
            jobs.wait_for_text("[data-testid=job]", "copied sha256:").await?;
            app.screenshot("113-copy-done").await?;

            // The menu alternative: select the row, "Copy to…", a new tag in this registry.
            let page = app.on(&repo_page("api/orders"));
            page.click(&image_select(&source_digest)).await?;
            let dialog = page.click_to("[data-testid=images-copy]", COPY_DIALOG).await?;
            dialog.type_into("[data-testid=copy-repository]", "web").await?;
            dialog.replace_text("[data-testid=copy-tags]", &menu_tag).await?;
            dialog.wait_for_text("[data-testid=copy-check]", &format!("web:{menu_tag}")).await?;
            dialog.click("[data-testid=copy-start]").await?;
            // This job's own line (the first copy's may still be in the tray).
            copy_job_done(&app, &format!("web:{menu_tag}")).await?;
            app.screenshot("114-copied-from-the-menu").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;

    // Read back through the ECR API: the same digest in the other region, and under the new tag.
    let copied = ecr_digest(&west, &destination, "1.1.0").await?;
    ensure!(copied == source_digest, "us-west-2 has {copied}, the source is {source_digest}");
    let retagged = ecr_digest(&east, "web", &menu_tag).await.context("the menu's copy")?;
    ensure!(retagged == source_digest, "web:{menu_tag} is {retagged}");
    Ok(())
}

/// `aws ecr-public describe-images` (the AWS CLI, a client Berth did not write).
fn public_digests(repository: &str) -> Result<Vec<String>> {
    let cli = berth_tests::root().join("target/tools/awscli-venv/bin/aws");
    let out = std::process::Command::new(cli)
        .args(["ecr-public", "describe-images", "--repository-name", repository, "--region", "us-east-1"])
        .args(["--endpoint-url", &berth_tests::sandbox_var("AWS_ENDPOINT_URL"), "--output", "json"])
        .output()?;
    ensure!(out.status.success(), "describe-images: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(v["imageDetails"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["imageDigest"].as_str().map(str::to_string))
        .collect())
}

#[tokio::test]
async fn create_a_public_repository_with_catalog_data_and_drag_a_tag_onto_it() -> Result<()> {
    needs_the_window();
    let name = format!("e2e-public-{}", nonce());
    let east = aws_in("us-east-1").await?;
    let source_digest = ecr_digest(&east, "web", "2").await?;
    let (n, digest) = (name.clone(), source_digest.clone());
    App::run(|app| async move {
        let (name, source_digest) = (n, digest);
        let outcome = async {
            // A public repository through the wizard's Public path, with catalog data.
            let step =
                app.on(OTHER_REGISTRIES).click_to("[data-testid=new-public-repository]", &wizard("name")).await?;
            step.type_into("[data-testid=repo-name]", name.as_str()).await?;
            step.wait_for_text("[data-testid=name-ok]", "Available").await?;
            let step = step.advance(NEXT, &wizard("catalog")).await?;
            step.type_into("[data-testid=public-description]", "Berth's end-to-end web image").await?;
            step.type_into("[data-testid=public-usage]", "docker pull it").await?;
            step.click("[data-testid=public-arch][data-value='x86-64']").await?;
            step.click("[data-testid=public-os][data-value='Linux']").await?;
            app.screenshot("115-public-repository-form").await?;
            let step = step.advance(NEXT, &wizard("review")).await?;
            let result = step.click_to("[data-testid=create]", CREATE_RESULT).await?;
            result.wait_for_text("[data-testid=created]", &name).await?;
            let public_view = format!("[data-testid=public-repository-view][data-name='{name}']");
            let opened = result.click_to("[data-testid=open-created]", &public_view).await?;
            let target = format!("[data-testid=public-repo][data-name='{name}']");
            app.on(OTHER_REGISTRIES).find(&target).await?;

            // Drag web:2 onto it; the dialog names public.ecr.aws; the copy lands.
            let page = opened.click_to(&repo_item("web"), &repo_page("web")).await?;
            let handle = format!("[data-testid=image-row][data-digest='{source_digest}'] [data-testid=image-drag]");
            page.find(&handle).await?;
            page.hold_over(&handle, &target, DRAG_GHOST, &format!("/{name}")).await?;
            app.on(DRAG_GHOST).ready().await?;
            app.driver.action_chain().release().perform().await?;
            let dialog = app.on(COPY_DIALOG);
            dialog.wait_for_text("[data-testid=copy-check]", &format!("public.ecr.aws/berth-sandbox/{name}:2")).await?;
            app.screenshot("116-copy-to-ecr-public").await?;
            dialog.click("[data-testid=copy-start]").await?;
            app.on(JOBS).wait_for_text("[data-testid=job]", "copied sha256:").await?;
            app.screenshot("117-copied-to-ecr-public").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;
    let digests = public_digests(&name)?;
    ensure!(digests.contains(&source_digest), "ECR Public lists {digests:?}, the source is {source_digest}");
    let cli = berth_tests::root().join("target/tools/awscli-venv/bin/aws");
    let out = std::process::Command::new(cli)
        .args(["ecr-public", "get-repository-catalog-data", "--repository-name", &name, "--region", "us-east-1"])
        .args(["--endpoint-url", &berth_tests::sandbox_var("AWS_ENDPOINT_URL"), "--output", "json"])
        .output()?;
    let catalog: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    ensure!(catalog["catalogData"]["description"] == "Berth's end-to-end web image", "{catalog}");
    ensure!(catalog["catalogData"]["architectures"] == serde_json::json!(["x86-64"]), "{catalog}");
    ensure!(catalog["catalogData"]["operatingSystems"] == serde_json::json!(["Linux"]), "{catalog}");
    Ok(())
}
