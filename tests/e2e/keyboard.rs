//! End-to-end: the keyboard alone. A whole push without the mouse — Tab to the local images,
//! the arrows to one, Enter opens it, "Push to…", the repository chosen by typing its name, the
//! tag typed, Enter pushes — read back from ECR; the sidebar tree (← → ↑ ↓, Enter) and the
//! images table (↓, Space, Shift+↓, Delete asks, Escape keeps everything); the `?` overlay.
//! No click anywhere: keys go to whatever has the focus, as a person's would.

use anyhow::{ensure, Context, Result};
use berth_tests::{eventually, needs_the_window, App, SCREEN_WAIT};
use serde_json::Value;
use thirtyfour::prelude::*;

use crate::screens::*;

const SHORTCUTS: &str = "[data-testid=shortcuts]";

/// Keys to whatever has the focus.
async fn press(app: &App, keys: impl Into<TypingData>) -> Result<()> {
    app.driver.action_chain().send_keys(keys).perform().await?;
    Ok(())
}

/// `key` with Shift held.
async fn shift(app: &App, key: Key) -> Result<()> {
    app.driver.action_chain().key_down(Key::Shift).send_keys(key).key_up(Key::Shift).perform().await?;
    Ok(())
}

/// What has the focus: its data-testid, data-name, data-ref, role and aria-expanded.
async fn focused(app: &App) -> Result<Value> {
    let v = app
        .driver
        .execute(
            "const e = document.activeElement;
             return e ? { testid: e.dataset?.testid ?? null, name: e.dataset?.name ?? null, ref: e.dataset?.ref ?? null,
                          key: e.dataset?.key ?? null, role: e.getAttribute('role'), expanded: e.getAttribute('aria-expanded') } : {};",
            Vec::new(),
        )
        .await?;
    Ok(v.json().clone())
}

/// Wait until the focused element's `field` is `value`.
async fn focus_is(app: &App, field: &str, value: &str) -> Result<()> {
    eventually(&format!("the focus on {field}={value}"), SCREEN_WAIT, || async {
        Ok((focused(app).await?[field].as_str() == Some(value)).then_some(()))
    })
    .await
}

/// Tab until the focus is on an element whose data-testid is `testid` (at most 120 presses).
async fn tab_to(app: &App, testid: &str) -> Result<()> {
    tab_until(app, "testid", testid).await
}

/// Tab until the focused element's `field` is `value` (at most 120 presses).
async fn tab_until(app: &App, field: &str, value: &str) -> Result<()> {
    for _ in 0..120 {
        if focused(app).await?[field].as_str() == Some(value) {
            return Ok(());
        }
        press(app, Key::Tab).await?;
    }
    anyhow::bail!("Tab never reached {field}={value} (at {})", focused(app).await?)
}

/// `key` until the focus is on an element whose `field` is `value` (at most 40 presses).
async fn move_to(app: &App, key: Key, field: &str, value: &str) -> Result<()> {
    for _ in 0..40 {
        if focused(app).await?[field].as_str() == Some(value) {
            return Ok(());
        }
        press(app, key.clone()).await?;
    }
    anyhow::bail!("{key:?} never reached {field}={value} (at {})", focused(app).await?)
}

