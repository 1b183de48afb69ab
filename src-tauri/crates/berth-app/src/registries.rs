//! Registries that are not ECR: the ones Berth holds credentials for (keychain), their
//! repositories and tags. Credentials for a host come from Berth first, else from the Docker
//! configuration (its `auths`, `credsStore` and `credHelpers`), else none.

use berth_aws::registries::HeldRegistry;
use berth_core::{Result, Secret};
use berth_registry::{Credentials, Registry};

use crate::Session;

/// Where a registry's credentials came from, in words (`Berth (keychain)`, `helper
/// docker-credential-pass`, `auths in ~/.docker/config.json`, `none`).
pub struct Opened {
    pub registry: Registry,
    pub credentials_from: String,
}

impl Session {
    /// A client for the registry at `host` with the credentials a user would expect.
    pub async fn open_registry(&self, host: &str) -> Result<Opened> {
        let host = berth_aws::registries::normalize_host(host)?;
        let (credentials, from) = match self.profiles().registry_credentials(&host).await? {
            Some((username, password)) => (Credentials::Basic { username, password }, "Berth (keychain)".to_string()),
            None => {
                let found = berth_registry::docker_config::credentials_for(&host).await?;
                (found.credentials, found.source)
            }
        };
        let hint = if from == "none" {
            format!("Berth has no credentials for {host}: add them with `berth registries add {host} --username USER` (the password on stdin) or `docker login {host}`, then retry.")
        } else {
            format!("The credentials came from {from}: add them again (`berth registries add {host}` or `docker login {host}`), then retry.")
        };
        Ok(Opened { registry: Registry::new(&host, credentials).with_login_hint(hint), credentials_from: from })
    }

    pub fn held_registries(&self) -> Result<Vec<HeldRegistry>> {
        self.profiles().registries()
    }

    /// Hold credentials for `host`, after checking them against the registry (a wrong
    /// password is said now, not at the first copy).
    pub async fn add_registry(&self, host: &str, username: &str, password: Secret) -> Result<HeldRegistry> {
        let host = berth_aws::registries::normalize_host(host)?;
        let probe = Registry::new(
            &host,
            Credentials::Basic { username: username.trim().to_string(), password: password.clone() },
        );
        probe.check_credentials().await?;
        self.profiles().save_registry(&host, username, &password).await
    }

    pub async fn remove_registry(&self, host: &str) -> Result<()> {
        self.profiles().remove_registry(host).await
    }

    /// The repositories of the registry at `host` (where it lists them).
    pub async fn registry_repositories(&self, host: &str) -> Result<Vec<String>> {
        self.open_registry(host).await?.registry.catalog().await
    }

    /// Every tag of `HOST/REPOSITORY`.
    pub async fn registry_tags(&self, host_and_repository: &str) -> Result<Vec<String>> {
        let (host, repository) = host_and_repository.split_once('/').ok_or_else(|| {
            berth_core::BerthError::invalid("Give HOST/REPOSITORY, e.g. ghcr.io/org/app or 127.0.0.1:5000/team/web.")
        })?;
        self.open_registry(host).await?.registry.tags(repository).await
    }
}
