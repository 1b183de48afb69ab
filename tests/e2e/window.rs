//! End-to-end: the window reopens at the size and place it was left at (the window-state
//! plugin, saved a moment after each change, read when the window is created again).

use std::time::Duration;

use anyhow::{ensure, Result};
use berth_tests::{eventually, needs_the_window, App};

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
