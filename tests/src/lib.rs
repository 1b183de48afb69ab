//! Shared harness for Berth's end-to-end and cross-crate tests. Everything here talks to the
//! real sandbox (`make sandbox-up`): no fakes.
//!
//! End-to-end scenarios act through [`App::on`]: every click, keystroke or drag names the
//! screen it expects (the data-testid of a view, a wizard step or a dialog) and waits until that
//! screen's marker and the target are displayed (and the target enabled) before it acts.

pub mod gate;

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
    gate::built(&target.join(&profile), &[name]);
    target.join(profile).join(name)
}

/// A variable of the sandbox's env file, which `make test` loads. Without the sandbox the test
/// binary stops with one line saying how to start it (see [`gate`]).
pub fn sandbox_var(name: &str) -> String {
    gate::sandbox();
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: load target/sandbox/env (make test does)"))
}

/// What an end-to-end test needs before it starts anything: the sandbox, a display, tauri-driver
/// and the built app (else one line and the binary stops; see [`gate`]).
pub fn needs_the_window() {
    gate::sandbox();
    gate::display();
    let driver = tauri_driver();
    gate::tool(&driver.to_string_lossy());
    bin("berth-desktop");
    bin("berth");
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
    /// value removes the variable (a test that needs settings of its own names a
    /// BERTH_CONFIG_DIR).
    pub async fn run_with_env<F, Fut>(env: &[(&str, &str)], scenario: F) -> Result<()>
    where
        F: FnOnce(App) -> Fut,
        Fut: std::future::Future<Output = (App, Result<()>)>,
    {
        Self::launch(env, bin("berth-desktop"), scenario).await
    }

    /// Like `run`, with the app logging at trace level into `log` (its whole stderr) and into
    /// its log files in [`App::log_files_of`]`(log)`: for checking that what a user typed
    /// reaches no log.
    pub async fn run_logged<F, Fut>(log: &Path, scenario: F) -> Result<()>
    where
        F: FnOnce(App) -> Fut,
        Fut: std::future::Future<Output = (App, Result<()>)>,
    {
        let dir = scratch_dir("logged-app")?;
        let wrapper = dir.join("berth-desktop");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\nBERTH_LOG=trace BERTH_LOG_DIR='{}' exec '{}' \"$@\" 2>>'{}'\n",
                Self::log_files_of(log).display(),
                bin("berth-desktop").display(),
                log.display()
            ),
        )?;
        let mut perms = std::fs::metadata(&wrapper)?.permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&wrapper, perms)?;
        Self::launch(&[], wrapper, scenario).await
    }

    /// The log folder of an app started by [`App::run_logged`] with `log`.
    pub fn log_files_of(log: &Path) -> PathBuf {
        log.with_extension("files")
    }

    /// Everything the log files in `dir` hold.
    pub fn read_log_files(dir: &Path) -> Result<String> {
        let mut text = String::new();
        for entry in std::fs::read_dir(dir).with_context(|| format!("the log folder {}", dir.display()))? {
            text.push_str(&std::fs::read_to_string(entry?.path())?);
        }
        Ok(text)
    }

    async fn launch<F, Fut>(env: &[(&str, &str)], application: PathBuf, scenario: F) -> Result<()>
    where
        F: FnOnce(App) -> Fut,
        Fut: std::future::Future<Output = (App, Result<()>)>,
    {
        gate::display();
        // The webview's storage (where the window remembers the last repository) is the
        // launch's own, unless the scenario names one (to see it kept across two launches):
        // else one scenario would start where the one before left off.
        let data = scratch_dir("app-data")?.to_string_lossy().into_owned();
        let mut env = env.to_vec();
        if !env.iter().any(|(k, _)| *k == "XDG_DATA_HOME") {
            env.push(("XDG_DATA_HOME", data.as_str()));
        }
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
        caps.set("tauri:options", serde_json::json!({"application": application}))?;
        let driver = eventually("tauri-driver to accept a session", Duration::from_secs(60), || {
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

    /// The screen whose marker is `marker` (a CSS selector, as a rule a data-testid: a view, a
    /// wizard step, a dialog): what is done through it waits for that screen first.
    pub fn on(&self, marker: &str) -> Screen<'_> {
        Screen { app: self, marker: marker.to_string() }
    }

    /// Wait until at least `n` elements match `css`, and return them.
    pub async fn wait_for_all(&self, css: &str, n: usize, timeout: Duration) -> Result<Vec<WebElement>> {
        eventually(&format!("{n} × {css}"), timeout, || async {
            let found = self.driver.find_all(By::Css(css)).await?;
            Ok((found.len() >= n).then_some(found))
        })
        .await
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

/// How long a screen, or what is on it, may take to show.
pub const SCREEN_WAIT: Duration = Duration::from_secs(20);

/// A screen of the app, known by its marker ([`App::on`]). Each action first waits until the
/// marker is displayed and the target (a CSS selector over the whole window: the first match that
/// is displayed, and enabled to be acted on) is there, then acts; a failed attempt (the element
/// re-rendered under the pointer) is tried again within [`SCREEN_WAIT`]. After an action that
/// changes the screen, [`Screen::click_to`] and [`Screen::advance`] wait for the next one's marker.
pub struct Screen<'a> {
    app: &'a App,
    marker: String,
}

impl<'a> Screen<'a> {
    pub fn marker(&self) -> &str {
        &self.marker
    }

    /// Wait until the marker is displayed, and return it.
    pub async fn ready(&self) -> Result<WebElement> {
        self.poll("to be shown", || async { Ok(self.shown(&self.marker, false).await?.ok()) }).await
    }

    /// Wait until the screen is up and `target` is displayed (enabled or not), and return it.
    pub async fn find(&self, target: &str) -> Result<WebElement> {
        self.usable(target, false).await
    }

    /// Wait until the screen is up and `target` is displayed and enabled, and return it.
    pub async fn element(&self, target: &str) -> Result<WebElement> {
        self.usable(target, true).await
    }

    /// Click `target` once the screen is up and it is displayed and enabled.
    pub async fn click(&self, target: &str) -> Result<()> {
        self.act(target, "click it", |e| async move {
            e.scroll_into_view().await?;
            e.click().await?;
            Ok(())
        })
        .await
    }

    /// A click that changes the screen: click `target`, then wait for the marker of `next`.
    pub async fn click_to(&self, target: &str, next: &str) -> Result<Screen<'a>> {
        self.click(target).await?;
        let next = self.app.on(next);
        next.ready().await.with_context(|| format!("after clicking {target} on {}", self.marker))?;
        Ok(next)
    }

    /// A step-changing click that the screen may turn down while it is still checking what was
    /// typed (the wizard's Next, refused while a check of a half-typed field is in flight, as a
    /// user would see): click `target`, and again as long as this screen stays and `next` does
    /// not show, until it does. Only for clicks that change nothing but the screen.
    pub async fn advance(&self, target: &str, next: &str) -> Result<Screen<'a>> {
        let next = self.app.on(next);
        let start = Instant::now();
        loop {
            self.click(target).await?;
            let clicked = Instant::now();
            while clicked.elapsed() < Duration::from_millis(1500) {
                if next.shown(&next.marker, false).await?.is_ok() {
                    return Ok(next);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            if start.elapsed() > SCREEN_WAIT {
                let screen = self.app.on_screen().await;
                bail!("{} did not show after clicking {target} on {} (on screen: {screen})", next.marker, self.marker);
            }
            // Somewhere else: wait for `next` as any step-changing click does.
            if self.shown(&self.marker, false).await?.is_err() {
                next.ready().await?;
                return Ok(next);
            }
            // Still here, and `next` not shown: the click was turned down; click again.
        }
    }

    /// Type into `target` (text or keys) once the screen is up and it is displayed and enabled.
    pub async fn type_into(&self, target: &str, keys: impl Into<TypingData>) -> Result<()> {
        let keys: String = keys.into().as_vec().into_iter().collect();
        self.act(target, "type into it", |e| {
            let keys = keys.clone();
            async move { Ok(e.send_keys(keys).await?) }
        })
        .await
    }

    /// Empty `target` as a user does (select all, delete; WebDriver's clear() fires no input
    /// event in WebKit).
    pub async fn clear(&self, target: &str) -> Result<WebElement> {
        let element = self.element(target).await?;
        self.app.clear_field(&element).await.with_context(|| format!("empty {target} on {}", self.marker))?;
        Ok(element)
    }

    /// Empty `target` as a user does and type `text` into it.
    pub async fn replace_text(&self, target: &str, text: &str) -> Result<WebElement> {
        let element = self.clear(target).await?;
        element.send_keys(text).await.with_context(|| format!("type into {target} on {}", self.marker))?;
        Ok(element)
    }

    /// Choose the option of the select `select` whose text is `text`.
    pub async fn choose(&self, select: &str, text: &str) -> Result<()> {
        let options = format!("{select} option");
        let option = self
            .poll(&format!("an option “{text}” in {select}"), || async {
                if self.shown(&self.marker, false).await?.is_err() || self.shown(select, true).await?.is_err() {
                    return Ok(None);
                }
                for option in self.app.driver.find_all(By::Css(options.as_str())).await? {
                    if option.text().await?.trim() == text {
                        return Ok(Some(option));
                    }
                }
                Ok(None)
            })
            .await?;
        option.click().await.with_context(|| format!("choose {text} in {select} on {}", self.marker))
    }

    /// Drag (with the pointer held down) from `handle` onto `target`, both waited for on this
    /// screen, until `hint` contains `text` (the ghost or the drop hint says where it would go);
    /// the pointer stays down: release it to drop. A press that started no drag (on a busy
    /// machine the first move can be lost) is let go, which drops nothing, and made again.
    pub async fn hold_over(&self, handle: &str, target: &str, hint: &str, text: &str) -> Result<()> {
        const GHOST: &str = "[data-testid=drag-ghost]";
        let start = Instant::now();
        loop {
            let onto = self.find(target).await?;
            // A target in a scrolled list (a sidebar of many repositories) is brought into
            // its list's view first: WebDriver moves only to what the viewport shows.
            self.app.driver.execute("arguments[0].scrollIntoView({block: 'nearest'});", vec![onto.to_json()?]).await?;
            let dragging = !self.app.driver.find_all(By::Css(GHOST)).await?.is_empty();
            let moved = if dragging {
                // A move to where the pointer already is may dispatch no pointermove (and the
                // target may have moved under it): a step aside first.
                self.app
                    .driver
                    .action_chain()
                    .move_to_element_with_offset(&onto, 0, -2)
                    .move_to_element_center(&onto)
                    .perform()
                    .await
            } else {
                let from = self.element(handle).await?;
                let _ = self.app.driver.action_chain().release().perform().await;
                self.app
                    .driver
                    .action_chain()
                    .click_and_hold_element(&from)
                    .move_by_offset(8, 0)
                    .move_to_element_center(&onto)
                    .perform()
                    .await
            };
            if moved.is_ok() {
                let shown = Instant::now();
                while shown.elapsed() < Duration::from_secs(3) {
                    for e in self.app.driver.find_all(By::Css(hint)).await? {
                        if e.prop("textContent").await?.unwrap_or_default().contains(text) {
                            return Ok(());
                        }
                    }
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
            }
            if start.elapsed() > SCREEN_WAIT {
                let screen = self.app.on_screen().await;
                let seen = self.drag_state(handle, target, hint).await;
                bail!(
                    "dragging {handle} onto {target} on {}: “{text}” never showed in {hint} (on screen: {screen}; {seen}){}",
                    self.marker,
                    moved.err().map(|e| format!("; last error: {e}")).unwrap_or_default()
                );
            }
        }
    }

    /// What a drag that never showed its hint left: the hint's text, and what sits at the
    /// middle of the handle and of the target (something covering either keeps the drag from
    /// starting or from seeing its target).
    async fn drag_state(&self, handle: &str, target: &str, hint: &str) -> String {
        let script = r#"
            const at = (css) => {
              const e = document.querySelector(css);
              if (!e) return `${css}: absent`;
              const r = e.getBoundingClientRect();
              const x = r.left + r.width / 2, y = r.top + r.height / 2;
              const top = document.elementFromPoint(x, y);
              const name = top ? `${top.tagName.toLowerCase()}${top.dataset.testid ? `[data-testid=${top.dataset.testid}]` : ''}.${top.className}` : 'nothing';
              return `${css} at (${Math.round(x)},${Math.round(y)}) of ${innerWidth}x${innerHeight}: ${e === top || e.contains(top) ? 'itself' : `covered by ${name}`}`;
            };
            const hints = [...document.querySelectorAll(arguments[2])].map((e) => JSON.stringify(e.textContent.trim()));
            return `hint ${hints.length ? hints.join(' | ') : 'absent'}; ${at(arguments[0])}; ${at(arguments[1])}`;"#;
        let args = vec![serde_json::json!(handle), serde_json::json!(target), serde_json::json!(hint)];
        match self.app.driver.execute(script, args).await {
            Ok(r) => r.json().as_str().unwrap_or("?").to_string(),
            Err(e) => format!("drag state unknown ({e})"),
        }
    }

    /// Wait (on this screen) until an element matching `css` contains `text`, and return it.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Result<WebElement> {
        self.ready().await?;
        self.app.wait_for_text(css, text, SCREEN_WAIT).await
    }

    /// Wait (on this screen) until no element matching `css` contains `text` any more (a
    /// problem fixed, a warning withdrawn: what would move the buttons below it).
    pub async fn wait_gone(&self, css: &str, text: &str) -> Result<()> {
        self.poll(&format!("“{text}” to leave {css}"), || async {
            if self.shown(&self.marker, false).await?.is_err() {
                return Ok(None);
            }
            for e in self.app.driver.find_all(By::Css(css)).await? {
                if e.prop("textContent").await?.unwrap_or_default().contains(text) {
                    return Ok(None);
                }
            }
            Ok(Some(()))
        })
        .await
    }

    /// Wait (on this screen) until at least `n` elements match `css`, and return them.
    pub async fn wait_for_all(&self, css: &str, n: usize) -> Result<Vec<WebElement>> {
        self.ready().await?;
        self.app.wait_for_all(css, n, SCREEN_WAIT).await
    }

    /// Wait (on this screen) until the value of a field matching `css` contains `text`.
    pub async fn wait_for_value(&self, css: &str, text: &str) -> Result<()> {
        self.ready().await?;
        self.app.wait_for_value(css, text, SCREEN_WAIT).await
    }

    async fn usable(&self, target: &str, enabled: bool) -> Result<WebElement> {
        let what = if enabled { "displayed and enabled" } else { "displayed" };
        self.poll(&format!("{target} ({what})"), || async {
            if self.shown(&self.marker, false).await?.is_err() {
                return Ok(None);
            }
            Ok(self.shown(target, enabled).await?.ok())
        })
        .await
    }

    /// Find `target` (waiting as `usable` does) and `act` on it; an attempt that fails (the
    /// element replaced or covered meanwhile: the action did not happen) is made again.
    async fn act<F, Fut>(&self, target: &str, what: &str, act: F) -> Result<()>
    where
        F: Fn(WebElement) -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let what = format!("{target} (displayed, enabled and still) to {what}");
        self.poll(&what, || async {
            if self.shown(&self.marker, false).await?.is_err() {
                return Ok(None);
            }
            let Ok(element) = self.shown(target, true).await? else { return Ok(None) };
            if !self.still(&element).await? {
                return Ok(None);
            }
            act(element).await.map(Some)
        })
        .await
    }

    /// Whether `element` stays where it is for 100 ms and a frame: a click aimed at a button that
    /// is about to move (a message above it appearing or going) would land beside it.
    async fn still(&self, element: &WebElement) -> Result<bool> {
        const SCRIPT: &str = r#"const e = arguments[0], done = arguments[arguments.length - 1];
            const a = e.getBoundingClientRect();
            setTimeout(() => requestAnimationFrame(() => {
              const b = e.getBoundingClientRect();
              done(e.isConnected && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);
            }), 100);"#;
        let ret = self.app.driver.execute_async(SCRIPT, vec![element.to_json()?]).await?;
        Ok(ret.json().as_bool().unwrap_or(false))
    }

    /// The first element matching `css` that is displayed (and enabled), or what is missing.
    /// Displayed is judged in the page, in one round trip (`checkVisibility`, a box of some size;
    /// an option by its select): WebKitWebDriver's own "is displayed" calls a button hidden when
    /// its parent is a scrolling grid (the sidebar's list of repositories).
    async fn shown(&self, css: &str, enabled: bool) -> Result<std::result::Result<WebElement, &'static str>> {
        const SCRIPT: &str = r#"const [css, enabled] = arguments;
            const all = document.querySelectorAll(css);
            if (all.length === 0) return 'absent';
            let why = 'hidden';
            for (const e of all) {
              const box = e.closest('select') ?? e;
              const r = box.getBoundingClientRect();
              const visible = r.width > 0 && r.height > 0 && (box.checkVisibility
                ? box.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true, opacityProperty: true, visibilityProperty: true })
                : box.getClientRects().length > 0);
              if (!visible) continue;
              if (enabled && (e.matches(':disabled') || box.matches(':disabled') || e.closest('[inert]'))) { why = 'disabled'; continue; }
              return e;
            }
            return why;"#;
        let ret = self.app.driver.execute(SCRIPT, vec![serde_json::json!(css), serde_json::json!(enabled)]).await?;
        Ok(match ret.json().as_str() {
            Some("absent") => Err("absent"),
            Some("disabled") => Err("disabled"),
            Some(_) => Err("hidden"),
            None => Ok(ret.element()?),
        })
    }

    /// Poll `check` every 150 ms until it gives Some, for at most SCREEN_WAIT (an error is kept
    /// and polling goes on); the failure says what was waited for, on which screen, and what the
    /// window showed instead.
    async fn poll<T, F, Fut>(&self, what: &str, mut check: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>>>,
    {
        let start = Instant::now();
        let mut last: Option<anyhow::Error> = None;
        loop {
            match check().await {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => {}
                Err(e) => last = Some(e),
            }
            if start.elapsed() > SCREEN_WAIT {
                let marker = match self.shown(&self.marker, false).await {
                    Ok(Ok(_)) => "shown".to_string(),
                    Ok(Err(why)) => why.to_string(),
                    Err(e) => format!("unknown: {e:#}"),
                };
                let screen = self.app.on_screen().await;
                let last = last.map(|e| format!("; last error: {e:#}")).unwrap_or_default();
                bail!(
                    "timed out after {SCREEN_WAIT:?} waiting for {what} on {} (marker {marker}; on screen: {screen}){last}",
                    self.marker
                );
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }
}

impl App {
    /// The data-testids of what the window shows (main view, dialogs, wizard step): for errors.
    async fn on_screen(&self) -> String {
        let script = r#"return [...document.querySelectorAll('main [data-testid], [role=dialog][data-testid], [role=alertdialog][data-testid]')]
            .filter((e) => e.getClientRects().length > 0 && !e.parentElement.closest('main [data-testid] [data-testid]'))
            .slice(0, 8).map((e) => e.dataset.testid).join(', ');"#;
        match self.driver.execute(script, Vec::new()).await {
            Ok(r) => r.json().as_str().unwrap_or("?").to_string(),
            Err(e) => format!("? ({e})"),
        }
    }
}

/// One rule axe-core found broken on a screen: its id, how badly (`critical`, `serious`,
/// `moderate`, `minor`), what it asks for, and where (each node's selector and its HTML, cut).
#[derive(Debug, Clone)]
pub struct AxeViolation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub nodes: Vec<(String, String)>,
}

impl AxeViolation {
    /// Whether it blocks: "serious" and "critical" are not allowed on any screen.
    pub fn blocks(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl std::fmt::Display for AxeViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "  {} ({}): {} — {} node(s)", self.id, self.impact, self.help, self.nodes.len())?;
        for (selector, html) in self.nodes.iter().take(6) {
            writeln!(f, "    {selector}  {html}")?;
        }
        if self.nodes.len() > 6 {
            writeln!(f, "    … and {} more", self.nodes.len() - 6)?;
        }
        Ok(())
    }
}

