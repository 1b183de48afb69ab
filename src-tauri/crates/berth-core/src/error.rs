//! One error type for the whole app. It crosses to the UI as `{code, message}`: the UI
//! branches on `code` (stable, snake_case) and shows `message` (what went wrong and what
//! to do next, in the user's terms). The cause chain (the library errors underneath) stays
//! on the Rust side: it is logged, never sent to the UI.

use serde::Serialize;
use ts_rs::TS;

/// Stable error codes. Never rename a variant: the UI and scripts match on them. The
/// TypeScript list (`ERROR_CODES` in the bindings) is generated from this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS, strum::EnumIter, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    /// The user's input was rejected before any call was made.
    InvalidInput,
    /// The named thing (repository, image, profile, job) does not exist.
    NotFound,
    /// The thing to create exists already.
    AlreadyExists,
    /// Someone else changed the same thing meanwhile (a tag moved during a push).
    Conflict,
    /// The thing is protected against this change (an immutable tag exists).
    Refused,
    /// Part of a change was applied and part failed: the report says which; retry the rest.
    Partial,
    /// The endpoint does not offer this operation (a registry or an emulator without it).
    Unsupported,
    /// The remote side took longer than Berth waits (a pushed tag not listed yet).
    Timeout,
    /// No credentials could be found for the profile.
    NoCredentials,
    /// Credentials were found but have expired (e.g. an SSO session).
    CredentialsExpired,
    /// The service refused the request for these credentials.
    AccessDenied,
    /// A network endpoint (AWS API, registry) could not be reached.
    Unreachable,
    /// The local container engine could not be reached.
    EngineUnavailable,
    /// The OS keychain is absent, locked or refused access.
    KeychainUnavailable,
    /// The profile's role needs a one-time MFA code before it can be assumed.
    MfaRequired,
    /// A service limit was hit.
    LimitExceeded,
    /// A disk (the engine's, the registry's) has no space left.
    DiskFull,
    /// The operation was cancelled by the user.
    Cancelled,
    /// The remote side answered with something we did not understand or an error we do not map.
    Remote,
    /// A bug or an unexpected local failure.
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub fn all() -> impl Iterator<Item = ErrorCode> {
        <ErrorCode as strum::IntoEnumIterator>::iter()
    }

    /// The code as the UI and scripts see it (`invalid_input`).
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// The error every Berth operation returns.
#[derive(Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct BerthError {
    pub code: ErrorCode,
    pub message: String,
    /// What caused it, outermost first (library errors in their own words), for the logs.
    #[serde(skip)]
    #[ts(skip)]
    pub causes: Vec<String>,
}

impl std::fmt::Debug for BerthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.code.name(), self.message)?;
        for cause in &self.causes {
            write!(f, "\n  caused by: {cause}")?;
        }
        Ok(())
    }
}

pub type Result<T, E = BerthError> = std::result::Result<T, E>;

impl BerthError {
    /// An error with its message; control characters in it (from a name the user typed, a
    /// server's text) are shown as escapes, whichever front end prints it.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: crate::format::without_controls(&message.into()), causes: Vec::new() }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "Cancelled.")
    }

    /// Keep `cause` and its sources as the cause chain (for the logs; the UI sees `message`).
    pub fn caused_by(mut self, cause: &(dyn std::error::Error + 'static)) -> Self {
        let mut next = Some(cause);
        while let Some(e) = next {
            let text = e.to_string();
            if self.causes.last() != Some(&text) {
                self.causes.push(text);
            }
            next = e.source();
        }
        self
    }

    /// Add a cause in words (when the underlying error is not a `std::error::Error`).
    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message_without_the_causes() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
        let e = BerthError::new(ErrorCode::EngineUnavailable, "Docker is not running.").caused_by(&io);
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v, serde_json::json!({"code": "engine_unavailable", "message": "Docker is not running."}));
        assert_eq!(e.causes, ["connection refused"]);
        assert_eq!(format!("{e:?}"), "[engine_unavailable] Docker is not running.\n  caused by: connection refused");
    }

    #[test]
    fn no_message_carries_a_control_character() {
        let e = BerthError::not_found("Berth holds no profile “a\u{1b}[31mb\nc\u{202e}”.");
        assert_eq!(e.message, "Berth holds no profile “a\\u{1b}[31mb\\nc\\u{202e}”.");
        let plain = BerthError::invalid(r"C:\path stays as typed.");
        assert_eq!(plain.message, r"C:\path stays as typed.");
    }

    #[test]
    fn names_are_serdes_names_for_every_code() {
        let mut n = 0;
        for code in ErrorCode::all() {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(code.name()));
            n += 1;
        }
        assert_eq!(n, 20, "every variant is listed");
    }
}
