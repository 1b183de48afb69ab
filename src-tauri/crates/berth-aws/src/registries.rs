//! Registries that are not ECR (Docker Hub, GHCR, Quay, Harbor, a self-hosted distribution)
//! whose credentials Berth holds: the host and user name in Berth's settings file (under its
//! lock, as profiles are), the password or token in the OS keychain only.

use berth_core::{BerthError, ErrorCode, Result, Secret};
use serde::{Deserialize, Serialize};

use crate::profiles::ProfileStore;

pub use berth_core::copy::{HeldRegistry, PinnedRegistry};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct StoredRegistry {
    pub host: String,
    pub username: String,
}

fn keychain_account(host: &str) -> String {
    format!("registry:{host}")
}

/// `HOST[:PORT]` as a registry is named in references: lower case, no scheme or path.
pub fn normalize_host(text: &str) -> Result<String> {
    let t = text.trim();
    let t = t.strip_prefix("https://").or_else(|| t.strip_prefix("http://")).unwrap_or(t);
    let t = t.trim_end_matches('/').to_ascii_lowercase();
    // The same rule as the registry endpoint setting's (`host[:port]`, IPv6 in brackets).
    if t.contains('/') || crate::check_host_port(&t).is_err() {
        return Err(BerthError::invalid(format!(
            "“{}” is not a registry host: give HOST or HOST:PORT, e.g. ghcr.io or registry.example.com:5000.",
            text.trim()
        )));
    }
    Ok(t)
}

impl ProfileStore {
    /// The registries Berth holds credentials for.
    pub fn registries(&self) -> Result<Vec<HeldRegistry>> {
        Ok(self.read()?.registries.into_iter().map(|r| HeldRegistry { host: r.host, username: r.username }).collect())
    }

    /// Hold `username` and `password` for `host` (replacing what was held). The keychain
    /// first, then the file: a keychain that fails leaves the file as it was.
    pub async fn save_registry(&self, host: &str, username: &str, password: &Secret) -> Result<HeldRegistry> {
        let host = normalize_host(host)?;
        let username = username.trim();
        if username.is_empty() {
            return Err(BerthError::invalid("Give the user name for the registry (--username)."));
        }
        if password.expose().trim().is_empty() {
            return Err(BerthError::invalid("Give the password or token for the registry (on standard input)."));
        }
        if !self.keychain.available().await {
            return Err(BerthError::new(
                ErrorCode::KeychainUnavailable,
                "No OS keychain is available, so Berth cannot hold the registry's password. Log in with `docker login` instead: Berth reads the Docker configuration too.",
            ));
        }
        let lock = self.lock().await?;
        let mut file = self.read()?;
        self.keychain.set(&keychain_account(&host), password).await?;
        file.registries.retain(|r| r.host != host);
        file.registries.push(StoredRegistry { host: host.clone(), username: username.to_string() });
        file.registries.sort_by(|a, b| a.host.cmp(&b.host));
        self.write(&lock, &file)?;
        Ok(HeldRegistry { host, username: username.to_string() })
    }

    /// Forget `host` and its keychain entry.
    pub async fn remove_registry(&self, host: &str) -> Result<()> {
        let host = normalize_host(host)?;
        let lock = self.lock().await?;
        let mut file = self.read()?;
        let before = file.registries.len();
        file.registries.retain(|r| r.host != host);
        let account = keychain_account(&host);
        if file.registries.len() == before {
            if self.keychain.get(&account).await.ok().flatten().is_none() {
                return Err(BerthError::not_found(format!("Berth holds no credentials for {host}.")));
            }
        } else {
            self.write(&lock, &file)?;
        }
        self.keychain.delete(&account).await
    }

    /// The profile-and-region pairs pinned in the sidebar.
    pub fn pinned(&self) -> Result<Vec<PinnedRegistry>> {
        Ok(self.read()?.pinned)
    }

    /// Pin `profile` in `region` (once), or unpin it.
    pub async fn set_pinned(&self, pin: &PinnedRegistry, pinned: bool) -> Result<Vec<PinnedRegistry>> {
        berth_core::validate::region(&pin.region)?;
        let lock = self.lock().await?;
        let mut file = self.read()?;
        file.pinned.retain(|p| p != pin);
        if pinned {
            file.pinned.push(pin.clone());
        }
        self.write(&lock, &file)?;
        Ok(file.pinned)
    }

