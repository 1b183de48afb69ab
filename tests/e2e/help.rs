//! End-to-end: the Help menu — About Berth with the version, commit and licence; "Copy
//! diagnostics" puts on the X clipboard (read back with xclip, a client Berth did not write)
//! the version and the facts of a bug report, with no secret and no key id; the log file in
//! the log folder (BERTH_LOG_DIR) holds the session's lines, with no secret either.

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use berth_tests::{eventually, needs_the_window, App};

use crate::screens::*;

/// What the X clipboard holds (the app owns it while it runs).
fn clipboard() -> Result<String> {
    let out = std::process::Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()
        .context("run xclip (make deps installs it)")?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test]
async fn about_the_version_and_diagnostics_without_a_secret_on_the_clipboard() -> Result<()> {
    needs_the_window();
    let logs = berth_tests::scratch_dir("help-logs")?;
    let dir = logs.to_string_lossy().into_owned();
    // Keys of this run (the sandbox takes any): distinctive, so that finding them means a leak.
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    let key_id = format!("AKIAE2EDIAG{nonce:09}");
    let secret = format!("e2eDiagnosticsSecret{nonce}");
    let env = [
        ("BERTH_LOG_DIR", dir.as_str()),
        ("AWS_ACCESS_KEY_ID", key_id.as_str()),
        ("AWS_SECRET_ACCESS_KEY", secret.as_str()),
    ];
    let version = env!("CARGO_PKG_VERSION");
    let (secret2, key2, dir2) = (secret.clone(), key_id.clone(), dir.clone());
    App::run_with_env(&env, |app| async move {
        let (secret, key_id, dir) = (secret2, key2, dir2);
        let outcome = async {
            let overview = app.on(OVERVIEW);
            overview.wait_for_all("[data-testid=repository-row]", 4).await?;

            // About: version, commit, licence.
            let items = overview.click_to("[data-testid=help-menu]", "[data-testid=help-items]").await?;
            let about = items.click_to("[data-testid=help-about]", "[data-testid=about-dialog]").await?;
            about.wait_for_text("[data-testid=about-version]", version).await?;
            about.wait_for_text("[data-testid=about-license]", "Apache-2.0").await?;
            let commit = about.find("[data-testid=about-commit]").await?.prop("textContent").await?.unwrap_or_default();
            ensure!(
                commit == "unknown" || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
                "{commit}"
            );
            app.screenshot("120-about").await?;
            about.click("[data-testid=about-close]").await?;

            // Copy diagnostics: said in the menu's status, and on the clipboard.
            let items = app.on(OVERVIEW).click_to("[data-testid=help-menu]", "[data-testid=help-items]").await?;
            items.click("[data-testid=help-diagnostics]").await?;
            app.on(OVERVIEW).wait_for_text("[data-testid=help-status]", "Diagnostics copied").await?;
            app.screenshot("121-diagnostics-copied").await?;
            let text = eventually("the diagnostics on the clipboard", Duration::from_secs(10), || async {
                let text = clipboard()?;
                Ok(text.starts_with("berth-desktop ").then_some(text))
            })
            .await?;
            for fact in [
                format!("berth-desktop {version} (commit "),
                "OS: ".into(),
                "Webview: WebKitGTK ".into(),
                "Region: us-east-1".into(),
                format!("Log folder: {dir}"),
            ] {
                ensure!(text.contains(&fact), "no “{fact}” in the diagnostics:\n{text}");
            }
            ensure!(text.contains("Docker engine: ") && text.contains("Profile: the environment"), "{text}");
            ensure!(
                !text.contains(&secret) && !text.contains(&key_id),
                "a secret or the key id in the diagnostics:\n{text}"
            );
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await?;

    // The log file of that session: there, dated, with the session's lines, no secret.
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&logs)? {
        let path = entry?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("berth-desktop.") && n.ends_with(".log"))
        {
            files.push(path);
        }
    }
    ensure!(files.len() == 1, "one log file per day in {dir}: {files:?}");
    let text = std::fs::read_to_string(&files[0])?;
    ensure!(text.contains("INFO"), "the session's lines in {}:\n{text}", files[0].display());
    ensure!(!text.contains(&secret) && !text.contains(&key_id), "the secret access key or its id in the log file");
    Ok(())
}
