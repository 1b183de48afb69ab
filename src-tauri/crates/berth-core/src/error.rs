//! One error type for the whole app. It crosses to the UI as `{code, message}`: the UI
//! branches on `code` (stable, snake_case) and shows `message` (what went wrong and what
//! to do next, in the user's terms).

use serde::Serialize;
use ts_rs::TS;

/// Stable error codes. Never rename a variant: the UI and scripts match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The user's input was rejected before any call was made.
    InvalidInput,
    /// The named thing (repository, image, profile, job) does not exist.
    NotFound,
    /// The thing to create exists already.
    AlreadyExists,
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
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::NotFound => "not_found",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::NoCredentials => "no_credentials",
            ErrorCode::CredentialsExpired => "credentials_expired",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::Unreachable => "unreachable",
            ErrorCode::EngineUnavailable => "engine_unavailable",
            ErrorCode::KeychainUnavailable => "keychain_unavailable",
            ErrorCode::MfaRequired => "mfa_required",
            ErrorCode::LimitExceeded => "limit_exceeded",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Remote => "remote",
            ErrorCode::Internal => "internal",
        }
    }
}

/// The error every Berth operation returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct BerthError {
    pub code: ErrorCode,
    pub message: String,
}

pub type Result<T, E = BerthError> = std::result::Result<T, E>;

impl BerthError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let e = BerthError::new(ErrorCode::EngineUnavailable, "Docker is not running.");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v, serde_json::json!({"code": "engine_unavailable", "message": "Docker is not running."}));
    }

    #[test]
    fn as_str_matches_serde() {
        for code in [
            ErrorCode::InvalidInput,
            ErrorCode::NotFound,
            ErrorCode::AlreadyExists,
            ErrorCode::NoCredentials,
            ErrorCode::CredentialsExpired,
            ErrorCode::AccessDenied,
            ErrorCode::Unreachable,
            ErrorCode::EngineUnavailable,
            ErrorCode::KeychainUnavailable,
            ErrorCode::MfaRequired,
            ErrorCode::LimitExceeded,
            ErrorCode::Cancelled,
            ErrorCode::Remote,
            ErrorCode::Internal,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(code.as_str()));
        }
    }
}
