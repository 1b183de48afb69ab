//! End-to-end: the Registry page (every tab edited, read back through the ECR API), an image's
//! replication status, and archiving from the images table.

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use berth_tests::{eventually, needs_the_window, App};
use thirtyfour::prelude::*;

use crate::screens::*;

const WAIT: Duration = Duration::from_secs(20);

fn nonce() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_nanos() % 1_000_000
}

/// One scenario edits every registry-wide setting (they are one per account and region), and
/// puts back what it found on every path.
#[tokio::test]
async fn edit_every_section_of_the_registry_page() -> Result<()> {
    needs_the_window();
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    let (_, replication_before) = aws.describe_registry().await?;
    let scanning_before = aws.scanning_configuration().await?;
    let settings_before = aws.account_settings().await;
    let n = nonce();
    let prefix = format!("e2ehub{n}");
    let template = format!("e2e-tpl{n}");
    let token = format!("dckr_pat_e2e{n}TOKENxyz");
    let log = berth_tests::scratch_dir("registry-log")?.join("app.log");

    let (p, t, tok) = (prefix.clone(), template.clone(), token.clone());
    let run = App::run_logged(&log, |app| async move {
        let (prefix, template, token) = (p, t, tok);
        let outcome = async {
            let page = app.on(OVERVIEW).click_to("[data-testid=open-registry]", REGISTRY).await?;
            page.wait_for_text("[data-testid=registry-page-summary]", "000000000000").await?;
            // The registry is where GetAuthorizationToken says (the sandbox's us-east-1 registry).
            page.wait_for_text("[data-testid=registry-page-summary]", &berth_tests::sandbox_var("SANDBOX_REGISTRY"))
                .await?;

            // Replication: the seeded rule in words; a second rule added and saved.
            let tab = app.on(&registry_panel("replication"));
            tab.wait_for_text("[data-testid=registry-words]", "us-west-2").await?;
            tab.wait_for_text("[data-testid=registry-words]", "only images pushed after").await?;
            tab.wait_for_text("[data-testid=registry-cli]", "aws ecr put-replication-configuration").await?;
            app.screenshot("70-registry-replication").await?;
            tab.click("[data-testid=replication-add-rule]").await?;
            tab.wait_for_all("[data-testid=replication-rule]", 2).await?;
            let second = "[data-testid=replication-rule]:nth-of-type(2)";
            let rule = app.on(second);
            rule.click(&format!("{second} [data-testid=replication-region] option[value=eu-west-1]")).await?;
            let filter = format!("{second} [data-testid=replication-filter]");
            // "+ Prefix filter" until its field shows: on a loaded machine a click while the
            // region change still lays out the page can land beside the button.
            eventually("the second rule's prefix filter field", WAIT, || {
                let (app, rule, filter, second) = (&app, &rule, filter.clone(), second);
                async move {
                    if !app.driver.find_all(By::Css(&filter)).await?.is_empty() {
                        return Ok(Some(()));
                    }
                    rule.click(&format!("{second} [data-testid=replication-add-filter]")).await?;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    Ok(app.driver.find_all(By::Css(&filter)).await?.first().map(|_| ()))
                }
            })
            .await?;
            rule.type_into(&filter, "web").await?;
            tab.wait_for_text("[data-testid=registry-words]", "eu-west-1").await?;
            tab.click("[data-testid=replication-save]").await?;
            tab.wait_for_all("[data-testid=replication-note]", 1).await?;
            let (_, stored) = aws.describe_registry().await?;
            ensure!(stored.rules.len() == 2, "ECR holds {stored:?}");
            ensure!(stored.rules[1].destinations.iter().any(|d| d.region == "eu-west-1"), "{stored:?}");
            // Another account as a destination: its registry policy is offered.
            rule.replace_text(&format!("{second} [data-testid=replication-account]"), "111122223333").await?;
            tab.wait_for_text("[data-testid=replication-cross-account]", "111122223333").await?;
            tab.wait_for_text("[data-testid=replication-policy]", "ecr:ReplicateImage").await?;
            app.screenshot("71-registry-replication-cross-account").await?;

            // Pull-through cache: a Docker Hub rule with a typed token.
            let tab = page.click_to("[data-testid=registry-tab-pull-through]", &registry_panel("pull-through")).await?;
            tab.wait_for_all("[data-testid=ptc-row][data-prefix=docker-hub]", 1).await?;
            let form = tab.click_to("[data-testid=ptc-add]", "[data-testid=ptc-form]").await?;
            form.click("[data-testid=ptc-upstream] option[value=docker-hub]").await?;
            form.replace_text("[data-testid=ptc-prefix]", &prefix).await?;
            form.click("[data-testid=ptc-credential-typed]").await?;
            form.type_into("[data-testid=ptc-username]", "berth").await?;
            form.type_into("[data-testid=ptc-token]", &token).await?;
            app.screenshot("72-registry-pull-through-form").await?;
            form.click("[data-testid=ptc-submit]").await?;
            let row = format!("[data-testid=ptc-row][data-prefix='{prefix}']");
            tab.wait_for_all(&row, 1).await?;
            ensure!(!app.everything_in_the_page().await?.contains(&token), "the token is in the DOM");
            tab.wait_for_text(&row, &format!("{prefix}/library/alpine")).await?;
            tab.click(&format!("{row} [data-testid=ptc-validate]")).await?;
            tab.wait_for_all("[data-testid=ptc-validation][data-valid=true]", 1).await?;
            app.screenshot("73-registry-pull-through").await?;
            // Its credential changed from the row: a new token, typed; the form keeps the rest.
            let form = tab.click_to(&format!("{row} [data-testid=ptc-change]"), "[data-testid=ptc-form]").await?;
            ensure!(!form.find("[data-testid=ptc-prefix]").await?.is_enabled().await?, "the prefix stays");
            form.click("[data-testid=ptc-credential-typed]").await?;
            form.type_into("[data-testid=ptc-username]", "berth").await?;
            form.type_into("[data-testid=ptc-token]", &format!("{token}2")).await?;
            tab.wait_for_text("[data-testid=registry-cli]", "update-pull-through-cache-rule").await?;
            app.screenshot("73b-registry-pull-through-change").await?;
            form.click("[data-testid=ptc-submit]").await?;
            tab.wait_for_text("[data-testid=ptc-note]", "Changed the credential").await?;
            let arn = aws
                .pull_through_rules("")
                .await?
                .into_iter()
                .find(|r| r.ecr_repository_prefix == prefix)
                .and_then(|r| r.credential_arn)
                .context("the rule has no credential")?;
            let value = aws.secrets().get_secret_value().secret_id(&arn).send().await?;
            ensure!(
                value.secret_string().is_some_and(|v| v.contains(&format!("{token}2"))),
                "the new token is the secret's"
            );
            ensure!(!app.everything_in_the_page().await?.contains(&token), "a token is in the DOM");
            let confirm = tab.click_to(&format!("{row} [data-testid=ptc-remove]"), CONFIRM).await?;
            confirm.click("[data-testid=registry-confirm-yes]").await?;
            eventually("the rule's row to go", WAIT, || async {
                Ok(app.driver.find_all(By::Css(&row)).await?.is_empty().then_some(()))
            })
            .await?;

            // Templates: a CREATE_ON_PUSH template with immutable tags.
            let tab = page.click_to("[data-testid=registry-tab-templates]", &registry_panel("templates")).await?;
            let form = tab.click_to("[data-testid=template-add]", "[data-testid=template-form]").await?;
            form.type_into("[data-testid=template-prefix]", &template).await?;
            // A new template is for create-on-push unless the user says otherwise.
            ensure!(
                form.find("[data-testid=template-applied-CREATE_ON_PUSH]").await?.is_selected().await?,
                "a new template starts applied for CREATE_ON_PUSH"
            );
            form.click("[data-testid=template-mutability-IMMUTABLE]").await?;
            app.screenshot("74-registry-template-form").await?;
            form.click("[data-testid=template-save]").await?;
            let row = format!("[data-testid=template-row][data-prefix='{template}']");
            tab.wait_for_all(&row, 1).await?;
            let stored = aws.creation_templates().await?;
            let saved = stored.iter().find(|t| t.prefix == template).context("the template is not in ECR")?;
            ensure!(saved.settings.tag_mutability == berth_core::model::TagMutability::Immutable, "{saved:?}");
            app.screenshot("75-registry-templates").await?;
            let confirm = tab.click_to(&format!("{row} [data-testid=template-remove]"), CONFIRM).await?;
            confirm.click("[data-testid=registry-confirm-yes]").await?;
            eventually("the template's row to go", WAIT, || async {
                Ok(app.driver.find_all(By::Css(&row)).await?.is_empty().then_some(()))
            })
            .await?;

            // Scanning: the coverage table; a rule widened to tools/, and its coverage follows.
            let tab = page.click_to("[data-testid=registry-tab-scanning]", &registry_panel("scanning")).await?;
            tab.wait_for_all("[data-testid=coverage-row][data-repository=web]", 1).await?;
            tab.wait_for_all("[data-testid=coverage-row][data-repository='tools/empty'] [data-testid=not-covered]", 1)
                .await?;
            app.screenshot("76-registry-scanning").await?;
            let filters = "[data-testid=scanning-rule]:first-of-type [data-testid=scanning-filters]";
            let value = tab.find(filters).await?.prop("value").await?.unwrap_or_default();
            tab.replace_text(filters, &format!("{value}, tools/*")).await?;
            tab.click("[data-testid=scanning-save]").await?;
            tab.wait_for_all(
                "[data-testid=coverage-row][data-repository='tools/empty'][data-frequency=SCAN_ON_PUSH]",
                1,
            )
            .await?;
            let stored = aws.scanning_configuration().await?;
            ensure!(stored.rules.iter().any(|r| r.repository_filters.iter().any(|f| f == "tools/*")), "{stored:?}");

            // Registry policy: from the cross-account replication template, saved, then deleted.
            let tab = page.click_to("[data-testid=registry-tab-policy]", &registry_panel("policy")).await?;
            tab.type_into("[data-testid=policy-template-account]", "111122223333").await?;
            tab.click("[data-testid=policy-template-allow_replication_from]").await?;
            tab.wait_for_value("[data-testid=policy-editor]", "ecr:ReplicateImage").await?;
            tab.wait_for_text("[data-testid=registry-words]", "111122223333").await?;
            tab.click("[data-testid=policy-save]").await?;
            tab.wait_for_all("[data-testid=policy-note]", 1).await?;
            let stored = aws.registry_policy().await?.context("no registry policy in ECR")?;
            ensure!(stored.contains("111122223333"), "{stored}");
            app.screenshot("77-registry-policy").await?;
            let confirm = tab.click_to("[data-testid=policy-clear]", CONFIRM).await?;
            confirm.click("[data-testid=registry-confirm-yes]").await?;
            eventually("the policy deleted in ECR", WAIT, || async {
                Ok(aws.registry_policy().await?.is_none().then_some(()))
            })
            .await?;

            // Account settings: each with its sentence; one changed.
            let tab = page.click_to("[data-testid=registry-tab-settings]", &registry_panel("settings")).await?;
            tab.wait_for_all("[data-testid=setting-row]", 3).await?;
            let setting = "BASIC_SCAN_TYPE_VERSION";
            let current = settings_value(&aws, setting).await;
            let other = if current.as_deref() == Some("CLAIR") { "AWS_NATIVE" } else { "CLAIR" };
            tab.click(&format!("[data-testid=setting-{setting}] option[value={other}]")).await?;
            tab.click(&format!("[data-testid=setting-save-{setting}]")).await?;
            eventually("the setting in ECR", WAIT, || async {
                Ok((settings_value(&aws, setting).await.as_deref() == Some(other)).then_some(()))
            })
            .await?;
            app.screenshot("78-registry-settings").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await;

    // Put back what the scenario found, whatever happened.
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    let _ = aws.put_replication(&replication_before).await;
    let _ = aws.put_scanning_configuration(&scanning_before).await;
    let _ = aws.delete_pull_through_rule(&prefix).await;
    let _ = aws.delete_creation_template(&template).await;
    let _ = aws.delete_registry_policy().await;
    for s in &settings_before {
        if let Some(v) = &s.value {
            let _ = aws.put_account_setting(&s.name, v).await;
        }
    }
    run?;
    let logged = std::fs::read_to_string(&log).context("the app's log")?;
    ensure!(logged.contains("add_pull_through_rule"), "the app's trace log was not written to {}", log.display());
    ensure!(!logged.contains(&token), "the typed token is in the app's log");
    // The same session's log file, at the same level.
    let files = App::read_log_files(&App::log_files_of(&log))?;
    ensure!(files.contains("add_pull_through_rule"), "the app's log file lacks the session: {files}");
    ensure!(!files.contains(&token), "the typed token is in the app's log file");
    Ok(())
}

async fn settings_value(aws: &berth_aws::Aws, name: &str) -> Option<String> {
    aws.account_settings().await.into_iter().find(|s| s.name == name).and_then(|s| s.value)
}

/// The seeded `api/orders:1.1.0` was pushed under the replication rule: its details say it is in
/// us-west-2. Then an image is archived from the table, and restored.
#[tokio::test]
async fn see_replication_status_and_archive_an_image_from_the_table() -> Result<()> {
    needs_the_window();
    let n = nonce();
    let repo = format!("e2e/archive-{n}");
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    aws.create_repository(&berth_core::model::RepositorySpec::named(repo.clone())).await?;
    for (i, tag) in ["a1", "a2"].iter().enumerate() {
        let manifest = serde_json::json!({
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": format!("sha256:{:064x}", n * 10 + i as u128)},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1 << 20, "digest": format!("sha256:{:064x}", n * 10 + 5 + i as u128)}]
        });
        aws.ecr()
            .put_image()
            .repository_name(&repo)
            .image_manifest(manifest.to_string())
            .image_tag(*tag)
            .send()
            .await?;
    }
    let r = repo.clone();
    let run = App::run(|app| async move {
        let repo = r;
        let outcome = async {
            let start = app.on(OVERVIEW);
            start.type_into(ADDRESS, "api/orders:1.1.0").await?;
            start.type_into(ADDRESS, Key::Enter).await?;
            let details = app.on(IMAGE_DETAILS);
            details
                .wait_for_all("[data-testid=replication-row][data-region=us-west-2][data-status=COMPLETE]", 1)
                .await?;
            app.screenshot("80-image-replication").await?;

            let page = details.click_to(&repo_item(&repo), &repo_page(&repo)).await?;
            page.wait_for_text("[data-testid=images-status]", "2 images").await?;
            let row = "[data-testid=image-row]:has([aria-label='Select a1'])";
            page.click(&format!("{row} [data-testid=image-select]")).await?;
            let confirm = page.click_to("[data-testid=archive-images]", "[data-testid=storage-confirm]").await?;
            confirm.wait_for_text("[data-testid=storage-warning]", "90 days").await?;
            confirm.wait_for_text("[data-testid=storage-warning]", "cannot be pulled").await?;
            app.screenshot("81-archive-confirmation").await?;
            confirm.click("[data-testid=storage-confirm-ok]").await?;
            page.wait_for_all(&format!("{row} [data-testid=image-status][data-status=ARCHIVED]"), 1).await?;
            app.screenshot("82-archived-in-the-table").await?;

            // Restore: selected again (the listing was read again), it goes through ACTIVATING.
            let check = page.find(&format!("{row} [data-testid=image-select]")).await?;
            if !check.is_selected().await? {
                page.click(&format!("{row} [data-testid=image-select]")).await?;
            }
            let confirm = page.click_to("[data-testid=restore-images]", "[data-testid=storage-confirm]").await?;
            confirm.click("[data-testid=storage-confirm-ok]").await?;
            page.wait_for_all(&format!("{row} [data-testid=image-status]:not([data-status=ARCHIVED])"), 1).await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await;
    let status = image_statuses(&aws, &repo).await;
    let _ = aws.delete_repository(&repo, true).await;
    run?;
    let status = status?;
    ensure!(
        status.iter().any(|(tag, s)| tag == "a1" && s != "ARCHIVED")
            && status.iter().any(|(tag, s)| tag == "a2" && s == "ACTIVE"),
        "ECR says {status:?}"
    );
    Ok(())
}

/// (tag, imageStatus) of every image of `repository`, as DescribeImages says with the filter ANY.
async fn image_statuses(aws: &berth_aws::Aws, repository: &str) -> Result<Vec<(String, String)>> {
    use aws_sdk_ecr::types::{DescribeImagesFilter, ImageStatusFilter};
    let out = aws
        .ecr()
        .describe_images()
        .repository_name(repository)
        .filter(DescribeImagesFilter::builder().image_status(ImageStatusFilter::Any).build())
        .send()
        .await?;
    Ok(out
        .image_details()
        .iter()
        .flat_map(|d| {
            let status = d.image_status().map(|s| s.as_str().to_string()).unwrap_or_default();
            d.image_tags().iter().map(move |t| (t.clone(), status.clone()))
        })
        .collect())
}