#[tokio::test]
async fn a_whole_push_without_the_mouse() -> Result<()> {
    needs_the_window();
    let tag =
        format!("kbd-{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000);
    let t1 = tag.clone();
    App::run(|app| async move {
        let tag = t1;
        let outcome = async {
            let overview = app.on(OVERVIEW);
            overview.wait_for_all("[data-testid=repository-row]", 4).await?;
            overview.wait_for_all("[data-testid=local-item]", 3).await?;
            // Tab into the local images (one stop for the list), ↓ to the image, Enter opens it.
            tab_to(&app, "local-item").await?;
            move_to(&app, Key::Down, "ref", "demo/app:dev").await?;
            press(&app, Key::Enter).await?;
            let local = app.on(LOCAL_IMAGE);
            local.wait_for_text("h1", "demo/app:dev").await?;
            // "Push to…" is the next stop: the main pane follows the sidebar.
            tab_to(&app, "push-to").await?;
            app.screenshot("140-keyboard-push-to").await?;
            press(&app, Key::Enter).await?;
            let dialog = app.on(PUSH_DIALOG);
            dialog.ready().await?;
            // The dialog takes the focus on its repository; typing a name chooses it.
            focus_is(&app, "testid", "push-repository").await?;
            press(&app, "web").await?;
            dialog.wait_for_value("[data-testid=push-repository]", "web").await?;
            let chosen = dialog.find("[data-testid=push-repository]").await?.prop("value").await?;
            ensure!(chosen.as_deref() == Some("web"), "typing “web” chose {chosen:?}");
            press(&app, Key::Tab).await?;
            focus_is(&app, "testid", "push-tags").await?;
            app.driver.action_chain().key_down(Key::Control).send_keys("a").key_up(Key::Control).perform().await?;
            press(&app, tag.as_str()).await?;
            dialog.wait_for_value("[data-testid=push-tags]", &tag).await?;
            dialog.wait_for_text("[data-testid=push-checks]", "new tag").await?;
            app.screenshot("141-keyboard-push-dialog").await?;
            // Enter in the field pushes.
            press(&app, Key::Enter).await?;
            let jobs = app.on(JOBS);
            let done = jobs.wait_for_text("[data-testid=job]", "pushed sha256:").await?;
            let text = done.prop("textContent").await?.unwrap_or_default();
            ensure!(text.contains(&format!("web:{tag}")), "the job names web:{tag}: {text}");
            app.screenshot("142-keyboard-push-done").await?;
            // The tag is in ECR, at the digest the window said ("pushed sha256:0123456789ab in …").
            let said =
                text.split("pushed ").nth(1).unwrap_or_default().split(' ').next().unwrap_or_default().to_string();
            let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
            let in_ecr = ecr_digest(&aws, "web", &tag).await?;
            ensure!(
                said.len() >= 15 && in_ecr.starts_with(&said),
                "ECR has web:{tag} at {in_ecr}, the window said {said:?}"
            );
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

/// The selected rows of the images table, by digest.
async fn selected_rows(app: &App) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for row in app.driver.find_all(By::Css("[data-testid=image-row][aria-selected=true]")).await? {
        out.push(row.attr("data-digest").await?.unwrap_or_default());
    }
    Ok(out)
}

/// Wait until `n` rows are selected.
async fn selected_count(app: &App, n: usize) -> Result<Vec<String>> {
    eventually(&format!("{n} selected rows"), SCREEN_WAIT, || async {
        let rows = selected_rows(app).await?;
        Ok((rows.len() == n).then_some(rows))
    })
    .await
}

/// The digest of the table's active row (what aria-activedescendant names), once it is `index`
/// (0-based) of the rows shown.
async fn active_row(app: &App, index: usize) -> Result<String> {
    eventually(&format!("row {index} active"), SCREEN_WAIT, || async {
        let v = app
            .driver
            .execute(
                "const g = document.querySelector('[data-testid=images-table]');
                 const id = g?.getAttribute('aria-activedescendant');
                 const row = id ? document.getElementById(id) : null;
                 return row ? { index: Number(row.getAttribute('aria-rowindex')) - 2, digest: row.dataset.digest } : null;",
                Vec::new(),
            )
            .await?;
        let v = v.json();
        Ok((v["index"].as_u64() == Some(index as u64)).then(|| v["digest"].as_str().unwrap_or_default().to_string()))
    })
    .await
}

#[tokio::test]
async fn the_sidebar_tree_and_the_images_table_by_keyboard() -> Result<()> {
    needs_the_window();
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    let before = aws.list_images("api/orders").await?.len();
    let outcome = App::run(|app| async move {
        let outcome = async {
            let overview = app.on(OVERVIEW);
            overview.wait_for_all("[data-testid=repository-row]", 4).await?;
            // `?` (not typed in a field) opens the shortcuts overlay; Escape closes it.
            overview.ready().await?;
            press(&app, "?").await?;
            let overlay = app.on(SHORTCUTS);
            overlay.wait_for_text(SHORTCUTS, "Shift+↓").await?;
            overlay.wait_for_text(SHORTCUTS, "Ctrl+K").await?;
            focus_is(&app, "testid", "shortcuts-close").await?;
            app.screenshot("143-shortcuts-overlay").await?;
            press(&app, Key::Escape).await?;
            eventually("the overlay to close", SCREEN_WAIT, || async {
                Ok(app.driver.find_all(By::Css(SHORTCUTS)).await?.is_empty().then_some(()))
            })
            .await?;

            // The tree: one Tab stop; ↓ to api/orders; ← to its folder, ← closes it, → opens it,
            // → goes in; Enter opens the repository.
            tab_until(&app, "role", "treeitem").await?;
            move_to(&app, Key::Down, "name", "api/orders").await?;
            press(&app, Key::Left).await?;
            focus_is(&app, "key", "api/").await?;
            press(&app, Key::Left).await?;
            eventually("api/ to close", SCREEN_WAIT, || async {
                let closed = focused(&app).await?["expanded"].as_str() == Some("false");
                let gone = app.driver.find_all(By::Css(repo_item("api/orders"))).await?.is_empty();
                Ok((closed && gone).then_some(()))
            })
            .await?;
            press(&app, Key::Right).await?;
            app.on(&repo_item("api/orders")).ready().await?;
            press(&app, Key::Right).await?;
            move_to(&app, Key::Down, "name", "api/orders").await?;
            press(&app, Key::Enter).await?;
            let page = app.on(&repo_page("api/orders"));
            page.wait_for_text("[data-testid=images-status]", "images").await?;
            page.wait_for_all("[data-testid=image-row]", 3).await?;
            app.screenshot("144-keyboard-tree").await?;

            // The table: Tab reaches it (one stop), the first row is active; ↓, Space selects,
            // Shift+↓ extends; Delete asks; Escape keeps everything.
            tab_to(&app, "images-table").await?;
            active_row(&app, 0).await?;
            press(&app, Key::Down).await?;
            let second = active_row(&app, 1).await?;
            press(&app, Key::Space).await?;
            ensure!(selected_count(&app, 1).await? == [second.clone()], "Space selects the active row");
            shift(&app, Key::Down).await?;
            let third = active_row(&app, 2).await?;
            let chosen = selected_count(&app, 2).await?;
            ensure!(
                chosen.contains(&second) && chosen.contains(&third),
                "Shift+↓ selects {second} and {third}: {chosen:?}"
            );
            page.wait_for_text("[data-testid=images-delete]", "Delete 2 images").await?;
            app.screenshot("145-keyboard-table-selection").await?;
            press(&app, Key::Delete).await?;
            let confirm = app.on(DELETE_IMAGES);
            confirm.wait_for_text(DELETE_IMAGES, "Delete 2 images from api/orders?").await?;
            focus_is(&app, "testid", "cancel-delete-images").await?;
            app.screenshot("146-keyboard-delete-asks").await?;
            press(&app, Key::Escape).await?;
            eventually("the confirmation to close", SCREEN_WAIT, || async {
                Ok(app.driver.find_all(By::Css(DELETE_IMAGES)).await?.is_empty().then_some(()))
            })
            .await?;
            // The focus is back on the table, the selection kept.
            focus_is(&app, "testid", "images-table").await?;
            ensure!(selected_rows(&app).await?.len() == 2, "the selection after Escape");
            // End goes to the last row, scrolled into view.
            let rows = page.wait_for_all("[data-testid=image-row]", 3).await?.len();
            press(&app, Key::End).await?;
            let count: usize = {
                let status = page.find("[data-testid=images-status]").await?.text().await?;
                status.split_whitespace().next().unwrap_or("0").replace(',', "").parse().context("the image count")?
            };
            ensure!(rows <= count);
            active_row(&app, count - 1).await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await;
    outcome?;
    // Nothing was deleted.
    let after = aws.list_images("api/orders").await?.len();
    ensure!(after == before, "api/orders had {before} images and has {after}");
    Ok(())
}