    /// The repositories opened before at `host` (sorted).
    pub fn remembered_repositories(&self, host: &str) -> Result<Vec<String>> {
        let host = normalize_host(host)?;
        Ok(self.read()?.remembered.remove(&host).unwrap_or_default())
    }

    /// Remember that `repository` was opened at `host` (once; at most 200 a host, the
    /// oldest forgotten first). Only names: nothing secret goes into the file.
    pub async fn remember_repository(&self, host: &str, repository: &str) -> Result<Vec<String>> {
        let host = normalize_host(host)?;
        berth_core::validate::repository_name(repository)?;
        let lock = self.lock().await?;
        let mut file = self.read()?;
        let names = file.remembered.entry(host).or_default();
        if !names.iter().any(|n| n == repository) {
            names.push(repository.to_string());
            if names.len() > 200 {
                names.remove(0);
            }
            names.sort();
            let names = names.clone();
            self.write(&lock, &file)?;
            return Ok(names);
        }
        Ok(names.clone())
    }

    /// Forget a repository remembered at `host`.
    pub async fn forget_repository(&self, host: &str, repository: &str) -> Result<Vec<String>> {
        let host = normalize_host(host)?;
        let lock = self.lock().await?;
        let mut file = self.read()?;
        let Some(names) = file.remembered.get_mut(&host) else { return Ok(Vec::new()) };
        names.retain(|n| n != repository);
        let left = names.clone();
        if left.is_empty() {
            file.remembered.remove(&host);
        }
        self.write(&lock, &file)?;
        Ok(left)
    }

    /// The user name and password Berth holds for `host`, if any.
    pub async fn registry_credentials(&self, host: &str) -> Result<Option<(String, Secret)>> {
        let Ok(host) = normalize_host(host) else { return Ok(None) };
        let Some(entry) = self.read()?.registries.into_iter().find(|r| r.host == host) else {
            return Ok(None);
        };
        match self.keychain.get(&keychain_account(&host)).await? {
            Some(password) => Ok(Some((entry.username, password))),
            None => Err(BerthError::new(
                ErrorCode::NotFound,
                format!("Berth lists {host}, but its password is missing from the keychain. Add the registry again (`berth registries add {host}`)."),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opened_repositories_are_remembered_per_host_and_nothing_else() {
        let dir = std::env::temp_dir().join(format!("berth-remembered-{}", std::process::id()));
        let store = ProfileStore::new(&dir, berth_secrets::Keychain::with_service("dev.berth.test.remembered"));
        store.remember_repository("127.0.0.1:5000", "team/web").await.unwrap();
        store.remember_repository("http://127.0.0.1:5000/", "team/api").await.unwrap();
        let names = store.remember_repository("127.0.0.1:5000", "team/web").await.unwrap();
        assert_eq!(names, vec!["team/api", "team/web"]);
        assert!(store.remember_repository("ghcr.io", "../x").await.is_err());
        // Another handle (the next start) reads them back; another host has none.
        let again = ProfileStore::new(&dir, berth_secrets::Keychain::with_service("dev.berth.test.remembered"));
        assert_eq!(again.remembered_repositories("127.0.0.1:5000").unwrap(), vec!["team/api", "team/web"]);
        assert!(again.remembered_repositories("ghcr.io").unwrap().is_empty());
        assert_eq!(again.forget_repository("127.0.0.1:5000", "team/api").await.unwrap(), vec!["team/web"]);
        let text = std::fs::read_to_string(dir.join("config.json")).unwrap_or_default();
        assert!(text.contains("team/web") && !text.contains("team/api"), "{text}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn hosts_are_named_as_in_references() {
        assert_eq!(normalize_host("GHCR.io").unwrap(), "ghcr.io");
        assert_eq!(normalize_host("https://registry.example.com:5000/").unwrap(), "registry.example.com:5000");
        assert_eq!(normalize_host("127.0.0.1:47307").unwrap(), "127.0.0.1:47307");
        for bad in ["", "ghcr.io/org", "host:port", "a..b", "-x.io", "x.io:123456", "x y"] {
            assert!(normalize_host(bad).is_err(), "{bad}");
        }
    }
}
