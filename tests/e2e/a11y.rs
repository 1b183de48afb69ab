//! End-to-end: axe-core on every main screen — the registry overview, the command palette, a
//! repository's images, its lifecycle studio, a comparison, an image's details, a local image and
//! its push dialog, a confirmation (which Escape closes), each step of the create-repository wizard, the Registry page's tabs, the
//! profiles and the add-profile form. No violation of impact "serious" or "critical" is allowed;
//! the moderate and minor ones are printed. Each screen is reached as a user reaches it, and
//! checked once its marker and its content show; the scenario goes on after a screen that fails,
//! so that one run lists everything, and fails at the end.

use anyhow::{ensure, Result};
use berth_tests::{needs_the_window, App};
use thirtyfour::prelude::*;

use crate::screens::*;

/// The findings of every screen checked so far.
#[derive(Default)]
struct Findings {
    blocking: Vec<String>,
    /// (rule, impact) → screens and nodes, for the closing summary.
    rules: std::collections::BTreeMap<(String, String), (usize, usize)>,
}

impl Findings {
    /// axe on the screen of `marker` (named `name` in the output), in the light theme and in
    /// the dark one.
    async fn check(&mut self, app: &App, name: &str, marker: &str) -> Result<()> {
        self.check_theme(app, name, marker).await?;
        dark_theme(app, true).await?;
        let dark = self.check_theme(app, &format!("{name}, dark"), marker).await;
        dark_theme(app, false).await?;
        dark
    }

