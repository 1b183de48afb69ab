//! ECR Public in the window: a public repository created through the wizard's Public path with
//! its catalog data, a local image pushed to it by drag and drop, the tag in its view.

use anyhow::{ensure, Result};
use berth_tests::{needs_the_window, App};

use crate::screens::*;

const OTHER_REGISTRIES: &str = "[data-testid=other-registries]";

fn nonce() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() % 1_000_000).unwrap_or(0)
}

/// The view of public repository `name`.
fn public_page(name: &str) -> String {
    format!("[data-testid=public-repository-view][data-name='{name}']")
}

/// Public repository `name` in the sidebar's ECR Public section.
fn public_item(name: &str) -> String {
    format!("[data-testid=public-repo][data-name='{name}']")
}

#[tokio::test]
async fn create_a_public_repository_with_catalog_data_and_push_a_local_image_to_it_by_drag_and_drop() -> Result<()> {
    needs_the_window();
    let name = format!("e2e-pub-{}", nonce());
    let tag = format!("v{}", nonce());
    let (n, t) = (name.clone(), tag.clone());
    App::run(|app| async move {
        let (name, tag) = (n, t);
        let outcome = async {
            // "+" beside ECR Public opens the wizard with Public chosen: catalog data, no settings.
            let step =
                app.on(OTHER_REGISTRIES).click_to("[data-testid=new-public-repository]", &wizard("name")).await?;
            let public = step.find("[data-testid=visibility-public]").await?;
            ensure!(public.is_selected().await?, "Public is chosen");
            step.type_into("[data-testid=repo-name]", name.as_str()).await?;
            step.wait_for_text("[data-testid=name-ok]", "Available").await?;
            app.screenshot("90-public-wizard-visibility").await?;
            let step = step.advance(NEXT, &wizard("catalog")).await?;

            step.wait_for_text("[data-testid=public-no-settings]", "no encryption, scanning, lifecycle").await?;
            step.type_into("[data-testid=public-description]", "Berth's end-to-end app image").await?;
            step.type_into("[data-testid=public-about]", "A tiny image of the demo app.").await?;
            step.type_into("[data-testid=public-usage]", "docker pull it").await?;
            step.click("[data-testid=public-arch][data-value='x86-64']").await?;
            step.click("[data-testid=public-arch][data-value='ARM 64']").await?;
            step.click("[data-testid=public-os][data-value='Linux']").await?;
            app.screenshot("91-public-wizard-catalog").await?;
            let step = step.advance(NEXT, &wizard("review")).await?;

            step.wait_for_text("[data-testid=cli]", "aws ecr-public create-repository").await?;
            step.wait_for_text("[data-testid=cli]", r#""architectures":["ARM 64","x86-64"]"#).await?;
            step.wait_for_text("[data-testid=review-summary]", &format!("public.ecr.aws/berth-sandbox/{name}")).await?;
            app.screenshot("92-public-wizard-review").await?;
            let result = step.click_to("[data-testid=create]", CREATE_RESULT).await?;
            result.wait_for_text("[data-testid=created]", &name).await?;
            let page = result.click_to("[data-testid=open-created]", &public_page(&name)).await?;
            page.wait_for_text("[data-testid=public-catalog]", "ARM 64, x86-64").await?;
            page.wait_for_text("[data-testid=public-usage-text]", "docker pull it").await?;
            page.wait_for_text("[data-testid=public-images-empty]", "No images yet").await?;

            // Drag demo/app:dev from Local images onto the repository in the sidebar.
            page.hold_over(&drag_handle("demo/app:dev"), &public_item(&name), DRAG_GHOST, &format!("/{name}")).await?;
            app.screenshot("93-dragging-onto-ecr-public").await?;
            app.on(DRAG_GHOST).ready().await?;
            app.driver.action_chain().release().perform().await?;

            // The push dialog, on that public repository; the tag is new.
            let dialog = app.on(&format!("{PUSH_DIALOG}[data-public='true']"));
            let repo = dialog.find("[data-testid=push-repository]").await?;
            ensure!(
                repo.prop("value").await?.as_deref() == Some(name.as_str()),
                "the dropped-on public repository is chosen"
            );
            dialog.replace_text("[data-testid=push-tags]", &tag).await?;
            dialog.wait_for_text("[data-testid=push-checks]", "new tag").await?;
            app.screenshot("94-push-to-ecr-public").await?;
            dialog.click("[data-testid=push-start]").await?;
            app.on(JOBS).wait_for_text("[data-testid=job]", "pushed sha256:").await?;

            // The view lists the tag, and pulls name public.ecr.aws.
            let page = app.on(&public_page(&name));
            page.wait_for_text("[data-testid=public-images]", &tag).await?;
            page.wait_for_text(
                "[data-testid=public-pull]",
                &format!("docker pull public.ecr.aws/berth-sandbox/{name}:{tag}"),
            )
            .await?;
            app.screenshot("95-pushed-to-ecr-public").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;
    // The catalog data as ECR Public holds it, read by the AWS CLI (a client Berth did not write).
    let cli = berth_tests::root().join("target/tools/awscli-venv/bin/aws");
    let out = std::process::Command::new(cli)
        .args(["ecr-public", "get-repository-catalog-data", "--repository-name", &name, "--region", "us-east-1"])
        .args(["--endpoint-url", &berth_tests::sandbox_var("AWS_ENDPOINT_URL"), "--output", "json"])
        .output()?;
    let catalog: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let data = &catalog["catalogData"];
    ensure!(data["description"] == "Berth's end-to-end app image", "{catalog}");
    ensure!(data["aboutText"] == "A tiny image of the demo app." && data["usageText"] == "docker pull it", "{catalog}");
    ensure!(data["architectures"] == serde_json::json!(["ARM 64", "x86-64"]), "{catalog}");
    ensure!(data["operatingSystems"] == serde_json::json!(["Linux"]), "{catalog}");
    Ok(())
}
