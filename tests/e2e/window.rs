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
