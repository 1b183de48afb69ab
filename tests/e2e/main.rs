//! End-to-end: the real app binary under Xvfb, driven through tauri-driver and WebKitWebDriver,
//! against the sandbox. Screenshots of each step go to target/e2e/.

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use berth_tests::{sandbox_var, App};
use thirtyfour::prelude::*;

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn browse_repositories_and_images() -> Result<()> {
    let registry = sandbox_var("BERTH_REGISTRY_ENDPOINT");
    App::run(|app| async move {
        let outcome = async {
            // The window opens on the sandbox connection.
            app.wait_for_text("[data-testid=profile]", "Default chain", WAIT)
                .await?;
            app.wait_for_text("[data-testid=region]", "us-east-1", WAIT)
                .await?;
            // The seeded repositories are listed (as a tree by namespace).
            let repos = app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;
            let mut names = Vec::new();
            for r in &repos {
                names.push(r.attr("data-name").await?.unwrap_or_default());
            }
            for expected in ["api/orders", "api/payments", "web", "tools/empty"] {
                ensure!(
                    names.iter().any(|n| n == expected),
                    "{expected} not in the sidebar: {names:?}"
                );
            }
            app.wait_for_all("[data-testid=local-item]", 3, WAIT)
                .await?;
            app.screenshot("01-repositories").await?;

            // Filtering narrows the tree as you type.
            let filter = app
                .driver
                .find(By::Css("[data-testid=repo-filter]"))
                .await?;
            filter.send_keys("pay").await?;
            app.wait_for_all("[data-testid=repo-item][data-name='api/payments']", 1, WAIT)
                .await?;
            let shown = app
                .driver
                .find_all(By::Css("[data-testid=repo-item]"))
                .await?;
            ensure!(
                shown.len() == 1,
                "the filter 'pay' leaves {} repositories",
                shown.len()
            );
            // Clear it as a user does (WebDriver's clear() fires no input event in WebKit).
            filter.send_keys(Key::Control + "a").await?;
            filter.send_keys(Key::Backspace).await?;
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;

            // Selecting a repository lists its images: tags, digest, size, pushed at.
            app.driver
                .find(By::Css("[data-testid=repo-item][data-name='api/orders']"))
                .await?
                .click()
                .await?;
            app.wait_for_text("[data-testid=repository-name]", "api/orders", WAIT)
                .await?;
            app.wait_for_text("[data-testid=images-status]", "3 images", WAIT)
                .await?;
            let rows = app.wait_for_all("[data-testid=image-row]", 3, WAIT).await?;
            let mut texts = Vec::new();
            for row in &rows {
                texts.push(row.text().await?);
            }
            ensure!(
                texts
                    .iter()
                    .any(|t| t.contains("latest") && t.contains("1.1.0")),
                "{texts:?}"
            );
            ensure!(
                texts.iter().any(|t| t.contains("untagged")),
                "no untagged row: {texts:?}"
            );
            ensure!(
                texts.iter().all(|t| t.contains("MiB")),
                "sizes in MiB: {texts:?}"
            );
            let uri = app
                .driver
                .find(By::Css("[data-testid=repository-uri]"))
                .await?
                .attr("data-uri")
                .await?;
            ensure!(
                uri.as_deref() == Some(format!("{registry}/api/orders").as_str()),
                "the URI uses the registry endpoint: {uri:?}"
            );
            app.screenshot("02-images").await?;

            // A local image shows its details.
            app.driver
                .find(By::Css("[data-testid=local-item]"))
                .await?
                .click()
                .await?;
            app.wait_for_text("[data-testid=local-image-view]", "Layers", WAIT)
                .await?;
            app.screenshot("03-local-image")
                .await
                .context("screenshot")?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn a_dead_engine_and_an_unreachable_api_say_what_to_do() -> Result<()> {
    sandbox_var("AWS_ENDPOINT_URL");
    let env = [
        ("DOCKER_HOST", "unix:///nonexistent/berth/docker.sock"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
    ];
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            let engine = app
                .wait_for_text(
                    "[data-testid=engine-error]",
                    "unix:///nonexistent/berth/docker.sock",
                    WAIT,
                )
                .await?;
            let text = engine.text().await?;
            ensure!(
                text.contains("DOCKER_HOST") && text.contains("Retry"),
                "{text}"
            );
            let api = app
                .wait_for_text("[data-testid=repo-error]", "cannot be reached", WAIT)
                .await?;
            let text = api.text().await?;
            ensure!(
                text.contains("endpoint") && text.contains("Retry"),
                "{text}"
            );
            app.screenshot("04-unreachable").await?;
            // Retry asks again (and fails the same way, without losing the page).
            api.find(By::Css("button")).await?.click().await?;
            app.wait_for_text("[data-testid=repo-error]", "cannot be reached", WAIT)
                .await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}
