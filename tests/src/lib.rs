//! Shared harness for Berth's end-to-end and cross-crate tests. Everything here talks to the
//! real sandbox (`make sandbox-up`): no fakes.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use thirtyfour::prelude::*;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Where cargo put the binaries (honours CARGO_TARGET_DIR).
pub fn bin(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"));
    let profile = std::env::var("BERTH_PROFILE_DIR").unwrap_or_else(|_| "debug".into());
    let path = target.join(profile).join(name);
    assert!(path.exists(), "{} is not built: run `make build` first (make test does)", path.display());
    path
}

/// A variable of the sandbox's env file, which `make test` loads; fails with what to do.
pub fn sandbox_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: start the sandbox (`make sandbox-up`) and load target/sandbox/env (make test does both)")
    })
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Where the end-to-end suite writes its screenshots.
pub fn e2e_dir() -> PathBuf {
    let dir = root().join("target/e2e");
    std::fs::create_dir_all(&dir).expect("target/e2e");
    dir
}

/// A fresh directory under target/e2e-scratch.
pub fn scratch_dir(name: &str) -> Result<PathBuf> {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = root().join("target/e2e-scratch").join(format!("{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Poll `check` until it returns Some or `timeout` passes.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>>>,
{
    let start = Instant::now();
    let mut last_err = None;
    loop {
        match check().await {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(e) => last_err = Some(e),
        }
        if start.elapsed() > timeout {
            match last_err {
                Some(e) => {
                    bail!("timed out after {timeout:?} waiting for {what}: last error: {e:#}")
                }
                None => bail!("timed out after {timeout:?} waiting for {what}"),
            }
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// The app under tauri-driver + WebKitWebDriver. `App::run` always ends the session and the
/// driver, whatever the scenario returns.
pub struct App {
    pub driver: WebDriver,
}

struct DriverProcess(Child);

impl Drop for DriverProcess {
    fn drop(&mut self) {
        // tauri-driver runs in a process group of its own: end WebKitWebDriver with it, or it
        // would outlive the test holding our output open.
        let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let tools = root().join("target/tools/bin/tauri-driver");
    if tools.exists() {
        return tools;
    }
    PathBuf::from("tauri-driver")
}

impl App {
    /// Start the app, run `scenario`, and tear everything down on every path.
    pub async fn run<F, Fut>(scenario: F) -> Result<()>
    where
        F: FnOnce(App) -> Fut,
        Fut: std::future::Future<Output = (App, Result<()>)>,
    {
        Self::run_with_env(&[], scenario).await
    }

    /// Like `run`, with environment variables changed for the app (and its driver): an empty
    /// value removes the variable. Each run gets its own settings directory (BERTH_CONFIG_DIR)
    /// unless `env` names one.
    pub async fn run_with_env<F, Fut>(env: &[(&str, &str)], scenario: F) -> Result<()>
    where
        F: FnOnce(App) -> Fut,
        Fut: std::future::Future<Output = (App, Result<()>)>,
    {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "DISPLAY is not set: the end-to-end tests need Xvfb (make test starts it)"
        );
        let port = free_port();
        let native_port = free_port();
        let native = std::env::var("WEBKIT_WEBDRIVER").unwrap_or_else(|_| "/usr/bin/WebKitWebDriver".into());
        let child = Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string(), "--native-driver", &native])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("start tauri-driver (make deps installs it into target/tools)")?;
        let _driver_process = DriverProcess(child);
        let url = format!("http://127.0.0.1:{port}");
        let mut caps = thirtyfour::Capabilities::new();
        caps.set("browserName", "wry")?;
        caps.set("tauri:options", serde_json::json!({"application": bin("berth-desktop")}))?;
        let driver = eventually("tauri-driver to accept a session", Duration::from_secs(30), || {
            let caps = caps.clone();
            let url = url.clone();
            async move { Ok(WebDriver::new(url, caps).await.ok()) }
        })
        .await?;
        let (app, outcome) = scenario(App { driver }).await;
        if outcome.is_err() {
            let _ = app.screenshot("failure").await;
        }
        let quit = app.driver.quit().await;
        outcome?;
        quit.context("end the WebDriver session")?;
        Ok(())
    }

    /// Save a screenshot of the window as target/e2e/NAME.png.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let path = e2e_dir().join(format!("{name}.png"));
        // Let the last DOM change reach the screen: two animation frames.
        let _ = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                Vec::new(),
            )
            .await;
        // WebKit answers a screenshot after its next presentation update; without compositing
        // (the app's choice on a machine without a GPU, as here) a still page has none, and the
        // request would wait forever. A pixel that changes shade for a moment, at the corner
        // and nearly transparent, gives it one.
        let _ = self
            .driver
            .execute(
                r#"const dot = document.createElement('div');
                dot.style.cssText = 'position: fixed; right: 0; bottom: 0; width: 1px; height: 1px; pointer-events: none; z-index: 2147483647;';
                document.body.appendChild(dot);
                let n = 0;
                const tick = setInterval(() => {
                  dot.style.background = `rgba(0, 0, 0, ${n++ % 2 ? 0.01 : 0.02})`;
                  if (n > 120) { clearInterval(tick); dot.remove(); }
                }, 16);"#,
                Vec::new(),
            )
            .await;
        self.driver.screenshot(&path).await.with_context(|| format!("screenshot {name}"))?;
        Ok(path)
    }

    /// Wait until at least `n` elements match `css`, and return them.
    pub async fn wait_for_all(&self, css: &str, n: usize, timeout: Duration) -> Result<Vec<WebElement>> {
        eventually(&format!("{n} × {css}"), timeout, || async {
            let found = self.driver.find_all(By::Css(css)).await?;
            Ok((found.len() >= n).then_some(found))
        })
        .await
    }

    /// Click the first element matching `css`.
    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.wait_for_all(css, 1, Duration::from_secs(20)).await?.remove(0);
        element.scroll_into_view().await?;
        element.click().await.with_context(|| format!("click {css}"))
    }

    /// Empty a field as a user does (select all, delete), making sure it is empty: under load
    /// the select-all can arrive late, so the rest goes character by character.
    pub async fn clear_field(&self, element: &WebElement) -> Result<()> {
        element.send_keys(Key::Control + "a").await?;
        element.send_keys(Key::Backspace).await?;
        for _ in 0..4096 {
            let value = element.prop("value").await?.unwrap_or_default();
            if value.is_empty() {
                return Ok(());
            }
            element.send_keys(Key::End).await?;
            for _ in 0..value.chars().count() {
                element.send_keys(Key::Backspace).await?;
            }
        }
        bail!("the field could not be emptied")
    }

    /// Type into the first element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let element = self.wait_for_all(css, 1, Duration::from_secs(20)).await?.remove(0);
        element.send_keys(text).await.with_context(|| format!("type into {css}"))
    }

    /// Everything the page holds as text: the DOM, its visible text and every field's value.
    pub async fn everything_in_the_page(&self) -> Result<String> {
        let source = self.driver.source().await?;
        let values = self
            .driver
            .execute(
                "return document.body.innerText + ' ' + Array.from(document.querySelectorAll('input, textarea, select')).map(e => e.value).join(' ');",
                Vec::new(),
            )
            .await?;
        Ok(format!("{source}\n{}", values.json()))
    }

    /// Wait until the value of a field matching `css` contains `text`.
    pub async fn wait_for_value(&self, css: &str, text: &str, timeout: Duration) -> Result<()> {
        eventually(&format!("“{text}” in the value of {css}"), timeout, || async {
            for e in self.driver.find_all(By::Css(css)).await? {
                if e.prop("value").await?.unwrap_or_default().contains(text) {
                    return Ok(Some(()));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Wait until an element matching `css` contains `text` (its textContent: WebKitWebDriver's
    /// visible text leaves out spans clipped with an ellipsis).
    pub async fn wait_for_text(&self, css: &str, text: &str, timeout: Duration) -> Result<WebElement> {
        eventually(&format!("“{text}” in {css}"), timeout, || async {
            for e in self.driver.find_all(By::Css(css)).await? {
                if e.prop("textContent").await?.unwrap_or_default().contains(text) {
                    return Ok(Some(e));
                }
            }
            Ok(None)
        })
        .await
    }
}
