//! End-to-end: the window reopens at the size and place it was left at (the window-state
//! plugin, saved a moment after each change, read when the window is created again).

use std::time::Duration;

use anyhow::{ensure, Result};
use berth_tests::{eventually, needs_the_window, App};
use thirtyfour::prelude::*;

use crate::screens::*;

#[tokio::test]
async fn the_window_reopens_at_its_last_size_and_place() -> Result<()> {
    needs_the_window();
    // A config folder of its own: the other scenarios keep the default size.
    let xdg = berth_tests::scratch_dir("window-state")?;
    let xdg_text = xdg.to_string_lossy().into_owned();
    let env = [("XDG_CONFIG_HOME", xdg_text.as_str())];
    let saved = xdg.join("dev.berth.app").join(".window-state.json");
    let saved2 = saved.clone();
    App::run_with_env(&env, |app| async move {
        let saved = saved2;
        let outcome = async {
            app.on(OVERVIEW).wait_for_all("[data-testid=repository-row]", 4).await?;
            app.driver.set_window_rect(40, 30, 1100, 700).await?;
            // Saved within a second or so of the change.
            eventually("the window's size in its state file", Duration::from_secs(10), || async {
                let text = std::fs::read_to_string(&saved).unwrap_or_default();
                Ok(text.contains("1100").then_some(()))
            })
            .await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            app.on(OVERVIEW).wait_for_all("[data-testid=repository-row]", 4).await?;
            let rect = app.driver.get_window_rect().await?;
            ensure!((rect.width - 1100).abs() <= 4 && (rect.height - 700).abs() <= 4, "reopened at {rect:?}");
            ensure!((rect.x - 40).abs() <= 4 && (rect.y - 30).abs() <= 4, "reopened at {rect:?}");
            app.screenshot("125-window-reopened").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}

/// A sidebar list longer than its section scrolls, each row at its full height (auto grid
/// rows of clipped items once shrank to fit, drawing the names over each other).
#[tokio::test]
async fn a_long_repository_list_scrolls_with_every_row_whole() -> Result<()> {
    needs_the_window();
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let aws = berth_aws::Aws::connect(berth_aws::ConnectionSettings::from_env()).await?;
    let names: Vec<String> = (0..18).map(|i| format!("e2e/list-{n}/r{i:02}")).collect();
    for name in &names {
        aws.create_repository(&berth_core::model::RepositorySpec::named(name.clone())).await?;
    }
    let last = names.last().cloned().unwrap_or_default();
    let outcome = App::run(|app| async move {
        let outcome = async {
            let overview = app.on(OVERVIEW);
            overview.find(&repo_item(&last)).await?;
            let shape = app
                .driver
                .execute(
                    "const items = [...document.querySelectorAll('[data-testid=repo-item]')];
                     const list = items[0].closest('.list');
                     return { lowest: Math.min(...items.map((i) => i.getBoundingClientRect().height)),
                              scrolls: list.scrollHeight > list.clientHeight + 1 };",
                    vec![],
                )
                .await?;
            let shape = shape.json();
            let lowest = shape["lowest"].as_f64().unwrap_or(0.0);
            ensure!(lowest >= 20.0, "a repository row is {lowest} px high: squashed");
            ensure!(shape["scrolls"].as_bool() == Some(true), "the repository list does not scroll: {shape}");
            app.screenshot("126-long-repository-list").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await;
    for name in &names {
        aws.delete_repository(name, true).await?;
    }
    outcome
}

/// The sidebar's width as its edge (a separator) says it.
async fn sidebar_width(app: &App) -> Result<i64> {
    let edge = app.driver.find(By::Css("[data-testid=sidebar-resizer]")).await?;
    Ok(edge.attr("aria-valuenow").await?.unwrap_or_default().parse()?)
}

/// Whether a file under `dir` holds `text` (as UTF-8, or as the UTF-16 WebKit's localStorage
/// database keeps its values in).
fn saved_under(dir: &std::path::Path, text: &str) -> bool {
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|e| {
        let path = e.path();
        if path.is_dir() {
            return saved_under(&path, text);
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        bytes.windows(utf16.len()).any(|w| w == utf16.as_slice())
            || bytes.windows(text.len()).any(|w| w == text.as_bytes())
    })
}

/// The sidebar's width, its closed sections and the last repository with its tab come back
/// after a restart (the webview's localStorage, under the app's data folder).
#[tokio::test]
async fn the_sidebar_and_the_last_repository_and_tab_come_back_after_a_restart() -> Result<()> {
    needs_the_window();
    // Folders of its own: the other scenarios start with the default sidebar on the overview.
    let config = berth_tests::scratch_dir("remembered-config")?;
    let data = berth_tests::scratch_dir("remembered-data")?;
    let (config_text, data_text) = (config.to_string_lossy().into_owned(), data.to_string_lossy().into_owned());
    let env = [("XDG_CONFIG_HOME", config_text.as_str()), ("XDG_DATA_HOME", data_text.as_str())];
    const RESIZER: &str = "[data-testid=sidebar-resizer]";
    const LOCAL_SECTION: &str = "[data-testid=sidebar-section][data-section='Local images']";
    let data2 = data.clone();
    // The width the first run left, for the second to find.
    let left = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let left2 = left.clone();
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            let overview = app.on(OVERVIEW);
            overview.wait_for_all("[data-testid=repository-row]", 4).await?;
            let edge = overview.find(RESIZER).await?;
            let start = sidebar_width(&app).await?;
            // Wider by dragging its edge, then narrower by one step of ← with the edge focused.
            app.driver.action_chain().click_and_hold_element(&edge).move_by_offset(96, 0).release().perform().await?;
            let dragged = eventually("the sidebar to widen", Duration::from_secs(10), || async {
                let now = sidebar_width(&app).await?;
                Ok((now >= start + 80).then_some(now))
            })
            .await?;
            overview.type_into(RESIZER, Key::Left).await?;
            let width = eventually("← to narrow it", Duration::from_secs(10), || async {
                let now = sidebar_width(&app).await?;
                Ok((now < dragged).then_some(now))
            })
            .await?;
            let aside = app.driver.find(By::Css("aside.side")).await?.rect().await?.width;
            ensure!((aside - width as f64).abs() <= 2.0, "the sidebar is {aside} px wide, its edge says {width}");
            // Local images closed.
            overview.click(&format!("{LOCAL_SECTION} [data-testid=section-toggle]")).await?;
            app.on(&format!("{LOCAL_SECTION}[data-open=false]")).ready().await?;
            // A repository's Lifecycle tab.
            let page = overview.click_to(&repo_item("api/orders"), &repo_page("api/orders")).await?;
            page.click_to("[data-testid=tab-lifecycle]", LIFECYCLE_TAB).await?;
            app.screenshot("127-remembered-before").await?;
            // Written to disk by WebKit a moment later.
            eventually("the last place in the data folder", Duration::from_secs(20), || async {
                Ok(saved_under(&data2, "lifecycle").then_some(()))
            })
            .await?;
            eventually("the closed section in the data folder", Duration::from_secs(20), || async {
                Ok(saved_under(&data2, "Local images").then_some(()))
            })
            .await?;
            left2.store(width, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;
    let width = left.load(std::sync::atomic::Ordering::SeqCst);
    App::run_with_env(&env, |app| async move {
        let outcome = async {
            // Back on the repository's Lifecycle tab, the sidebar as wide, Local images closed.
            let studio = app.on(LIFECYCLE_TAB);
            studio.ready().await?;
            app.on(&repo_page("api/orders")).ready().await?;
            let selected = app.driver.find(By::Css("[data-testid=tab-lifecycle]")).await?.attr("aria-selected").await?;
            ensure!(selected.as_deref() == Some("true"), "the Lifecycle tab is chosen: {selected:?}");
            studio.find(RESIZER).await?;
            let now = sidebar_width(&app).await?;
            ensure!(now == width, "the sidebar reopened {now} px wide, not {width}");
            app.on(&format!("{LOCAL_SECTION}[data-open=false]")).ready().await?;
            ensure!(
                app.driver.find_all(By::Css("[data-testid=local-list]")).await?.is_empty(),
                "Local images is closed"
            );
            app.screenshot("128-remembered-after-restart").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}
