//! The registry token component: ECR authorization tokens cached per connection (one `Aws`
//! per profile and region), refreshed before they expire, never written anywhere.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use berth_core::Result;
use berth_core::Timestamp;
use time::{Duration, OffsetDateTime};
use tokio::sync::Mutex;

use crate::{Aws, RegistryCredentials};

/// Refresh this long before the token expires (ECR's last 12 hours).
pub const REFRESH_MARGIN: Duration = Duration::minutes(15);

#[derive(Clone, Default, Debug)]
pub(crate) struct TokenCache {
    current: Arc<Mutex<Option<RegistryCredentials>>>,
    fetches: Arc<AtomicU64>,
}

/// A token is reused while it has more than `REFRESH_MARGIN` left. One without an expiry,
/// with an unreadable one, or already expired (moto's are dated 2015) is fetched anew on
/// every use — never rejected.
pub fn is_fresh(expires_at: Option<Timestamp>, now: OffsetDateTime) -> bool {
    let Some(at) = expires_at else {
        return false;
    };
    at.0 - now > REFRESH_MARGIN
}

impl Aws {
    /// Registry credentials for this connection, from the cache while fresh.
    pub async fn registry_token(&self) -> Result<RegistryCredentials> {
        let mut current = self.tokens.current.lock().await;
        if let Some(token) = current.as_ref() {
            if is_fresh(token.expires_at, OffsetDateTime::now_utc()) {
                return Ok(token.clone());
            }
        }
        let token = self.registry_credentials().await?;
        self.tokens.fetches.fetch_add(1, Ordering::Relaxed);
        *current = Some(token.clone());
        Ok(token)
    }

    /// How many tokens this connection fetched from the API (for tests and diagnostics).
    pub fn token_fetches(&self) -> u64 {
        self.tokens.fetches.load(Ordering::Relaxed)
    }

    /// Drop the cached token (the registry refused it).
    pub async fn forget_registry_token(&self) {
        *self.tokens.current.lock().await = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn tokens_are_refreshed_before_expiry_and_always_when_expired() {
        let now = datetime!(2026-11-24 12:00 UTC);
        let at = |t: &str| Some(Timestamp::parse(t).unwrap());
        assert!(is_fresh(at("2026-11-25T00:00:00Z"), now));
        assert!(!is_fresh(at("2026-11-24T12:10:00Z"), now), "within the margin");
        assert!(!is_fresh(at("2015-01-01T00:00:00Z"), now), "moto's expired date");
        assert!(!is_fresh(None, now));
    }
}
