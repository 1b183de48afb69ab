//! What a test binary needs running, checked once: a test that needs the sandbox (or a D-Bus
//! secret service, or what `make deps` installs) calls `gate::sandbox()` (…) as its first line.
//! The first call checks; if it is missing, the binary prints ONE line to stderr naming the make
//! target that starts it and exits non-zero, so `cargo test` stops there instead of printing a
//! panic per test. Later calls (from any thread) wait for that answer and then return at once.
//!
//! The berth-tests crate has it as `berth_tests::gate`; the other crates' integration tests
//! include this file by path (no dependency, no Cargo.toml change):
//!
//! ```ignore
//! #[path = "../../../../tests/src/gate.rs"]
//! mod gate;
//! ```
#![allow(dead_code)]

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

const LOAD: &str = "`set -a; . target/sandbox/env; set +a`";

/// The sandbox of `make sandbox-up` (or the one `make test` starts): its variables set, and its
/// ECR API, registry and Docker engine answering.
pub fn sandbox() {
    once("the sandbox", || {
        let env_file = root().join("target/sandbox/env");
        for var in ["AWS_ENDPOINT_URL", "SANDBOX_REGISTRY", "DOCKER_HOST"] {
            if std::env::var_os(var).is_none_or(|v| v.is_empty()) {
                return Err(if env_file.exists() {
                    format!(
                        "needs the sandbox, whose env is not loaded ({var} is not set): {LOAD} (or run `make test`)"
                    )
                } else {
                    format!(
                        "needs the sandbox ({var} is not set): run `make test`, or `make sandbox-up` and then {LOAD}"
                    )
                });
            }
        }
        let api = std::env::var("AWS_ENDPOINT_URL").unwrap_or_default();
        let registry = std::env::var("SANDBOX_REGISTRY").unwrap_or_default();
        let engine = std::env::var("DOCKER_HOST").unwrap_or_default();
        let answers = [
            ("ECR API", api.clone(), tcp_answers(host_port(&api))),
            ("registry", registry.clone(), tcp_answers(Some(registry.clone()))),
            ("Docker engine", engine.clone(), engine_answers(&engine)),
        ];
        for (what, at, ok) in answers {
            if !ok {
                return Err(format!(
                    "needs the sandbox, but its {what} does not answer at {at}: `make sandbox-up`, then {LOAD} again (or run `make test`)"
                ));
            }
        }
        Ok(())
    });
}

/// A D-Bus Secret Service whose default collection is unlocked (`make test` runs the tests in a
/// private session with an unlocked gnome-keyring).
pub fn keychain() {
    once("a keychain", || {
        const HOW: &str = "run `make test` (it starts a D-Bus session with an unlocked gnome-keyring)";
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|v| v.is_empty()) {
            return Err(format!("needs an OS keychain (no D-Bus session): {HOW}"));
        }
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--reply-timeout=5000",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets/aliases/default",
                "org.freedesktop.DBus.Properties.Get",
                "string:org.freedesktop.Secret.Collection",
                "string:Locked",
            ])
            .stdin(Stdio::null())
            .output();
        match out {
            Err(_) => Err(format!("needs an OS keychain (dbus-send, to look for one, is missing: `make deps`): {HOW}")),
            Ok(o) if !o.status.success() => {
                Err(format!("needs an OS keychain (no Secret Service on this D-Bus session): {HOW}"))
            }
            Ok(o) if String::from_utf8_lossy(&o.stdout).contains("boolean true") => {
                Err(format!("needs an unlocked OS keychain (the default collection is locked): {HOW}"))
            }
            Ok(_) => Ok(()),
        }
    });
}

/// Both: the sandbox, and an unlocked OS keychain.
pub fn sandbox_and_keychain() {
    sandbox();
    keychain();
}

/// moto, which `make deps` installs into target/tools/moto-venv (for tests that start their own).
pub fn moto() {
    tool(&tools_dir().join("moto-venv/bin/moto_server").to_string_lossy());
}

/// A program that `make deps` installs, on PATH or at `path`.
pub fn tool(program: &str) {
    let found = if program.contains('/') {
        Path::new(program).exists()
    } else {
        std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
    };
    if !found {
        stop(&format!("needs {program}: run `make deps` (or `make test`, which installs it first)"));
    }
}

/// The tools directory of `make deps` (BERTH_TOOLS, else target/tools).
pub fn tools_dir() -> PathBuf {
    std::env::var_os("BERTH_TOOLS").map(PathBuf::from).unwrap_or_else(|| root().join("target/tools"))
}

/// An X display (the end-to-end tests: `make test` starts Xvfb).
pub fn display() {
    once("a display", || {
        let display = std::env::var("DISPLAY").unwrap_or_default();
        let n = display.strip_prefix(':').and_then(|d| d.split('.').next()).unwrap_or("");
        if display.is_empty() || (!n.is_empty() && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()) {
            Err(format!("needs a display (DISPLAY={display:?}): run `make test`, or `Xvfb :99 &` and set DISPLAY=:99"))
        } else {
            Ok(())
        }
    });
}

/// Binaries of the workspace, built (`cargo build --workspace --bins`).
pub fn built(dir: &Path, names: &[&str]) {
    for name in names {
        if !dir.join(name).exists() {
            stop(&format!(
                "needs {} built: run `cargo build --workspace --bins` (or `make test`)",
                dir.join(name).display()
            ));
        }
    }
}

/// Check `what` once per process; on failure print one line and exit.
fn once(what: &'static str, check: impl FnOnce() -> Result<(), String>) {
    static DONE: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    // Held while checking: a concurrent test waits for the answer instead of going ahead.
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if done.contains(&what) {
        return;
    }
    if let Err(line) = check() {
        stop(&line);
    }
    done.push(what);
}

/// One line on stderr (straight to the stream: the test harness captures `eprintln!`), exit 2.
fn stop(reason: &str) -> ! {
    let exe = std::env::current_exe().ok();
    let stem = exe.as_deref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned());
    // target/debug/deps/NAME-HASH
    let name = stem.as_deref().map(|s| s.rsplit_once('-').map_or(s, |(n, _)| n)).unwrap_or("tests");
    let line = format!("{} --test {name}: {reason}\n", env!("CARGO_PKG_NAME"));
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    std::process::exit(2);
}

/// The workspace root: the first ancestor of the crate that holds scripts/sandbox/sandbox.
fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().find(|d| d.join("scripts/sandbox/sandbox").exists()).unwrap_or(manifest).to_path_buf()
}

fn host_port(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next()?;
    if authority.contains(':') {
        Some(authority.to_string())
    } else {
        Some(format!("{authority}:{}", if url.starts_with("https") { 443 } else { 80 }))
    }
}

fn tcp_answers(addr: Option<String>) -> bool {
    let Some(addrs) = addr.and_then(|a| a.to_socket_addrs().ok()) else { return false };
    addrs.into_iter().any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
}

fn engine_answers(host: &str) -> bool {
    if let Some(path) = host.strip_prefix("unix://") {
        #[cfg(unix)]
        return std::os::unix::net::UnixStream::connect(path).is_ok();
        #[cfg(not(unix))]
        return Path::new(path).exists();
    }
    tcp_answers(host_port(host))
}
