//! Logging for both front ends: `BERTH_LOG` (an `EnvFilter`, e.g. `debug` or
//! `berth_app=trace`) on stderr, with a floor no setting can lower: the libraries that log
//! requests, responses and their parsed bodies at trace level (the AWS SDK logs ECR's
//! `authorizationToken` and STS's session tokens there; the signer logs the canonical request)
//! are capped, so no log level contains a secret.
//!
//! The desktop app also writes a file per day into the OS's log folder ([`log_dir`]), a
//! week of them kept, under the same caps; and keeps its last errors for the diagnostics
//! a user copies into a bug report ([`recent_errors`]).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Libraries whose trace (or debug) output carries request or response bodies and headers,
/// with the most each may log.
const CAPS: &[(&str, LevelFilter)] = &[
    ("aws_smithy_runtime", LevelFilter::DEBUG),
    ("aws_smithy_runtime_api", LevelFilter::DEBUG),
    ("aws_smithy_http", LevelFilter::DEBUG),
    ("aws_smithy_http_client", LevelFilter::DEBUG),
    ("aws_smithy_types", LevelFilter::DEBUG),
    ("aws_smithy_json", LevelFilter::DEBUG),
    ("aws_smithy_query", LevelFilter::DEBUG),
    ("aws_sigv4", LevelFilter::DEBUG),
    ("aws_runtime", LevelFilter::DEBUG),
    ("aws_config", LevelFilter::DEBUG),
    ("aws_credential_types", LevelFilter::DEBUG),
    ("aws_types", LevelFilter::DEBUG),
    ("aws_sdk_ecr", LevelFilter::DEBUG),
    ("aws_sdk_sts", LevelFilter::DEBUG),
    ("aws_sdk_kms", LevelFilter::DEBUG),
    // Carries a pull-through rule's typed token (CreateSecret, PutSecretValue).
    ("aws_sdk_secretsmanager", LevelFilter::DEBUG),
    ("aws_sdk_sso", LevelFilter::DEBUG),
    ("aws_sdk_ssooidc", LevelFilter::DEBUG),
    ("aws_sdk_signin", LevelFilter::DEBUG),
    ("hyper", LevelFilter::INFO),
    ("hyper_util", LevelFilter::INFO),
    ("h2", LevelFilter::INFO),
    ("rustls", LevelFilter::INFO),
    ("reqwest", LevelFilter::DEBUG),
    ("oci_client", LevelFilter::DEBUG),
    ("bollard", LevelFilter::INFO),
    ("keyring", LevelFilter::INFO),
    ("keyring_core", LevelFilter::INFO),
    ("dbus_secret_service_keyring_store", LevelFilter::INFO),
    ("zbus", LevelFilter::INFO),
];

/// The floor: everything allowed except what `CAPS` limits.
pub fn secret_caps() -> Targets {
    Targets::new().with_default(LevelFilter::TRACE).with_targets(CAPS.iter().copied())
}

/// The user's filter: `BERTH_LOG` when set and valid, else `default`.
pub fn user_filter(default: &str) -> EnvFilter {
    match std::env::var("BERTH_LOG") {
        Ok(v) if !v.trim().is_empty() => EnvFilter::try_new(&v).unwrap_or_else(|e| {
            eprintln!("berth: BERTH_LOG={v} is not a log filter ({e}); using {default}");
            EnvFilter::new(default)
        }),
        _ => EnvFilter::new(default),
    }
}

/// Log to stderr at `BERTH_LOG` (else `default`), with the secret caps.
pub fn init(default: &str) {
    let _ = tracing_subscriber::registry().with(stderr_layer(default)).try_init();
}

fn stderr_layer<S>(default: &str) -> impl Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_filter(user_filter(default))
        .with_filter(secret_caps())
}

/// Days of log files kept.
pub const KEEP_DAYS: usize = 7;

/// Where the desktop app writes its log files: `BERTH_LOG_DIR` when set, else the OS's place
/// for them — Linux `$XDG_STATE_HOME/berth/logs` (`~/.local/state/berth/logs`), macOS
/// `~/Library/Logs/Berth`, Windows `%LOCALAPPDATA%\Berth\logs`.
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BERTH_LOG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if cfg!(target_os = "macos") {
        return dirs::home_dir().map(|h| h.join("Library/Logs/Berth"));
    }
    if cfg!(windows) {
        return dirs::data_local_dir().map(|d| d.join("Berth").join("logs"));
    }
    dirs::state_dir().or_else(dirs::data_local_dir).map(|d| d.join("berth").join("logs"))
}

/// Log to stderr as [`init`] does, and to a file per day in `dir` (`berth-desktop.DATE.log`,
/// the last [`KEEP_DAYS`] kept) at `BERTH_LOG` else `default`, under the same caps. Errors
/// of Berth's own code are also kept for [`recent_errors`]. Each line is written as it is
/// logged (no buffer to lose: a Tauri app ends by exiting the process). Without a usable
/// folder, stderr only, and the reason on stderr.
pub fn init_with_file(default: &str, dir: Option<&Path>) {
    let appender = dir.and_then(|dir| {
        let made = std::fs::create_dir_all(dir).map_err(|e| e.to_string()).and_then(|_| {
            tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix("berth-desktop")
                .filename_suffix("log")
                .max_log_files(KEEP_DAYS)
                .build(dir)
                .map_err(|e| e.to_string())
        });
        made.map_err(|e| eprintln!("berth: no log file in {} ({e}); logging to stderr only", dir.display())).ok()
    });
    let file_layer = appender.map(|appender| {
        tracing_subscriber::fmt::layer()
            .with_writer(appender)
            .with_ansi(false)
            .with_filter(user_filter(default))
            .with_filter(secret_caps())
    });
    let _ = tracing_subscriber::registry()
        .with(stderr_layer(default))
        .with(file_layer)
        .with(RecentErrors.with_filter(secret_caps()))
        .try_init();
}

