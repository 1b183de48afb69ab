//! End-to-end: the real app binary under Xvfb, driven through tauri-driver and WebKitWebDriver,
//! against the sandbox. Screenshots of each step go to target/e2e/.
//!
//! Every step acts through `app.on(SCREEN)` (see berth_tests::Screen): it waits for the marker
//! of the screen it expects, and for its target to be displayed and enabled, before it clicks,
//! types or drags; a click that changes the screen waits for the next one's marker.

mod a11y;
mod browse;
mod copy;
mod help;
mod keyboard;
mod palette;
mod public;
mod registry;
mod sandbox;
mod screens;
mod window;

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use berth_tests::{needs_the_window, sandbox_var, App};
use screens::*;
use thirtyfour::prelude::*;

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn browse_repositories_and_images() -> Result<()> {
    needs_the_window();
    let registry = sandbox_var("SANDBOX_REGISTRY");
    App::run(|app| async move {
        let outcome = async {
            // The window opens on the sandbox connection.
            app.wait_for_text("[data-testid=profile-select] option:checked", "Default chain", WAIT).await?;
            app.wait_for_text("[data-testid=region-select] option:checked", "us-east-1", WAIT).await?;
            // The seeded repositories are listed (as a tree by namespace).
            let repos = app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;
            let mut names = Vec::new();
            for r in &repos {
                names.push(r.attr("data-name").await?.unwrap_or_default());
            }
            for expected in ["api/orders", "api/payments", "web", "tools/empty"] {
                ensure!(names.iter().any(|n| n == expected), "{expected} not in the sidebar: {names:?}");
            }
            app.wait_for_all("[data-testid=local-item]", 3, WAIT).await?;
            // The registry overview: every repository with its settings, and the account.
            let overview = app.on(OVERVIEW);
            overview.wait_for_all("[data-testid=repository-row]", 4).await?;
            overview.wait_for_text("[data-testid=registry-summary]", "000000000000").await?;
            overview.wait_for_text("[data-testid=repository-row][data-name='api/payments']", "KMS").await?;
            // Each row's figures, read as it comes into view: api/orders holds its seeded images.
            let images =
                overview.find("[data-testid=repository-row][data-name='api/orders'] [data-testid=repo-images]").await?;
            let shown = images.prop("textContent").await?.unwrap_or_default();
            ensure!(shown.trim().parse::<u32>().is_ok_and(|n| n >= 3), "api/orders shows {shown:?} images");
            // Its lifecycle policy (the seed gives it one), and none for api/payments.
            overview
                .wait_for_text(
                    "[data-testid=repository-row][data-name='api/orders'] [data-testid=repo-lifecycle]",
                    "rule",
                )
                .await?;
            overview
                .wait_for_text(
                    "[data-testid=repository-row][data-name='api/payments'] [data-testid=repo-lifecycle]",
                    "none",
                )
                .await?;
            app.screenshot("01-repositories").await?;

            // Filtering narrows the tree as you type.
            overview.type_into("[data-testid=repo-filter]", "pay").await?;
            app.wait_for_all(&repo_item("api/payments"), 1, WAIT).await?;
            let shown = app.driver.find_all(By::Css("[data-testid=repo-item]")).await?;
            ensure!(shown.len() == 1, "the filter 'pay' leaves {} repositories", shown.len());
            // Clear it as a user does (WebDriver's clear() fires no input event in WebKit).
            overview.clear("[data-testid=repo-filter]").await?;
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;

            // Selecting a repository lists its images: tags, digest, size, pushed at.
            let page = overview.click_to(&repo_item("api/orders"), &repo_page("api/orders")).await?;
            page.wait_for_text("[data-testid=repository-name]", "api/orders").await?;
            // Three active images, and 0.9.0 in the archive (the seed archives it).
            page.wait_for_text("[data-testid=images-status]", "4 images").await?;
            let rows = page.wait_for_all("[data-testid=image-row]", 3).await?;
            let mut texts = Vec::new();
            for row in &rows {
                // textContent: WebKitWebDriver's text() leaves out ellipsized cells.
                texts.push(row.prop("textContent").await?.unwrap_or_default());
            }
            ensure!(texts.iter().any(|t| t.contains("latest") && t.contains("1.1.0")), "{texts:?}");
            ensure!(texts.iter().any(|t| t.contains("untagged")), "no untagged row: {texts:?}");
            ensure!(
                texts.iter().any(|t| t.contains("0.9.0") && t.contains("archived")),
                "the archived image: {texts:?}"
            );
            ensure!(texts.iter().all(|t| t.contains("MiB")), "sizes in MiB: {texts:?}");
            let uri = page.find("[data-testid=repository-uri]").await?.attr("data-uri").await?;
            ensure!(
                uri.as_deref() == Some(format!("{registry}/api/orders").as_str()),
                "the URI uses the registry endpoint: {uri:?}"
            );
            app.screenshot("02-images").await?;

            // A local image shows its details.
            let local = page.click_to("[data-testid=local-item]", LOCAL_IMAGE).await?;
            local.wait_for_text(LOCAL_IMAGE, "Layers").await?;
            // What the engine holds: each layer, the configuration and the build history.
            local.wait_for_all("[data-testid=local-layer]", 1).await?;
            local.wait_for_text("[data-testid=local-config]", "Entrypoint").await?;
            app.screenshot("03-local-image").await.context("screenshot")?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn a_dead_engine_and_an_unreachable_api_say_what_to_do() -> Result<()> {
    needs_the_window();
    let env = [("DOCKER_HOST", "unix:///nonexistent/berth/docker.sock"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9")];
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            let engine =
                app.wait_for_text("[data-testid=engine-error]", "unix:///nonexistent/berth/docker.sock", WAIT).await?;
            let text = engine.text().await?;
            ensure!(text.contains("DOCKER_HOST") && text.contains("Retry"), "{text}");
            let api = app.wait_for_text(REPO_ERROR, "cannot be reached", WAIT).await?;
            let text = api.text().await?;
            ensure!(text.contains("endpoint") && text.contains("Retry"), "{text}");
            app.screenshot("04-unreachable").await?;
            // Retry asks again (and fails the same way, without losing the page).
            app.on(REPO_ERROR).click(&format!("{REPO_ERROR} button")).await?;
            app.on(WELCOME).wait_for_text(REPO_ERROR, "cannot be reached").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn add_an_app_profile_test_it_switch_to_it_and_remove_it() -> Result<()> {
    needs_the_window();
    let endpoint = sandbox_var("AWS_ENDPOINT_URL");
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos();
    let secret = format!("e2eSecret{nonce}xyzXYZ");
    let name = format!("e2e-sandbox-{}", nonce % 100_000);
    let id = format!("app:{name}");
    let config_dir = berth_tests::scratch_dir("profiles")?;
    let config = config_dir.to_string_lossy().to_string();
    // No usable credentials in the environment: only the new profile can reach the sandbox.
    let env = [
        ("AWS_ENDPOINT_URL", ""),
        ("AWS_ACCESS_KEY_ID", ""),
        ("AWS_SECRET_ACCESS_KEY", ""),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("BERTH_REGISTRY_ENDPOINT", ""),
        ("BERTH_CONFIG_DIR", config.as_str()),
    ];
    let (s1, n1, e1, r1, i1) = (secret.clone(), name.clone(), endpoint.clone(), registry.clone(), id.clone());
    App::run_with_env(&env, |app| async move {
        let (secret, name, endpoint, registry, id) = (s1, n1, e1, r1, i1);
        let outcome = async {
            let welcome = app.on(WELCOME);
            welcome.wait_for_text(REPO_ERROR, "no AWS credentials").await?;
            // A first run: the onboarding screen says how to connect, not only that it failed.
            welcome.wait_for_text("[data-testid=onboarding]", "Connect Berth to your registry").await?;
            welcome.find("[data-testid=onboarding-add]").await?;
            app.screenshot("10-no-credentials").await?;

            let profiles = welcome.click_to("[data-testid=manage-profiles]", PROFILES).await?;
            profiles.wait_for_all("[data-testid=profile-row]", 1).await?;
            app.screenshot("11-profiles").await?;

            let form = profiles.click_to("[data-testid=add-profile]", PROFILE_FORM).await?;
            form.type_into("[data-testid=field-name]", name.as_str()).await?;
            form.type_into("[data-testid=field-access-key-id]", "AKIAIOSFODNN7E2ETEST").await?;
            form.type_into("[data-testid=field-secret]", secret.as_str()).await?;
            form.click("[data-testid=field-region] option[value='us-east-1']").await?;
            form.type_into("[data-testid=field-ecr-endpoint]", endpoint.as_str()).await?;
            // A typo: a URL where host:port belongs. The field says so.
            form.type_into("[data-testid=field-registry-endpoint]", format!("http://{registry}")).await?;
            form.click("[data-testid=field-name]").await?;
            form.wait_for_text("[data-testid=profile-form] em", "host[:port]").await?;
            app.screenshot("12-profile-form-typo").await?;
            form.replace_text("[data-testid=field-registry-endpoint]", &registry).await?;
            form.wait_gone("[data-testid=profile-form] em", "host[:port]").await?;
            let profiles = form.click_to("[data-testid=save-profile]", PROFILES).await?;

            profiles.wait_for_text("[data-testid=profiles-notice]", "keychain").await?;
            app.screenshot("13-profile-saved").await?;
            let row = profile_row(&id);
            profiles.click(&format!("{row} [data-testid=test-profile]")).await?;
            profiles.wait_for_text(&format!("{row} [data-testid=test-result]"), "000000000000").await?;
            app.screenshot("14-test-connection").await?;

            profiles.click(&format!("{row} [data-testid=use-profile]")).await?;
            app.wait_for_text("[data-testid=profile-select] option:checked", &name, WAIT).await?;
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;
            // The "Saved …" notice was about the profile before the switch: gone with it.
            app.on(PROFILES).wait_gone("[data-testid=profiles-notice]", "Saved").await?;
            app.screenshot("15-switched-profile").await?;
            ensure!(!app.everything_in_the_page().await?.contains(&secret), "the secret is in the DOM");
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;

    // Restart: the active profile is remembered; remove it (with confirmation).
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            app.wait_for_text("[data-testid=profile-select] option:checked", &name, WAIT).await?;
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;
            ensure!(!app.everything_in_the_page().await?.contains(&secret), "the secret is in the DOM");
            let profiles = app.on(OVERVIEW).click_to("[data-testid=manage-profiles]", PROFILES).await?;
            let row = profile_row(&id);
            let confirm = profiles
                .click_to(
                    &format!("{row} [data-testid=remove-profile]"),
                    &format!("{row} [data-testid=remove-confirm]"),
                )
                .await?;
            confirm.wait_for_text(&format!("{row} [role=alertdialog]"), "keychain").await?;
            app.screenshot("16-remove-confirmation").await?;
            confirm.click(&format!("{row} [data-testid=confirm-remove]")).await?;
            berth_tests::eventually("the profile row to go", WAIT, || async {
                Ok(app.driver.find_all(By::Css(&row)).await?.is_empty().then_some(()))
            })
            .await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

/// Every kind of `~/.aws/config` profile the sandbox can serve (moto plays STS), tested and
/// used from the window: the same files the AWS CLI reads.
#[tokio::test]
async fn every_kind_of_shared_config_profile_connects_in_the_window() -> Result<()> {
    needs_the_window();
    let moto = sandbox_var("AWS_ENDPOINT_URL");
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let dir = berth_tests::scratch_dir("profile-kinds")?;
    let process = dir.join("credential-process.sh");
    std::fs::write(
        &process,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESSE2E00001\", \"SecretAccessKey\": \"e2e-process-secret\"}'\n",
    )?;
    std::process::Command::new("chmod").arg("+x").arg(&process).status()?;
    let token = dir.join("token");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlMmUifQ.c2ln")?;
    let role = |n: &str| format!("arn:aws:iam::000000000000:role/{n}");
    let common = format!("region = us-east-1\nendpoint_url = {moto}\nberth_registry_endpoint = {registry}\n");
    std::fs::write(
        dir.join("config"),
        format!(
            "[profile keys]\n{common}aws_access_key_id = AKIAE2EKEYS00000001\naws_secret_access_key = e2e-keys-secret\n\n\
             [profile role]\n{common}role_arn = {}\nsource_profile = keys\n\n\
             [profile chain]\n{common}role_arn = {}\nsource_profile = role\n\n\
             [profile process]\n{common}credential_process = {}\n\n\
             [profile web]\n{common}role_arn = {}\nweb_identity_token_file = {}\n",
            role("E2eDeploy"),
            role("E2eSecond"),
            process.display(),
            role("E2eWeb"),
            token.display()
        ),
    )?;
    std::fs::write(dir.join("credentials"), "")?;
    let (config, credentials, settings) = (
        dir.join("config").to_string_lossy().to_string(),
        dir.join("credentials").to_string_lossy().to_string(),
        dir.join("settings").to_string_lossy().to_string(),
    );
    // No credentials in the environment: only the profiles of the file reach the sandbox.
    let env = [
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_ENDPOINT_URL", ""),
        ("AWS_ACCESS_KEY_ID", ""),
        ("AWS_SECRET_ACCESS_KEY", ""),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("BERTH_REGISTRY_ENDPOINT", ""),
        ("BERTH_CONFIG_DIR", settings.as_str()),
    ];
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            let welcome = app.on(WELCOME);
            welcome.wait_for_text(REPO_ERROR, "no AWS credentials").await?;
            let profiles = welcome.click_to("[data-testid=manage-profiles]", PROFILES).await?;
            for (name, arn) in [
                ("keys", "user/moto"),
                ("role", "assumed-role/E2eDeploy/"),
                ("chain", "assumed-role/E2eSecond/"),
                ("process", "user/moto"),
                ("web", "assumed-role/E2eWeb/"),
            ] {
                let row = profile_row(&format!("aws:{name}"));
                profiles.click(&format!("{row} [data-testid=test-profile]")).await?;
                profiles.wait_for_text(&format!("{row} [data-testid=test-result]"), arn).await?;
            }
            app.screenshot("18-shared-profile-kinds").await?;
            // Use the two-hop chain: the registry is listed through it.
            profiles.click(&format!("{} [data-testid=use-profile]", profile_row("aws:chain"))).await?;
            app.wait_for_text("[data-testid=profile-select] option:checked", "chain", WAIT).await?;
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;
            let page = app.everything_in_the_page().await?;
            ensure!(
                !page.contains("e2e-keys-secret") && !page.contains("e2e-process-secret"),
                "a secret is in the DOM"
            );
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn without_a_keychain_the_app_still_works_and_says_why_it_cannot_hold_profiles() -> Result<()> {
    needs_the_window();
    let env = [("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/berth-e2e-bus")];
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;
            let profiles = app.on(OVERVIEW).click_to("[data-testid=manage-profiles]", PROFILES).await?;
            let notice = profiles.wait_for_text(PROFILES, "No OS keychain").await?;
            ensure!(notice.text().await?.contains("~/.aws/config"));
            let add = profiles.find("[data-testid=add-profile]").await?;
            ensure!(!add.is_enabled().await?, "Add profile must be disabled without a keychain");
            app.screenshot("17-no-keychain").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn create_a_repository_with_the_wizard_and_delete_it() -> Result<()> {
    needs_the_window();
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let name = format!("e2e/svc-{nonce}");
    let n1 = name.clone();
    App::run(|app| async move {
        let name = n1;
        let outcome = async {
            let step = app.on(OVERVIEW).click_to("[data-testid=new-repository]", &wizard("name")).await?;
            // A typo: the reason and a suggestion show under the field.
            step.type_into("[data-testid=repo-name]", "My Service").await?;
            step.wait_for_text("[data-testid=name-problem]", "lower case").await?;
            step.wait_for_text("[data-testid=name-problem]", "my-service").await?;
            app.screenshot("20-wizard-name-typo").await?;
            step.replace_text("[data-testid=repo-name]", &name).await?;
            step.wait_for_text("[data-testid=name-ok]", "Available").await?;
            app.screenshot("21-wizard-name").await?;
            let step = step.advance(NEXT, &wizard("settings")).await?;

            step.click("[data-testid=encryption-kms]").await?;
            step.wait_for_all("[data-testid=kms-key] option", 2).await?;
            step.choose("[data-testid=kms-key]", "alias/berth-payments").await?;
            app.screenshot("22-wizard-settings").await?;
            let step = step.advance(NEXT, &wizard("lifecycle")).await?;

            step.click("[data-testid=lifecycle-keep-last]").await?;
            step.wait_for_value("[data-testid=wizard-lifecycle] textarea", "imageCountMoreThan").await?;
            app.screenshot("23-wizard-lifecycle").await?;
            let step = step.advance(NEXT, &wizard("permissions")).await?;

            step.click("[data-testid=policy-pull-accounts]").await?;
            step.type_into("[data-testid=policy-accounts]", "111122223333").await?;
            step.wait_for_text("[data-testid=policy-words]", "Allow account 111122223333 to pull").await?;
            app.screenshot("24-wizard-permissions").await?;
            let step = step.advance(NEXT, &wizard("tags")).await?;

            step.click("[data-testid=add-tag]").await?;
            step.type_into("[data-testid=tag-key]", "team").await?;
            step.type_into("[data-testid=tag-value]", "e2e").await?;
            app.screenshot("25-wizard-tags").await?;
            let step = step.advance(NEXT, &wizard("review")).await?;

            step.wait_for_text("[data-testid=cli]", "aws ecr create-repository").await?;
            step.wait_for_text("[data-testid=review-summary]", "Allow account 111122223333 to pull").await?;
            app.screenshot("26-wizard-review").await?;
            let result = step.click_to("[data-testid=create]", CREATE_RESULT).await?;

            result.wait_for_text("[data-testid=created]", &name).await?;
            result.wait_for_text("[data-testid=push-berth]", &format!("berth push IMAGE {name}:TAG")).await?;
            result.wait_for_text("[data-testid=push-docker]", "docker push").await?;
            app.screenshot("27-wizard-created").await?;
            let page = result.click_to("[data-testid=open-created]", &repo_page(&name)).await?;
            page.wait_for_text("[data-testid=repository-name]", &name).await?;
            page.wait_for_all(&repo_item(&name), 1).await?;

            // What was created, read back through the CLI (the ECR API), not the window.
            let shown = std::process::Command::new(berth_tests::bin("berth"))
                .args(["repos", "show", &name, "--json"])
                .output()?;
            ensure!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
            let d: serde_json::Value = serde_json::from_slice(&shown.stdout)?;
            ensure!(d["repository"]["tag_mutability"] == "IMMUTABLE" && d["repository"]["scan_on_push"] == true, "{d}");
            ensure!(d["repository"]["encryption"]["kind"] == "KMS", "{d}");
            ensure!(d["lifecycle_policy"].as_str().unwrap_or("").contains("imageCountMoreThan"), "{d}");
            ensure!(d["repository_policy"].as_str().unwrap_or("").contains("111122223333"), "{d}");
            ensure!(d["tags"][0]["key"] == "team" && d["tags"][0]["value"] == "e2e", "{d}");

            // Settings afterwards: scan on push off, saved, read back through the CLI.
            let settings = page.click_to("[data-testid=tab-settings]", SETTINGS_TAB).await?;
            settings.click("[data-testid=settings-scan]").await?;
            settings.click("[data-testid=save-general]").await?;
            settings.wait_for_text(SETTINGS_TAB, "Saved.").await?;
            app.screenshot("29-repository-settings").await?;
            let shown = std::process::Command::new(berth_tests::bin("berth"))
                .args(["repos", "show", &name, "--json"])
                .output()?;
            let d: serde_json::Value = serde_json::from_slice(&shown.stdout)?;
            ensure!(d["repository"]["scan_on_push"] == false, "{d}");
            settings.click_to("[data-testid=tab-images]", IMAGES_TAB).await?;

            // Delete it: the typed name enables the button.
            let dialog = page.click_to("[data-testid=delete-repository]", DELETE_REPOSITORY).await?;
            dialog.wait_for_text(DELETE_REPOSITORY, "no images").await?;
            let confirm = dialog.find("[data-testid=delete-confirm]").await?;
            ensure!(!confirm.is_enabled().await?, "delete must wait for the typed name");
            dialog.type_into("[data-testid=delete-confirm-name]", &name).await?;
            app.screenshot("28-delete-confirmation").await?;
            dialog.click("[data-testid=delete-confirm]").await?;
            berth_tests::eventually("the repository to leave the sidebar", WAIT, || async {
                let items = app.driver.find_all(By::Css(repo_item(&name))).await?;
                Ok(items.is_empty().then_some(()))
            })
            .await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn a_policy_the_server_refuses_is_reported_fixed_and_retried() -> Result<()> {
    needs_the_window();
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let name = format!("e2e/partial-{nonce}");
    let n1 = name.clone();
    App::run(|app| async move {
        let name = n1;
        let outcome = async {
            let step = app.on(OVERVIEW).click_to("[data-testid=new-repository]", &wizard("name")).await?;
            step.type_into("[data-testid=repo-name]", &name).await?;
            step.wait_for_text("[data-testid=name-ok]", "Available").await?;
            let step = step.advance(NEXT, &wizard("settings")).await?;
            let step = step.advance(NEXT, &wizard("lifecycle")).await?;
            let step = step.advance(NEXT, &wizard("permissions")).await?;
            // Well-formed JSON that AWS's policy validator refuses: an action without "ecr:".
            step.click("[data-testid=policy-pull-accounts]").await?;
            step.type_into("[data-testid=policy-accounts]", "111122223333").await?;
            step.wait_for_value("[data-testid=wizard-permissions] textarea", "ecr:BatchGetImage").await?;
            step.replace_text(
                "[data-testid=wizard-permissions] textarea",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["BatchGetImage"]}]}"#,
            )
            .await?;
            // Next, as soon as the policy is typed: the step may still be checking the half-typed
            // JSON and turn the click down; `advance` clicks again, as a user would.
            let step = step.advance(NEXT, &wizard("tags")).await?;
            let step = step.advance(NEXT, &wizard("review")).await?;
            step.wait_for_text("[data-testid=cli]", "set-repository-policy").await?;
            let result = step.click_to("[data-testid=create]", CREATE_RESULT).await?;

            result.wait_for_text("[data-testid=partial]", "not everything was applied").await?;
            result.wait_for_text(CREATE_RESULT, "Set the repository policy").await?;
            app.screenshot("30-wizard-partial-failure").await?;

            // Fix the policy in its step, then retry only what is left.
            let step = result.click_to("[data-testid=fix-failed]", &wizard("permissions")).await?;
            step.replace_text(
                "[data-testid=wizard-permissions] textarea",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#,
            )
            .await?;
            step.wait_for_text("[data-testid=policy-words]", "to pull").await?;
            let step = step.click_to("[data-testid=step-review]", &wizard("review")).await?;
            let result = step.click_to("[data-testid=retry]", CREATE_RESULT).await?;
            result.wait_for_text("[data-testid=created]", &name).await?;
            app.screenshot("31-wizard-retried").await?;

            let shown = std::process::Command::new(berth_tests::bin("berth")).args(["repos", "show", &name, "--json"]).output()?;
            let d: serde_json::Value = serde_json::from_slice(&shown.stdout)?;
            ensure!(d["repository_policy"].as_str().unwrap_or("").contains("ecr:GetDownloadUrlForLayer"), "{d}");
            let deleted = std::process::Command::new(berth_tests::bin("berth")).args(["repos", "delete", &name, "--yes"]).output()?;
            ensure!(deleted.status.success());
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn push_a_local_image_from_the_window_and_see_the_registry_digest() -> Result<()> {
    needs_the_window();
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let tag =
        format!("e2e-{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000);
    let t1 = tag.clone();
    App::run(|app| async move {
        let tag = t1;
        let outcome = async {
            let local =
                app.on(OVERVIEW).click_to("[data-testid=local-item][data-ref='demo/app:dev']", LOCAL_IMAGE).await?;
            let dialog = local.click_to("[data-testid=push-to]", PUSH_DIALOG).await?;
            dialog.click("[data-testid=push-repository] option[value='web']").await?;
            dialog.replace_text("[data-testid=push-tags]", &tag).await?;
            dialog.wait_for_text("[data-testid=push-checks]", "new tag").await?;
            // An existing tag of a mutable repository would move: said before anything moves.
            dialog.type_into("[data-testid=push-tags]", ", latest").await?;
            dialog.wait_for_text("[data-testid=push-checks]", "will move").await?;
            app.screenshot("40-push-dialog").await?;
            for _ in 0..", latest".len() {
                dialog.type_into("[data-testid=push-tags]", Key::Backspace).await?;
            }
            dialog.wait_for_text("[data-testid=push-checks]", "new tag").await?;
            dialog.wait_gone("[data-testid=push-checks]", "will move").await?;
            dialog.click("[data-testid=push-start]").await?;

            let jobs = app.on(JOBS);
            jobs.wait_for_all("[data-testid=job-layers] [data-testid=layer]", 3).await?;
            app.screenshot("41-push-progress").await?;
            jobs.wait_for_text("[data-testid=job]", "pushed sha256:").await?;
            app.screenshot("42-push-done").await?;

            // The tag is in the repository, with the digest the registry serves.
            let page = local.click_to(&repo_item("web"), &repo_page("web")).await?;
            // Found as a user finds one tag among many: by the filter (the same image may
            // carry the tags of earlier runs, more than a row shows).
            page.type_into("[data-testid=images-filter]", tag.as_str()).await?;
            let row = page.wait_for_text("[data-testid=image-row]", &tag).await?;
            let digest = row.attr("data-digest").await?.unwrap_or_default();
            let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
            let creds = aws.registry_credentials().await?;
            let head = std::process::Command::new("curl")
                .args(["-sfI", "-u", &format!("AWS:{}", creds.password.expose())])
                .args(["-H", "Accept: application/vnd.docker.distribution.manifest.v2+json"])
                .arg(format!("http://{registry}/v2/web/manifests/{tag}"))
                .output()?;
            let head = String::from_utf8_lossy(&head.stdout).to_lowercase();
            ensure!(head.contains(&format!("docker-content-digest: {digest}")), "registry: {head}, window: {digest}");
            app.screenshot("43-pushed-tag-listed").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn drag_a_local_image_onto_a_repository_and_onto_new_repository() -> Result<()> {
    needs_the_window();
    let tag =
        format!("dnd-{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000);
    let t1 = tag.clone();
    App::run(|app| async move {
        let tag = t1;
        let outcome = async {
            // Hold, move onto the repository: the ghost says where it will go.
            let overview = app.on(OVERVIEW);
            overview.hold_over(&drag_handle("demo/web:next"), &repo_item("web"), DRAG_GHOST, "push to web").await?;
            app.screenshot("44-dragging").await?;
            app.on(DRAG_GHOST).ready().await?;
            app.driver.action_chain().release().perform().await?;

            // The drop opens the push dialog on that repository.
            let dialog = app.on(PUSH_DIALOG);
            let repo = dialog.find("[data-testid=push-repository]").await?;
            ensure!(repo.prop("value").await?.as_deref() == Some("web"), "the dropped-on repository is chosen");
            dialog.replace_text("[data-testid=push-tags]", &tag).await?;
            dialog.wait_for_text("[data-testid=push-checks]", "new tag").await?;
            dialog.click("[data-testid=push-start]").await?;
            app.on(JOBS).wait_for_text("[data-testid=job]", "pushed sha256:").await?;

            // Onto "New repository": the wizard opens with the image's name.
            let local = app.on(LOCAL_IMAGE);
            local
                .hold_over(&drag_handle("demo/tool:1.0"), "[data-testid=new-repository]", DRAG_GHOST, "new repository")
                .await?;
            app.driver.action_chain().release().perform().await?;
            app.on(&wizard("name")).wait_for_value("[data-testid=repo-name]", "demo/tool").await?;
            app.screenshot("45-dropped-on-new-repository").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

/// Tell the window that the OS dropped files on it: the same Tauri event the GTK drop emits.
async fn os_file_event(app: &App, event: &str, path: &std::path::Path) -> Result<()> {
    app.driver
        .execute(
            "window.__TAURI_INTERNALS__.invoke('plugin:event|emit', {event: arguments[0], payload: {paths: [arguments[1]], position: {x: 600, y: 400}}});",
            vec![serde_json::json!(event), serde_json::json!(path.display().to_string())],
        )
        .await?;
    Ok(())
}

/// The OS notifications the session's notification daemon (dunst) received.
fn notifications() -> Result<String> {
    let _ = std::process::Command::new("dunstctl").arg("close-all").status();
    std::thread::sleep(Duration::from_millis(300));
    let out = std::process::Command::new("dunstctl").arg("history").output().context("dunstctl")?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn drop_an_image_archive_on_the_window_load_it_and_push_it() -> Result<()> {
    needs_the_window();
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let dir = berth_tests::scratch_dir("drop")?;
    // A `docker save` tarball of an image the engine does not have (any more).
    let loaded = format!("e2e/loaded:{n}");
    let docker = |args: &[&str]| -> Result<()> {
        let out = std::process::Command::new("docker").args(args).output()?;
        ensure!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        Ok(())
    };
    docker(&["tag", "demo/tool:1.0", &loaded])?;
    let archive = dir.join("tool-image.tar");
    docker(&["save", "-o", &archive.display().to_string(), &loaded])?;
    docker(&["rmi", &loaded])?;
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "not an image\n".repeat(100))?;
    // A notification daemon, to read back what the app notifies.
    let _dunst =
        Kill(std::process::Command::new("dunst").stderr(std::process::Stdio::null()).spawn().context("dunst")?);

    App::run_with_env(&[("BERTH_NOTIFY", "always")], |app| async move {
        let outcome = async {
            let page = app.on(OVERVIEW).click_to(&repo_item("web"), &repo_page("web")).await?;

            // A file that is no image: the tray says so, with Retry.
            page.ready().await?;
            os_file_event(&app, "tauri://drag-enter", &notes).await?;
            let over = app.on(FILE_DROP);
            over.ready().await?;
            app.screenshot("46-file-over-window").await?;
            os_file_event(&app, "tauri://drag-drop", &notes).await?;
            let jobs = app.on(JOBS);
            jobs.wait_for_text("[data-testid=job]", "is not an image archive").await?;
            jobs.wait_for_all("[data-testid=job-retry]", 1).await?;
            ensure!(app.driver.find_all(By::Css(FILE_DROP)).await?.is_empty(), "overlay gone");
            app.screenshot("47-not-an-image").await?;
            jobs.click("[data-testid=jobs-tray] [aria-label^='Dismiss']").await?;

            // The tarball: loaded, then offered for push to the repository on screen.
            page.ready().await?;
            os_file_event(&app, "tauri://drag-drop", &archive).await?;
            let local = app.on(LOCAL_IMAGE);
            local.wait_for_text("[data-testid=loaded-notice]", "Loaded from tool-image.tar").await?;
            let dialog = app.on(PUSH_DIALOG);
            let repo = dialog.find("[data-testid=push-repository]").await?;
            ensure!(
                repo.prop("value").await?.as_deref() == Some("web"),
                "offered for push to the repository on screen"
            );
            dialog.replace_text("[data-testid=push-tags]", &format!("loaded-{n}")).await?;
            dialog.wait_for_text("[data-testid=push-checks]", "new tag").await?;
            app.screenshot("48-loaded-offered-for-push").await?;
            dialog.click("[data-testid=push-start]").await?;
            jobs.wait_for_text("[data-testid=job]", "pushed sha256:").await?;

            // Dropped onto the repository page itself: the push dialog on that repository.
            let page = local.click_to(&repo_item("api/orders"), &repo_page("api/orders")).await?;
            let onto = repo_page("api/orders");
            page.hold_over(
                &drag_handle("demo/web:next"),
                &onto,
                "[data-testid=drop-hint]",
                "Drop to push to api/orders",
            )
            .await?;
            app.screenshot("49-dragging-onto-repository-page").await?;
            page.ready().await?;
            app.driver.action_chain().release().perform().await?;
            let repo = app.on(PUSH_DIALOG).find("[data-testid=push-repository]").await?;
            ensure!(repo.prop("value").await?.as_deref() == Some("api/orders"), "dropped on the page's repository");

            // The OS was told about the pushes and the load.
            let told = berth_tests::eventually("the OS notifications", WAIT, || async {
                let text = notifications()?;
                Ok((text.contains("Loaded tool-image.tar") && text.contains(&format!("Pushed web:loaded-{n}")))
                    .then_some(text))
            })
            .await?;
            ensure!(told.contains("Could not load notes.txt"), "{told}");
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;
    let _ = std::process::Command::new("docker").args(["rmi", &loaded]).output();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A repository of `n` images, put straight through the API (synthetic manifests, tags t0000…).
async fn seed_many(name: &str, n: usize) -> Result<()> {
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    aws.create_repository(&berth_core::model::RepositorySpec::named(name)).await?;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let (aws, name) = (aws.clone(), name.to_string());
        set.spawn(async move {
            let manifest = serde_json::json!({
                "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": format!("sha256:{:064x}", i + 7)},
                "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1000 + i, "digest": format!("sha256:{:064x}", i + 900_000)}]
            });
            aws.ecr().put_image().repository_name(&name).image_manifest(manifest.to_string()).image_tag(format!("t{i:04}")).send().await
        });
        if set.len() >= 32 {
            set.join_next().await.context("join")???;
        }
    }
    while let Some(r) = set.join_next().await {
        r??;
    }
    Ok(())
}

#[tokio::test]
async fn browse_thousands_of_images_inspect_one_and_compare_two() -> Result<()> {
    needs_the_window();
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let many = format!("e2e/many-{n}");
    seed_many(&many, 1500).await?;
    let m1 = many.clone();
    App::run(|app| async move {
        let many = m1;
        let outcome = async {
            // 1,500 rows, virtualized: a few dozen in the DOM, the last reachable by scrolling.
            let page = app.on(OVERVIEW).click_to(&repo_item(&many), &repo_page(&many)).await?;
            page.wait_for_text("[data-testid=images-status]", "1,500 images").await?;
            let in_dom = app.driver.find_all(By::Css("[data-testid=image-row]")).await?.len();
            ensure!(in_dom > 5 && in_dom < 200, "{in_dom} rows in the DOM: not virtualized?");
            page.click("[data-testid=images-table] [role=columnheader] button").await?; // sort by tags
            page.wait_for_text("[data-testid=image-row]", "t0000").await?;
            app.screenshot("50-many-images").await?;
            // To the end (again, until it shows: the new order's return to the top may land after).
            page.ready().await?;
            berth_tests::eventually("the last row, scrolled to", WAIT, || async {
                let shown = app
                    .driver
                    .execute(
                        "const s = document.querySelector('[data-testid=images-table] .body > div'); s.scrollTop = s.scrollHeight;
                        return [...document.querySelectorAll('[data-testid=image-row]')].some((r) => r.textContent.includes('t1499'));",
                        vec![],
                    )
                    .await?;
                Ok(shown.json().as_bool().unwrap_or(false).then_some(()))
            })
            .await?;
            app.screenshot("51-many-images-scrolled").await?;
            page.type_into("[data-testid=images-filter]", "t14*").await?;
            page.wait_for_text("[data-testid=images-shown]", "100 of 1,500 shown").await?;

            // The filter shows its results from the top, though the list was scrolled to the end.
            let top = app
                .driver
                .execute("return document.querySelector('[data-testid=images-table] .body > div').scrollTop;", vec![])
                .await?;
            ensure!(top.json().as_f64() == Some(0.0), "filtered list left scrolled at {:?}", top.json());
            // Three of them deleted from the table: the confirmation lists them, then they are gone.
            let mut digests = Vec::new();
            for row in app.driver.find_all(By::Css("[data-testid=image-row]")).await?.iter().take(3) {
                digests.push(row.attr("data-digest").await?.unwrap_or_default());
            }
            for digest in &digests {
                page.click(&image_select(digest)).await?;
            }
            let dialog = page.click_to("[data-testid=images-delete]", DELETE_IMAGES).await?;
            dialog.wait_for_text(DELETE_IMAGES, "Delete 3 images from").await?;
            dialog.wait_for_text(DELETE_IMAGES, "t1400").await?;
            app.screenshot("56-delete-images-confirmation").await?;
            dialog.click("[data-testid=confirm-delete-images]").await?;
            page.wait_for_text("[data-testid=delete-note]", "Deleted 3 images").await?;
            page.wait_for_text("[data-testid=images-status]", "1,497 images").await?;

            // Two images of web, selected in the table: the comparison.
            let page = page.click_to(&repo_item("web"), &repo_page("web")).await?;
            page.wait_for_text("[data-testid=images-status]", "image").await?;
            page.wait_for_text("[data-testid=image-row]", "latest").await?;
            for tag in ["1", "2"] {
                let rows = app.driver.find_all(By::Css("[data-testid=image-row]")).await?;
                let mut digest = None;
                for row in rows {
                    let mut tags = Vec::new();
                    for b in row.find_all(By::Css(".tag")).await? {
                        tags.push(b.text().await?);
                    }
                    if tags.iter().any(|t| t == tag) {
                        digest = row.attr("data-digest").await?;
                        break;
                    }
                }
                let digest = digest.with_context(|| format!("no row tagged {tag}"))?;
                page.click(&image_select(&digest)).await?;
            }
            let compare = page.click_to("[data-testid=images-compare]", COMPARE).await?;
            compare.wait_for_all("[data-testid=compare-layer]", 3).await?;
            let mut statuses = Vec::new();
            for l in app.driver.find_all(By::Css("[data-testid=compare-layer]")).await? {
                statuses.push(l.attr("data-status").await?.unwrap_or_default());
            }
            ensure!(statuses == ["shared", "only_a", "only_b"], "{statuses:?}");
            app.screenshot("52-compare").await?;

            // The address bar: an index against itself, its platform matrix.
            compare.type_into(ADDRESS, "web:multi ⇄ web:multi").await?;
            compare.type_into(ADDRESS, Key::Enter).await?;
            compare.wait_for_all("[data-testid=compare-identical]", 1).await?;
            compare.wait_for_text("[data-testid=platform-matrix]", "linux/arm64").await?;
            app.screenshot("53-compare-index").await?;

            // Two scanned images (api/orders scans on push): vulnerabilities new, fixed, in both.
            compare.replace_text(ADDRESS, "api/orders:1.0.0 ⇄ api/orders:1.1.0").await?;
            compare.type_into(ADDRESS, Key::Enter).await?;
            compare.wait_for_text("[data-testid=compare-vulns]", "fixed in B").await?;
            app.screenshot("55-compare-vulnerabilities").await?;

            // Details of one image, and a tag added without pulling.
            compare.replace_text(ADDRESS, "web:1").await?;
            compare.type_into(ADDRESS, Key::Enter).await?;
            let details = app.on(IMAGE_DETAILS);
            details.wait_for_text("[data-testid=snippets]", "docker pull").await?;
            app.screenshot("54-image-details").await?;
            details.type_into("[data-testid=new-tag]", format!("e2e-{n}")).await?;
            details.click("[data-testid=add-tag]").await?;
            details.wait_for_text("[data-testid=image-action-note]", "same digest").await?;
            // And removed again: the image keeps its tag 1.
            details.wait_for_text("[data-testid=image-tags]", &format!("e2e-{n}")).await?;
            let confirm = details.click_to(&format!("[aria-label='Remove tag e2e-{n}']"), REMOVE_TAG).await?;
            confirm.wait_for_text(REMOVE_TAG, "stays under its other tags").await?;
            app.screenshot("57-remove-tag-confirmation").await?;
            confirm.click("[data-testid=remove-tag-confirm-button]").await?;
            details.wait_for_text("[data-testid=image-action-note]", "keeps its other tags").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    aws.delete_repository(&many, true).await?;
    Ok(())
}

#[tokio::test]
async fn build_a_lifecycle_policy_see_what_it_expires_and_apply_it() -> Result<()> {
    needs_the_window();
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let repo = format!("e2e/life-{n}");
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    aws.create_repository(&berth_core::model::RepositorySpec::named(repo.clone())).await?;
    // Three releases a second apart, and an untagged image.
    for (i, tag) in ["t1.0", "t1.1", "t1.2", ""].iter().enumerate() {
        let manifest = serde_json::json!({
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": format!("sha256:{:064x}", n * 10 + i as u128)},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1 << 20, "digest": format!("sha256:{:064x}", n * 10 + 5 + i as u128)}]
        });
        let mut put = aws.ecr().put_image().repository_name(&repo).image_manifest(manifest.to_string());
        if !tag.is_empty() {
            put = put.image_tag(*tag);
        }
        put.send().await?;
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let r1 = repo.clone();
    App::run(|app| async move {
        let repo = r1;
        let outcome = async {
            let page = app.on(OVERVIEW).click_to(&repo_item(&repo), &repo_page(&repo)).await?;
            page.wait_for_text("[data-testid=images-status]", "4 images").await?;
            let studio = page.click_to("[data-testid=tab-lifecycle]", LIFECYCLE_TAB).await?;

            // Rule 1 (the default): untagged images older than 14 days — none yet; as of next year, one.
            studio.click("[data-testid=add-rule]").await?;
            studio.wait_for_text("[data-testid=rule-sentence]", "Expire untagged images pushed more than 14 days ago").await?;
            studio.wait_for_text("[data-testid=lifecycle-summary]", "0 images of 4 would expire").await?;
            let date = studio.element("[data-testid=lifecycle-as-of]").await?;
            app.driver.execute(
                "const el = arguments[0]; el.value = '2027-06-01'; el.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![date.to_json()?],
            ).await?;
            studio.wait_for_text("[data-testid=lifecycle-summary]", "1 image of 4 would expire").await?;

            // Rule 2: keep the newest release of t1.*.
            studio.click("[data-testid=add-rule]").await?;
            studio.wait_for_all("[data-testid=lifecycle-rule]", 2).await?;
            let second = "[data-testid=lifecycle-rule][data-rule-index='1']";
            let rule = app.on(second);
            rule.click(&format!("{second} [data-testid=rule-kind] option[value=imageCountMoreThan]")).await?;
            rule.replace_text(&format!("{second} [data-testid=rule-count]"), "1").await?;
            rule.click(&format!("{second} [data-testid=rule-status] option[value=prefix]")).await?;
            rule.type_into(&format!("{second} [data-testid=rule-tags]"), "t1.").await?;
            rule.type_into(&format!("{second} [data-testid=rule-tags]"), Key::Tab).await?;
            studio.wait_for_text("[data-testid=rule-sentence]", "Keep the newest image tagged `t1.*`").await?;
            studio.wait_for_text("[data-testid=lifecycle-summary]", "3 images of 4 would expire").await?;
            // The rows follow the latest simulation (an earlier one, of the rule before its
            // prefix was typed, can still be on screen for a moment under load).
            let why = berth_tests::eventually("the rows' reasons for the rule as typed", Duration::from_secs(20), || async {
                let marked = app.driver.find_all(By::Css("[data-testid=lifecycle-row][data-expire=true]")).await?;
                let mut why = Vec::new();
                for row in &marked {
                    why.push(row.prop("textContent").await?.unwrap_or_default());
                }
                let ready = why.iter().any(|t| t.contains("t1.0") && t.contains("rule 2: 3rd newest image tagged `t1.*`, keeps 1"));
                Ok(ready.then_some(why))
            })
            .await?;
            ensure!(!why.iter().any(|t| t.contains("t1.2")), "the newest release is kept: {why:?}");
            app.screenshot("60-lifecycle-studio").await?;

            // The JSON tab holds the same policy.
            let json = studio.click_to("[data-testid=lifecycle-json-tab]", LIFECYCLE_JSON).await?;
            let text = json.ready().await?.prop("value").await?.unwrap_or_default();
            ensure!(text.contains("\"tagPrefixList\"") && text.contains("\"imageCountMoreThan\""), "{text}");
            app.screenshot("61-lifecycle-json").await?;

            // Apply: the confirmation says how many images go now (today, not as of next year).
            let confirm = json.click_to("[data-testid=lifecycle-apply]", LIFECYCLE_CONFIRM).await?;
            confirm.wait_for_text(LIFECYCLE_CONFIRM, "would expire").await?;
            // Counted as of now, not as of the preview's date (one more image goes by then).
            confirm.wait_for_text(LIFECYCLE_CONFIRM, "would expire 2 images").await?;
            confirm.wait_for_text(LIFECYCLE_CONFIRM, "shows 3 as of").await?;
            app.screenshot("62-lifecycle-apply-confirmation").await?;
            confirm.click("[data-testid=lifecycle-confirm-button]").await?;
            studio.wait_for_text("[data-testid=lifecycle-note]", "saved").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;
    // Read back from the API: the two rules as built.
    let saved = aws.ecr().get_lifecycle_policy().repository_name(&repo).send().await?;
    let policy =
        berth_core::lifecycle::parse(saved.lifecycle_policy_text().unwrap_or_default()).map_err(anyhow::Error::msg)?;
    ensure!(policy.rules.len() == 2, "{policy:?}");
    ensure!(policy.rules[1].selection.tag_prefix_list.as_deref() == Some(&["t1.".to_string()][..]), "{policy:?}");
    aws.delete_repository(&repo, true).await?;
    Ok(())
}
