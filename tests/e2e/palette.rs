//! End-to-end: the command palette (Ctrl+K) reaches and runs five actions by keyboard only —
//! a repository by part of its name, the lifecycle studio of the repository on screen, a
//! comparison typed as `a ⇄ b`, the registry settings, a region — each step waiting for the
//! screen it leads to; then, opened from a focused field, it lists the recently used first and
//! Escape gives the focus back to that field; an action's shortcut (Ctrl+J, the jobs tray) works
//! from a field too.

use anyhow::{ensure, Context, Result};
use berth_tests::{eventually, needs_the_window, App, SCREEN_WAIT};
use thirtyfour::prelude::*;

use crate::screens::*;

const PALETTE: &str = "[data-testid=palette]";
const INPUT: &str = "[data-testid=palette-input]";
const OPTION: &str = "[data-testid=palette-option]";
const ACTIVE: &str = "[data-testid=palette-option][aria-selected=true]";

/// Ctrl+K as a person presses it, to whatever has the focus (nothing in particular: the page).
async fn press_ctrl_k(app: &App) -> Result<()> {
    app.driver.action_chain().key_down(Key::Control).send_keys("k").key_up(Key::Control).perform().await?;
    Ok(())
}

/// The data-id of the palette's active entry, once the field's `aria-activedescendant` names it
/// (what a screen reader follows).
async fn active_id(app: &App) -> Result<String> {
    eventually("the palette's active entry", SCREEN_WAIT, || async {
        let input = app.driver.find(By::Css(INPUT)).await?;
        let Some(descendant) = input.attr("aria-activedescendant").await? else { return Ok(None) };
        let active = app.driver.find_all(By::Css(ACTIVE)).await?;
        let [active] = active.as_slice() else { return Ok(None) };
        if active.id().await?.as_deref() != Some(descendant.as_str()) {
            return Ok(None);
        }
        Ok(active.attr("data-id").await?)
    })
    .await
}

/// Wait until the palette's active entry is `id`.
async fn wait_active(app: &App, id: &str) -> Result<()> {
    eventually(&format!("{id} to be the palette's active entry"), SCREEN_WAIT, || async {
        Ok((active_id(app).await? == id).then_some(()))
    })
    .await
}

/// ↓ in the palette's field, and wait until the active entry moved off `from`.
async fn down_from(app: &App, from: &str) -> Result<String> {
    app.on(PALETTE).type_into(INPUT, Key::Down).await?;
    eventually("↓ to move the active entry", SCREEN_WAIT, || async {
        let now = active_id(app).await?;
        Ok((now != from).then_some(now))
    })
    .await
}

/// The ids of the palette's entries, in order.
async fn option_ids(app: &App) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for o in app.driver.find_all(By::Css(OPTION)).await? {
        ids.push(o.attr("data-id").await?.unwrap_or_default());
    }
    Ok(ids)
}

/// The entries once they stopped changing (the query is typed a key at a time, and the
/// profiles and regions may still arrive): the same ids two reads in a row, 300 ms apart.
async fn settled_option_ids(app: &App) -> Result<Vec<String>> {
    let deadline = std::time::Instant::now() + SCREEN_WAIT;
    let mut last = option_ids(app).await?;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = option_ids(app).await?;
        if now == last && !now.is_empty() {
            return Ok(now);
        }
        anyhow::ensure!(std::time::Instant::now() < deadline, "the palette's entries kept changing: {now:?}");
        last = now;
    }
}

/// Wait until the palette is gone.
async fn palette_closed(app: &App) -> Result<()> {
    eventually("the palette to close", SCREEN_WAIT, || async {
        Ok(app.driver.find_all(By::Css(PALETTE)).await?.is_empty().then_some(()))
    })
    .await
}

/// On screen `from`: Ctrl+K, type `query`, ↓ until entry `id` is the active one, and, with a
/// screenshot `shot` of that if given, Enter; the palette closes.
async fn run_from_palette(app: &App, from: &str, query: &str, id: &str, shot: Option<&str>) -> Result<()> {
    app.on(from).ready().await?;
    press_ctrl_k(app).await?;
    let palette = app.on(PALETTE);
    palette.type_into(INPUT, query).await?;
    palette.find(&format!("{OPTION}[data-id='{id}']")).await.with_context(|| format!("“{query}” offers {id}"))?;
    let count = option_ids(app).await?.len();
    let mut active = active_id(app).await?;
    for _ in 0..count {
        if active == id {
            break;
        }
        active = down_from(app, &active).await?;
    }
    ensure!(active == id, "↓ never reached {id} for “{query}” (at {active}; entries {:?})", option_ids(app).await?);
    if let Some(shot) = shot {
        app.screenshot(shot).await?;
    }
    palette.type_into(INPUT, Key::Enter).await?;
    palette_closed(app).await
}

