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
            app.wait_for_all("[data-testid=repository-row]", 4, WAIT).await?;
            app.wait_for_text("[data-testid=registry-summary]", "000000000000", WAIT).await?;
            app.wait_for_text("[data-testid=repository-row][data-name='api/payments']", "KMS", WAIT).await?;
            app.screenshot("01-repositories").await?;

            // Filtering narrows the tree as you type.
            let filter = app.driver.find(By::Css("[data-testid=repo-filter]")).await?;
            filter.send_keys("pay").await?;
            app.wait_for_all("[data-testid=repo-item][data-name='api/payments']", 1, WAIT).await?;
            let shown = app.driver.find_all(By::Css("[data-testid=repo-item]")).await?;
            ensure!(shown.len() == 1, "the filter 'pay' leaves {} repositories", shown.len());
            // Clear it as a user does (WebDriver's clear() fires no input event in WebKit).
            app.clear_field(&filter).await?;
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;

            // Selecting a repository lists its images: tags, digest, size, pushed at.
            app.click("[data-testid=repo-item][data-name='api/orders']").await?;
            app.wait_for_text("[data-testid=repository-name]", "api/orders", WAIT).await?;
            app.wait_for_text("[data-testid=images-status]", "3 images", WAIT).await?;
            let rows = app.wait_for_all("[data-testid=image-row]", 3, WAIT).await?;
            let mut texts = Vec::new();
            for row in &rows {
                // textContent: WebKitWebDriver's text() leaves out ellipsized cells.
                texts.push(row.prop("textContent").await?.unwrap_or_default());
            }
            ensure!(texts.iter().any(|t| t.contains("latest") && t.contains("1.1.0")), "{texts:?}");
            ensure!(texts.iter().any(|t| t.contains("untagged")), "no untagged row: {texts:?}");
            ensure!(texts.iter().all(|t| t.contains("MiB")), "sizes in MiB: {texts:?}");
            let uri = app.driver.find(By::Css("[data-testid=repository-uri]")).await?.attr("data-uri").await?;
            ensure!(
                uri.as_deref() == Some(format!("{registry}/api/orders").as_str()),
                "the URI uses the registry endpoint: {uri:?}"
            );
            app.screenshot("02-images").await?;

            // A local image shows its details.
            app.driver.find(By::Css("[data-testid=local-item]")).await?.click().await?;
            app.wait_for_text("[data-testid=local-image-view]", "Layers", WAIT).await?;
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
    sandbox_var("AWS_ENDPOINT_URL");
    let env = [("DOCKER_HOST", "unix:///nonexistent/berth/docker.sock"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9")];
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            let engine =
                app.wait_for_text("[data-testid=engine-error]", "unix:///nonexistent/berth/docker.sock", WAIT).await?;
            let text = engine.text().await?;
            ensure!(text.contains("DOCKER_HOST") && text.contains("Retry"), "{text}");
            let api = app.wait_for_text("[data-testid=repo-error]", "cannot be reached", WAIT).await?;
            let text = api.text().await?;
            ensure!(text.contains("endpoint") && text.contains("Retry"), "{text}");
            app.screenshot("04-unreachable").await?;
            // Retry asks again (and fails the same way, without losing the page).
            api.find(By::Css("button")).await?.click().await?;
            app.wait_for_text("[data-testid=repo-error]", "cannot be reached", WAIT).await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

#[tokio::test]
async fn add_an_app_profile_test_it_switch_to_it_and_remove_it() -> Result<()> {
    let endpoint = sandbox_var("AWS_ENDPOINT_URL");
    let registry = sandbox_var("BERTH_REGISTRY_ENDPOINT");
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
            app.wait_for_text("[data-testid=repo-error]", "no AWS credentials", WAIT).await?;
            app.screenshot("10-no-credentials").await?;

            app.click("[data-testid=manage-profiles]").await?;
            app.wait_for_all("[data-testid=profile-row]", 1, WAIT).await?;
            app.screenshot("11-profiles").await?;

            app.click("[data-testid=add-profile]").await?;
            app.type_into("[data-testid=field-name]", &name).await?;
            app.type_into("[data-testid=field-access-key-id]", "AKIAIOSFODNN7E2ETEST").await?;
            app.type_into("[data-testid=field-secret]", &secret).await?;
            app.click("[data-testid=field-region] option[value='us-east-1']").await?;
            app.type_into("[data-testid=field-ecr-endpoint]", &endpoint).await?;
            // A typo: a URL where host:port belongs. The field says so.
            app.type_into("[data-testid=field-registry-endpoint]", &format!("http://{registry}")).await?;
            app.click("[data-testid=field-name]").await?;
            app.wait_for_text("[data-testid=profile-form] em", "host[:port]", WAIT).await?;
            app.screenshot("12-profile-form-typo").await?;
            let field = app.driver.find(By::Css("[data-testid=field-registry-endpoint]")).await?;
            app.clear_field(&field).await?;
            field.send_keys(&registry).await?;
            app.click("[data-testid=save-profile]").await?;

            app.wait_for_text("[data-testid=profiles-notice]", "keychain", WAIT).await?;
            app.screenshot("13-profile-saved").await?;
            let row = format!("[data-testid=profile-row][data-id='{id}']");
            app.click(&format!("{row} [data-testid=test-profile]")).await?;
            app.wait_for_text(&format!("{row} [data-testid=test-result]"), "000000000000", WAIT).await?;
            app.screenshot("14-test-connection").await?;

            app.click(&format!("{row} [data-testid=use-profile]")).await?;
            app.wait_for_text("[data-testid=profile-select] option:checked", &name, WAIT).await?;
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;
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
            app.click("[data-testid=manage-profiles]").await?;
            let row = format!("[data-testid=profile-row][data-id='{id}']");
            app.click(&format!("{row} [data-testid=remove-profile]")).await?;
            app.wait_for_text(&format!("{row} [role=alertdialog]"), "keychain", WAIT).await?;
            app.screenshot("16-remove-confirmation").await?;
            app.click(&format!("{row} [data-testid=confirm-remove]")).await?;
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

#[tokio::test]
async fn without_a_keychain_the_app_still_works_and_says_why_it_cannot_hold_profiles() -> Result<()> {
    sandbox_var("AWS_ENDPOINT_URL");
    let env = [("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/berth-e2e-bus")];
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            app.wait_for_all("[data-testid=repo-item]", 4, WAIT).await?;
            app.click("[data-testid=manage-profiles]").await?;
            let notice = app.wait_for_text("[data-testid=profiles-view]", "No OS keychain", WAIT).await?;
            ensure!(notice.text().await?.contains("~/.aws/config"));
            let add = app.driver.find(By::Css("[data-testid=add-profile]")).await?;
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
    sandbox_var("AWS_ENDPOINT_URL");
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let name = format!("e2e/svc-{nonce}");
    let n1 = name.clone();
    App::run(|app| async move {
        let name = n1;
        let outcome = async {
            app.click("[data-testid=new-repository]").await?;
            // A typo: the reason and a suggestion show under the field.
            app.type_into("[data-testid=repo-name]", "My Service").await?;
            app.wait_for_text("[data-testid=name-problem]", "lower case", WAIT).await?;
            app.wait_for_text("[data-testid=name-problem]", "my-service", WAIT).await?;
            app.screenshot("20-wizard-name-typo").await?;
            let field = app.driver.find(By::Css("[data-testid=repo-name]")).await?;
            app.clear_field(&field).await?;
            field.send_keys(&name).await?;
            app.wait_for_text("[data-testid=name-ok]", "Available", WAIT).await?;
            app.screenshot("21-wizard-name").await?;
            app.click("[data-testid=next]").await?;

            app.wait_for_all("[data-testid=wizard-settings]", 1, WAIT).await?;
            app.click("[data-testid=encryption-kms]").await?;
            app.wait_for_all("[data-testid=kms-key] option", 2, WAIT).await?;
            for option in app.driver.find_all(By::Css("[data-testid=kms-key] option")).await? {
                if option.text().await? == "alias/berth-payments" {
                    option.click().await?;
                }
            }
            app.screenshot("22-wizard-settings").await?;
            app.click("[data-testid=next]").await?;

            app.click("[data-testid=lifecycle-keep-last]").await?;
            app.wait_for_value("[data-testid=wizard-lifecycle] textarea", "imageCountMoreThan", WAIT).await?;
            app.screenshot("23-wizard-lifecycle").await?;
            app.click("[data-testid=next]").await?;

            app.click("[data-testid=policy-pull-accounts]").await?;
            app.type_into("[data-testid=policy-accounts]", "111122223333").await?;
            app.wait_for_text("[data-testid=policy-words]", "Allow account 111122223333 to pull", WAIT).await?;
            app.screenshot("24-wizard-permissions").await?;
            app.click("[data-testid=next]").await?;

            app.click("[data-testid=add-tag]").await?;
            app.type_into("[data-testid=tag-key]", "team").await?;
            app.type_into("[data-testid=tag-value]", "e2e").await?;
            app.screenshot("25-wizard-tags").await?;
            app.click("[data-testid=next]").await?;

            app.wait_for_text("[data-testid=cli]", "aws ecr create-repository", WAIT).await?;
            app.wait_for_text("[data-testid=review-summary]", "Allow account 111122223333 to pull", WAIT).await?;
            app.screenshot("26-wizard-review").await?;
            app.click("[data-testid=create]").await?;

            app.wait_for_text("[data-testid=created]", &name, WAIT).await?;
            app.wait_for_text("[data-testid=push-berth]", &format!("berth push IMAGE {name}:TAG"), WAIT).await?;
            app.wait_for_text("[data-testid=push-docker]", "docker push", WAIT).await?;
            app.screenshot("27-wizard-created").await?;
            app.click("[data-testid=open-created]").await?;
            app.wait_for_text("[data-testid=repository-name]", &name, WAIT).await?;
            app.wait_for_all(&format!("[data-testid=repo-item][data-name='{name}']"), 1, WAIT).await?;

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
            app.click("[data-testid=tab-settings]").await?;
            app.click("[data-testid=settings-scan]").await?;
            app.click("[data-testid=save-general]").await?;
            app.wait_for_text("[data-testid=repository-settings]", "Saved.", WAIT).await?;
            app.screenshot("29-repository-settings").await?;
            let shown = std::process::Command::new(berth_tests::bin("berth"))
                .args(["repos", "show", &name, "--json"])
                .output()?;
            let d: serde_json::Value = serde_json::from_slice(&shown.stdout)?;
            ensure!(d["repository"]["scan_on_push"] == false, "{d}");
            app.click("[data-testid=tab-images]").await?;

            // Delete it: the typed name enables the button.
            app.click("[data-testid=delete-repository]").await?;
            app.wait_for_text("[data-testid=delete-dialog]", "no images", WAIT).await?;
            let confirm = app.driver.find(By::Css("[data-testid=delete-confirm]")).await?;
            ensure!(!confirm.is_enabled().await?, "delete must wait for the typed name");
            app.type_into("[data-testid=delete-confirm-name]", &name).await?;
            app.screenshot("28-delete-confirmation").await?;
            app.click("[data-testid=delete-confirm]").await?;
            berth_tests::eventually("the repository to leave the sidebar", WAIT, || async {
                let items =
                    app.driver.find_all(By::Css(format!("[data-testid=repo-item][data-name='{name}']"))).await?;
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
    sandbox_var("AWS_ENDPOINT_URL");
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let name = format!("e2e/partial-{nonce}");
    let n1 = name.clone();
    App::run(|app| async move {
        let name = n1;
        let outcome = async {
            app.click("[data-testid=new-repository]").await?;
            app.type_into("[data-testid=repo-name]", &name).await?;
            app.wait_for_text("[data-testid=name-ok]", "Available", WAIT).await?;
            for _ in 0..3 {
                app.click("[data-testid=next]").await?; // settings, lifecycle, permissions
            }
            // Well-formed JSON that AWS's policy validator refuses: an action without "ecr:".
            app.click("[data-testid=policy-pull-accounts]").await?;
            app.type_into("[data-testid=policy-accounts]", "111122223333").await?;
            app.wait_for_value("[data-testid=wizard-permissions] textarea", "ecr:BatchGetImage", WAIT).await?;
            let policy = app.driver.find(By::Css("[data-testid=wizard-permissions] textarea")).await?;
            app.clear_field(&policy).await?;
            policy
                .send_keys(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["BatchGetImage"]}]}"#)
                .await?;
            app.click("[data-testid=next]").await?; // tags
            app.click("[data-testid=next]").await?; // review
            app.wait_for_text("[data-testid=cli]", "set-repository-policy", WAIT).await?;
            app.click("[data-testid=create]").await?;

            app.wait_for_text("[data-testid=partial]", "not everything was applied", WAIT).await?;
            app.wait_for_text("[data-testid=create-result]", "Set the repository policy", WAIT).await?;
            app.screenshot("30-wizard-partial-failure").await?;

            // Fix the policy in its step, then retry only what is left.
            app.click("[data-testid=fix-failed]").await?;
            let policy = app.wait_for_all("[data-testid=wizard-permissions] textarea", 1, WAIT).await?.remove(0);
            app.clear_field(&policy).await?;
            policy
                .send_keys(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#)
                .await?;
            app.wait_for_text("[data-testid=policy-words]", "to pull", WAIT).await?;
            app.click("[data-testid=step-review]").await?;
            app.click("[data-testid=retry]").await?;
            app.wait_for_text("[data-testid=created]", &name, WAIT).await?;
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
    let registry = sandbox_var("BERTH_REGISTRY_ENDPOINT");
    let tag =
        format!("e2e-{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000);
    let t1 = tag.clone();
    App::run(|app| async move {
        let tag = t1;
        let outcome = async {
            app.click("[data-testid=local-item][data-ref='demo/app:dev']").await?;
            app.click("[data-testid=push-to]").await?;
            app.click("[data-testid=push-repository] option[value='web']").await?;
            let tags = app.driver.find(By::Css("[data-testid=push-tags]")).await?;
            app.clear_field(&tags).await?;
            tags.send_keys(&tag).await?;
            app.wait_for_text("[data-testid=push-checks]", "new tag", WAIT).await?;
            // An existing tag of a mutable repository would move: said before anything moves.
            tags.send_keys(", latest").await?;
            app.wait_for_text("[data-testid=push-checks]", "will move", WAIT).await?;
            app.screenshot("40-push-dialog").await?;
            for _ in 0..", latest".len() {
                tags.send_keys(Key::Backspace).await?;
            }
            app.wait_for_text("[data-testid=push-checks]", "new tag", WAIT).await?;
            app.click("[data-testid=push-start]").await?;

            app.wait_for_all("[data-testid=job-layers] [data-testid=layer]", 3, WAIT).await?;
            app.screenshot("41-push-progress").await?;
            app.wait_for_text("[data-testid=job]", "pushed sha256:", WAIT).await?;
            app.screenshot("42-push-done").await?;

            // The tag is in the repository, with the digest the registry serves.
            app.driver.find(By::Css("[data-testid=repo-item][data-name='web']")).await?.click().await?;
            let row = app.wait_for_text("[data-testid=image-row]", &tag, WAIT).await?;
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
    sandbox_var("AWS_ENDPOINT_URL");
    let tag =
        format!("dnd-{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000);
    let t1 = tag.clone();
    App::run(|app| async move {
        let tag = t1;
        let outcome = async {
            let handle =
                app.wait_for_all("[data-testid=drag-handle][data-ref='demo/web:next']", 1, WAIT).await?.remove(0);
            let target = app.wait_for_all("[data-testid=repo-item][data-name='web']", 1, WAIT).await?.remove(0);
            // Hold, move onto the repository: the ghost says where it will go.
            app.driver.action_chain().click_and_hold_element(&handle).move_to_element_center(&target).perform().await?;
            app.wait_for_text("[data-testid=drag-ghost]", "push to web", WAIT).await?;
            app.screenshot("44-dragging").await?;
            app.driver.action_chain().release().perform().await?;

            // The drop opens the push dialog on that repository.
            app.wait_for_all("[data-testid=push-dialog]", 1, WAIT).await?;
            let repo = app.driver.find(By::Css("[data-testid=push-repository]")).await?;
            ensure!(repo.prop("value").await?.as_deref() == Some("web"), "the dropped-on repository is chosen");
            let tags = app.driver.find(By::Css("[data-testid=push-tags]")).await?;
            app.clear_field(&tags).await?;
            tags.send_keys(&tag).await?;
            app.wait_for_text("[data-testid=push-checks]", "new tag", WAIT).await?;
            app.click("[data-testid=push-start]").await?;
            app.wait_for_text("[data-testid=job]", "pushed sha256:", WAIT).await?;

            // Onto "New repository": the wizard opens with the image's name.
            let handle =
                app.wait_for_all("[data-testid=drag-handle][data-ref='demo/tool:1.0']", 1, WAIT).await?.remove(0);
            let new = app.driver.find(By::Css("[data-testid=new-repository]")).await?;
            app.driver.action_chain().drag_and_drop_element(&handle, &new).perform().await?;
            app.wait_for_value("[data-testid=repo-name]", "demo/tool", WAIT).await?;
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
    sandbox_var("DOCKER_HOST");
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
            app.click("[data-testid=repo-item][data-name='web']").await?;
            app.wait_for_all("[data-testid=repository-view]", 1, WAIT).await?;

            // A file that is no image: the tray says so, with Retry.
            os_file_event(&app, "tauri://drag-enter", &notes).await?;
            app.wait_for_all("[data-testid=file-drop]", 1, WAIT).await?;
            app.screenshot("46-file-over-window").await?;
            os_file_event(&app, "tauri://drag-drop", &notes).await?;
            app.wait_for_text("[data-testid=job]", "is not an image archive", WAIT).await?;
            app.wait_for_all("[data-testid=job-retry]", 1, WAIT).await?;
            ensure!(app.driver.find_all(By::Css("[data-testid=file-drop]")).await?.is_empty(), "overlay gone");
            app.screenshot("47-not-an-image").await?;
            app.click("[data-testid=jobs-tray] [aria-label^='Dismiss']").await?;

            // The tarball: loaded, then offered for push to the repository on screen.
            os_file_event(&app, "tauri://drag-drop", &archive).await?;
            app.wait_for_text("[data-testid=loaded-notice]", "Loaded from tool-image.tar", WAIT).await?;
            app.wait_for_all("[data-testid=push-dialog]", 1, WAIT).await?;
            let repo = app.driver.find(By::Css("[data-testid=push-repository]")).await?;
            ensure!(
                repo.prop("value").await?.as_deref() == Some("web"),
                "offered for push to the repository on screen"
            );
            let tags = app.driver.find(By::Css("[data-testid=push-tags]")).await?;
            app.clear_field(&tags).await?;
            tags.send_keys(format!("loaded-{n}")).await?;
            app.wait_for_text("[data-testid=push-checks]", "new tag", WAIT).await?;
            app.screenshot("48-loaded-offered-for-push").await?;
            app.click("[data-testid=push-start]").await?;
            app.wait_for_text("[data-testid=job]", "pushed sha256:", WAIT).await?;

            // Dropped onto the repository page itself: the push dialog on that repository.
            app.click("[data-testid=repo-item][data-name='api/orders']").await?;
            let page = app
                .wait_for_all("[data-testid=repository-view][data-drop-repo='api/orders']", 1, WAIT)
                .await?
                .remove(0);
            let handle =
                app.wait_for_all("[data-testid=drag-handle][data-ref='demo/web:next']", 1, WAIT).await?.remove(0);
            app.driver.action_chain().click_and_hold_element(&handle).move_to_element_center(&page).perform().await?;
            app.wait_for_text("[data-testid=drop-hint]", "Drop to push to api/orders", WAIT).await?;
            app.screenshot("49-dragging-onto-repository-page").await?;
            app.driver.action_chain().release().perform().await?;
            app.wait_for_all("[data-testid=push-dialog]", 1, WAIT).await?;
            let repo = app.driver.find(By::Css("[data-testid=push-repository]")).await?;
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
    sandbox_var("AWS_ENDPOINT_URL");
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let many = format!("e2e/many-{n}");
    seed_many(&many, 1500).await?;
    let m1 = many.clone();
    App::run(|app| async move {
        let many = m1;
        let outcome = async {
            // 1,500 rows, virtualized: a few dozen in the DOM, the last reachable by scrolling.
            app.click(&format!("[data-testid=repo-item][data-name='{many}']")).await?;
            app.wait_for_text("[data-testid=images-status]", "1,500 images", WAIT).await?;
            let in_dom = app.driver.find_all(By::Css("[data-testid=image-row]")).await?.len();
            ensure!(in_dom > 5 && in_dom < 200, "{in_dom} rows in the DOM: not virtualized?");
            app.click("[data-testid=images-table] [role=columnheader] button").await?; // sort by tags
            app.wait_for_text("[data-testid=image-row]", "t0000", WAIT).await?;
            app.screenshot("50-many-images").await?;
            // To the end (again, until it shows: the new order's return to the top may land after).
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
            app.type_into("[data-testid=images-filter]", "t14*").await?;
            app.wait_for_text("[data-testid=images-shown]", "100 of 1500 shown", WAIT).await?;

            // The filter shows its results from the top, though the list was scrolled to the end.
            let top = app
                .driver
                .execute("return document.querySelector('[data-testid=images-table] .body > div').scrollTop;", vec![])
                .await?;
            ensure!(top.json().as_f64() == Some(0.0), "filtered list left scrolled at {:?}", top.json());
            // Three of them deleted from the table: the confirmation lists them, then they are gone.
            let rows = app.driver.find_all(By::Css("[data-testid=image-row]")).await?;
            for row in rows.iter().take(3) {
                row.find(By::Css("[data-testid=image-select]")).await?.click().await?;
            }
            app.click("[data-testid=images-delete]").await?;
            app.wait_for_text("[data-testid=delete-images-dialog]", "Delete 3 images from", WAIT).await?;
            app.wait_for_text("[data-testid=delete-images-dialog]", "t1400", WAIT).await?;
            app.screenshot("56-delete-images-confirmation").await?;
            app.click("[data-testid=confirm-delete-images]").await?;
            app.wait_for_text("[data-testid=delete-note]", "Deleted 3 images", WAIT).await?;
            app.wait_for_text("[data-testid=images-status]", "1,497 images", WAIT).await?;

            // Two images of web, selected in the table: the comparison.
            app.click("[data-testid=repo-item][data-name='web']").await?;
            app.wait_for_text("[data-testid=images-status]", "image", WAIT).await?;
            app.wait_for_text("[data-testid=image-row]", "latest", WAIT).await?;
            for tag in ["1", "2"] {
                let rows = app.driver.find_all(By::Css("[data-testid=image-row]")).await?;
                let mut clicked = false;
                for row in rows {
                    let tags: Vec<String> = {
                        let mut v = Vec::new();
                        for b in row.find_all(By::Css(".tag")).await? {
                            v.push(b.text().await?);
                        }
                        v
                    };
                    if tags.iter().any(|t| t == tag) {
                        row.find(By::Css("[data-testid=image-select]")).await?.click().await?;
                        clicked = true;
                        break;
                    }
                }
                ensure!(clicked, "no row tagged {tag}");
            }
            app.click("[data-testid=images-compare]").await?;
            app.wait_for_all("[data-testid=compare-layer]", 3, WAIT).await?;
            let mut statuses = Vec::new();
            for l in app.driver.find_all(By::Css("[data-testid=compare-layer]")).await? {
                statuses.push(l.attr("data-status").await?.unwrap_or_default());
            }
            ensure!(statuses == ["shared", "only_a", "only_b"], "{statuses:?}");
            app.screenshot("52-compare").await?;

            // The address bar: an index against itself, its platform matrix.
            let address = app.driver.find(By::Css("[data-testid=address-input]")).await?;
            address.send_keys("web:multi ⇄ web:multi").await?;
            address.send_keys(Key::Enter).await?;
            app.wait_for_all("[data-testid=compare-identical]", 1, WAIT).await?;
            app.wait_for_text("[data-testid=platform-matrix]", "linux/arm64", WAIT).await?;
            app.screenshot("53-compare-index").await?;

            // Two scanned images (api/orders scans on push): vulnerabilities new, fixed, in both.
            let address = app.driver.find(By::Css("[data-testid=address-input]")).await?;
            app.clear_field(&address).await?;
            address.send_keys("api/orders:1.0.0 ⇄ api/orders:1.1.0").await?;
            address.send_keys(Key::Enter).await?;
            app.wait_for_text("[data-testid=compare-vulns]", "fixed in B", WAIT).await?;
            app.screenshot("55-compare-vulnerabilities").await?;

            // Details of one image, and a tag added without pulling.
            let address = app.driver.find(By::Css("[data-testid=address-input]")).await?;
            app.clear_field(&address).await?;
            address.send_keys("web:1").await?;
            address.send_keys(Key::Enter).await?;
            app.wait_for_text("[data-testid=snippets]", "docker pull", WAIT).await?;
            app.screenshot("54-image-details").await?;
            app.type_into("[data-testid=new-tag]", &format!("e2e-{n}")).await?;
            app.click("[data-testid=add-tag]").await?;
            app.wait_for_text("[data-testid=image-action-note]", "same digest", WAIT).await?;
            // And removed again: the image keeps its tag 1.
            app.wait_for_text("[data-testid=image-tags]", &format!("e2e-{n}"), WAIT).await?;
            app.click(&format!("[aria-label='Remove tag e2e-{n}']")).await?;
            app.wait_for_text("[data-testid=remove-tag-confirm]", "stays under its other tags", WAIT).await?;
            app.screenshot("57-remove-tag-confirmation").await?;
            app.click("[data-testid=remove-tag-confirm-button]").await?;
            app.wait_for_text("[data-testid=image-action-note]", "keeps its other tags", WAIT).await?;
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
    sandbox_var("AWS_ENDPOINT_URL");
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
            app.click(&format!("[data-testid=repo-item][data-name='{repo}']")).await?;
            app.wait_for_text("[data-testid=images-status]", "4 images", WAIT).await?;
            app.click("[data-testid=tab-lifecycle]").await?;
            app.wait_for_all("[data-testid=lifecycle-studio]", 1, WAIT).await?;

            // Rule 1 (the default): untagged images older than 14 days — none yet; as of next year, one.
            app.click("[data-testid=add-rule]").await?;
            app.wait_for_text("[data-testid=rule-sentence]", "Expire untagged images pushed more than 14 days ago", WAIT).await?;
            app.wait_for_text("[data-testid=lifecycle-summary]", "0 images of 4 would expire", WAIT).await?;
            let date = app.driver.find(By::Css("[data-testid=lifecycle-as-of]")).await?;
            app.driver.execute(
                "const el = arguments[0]; el.value = '2027-06-01'; el.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![date.to_json()?],
            ).await?;
            app.wait_for_text("[data-testid=lifecycle-summary]", "1 image of 4 would expire", WAIT).await?;

            // Rule 2: keep the newest release of t1.*.
            app.click("[data-testid=add-rule]").await?;
            let rules = app.wait_for_all("[data-testid=lifecycle-rule]", 2, WAIT).await?;
            let second = &rules[1];
            let kind = second.find(By::Css("[data-testid=rule-kind]")).await?;
            kind.find(By::Css("option[value=imageCountMoreThan]")).await?.click().await?;
            let count = second.find(By::Css("[data-testid=rule-count]")).await?;
            app.clear_field(&count).await?;
            count.send_keys("1").await?;
            second.find(By::Css("[data-testid=rule-status] option[value=prefix]")).await?.click().await?;
            let tags = app.wait_for_all("[data-testid=lifecycle-rule]:nth-child(2) [data-testid=rule-tags]", 1, WAIT).await?.remove(0);
            tags.send_keys("t1.").await?;
            tags.send_keys(Key::Tab).await?;
            app.wait_for_text("[data-testid=rule-sentence]", "Keep the newest image tagged `t1.*`", WAIT).await?;
            app.wait_for_text("[data-testid=lifecycle-summary]", "3 images of 4 would expire", WAIT).await?;
            let marked = app.driver.find_all(By::Css("[data-testid=lifecycle-row][data-expire=true]")).await?;
            let mut why = Vec::new();
            for row in &marked {
                why.push(row.prop("textContent").await?.unwrap_or_default());
            }
            ensure!(why.iter().any(|t| t.contains("t1.0") && t.contains("rule 2: 3rd newest image tagged `t1.*`, keeps 1")), "{why:?}");
            ensure!(!why.iter().any(|t| t.contains("t1.2")), "the newest release is kept: {why:?}");
            app.screenshot("60-lifecycle-studio").await?;

            // The JSON tab holds the same policy.
            app.click("[data-testid=lifecycle-json-tab]").await?;
            let json = app.wait_for_all("[data-testid=lifecycle-json]", 1, WAIT).await?.remove(0);
            let text = json.prop("value").await?.unwrap_or_default();
            ensure!(text.contains("\"tagPrefixList\"") && text.contains("\"imageCountMoreThan\""), "{text}");
            app.screenshot("61-lifecycle-json").await?;

            // Apply: the confirmation says how many images go now (today, not as of next year).
            app.click("[data-testid=lifecycle-apply]").await?;
            app.wait_for_text("[data-testid=lifecycle-confirm]", "would expire", WAIT).await?;
            // Counted as of now, not as of the preview's date (one more image goes by then).
            app.wait_for_text("[data-testid=lifecycle-confirm]", "would expire 2 images", WAIT).await?;
            app.wait_for_text("[data-testid=lifecycle-confirm]", "shows 3 as of", WAIT).await?;
            app.screenshot("62-lifecycle-apply-confirmation").await?;
            app.click("[data-testid=lifecycle-confirm-button]").await?;
            app.wait_for_text("[data-testid=lifecycle-note]", "saved", WAIT).await?;
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
