//! Secrets in the OS keychain (keyring 4: Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows). Nothing here ever falls back to a file.
//!
//! Entries are namespaced by the app identifier and the build kind, so a debug build never
//! reads or overwrites a release build's entries. keyring's calls block (D-Bus round trips),
//! so the async API runs them on tokio's blocking pool.

use berth_core::{BerthError, ErrorCode, Result, Secret};
use keyring::{Entry, Error as KeyringError};

/// The app's identifier, the prefix of every keychain service name.
pub const APP_ID: &str = "dev.berth.app";

/// A namespace of keychain entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keychain {
    service: String,
}

/// `debug` or `release`, from how this crate was compiled.
pub fn build_kind() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}

impl Keychain {
    /// The app's own namespace for this build kind: `dev.berth.app.release` / `dev.berth.app.debug`.
    pub fn for_app() -> Keychain {
        Keychain::with_service(format!("{APP_ID}.{}", build_kind()))
    }

    /// A namespace of one's own (tests use a unique one).
    pub fn with_service(service: impl Into<String>) -> Keychain {
        Keychain { service: service.into() }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Whether an OS keychain could be opened (it may still be locked).
    pub async fn available(&self) -> bool {
        blocking(|| Ok(Entry::store_status().is_ok())).await.unwrap_or(false)
    }

    /// Store (or replace) the secret under `account`.
    pub async fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        let (service, account, secret) = (self.service.clone(), account.to_string(), secret.clone());
        blocking(move || entry(&service, &account)?.set_password(secret.expose()).map_err(map_error)).await
    }

    /// The secret under `account`, or `None` when there is none.
    pub async fn get(&self, account: &str) -> Result<Option<Secret>> {
        let (service, account) = (self.service.clone(), account.to_string());
        blocking(move || match entry(&service, &account)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        })
        .await
    }

    /// Remove the secret under `account`; removing what is not there is not an error.
    pub async fn delete(&self, account: &str) -> Result<()> {
        let (service, account) = (self.service.clone(), account.to_string());
        blocking(move || match entry(&service, &account)?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        })
        .await
    }
}

fn entry(service: &str, account: &str) -> Result<Entry> {
    Entry::new(service, account).map_err(map_error)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| BerthError::internal(format!("the keychain call did not finish: {e}")))?
}

fn map_error(e: KeyringError) -> BerthError {
    match e {
        KeyringError::NoDefaultStore => BerthError::new(
            ErrorCode::KeychainUnavailable,
            "No OS keychain is available (on Linux: no Secret Service such as gnome-keyring or KeePassXC on the session bus). \
             Start one and restart Berth, or use a profile from ~/.aws/config. Nothing is stored in plain text.",
        ),
        KeyringError::NoStorageAccess(err) => BerthError::new(
            ErrorCode::KeychainUnavailable,
            format!("The OS keychain is locked or refused access ({err}). Unlock it and retry."),
        ),
        KeyringError::PlatformFailure(err) => BerthError::new(
            ErrorCode::KeychainUnavailable,
            format!("The OS keychain failed ({err}). Check that it runs and is unlocked, then retry."),
        ),
        KeyringError::NoEntry => BerthError::not_found("No such keychain entry."),
        KeyringError::TooLong(what, limit) => {
            BerthError::invalid(format!("The keychain refuses a {what} longer than {limit} characters."))
        }
        // BadEncoding and friends carry the raw bytes: never put them in a message.
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            BerthError::new(ErrorCode::KeychainUnavailable, "The keychain entry is not readable text; remove it and store the secret again.")
        }
        other => BerthError::new(ErrorCode::KeychainUnavailable, format!("The OS keychain failed: {}", describe(&other))),
    }
}

fn describe(e: &KeyringError) -> String {
    match e {
        KeyringError::Invalid(what, why) => format!("invalid {what}: {why}"),
        KeyringError::BadStoreFormat(why) => format!("bad store: {why}"),
        _ => "unexpected error".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_differ_by_build_kind() {
        let service = Keychain::for_app().service().to_string();
        assert!(service.starts_with("dev.berth.app."));
        assert!(service.ends_with(build_kind()));
    }

    #[test]
    fn undecodable_entries_never_leak_their_bytes() {
        let e = map_error(KeyringError::BadEncoding(b"hunter2".to_vec()));
        assert!(!e.message.contains("hunter2"));
        assert!(!format!("{e:?}").contains("104, 117"));
    }
}