    async fn check_theme(&mut self, app: &App, name: &str, marker: &str) -> Result<()> {
        let mut found = app.axe(marker).await?;
        found.screen = format!("{name} ({marker})");
        for v in &found.violations {
            let entry = self.rules.entry((v.id.clone(), v.impact.clone())).or_default();
            entry.0 += 1;
            entry.1 += v.nodes.len();
        }
        if let Err(e) = found.check() {
            self.blocking.push(format!("{e:#}"));
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        let summary: String = self
            .rules
            .iter()
            .map(|((rule, impact), (screens, nodes))| {
                format!("  {rule} ({impact}): {screens} screen(s), {nodes} node(s)\n")
            })
            .collect();
        eprintln!("axe, every screen:\n{}", if summary.is_empty() { "  no violation\n" } else { &summary });
        ensure!(self.blocking.is_empty(), "{}", self.blocking.join("\n"));
        Ok(())
    }
}

const PALETTE: &str = "[data-testid=palette]";

/// The dark theme as the OS asks for it (`prefers-color-scheme: dark`), which WebKit under Xvfb
/// cannot be told: the variables of app.css's dark block are set on the root, and the form
/// controls' colour scheme with them; `false` takes them off. Fails if the block was not found.
async fn dark_theme(app: &App, on: bool) -> Result<()> {
    const SCRIPT: &str = r#"const on = arguments[0], root = document.documentElement;
        let n = 0;
        for (const sheet of document.styleSheets) {
          let rules;
          try { rules = sheet.cssRules; } catch { continue; }
          for (const rule of rules) {
            if (!(rule instanceof CSSMediaRule) || !rule.conditionText.includes('prefers-color-scheme: dark')) continue;
            for (const inner of rule.cssRules) {
              if (inner.selectorText !== ':root') continue;
              for (const name of inner.style) {
                if (!name.startsWith('--')) continue;
                if (on) root.style.setProperty(name, inner.style.getPropertyValue(name));
                else root.style.removeProperty(name);
                n++;
              }
            }
          }
        }
        root.style.colorScheme = on ? 'dark' : '';
        return n;"#;
    let n = app.driver.execute(SCRIPT, vec![serde_json::json!(on)]).await?;
    ensure!(n.json().as_u64().unwrap_or(0) >= 10, "the dark theme's variables in app.css: {:?}", n.json());
    Ok(())
}

#[tokio::test]
async fn no_serious_accessibility_violation_on_any_main_screen() -> Result<()> {
    needs_the_window();
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let config = berth_tests::scratch_dir("a11y-config")?.to_string_lossy().into_owned();
    App::run_with_env(&[("BERTH_CONFIG_DIR", config.as_str())], |app| async move {
        let outcome = async {
            let mut axe = Findings::default();

            // The registry overview, with its rows' figures read.
            let overview = app.on(OVERVIEW);
            overview.wait_for_all("[data-testid=repository-row]", 4).await?;
            overview
                .wait_for_text(
                    "[data-testid=repository-row][data-name='api/orders'] [data-testid=repo-lifecycle]",
                    "rule",
                )
                .await?;
            axe.check(&app, "registry overview", OVERVIEW).await?;
            app.screenshot("90-a11y-overview").await?;

            // The command palette, with a query typed.
            app.driver.action_chain().key_down(Key::Control).send_keys("k").key_up(Key::Control).perform().await?;
            let palette = app.on(PALETTE);
            palette.type_into("[data-testid=palette-input]", "orders").await?;
            palette.find("[data-testid=palette-option][data-id='repo:api/orders']").await?;
            axe.check(&app, "command palette", PALETTE).await?;
            palette.type_into("[data-testid=palette-input]", Key::Escape).await?;
            berth_tests::eventually("the palette to close", berth_tests::SCREEN_WAIT, || async {
                Ok(app.driver.find_all(By::Css(PALETTE)).await?.is_empty().then_some(()))
            })
            .await?;

            // A repository's images.
            let page = overview.click_to(&repo_item("api/orders"), &repo_page("api/orders")).await?;
            page.wait_for_text("[data-testid=images-status]", "images").await?;
            page.wait_for_all("[data-testid=image-row]", 3).await?;
            axe.check(&app, "repository images", &repo_page("api/orders")).await?;

            // Its lifecycle studio: the seeded policy and what it would expire.
            let studio = page.click_to("[data-testid=tab-lifecycle]", LIFECYCLE_TAB).await?;
            studio.wait_for_all("[data-testid=lifecycle-rule]", 1).await?;
            studio.wait_for_text("[data-testid=lifecycle-summary]", "would expire").await?;
            studio.wait_for_all("[data-testid=lifecycle-row]", 1).await?;
            axe.check(&app, "lifecycle studio", LIFECYCLE_TAB).await?;
            app.screenshot("91-a11y-lifecycle").await?;
            dark_theme(&app, true).await?;
            app.screenshot("92-a11y-lifecycle-dark").await?;
            dark_theme(&app, false).await?;

            // A comparison of two images, typed into the address bar.
            studio.replace_text(ADDRESS, "web:1 ⇄ web:2").await?;
            studio.type_into(ADDRESS, Key::Enter).await?;
            let compare = app.on(COMPARE);
            compare.wait_for_all("[data-testid=compare-layer]", 3).await?;
            axe.check(&app, "compare", COMPARE).await?;
            app.screenshot("93-a11y-compare").await?;

            // An image's details.
            compare.replace_text(ADDRESS, "web:1").await?;
            compare.type_into(ADDRESS, Key::Enter).await?;
            let details = app.on(IMAGE_DETAILS);
            details.wait_for_text("[data-testid=snippets]", "docker pull").await?;
            axe.check(&app, "image details", IMAGE_DETAILS).await?;
            dark_theme(&app, true).await?;
            app.screenshot("94-a11y-image-details-dark").await?;
            dark_theme(&app, false).await?;
            // A confirmation: named, its Cancel focused; Escape closes it and gives the focus back.
            details.type_into("[aria-label='Remove tag 1']", Key::Enter).await?;
            let confirm = app.on(REMOVE_TAG);
            axe.check(&app, "remove-tag confirmation", REMOVE_TAG).await?;
            let focused = app.driver.execute("return document.activeElement?.textContent ?? null;", Vec::new()).await?;
            ensure!(focused.json().as_str() == Some("Cancel"), "the focus in the confirmation: {:?}", focused.json());
            confirm.type_into(&format!("{REMOVE_TAG} button[data-autofocus]"), Key::Escape).await?;
            details.wait_for_all("[aria-label='Remove tag 1']", 1).await?;
            berth_tests::eventually("the confirmation to close", berth_tests::SCREEN_WAIT, || async {
                Ok(app.driver.find_all(By::Css(REMOVE_TAG)).await?.is_empty().then_some(()))
            })
            .await?;
            let focused = app.driver.execute("return document.activeElement?.getAttribute('aria-label') ?? null;", Vec::new()).await?;
            ensure!(focused.json().as_str() == Some("Remove tag 1"), "the focus after Escape: {:?}", focused.json());

            // A local image, and the push form it opens.
            let local = details.click_to("[data-testid=local-item][data-ref='demo/app:dev']", LOCAL_IMAGE).await?;
            local.wait_for_all("[data-testid=local-layer]", 1).await?;
            axe.check(&app, "local image", LOCAL_IMAGE).await?;
            let dialog = local.click_to("[data-testid=push-to]", PUSH_DIALOG).await?;
            dialog.find("[data-testid=push-repository]").await?;
            axe.check(&app, "push dialog", PUSH_DIALOG).await?;
            dialog.click(&format!("{PUSH_DIALOG} .buttons button:not(.primary)")).await?;
            local.ready().await?;

            // Each step of the create-repository wizard.
            let step = local.click_to("[data-testid=new-repository]", &wizard("name")).await?;
            step.type_into("[data-testid=repo-name]", format!("e2e/a11y-{nonce}")).await?;
            step.wait_for_text("[data-testid=name-ok]", "Available").await?;
            axe.check(&app, "wizard: name", &wizard("name")).await?;
            let mut step = step;
            for next in ["settings", "lifecycle", "permissions", "tags", "review"] {
                step = step.advance(NEXT, &wizard(next)).await?;
                if next == "review" {
                    step.wait_for_text("[data-testid=cli]", "aws ecr create-repository").await?;
                }
                axe.check(&app, &format!("wizard: {next}"), &wizard(next)).await?;
            }

            // The Registry page, every tab.
            let registry = step.click_to("[data-testid=open-registry]", REGISTRY).await?;
            registry.wait_for_text("[data-testid=registry-page-summary]", "000000000000").await?;
            for tab in ["replication", "pull-through", "templates", "scanning", "policy", "settings"] {
                let panel = registry_panel(tab);
                registry.click(&format!("[data-testid=registry-tab-{tab}]")).await?;
                let panel_screen = app.on(&panel);
                panel_screen.ready().await?;
                // Its content, not the loading line.
                berth_tests::eventually(&format!("the {tab} tab's content"), berth_tests::SCREEN_WAIT, || async {
                    let busy = app
                        .driver
                        .execute(
                            "const p = document.querySelector(arguments[0]); return !p || p.querySelectorAll('button, input, select, textarea, table, [role=table]').length === 0;",
                            vec![serde_json::json!(panel)],
                        )
                        .await?;
                    Ok((busy.json().as_bool() == Some(false)).then_some(()))
                })
                .await?;
                axe.check(&app, &format!("registry: {tab}"), &panel).await?;
            }

            // The profiles, and the add-profile form.
            let profiles = registry.click_to("[data-testid=manage-profiles]", PROFILES).await?;
            profiles.wait_for_all("[data-testid=profile-row]", 1).await?;
            axe.check(&app, "profiles", PROFILES).await?;
            let form = profiles.click_to("[data-testid=add-profile]", PROFILE_FORM).await?;
            form.find("[data-testid=field-name]").await?;
            axe.check(&app, "add-profile form", PROFILE_FORM).await?;
            app.screenshot("95-a11y-profile-form").await?;

            axe.finish()
        }
        .await;
        (app, outcome)
    })
    .await
}
