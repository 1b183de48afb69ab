//! What a bug report needs, for "Copy diagnostics" in the window and `berth diagnostics`:
//! the version and commit, the OS, the webview, the engine, the active region and the kind of
//! profile (never its secrets, its key id or its name), the log folder, and the last errors
//! with their codes.

use std::time::Duration;

use berth_core::model::{CredentialKind, ProfileSource};

use crate::logging::RecentError;
use crate::Session;

/// How long each question (the engine, the profile) may take: diagnostics are asked for when
/// something is wrong, and must answer even when the engine or the network does not.
const ASK: Duration = Duration::from_secs(3);

/// The facts, gathered; [`Diagnostics::text`] renders them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostics {
    /// `berth-desktop` or `berth`.
    pub program: String,
    pub version: String,
    pub os: String,
    /// The webview's engine and version (the desktop app only).
    pub webview: Option<String>,
    pub engine: String,
    pub profile: String,
    pub region: String,
    pub log_dir: Option<String>,
    pub errors: Vec<RecentError>,
}

impl Diagnostics {
    pub fn text(&self) -> String {
        let mut lines = vec![format!("{} {}", self.program, self.version), format!("OS: {}", self.os)];
        if let Some(webview) = &self.webview {
            lines.push(format!("Webview: {webview}"));
        }
        lines.push(format!("Docker engine: {}", self.engine));
        lines.push(format!("Profile: {}", self.profile));
        lines.push(format!("Region: {}", self.region));
        lines.push(format!("Log folder: {}", self.log_dir.as_deref().unwrap_or("none (stderr only)")));
        if self.errors.is_empty() {
            lines.push("Last errors: none".into());
        } else {
            lines.push("Last errors (oldest first):".into());
            lines.extend(self.errors.iter().map(|e| format!("  {} {}", e.at, e.text)));
        }
        lines.join("\n") + "\n"
    }
}

/// The kind of a profile in words: where it is defined and how it gets credentials.
pub fn profile_kind(source: &ProfileSource, kind: CredentialKind) -> String {
    let place = match source {
        ProfileSource::Environment => "the environment and the default chain",
        ProfileSource::SharedConfig { .. } => "a profile of the AWS config files",
        ProfileSource::App { .. } => "a profile held by Berth (secrets in the keychain)",
    };
    let how = match kind {
        CredentialKind::DefaultChain => "credentials from the default chain",
        CredentialKind::StaticKeys => "access keys",
        CredentialKind::Sso => "IAM Identity Center (SSO)",
        CredentialKind::AssumeRole => "an assumed role",
        CredentialKind::CredentialProcess => "a credential process",
        CredentialKind::WebIdentity => "a web identity token",
        CredentialKind::None => "no credentials of its own",
    };
    format!("{place}, {how}")
}

/// The OS in words: the distribution's name where it gives one, the platform and the kernel.
pub fn os_words() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release").ok().and_then(|text| {
        text.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")).map(|v| v.trim().trim_matches('"').to_string())
    });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok().map(|k| k.trim().to_string());
    let mut words = pretty.unwrap_or_else(|| std::env::consts::OS.to_string());
    words.push_str(&format!(", {} {}", std::env::consts::OS, std::env::consts::ARCH));
    if let Some(k) = kernel {
        words.push_str(&format!(", kernel {k}"));
    }
    words
}

impl Session {
    /// Gather the diagnostics of `program` (with its webview's version, for the window).
    /// Every question has a deadline; what did not answer says why, with its error code.
    pub async fn diagnostics(&self, program: &str, webview: Option<String>) -> Diagnostics {
        let engine = async {
            match tokio::time::timeout(ASK, async { self.engine().await?.info().await }).await {
                Ok(Ok(info)) => format!("{} (API {}) at {}", info.version, info.api_version, info.address),
                Ok(Err(e)) => format!("not reachable [{}]", e.code.name()),
                Err(_) => format!("no answer in {} s", ASK.as_secs()),
            }
        };
        let profile = async {
            match tokio::time::timeout(ASK, self.active_profile()).await {
                Ok(Ok(p)) => {
                    let endpoint = if p.ecr_endpoint.is_some() { ", with an endpoint override" } else { "" };
                    format!("{}{endpoint}", profile_kind(&p.source, p.kind))
                }
                Ok(Err(e)) => format!("not resolved [{}]", e.code.name()),
                Err(_) => format!("not resolved in {} s", ASK.as_secs()),
            }
        };
        let region = async {
            match tokio::time::timeout(ASK, self.aws()).await {
                Ok(Ok(aws)) => aws.region().to_string(),
                Ok(Err(e)) => format!("none [{}]", e.code.name()),
                Err(_) => format!("not known in {} s", ASK.as_secs()),
            }
        };
        let (engine, profile, region) = tokio::join!(engine, profile, region);
        Diagnostics {
            program: program.to_string(),
            version: crate::version::LONG.to_string(),
            os: os_words(),
            webview,
            engine,
            profile,
            region,
            log_dir: crate::logging::log_dir().map(|d| d.display().to_string()),
            errors: crate::logging::recent_errors(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_names_each_fact_and_the_errors_oldest_first() {
        let d = Diagnostics {
            program: "berth-desktop".into(),
            version: "0.1.0 (commit abcdef012345)".into(),
            os: "Debian GNU/Linux 12 (bookworm), linux x86_64, kernel 6.1.0".into(),
            webview: Some("WebKitGTK 2.44.2".into()),
            engine: "not reachable [engine_unavailable]".into(),
            profile: profile_kind(&ProfileSource::App { name: "prod".into() }, CredentialKind::AssumeRole),
            region: "eu-west-1".into(),
            log_dir: None,
            errors: vec![
                RecentError { at: "2026-12-04T18:00:00Z".into(), text: "[unreachable] first".into() },
                RecentError { at: "2026-12-04T18:01:00Z".into(), text: "[refused] second".into() },
            ],
        };
        let text = d.text();
        assert!(text.starts_with("berth-desktop 0.1.0 (commit abcdef012345)\n"), "{text}");
        assert!(text.contains("Webview: WebKitGTK 2.44.2\n"), "{text}");
        assert!(
            text.contains("Profile: a profile held by Berth (secrets in the keychain), an assumed role\n"),
            "{text}"
        );
        assert!(!text.contains("prod"), "the profile's name stays out: {text}");
        assert!(text.contains("Log folder: none (stderr only)"), "{text}");
        let first = text.find("[unreachable] first").unwrap_or(usize::MAX);
        let second = text.find("[refused] second").unwrap_or(0);
        assert!(first < second, "{text}");
        let none = Diagnostics { errors: Vec::new(), webview: None, ..d };
        assert!(none.text().contains("Last errors: none") && !none.text().contains("Webview"));
    }

    #[test]
    fn the_os_is_named() {
        let os = os_words();
        assert!(os.contains(std::env::consts::ARCH), "{os}");
    }
}