#[tokio::test]
async fn the_palette_reaches_and_runs_five_actions_by_keyboard_only() -> Result<()> {
    needs_the_window();
    // The region switch is remembered: in settings of this test's own.
    let config = berth_tests::scratch_dir("palette-config")?.to_string_lossy().into_owned();
    App::run_with_env(&[("BERTH_CONFIG_DIR", config.as_str())], |app| async move {
        let outcome = async {
            let overview = app.on(OVERVIEW);
            overview.wait_for_all("[data-testid=repository-row]", 4).await?;
            // The top bar says how to open it.
            overview.wait_for_text("[data-testid=palette-button]", "Ctrl+K").await?;

            // 1. A repository by part of its name. First ↓ and ↑ through the entries of a
            // broader query (↑ from the first wraps to the last), then the field emptied.
            overview.ready().await?;
            press_ctrl_k(&app).await?;
            let palette = app.on(PALETTE);
            palette.type_into(INPUT, "switch").await?;
            palette.find(&format!("{OPTION}[data-id='region:us-west-2']")).await?;
            let ids = settled_option_ids(&app).await?;
            ensure!(ids.len() >= 3, "“switch” offers {ids:?}");
            wait_active(&app, &ids[0]).await.context("the best entry is the active one")?;
            let next = down_from(&app, &ids[0]).await?;
            ensure!(next == ids[1], "↓ moves to {}, not {next}", ids[1]);
            palette.type_into(INPUT, Key::Up).await?;
            wait_active(&app, &ids[0]).await.context("↑ moves back")?;
            palette.type_into(INPUT, Key::Up).await?;
            wait_active(&app, ids.last().unwrap()).await.context("↑ from the first wraps to the last")?;
            palette.clear(INPUT).await?;
            palette.type_into(INPUT, "orders").await?;
            palette.find(&format!("{OPTION}[data-id='repo:api/orders']")).await?;
            let ids = option_ids(&app).await?;
            ensure!(ids.first().map(String::as_str) == Some("repo:api/orders"), "“orders” ranks {ids:?}");
            wait_active(&app, "repo:api/orders").await?;
            let found = palette.wait_for_text(ACTIVE, "Open repository api/orders").await?;
            ensure!(found.attr("role").await?.as_deref() == Some("option"));
            app.screenshot("130-palette").await?;
            palette.type_into(INPUT, Key::Enter).await?;
            let page = app.on(&repo_page("api/orders"));
            page.wait_for_text("[data-testid=images-status]", "images").await?;
            palette_closed(&app).await?;

            // 2. The lifecycle studio of the repository on screen.
            run_from_palette(&app, &repo_page("api/orders"), "lifecycle", "lifecycle:api/orders", None).await?;
            app.on(LIFECYCLE_TAB).ready().await?;

            // 3. A comparison, typed.
            run_from_palette(
                &app,
                LIFECYCLE_TAB,
                "web:1 ⇄ web:2",
                "compare:web:1 ⇄ web:2",
                Some("131-palette-compare"),
            )
            .await?;
            let compare = app.on(COMPARE);
            compare.wait_for_text("[data-testid=compare-b]", "web:2").await?;

            // 4. The registry settings.
            run_from_palette(&app, COMPARE, "registry settings", "registry", None).await?;
            app.on(REGISTRY).ready().await?;

            // 5. A region.
            run_from_palette(&app, REGISTRY, "us-west-2", "region:us-west-2", None).await?;
            app.wait_for_text("[data-testid=region-select] option:checked", "us-west-2", SCREEN_WAIT).await?;

            // From a focused field: Ctrl+K opens it there too, nothing typed lists the recently
            // used first (most recent first), and Escape gives the focus back to the field.
            let registry = app.on(REGISTRY);
            registry.type_into(ADDRESS, Key::Control + "k").await?;
            let palette = app.on(PALETTE);
            palette.find(&format!("{OPTION}[data-id='region:us-west-2']")).await?;
            let ids = option_ids(&app).await?;
            ensure!(
                ids.iter().take(3).map(String::as_str).eq(["region:us-west-2", "registry", "compare:web:1 ⇄ web:2"]),
                "the recently used first: {ids:?}"
            );
            app.screenshot("132-palette-recent").await?;
            palette.type_into(INPUT, Key::Escape).await?;
            palette_closed(&app).await?;
            let focused =
                app.driver.execute("return document.activeElement?.dataset?.testid ?? null;", Vec::new()).await?;
            ensure!(focused.json().as_str() == Some("address-input"), "the focus after Escape: {:?}", focused.json());

            // An action's own shortcut, shown in the palette, works from the field as well:
            // Ctrl+J puts the focus on the jobs tray.
            registry.type_into(ADDRESS, Key::Control + "j").await?;
            eventually("the focus on the jobs tray", SCREEN_WAIT, || async {
                let focused =
                    app.driver.execute("return document.activeElement?.dataset?.testid ?? null;", Vec::new()).await?;
                Ok((focused.json().as_str() == Some("jobs-tray")).then_some(()))
            })
            .await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}