/// An error Berth logged, for diagnostics: when, and its text (the error's code and message,
/// as the log line has them; access key ids taken out).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecentError {
    pub at: String,
    pub text: String,
}

/// How many errors diagnostics keep.
const RECENT: usize = 10;

static RECENT_ERRORS: Mutex<VecDeque<RecentError>> = Mutex::new(VecDeque::new());

/// The last errors Berth's own code logged, oldest first.
pub fn recent_errors() -> Vec<RecentError> {
    RECENT_ERRORS.lock().map(|r| r.iter().cloned().collect()).unwrap_or_default()
}

/// Keeps ERROR events of Berth's crates in [`RECENT_ERRORS`].
struct RecentErrors;

impl<S: tracing::Subscriber> Layer<S> for RecentErrors {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let meta = event.metadata();
        if *meta.level() != tracing::Level::ERROR || !meta.target().starts_with("berth") {
            return;
        }
        let mut text = Fields(String::new());
        event.record(&mut text);
        let at =
            time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        if let Ok(mut recent) = RECENT_ERRORS.lock() {
            if recent.len() == RECENT {
                recent.pop_front();
            }
            recent.push_back(RecentError { at, text: without_key_ids(text.0.trim()) });
        }
    }
}

/// An event's fields as one line: the message, then `name=value` of the others.
struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write;
        let _ = match field.name() {
            "message" => write!(self.0, "{value:?} "),
            name => write!(self.0, "{name}={value:?} "),
        };
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        use std::fmt::Write;
        let _ = match field.name() {
            "message" => write!(self.0, "{value} "),
            name => write!(self.0, "{name}={value} "),
        };
    }
}

/// `text` with every AWS access key id (`AKIA…`, `ASIA…`: four letters and 16 more letters or
/// digits) replaced by `[key id]`.
pub fn without_key_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('A') {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let candidate: String = from.chars().take(20).collect();
        let is_key = candidate.len() == 20
            && (candidate.starts_with("AKIA") || candidate.starts_with("ASIA"))
            && candidate.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && !from[20..].starts_with(|c: char| c.is_ascii_alphanumeric());
        if is_key {
            out.push_str("[key id]");
            rest = &from[20..];
        } else {
            out.push('A');
            rest = &from[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn key_ids_are_taken_out_of_error_texts() {
        assert_eq!(
            without_key_ids("[access_denied] AKIAIOSFODNN7EXAMPLE is not allowed; ASIAQAAAAAAACRZWYZQW expired"),
            "[access_denied] [key id] is not allowed; [key id] expired"
        );
        // Not key ids: too short, lower case, part of a longer word, other prefixes.
        for text in
            ["AKIA123", "akiaiosfodnn7example", "XAKIAIOSFODNN7EXAMPLEX1", "ABIAIOSFODNN7EXAMPLE", "Access denied"]
        {
            assert_eq!(without_key_ids(text), text);
        }
        assert_eq!(without_key_ids("é AKIAIOSFODNN7EXAMPLE ü"), "é [key id] ü");
    }

    #[test]
    fn berths_errors_are_kept_for_diagnostics_and_others_are_not() {
        let subscriber = tracing_subscriber::registry().with(RecentErrors.with_filter(secret_caps()));
        tracing::subscriber::with_default(subscriber, || {
            tracing::error!(target: "berth_desktop_lib::commands::repositories", error = %"[unreachable] Could not list repositories", "list_repositories");
            tracing::error!(target: "hyper", "connection reset");
            tracing::warn!(target: "berth_app::push", "a warning");
            for i in 0..RECENT {
                tracing::error!(target: "berth_app::copy", "failure {i} for AKIAIOSFODNN7EXAMPLE");
            }
        });
        let recent = recent_errors();
        assert_eq!(recent.len(), RECENT, "{recent:?}");
        assert!(recent.iter().all(|e| !e.text.contains("AKIA") && !e.text.contains("connection reset")), "{recent:?}");
        assert_eq!(
            recent.last().map(|e| e.text.as_str()),
            Some(format!("failure {} for [key id]", RECENT - 1).as_str())
        );
    }

    #[test]
    fn trace_everywhere_still_leaves_out_the_sdks_bodies() {
        let buffer = Buffer::default();
        let out = buffer.clone();
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(move || out.clone())
            .with_filter(EnvFilter::new("trace,aws_smithy_runtime=trace"))
            .with_filter(secret_caps());
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(target: "aws_smithy_runtime::client::orchestrator", "output_or_error=SECRET-1");
            tracing::trace!(target: "aws_sigv4::http_request::sign", "canonical_request=SECRET-2");
            tracing::trace!(target: "aws_sdk_secretsmanager::operation::create_secret", "secret_string=SECRET-3");
            tracing::debug!(target: "aws_smithy_runtime::client::orchestrator", "beginning attempt #1");
            tracing::trace!(target: "berth_app::push", "pushing web:1");
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("beginning attempt"), "{text}");
        assert!(text.contains("pushing web:1"), "{text}");
    }
}