/// axe-core's findings on one screen ([`App::axe`]).
#[derive(Debug, Clone)]
pub struct Accessibility {
    pub screen: String,
    pub violations: Vec<AxeViolation>,
}

impl Accessibility {
    /// The list of the violations for which `pick` holds, one rule a paragraph.
    pub fn list(&self, pick: impl Fn(&AxeViolation) -> bool) -> String {
        self.violations.iter().filter(|v| pick(v)).map(|v| v.to_string()).collect()
    }

    /// Fails, with the readable list, on a violation of impact "serious" or "critical"; the
    /// moderate and minor ones are printed to the test's output.
    pub fn check(&self) -> Result<()> {
        let minor = self.list(|v| !v.blocks());
        if !minor.is_empty() {
            eprintln!("axe on {}: moderate and minor findings (allowed):\n{minor}", self.screen);
        }
        let blocking = self.list(AxeViolation::blocks);
        if !blocking.is_empty() {
            bail!("axe on {}: serious or critical violations:\n{blocking}", self.screen);
        }
        Ok(())
    }
}

impl App {
    /// Run axe-core (ui/node_modules/axe-core, read from the repository at run time and put
    /// into the window once) over the whole window, once the screen of `marker` shows.
    pub async fn axe(&self, marker: &str) -> Result<Accessibility> {
        self.on(marker).ready().await?;
        let loaded = self.driver.execute("return typeof window.axe === 'object';", Vec::new()).await?;
        if loaded.json().as_bool() != Some(true) {
            let path = root().join("ui/node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path)
                .with_context(|| format!("{} (scripts/install runs npm ci in ui/)", path.display()))?;
            self.driver.execute(&source, Vec::new()).await.context("load axe-core into the window")?;
        }
        const RUN: &str = r#"const done = arguments[arguments.length - 1];
            const cut = (s) => (s.length > 160 ? s.slice(0, 157) + '…' : s);
            axe.run(document, { resultTypes: ['violations'] })
              .then((r) => done(r.violations.map((v) => ({
                id: v.id, impact: v.impact ?? 'unknown', help: v.help,
                nodes: v.nodes.map((n) => [n.target.map(String).join(' '), cut(n.html.replace(/\s+/g, ' '))]),
              }))))
              .catch((e) => done({ error: String(e) }));"#;
        let ret = self.driver.execute_async(RUN, Vec::new()).await.context("run axe-core")?;
        let json = ret.json();
        if let Some(e) = json.get("error") {
            bail!("axe-core failed on {marker}: {e}");
        }
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let violations = json
            .as_array()
            .context("axe-core's answer")?
            .iter()
            .map(|v| AxeViolation {
                id: text(&v["id"]),
                impact: text(&v["impact"]),
                help: text(&v["help"]),
                nodes: v["nodes"]
                    .as_array()
                    .map(|n| n.iter().map(|n| (text(&n[0]), text(&n[1]))).collect())
                    .unwrap_or_default(),
            })
            .collect();
        Ok(Accessibility { screen: marker.to_string(), violations })
    }
}
