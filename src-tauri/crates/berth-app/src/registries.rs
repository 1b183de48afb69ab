//! Registries that are not ECR: the ones Berth holds credentials for (keychain), their
//! repositories and tags. Credentials for a host come from Berth first, else from the Docker
//! configuration (its `auths`, `credsStore` and `credHelpers`), else none.

use berth_aws::registries::HeldRegistry;
use berth_core::copy::{
    BrowseRepositories, DockerRegistry, PinnedRegistry, Place, Registries, RegistryTarget, TargetRepositories,
};
use berth_core::model::RepositorySpec;
use berth_core::{ErrorCode, Result, Secret};
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

    /// The registries of the sidebar besides the active one.
    pub fn registries(&self) -> Result<Registries> {
        Ok(Registries { pinned: self.profiles().pinned()?, held: self.held_registries()? })
    }

    /// Pin a profile in a region (its connection is tried first), or unpin it.
    pub async fn pin_registry(&self, pin: PinnedRegistry, pinned: bool) -> Result<Vec<PinnedRegistry>> {
        if pinned {
            self.aws_for(Some(&pin.profile), Some(&pin.region)).await?.list_repositories().await?;
        }
        self.profiles().set_pinned(&pin, pinned).await
    }

    /// The repositories of a registry of the sidebar.
    pub async fn target_repositories(&self, target: RegistryTarget) -> Result<TargetRepositories> {
        match target {
            RegistryTarget::Pinned { profile, region } => {
                let repositories = self.aws_for(Some(&profile), Some(&region)).await?.list_repositories().await?;
                Ok(TargetRepositories { names: repositories.into_iter().map(|r| r.name).collect(), note: None })
            }
            RegistryTarget::Oci { host } => match self.registry_repositories(&host).await {
                Ok(names) => Ok(TargetRepositories { names, note: None }),
                Err(e) if e.code == ErrorCode::Unsupported => {
                    Ok(TargetRepositories { names: Vec::new(), note: Some(e.message) })
                }
                Err(e) => Err(e),
            },
        }
    }

    /// The registries the user's Docker configuration names, besides those Berth holds
    /// credentials for (listed already).
    pub async fn docker_registries(&self) -> Result<Vec<DockerRegistry>> {
        let held: Vec<String> = self.held_registries()?.into_iter().map(|h| h.host).collect();
        let found = berth_registry::docker_config::registries().await?;
        Ok(found.into_iter().filter(|r| !held.contains(&r.host)).collect())
    }

    /// A registry of the sidebar to browse: what it lists, and what was opened there before.
    /// A pinned profile's registry is named by its ECR host, so that its references are full.
    pub async fn browse_repositories(&self, target: RegistryTarget) -> Result<BrowseRepositories> {
        let (host, listed, note) = match target {
            RegistryTarget::Pinned { profile, region } => {
                let aws = self.aws_for(Some(&profile), Some(&region)).await?;
                let account = aws.caller_identity().await?.account;
                let names = aws.list_repositories().await?.into_iter().map(|r| r.name).collect();
                (format!("{account}.dkr.ecr.{}.amazonaws.com", aws.region()), names, None)
            }
            RegistryTarget::Oci { host } => {
                let host = berth_aws::registries::normalize_host(&host)?;
                match self.registry_repositories(&host).await {
                    Ok(names) => (host, names, None),
                    Err(e) if e.code == ErrorCode::Unsupported => (host, Vec::new(), Some(e.message)),
                    Err(e) => return Err(e),
                }
            }
        };
        let remembered =
            self.profiles().remembered_repositories(&host)?.into_iter().filter(|r| !listed.contains(r)).collect();
        Ok(BrowseRepositories { host, listed, remembered, note })
    }

    /// Every tag of `HOST/REPOSITORY` of any registry (the `Link` header followed page after
    /// page). A repository that answers is remembered for its host.
    pub async fn browse_tags(&self, repository: &str) -> Result<Vec<String>> {
        let location = crate::images::foreign_location(repository)?.ok_or_else(|| {
            berth_core::BerthError::invalid("Give HOST/REPOSITORY, e.g. ghcr.io/org/app or 127.0.0.1:5000/team/web.")
        })?;
        let end = self.open_location(&location).await?;
        let tags = end.registry()?.tags(&location.repository).await?;
        if let Place::Oci { host } = &location.place {
            if let Err(e) = self.profiles().remember_repository(host, &location.repository).await {
                tracing::warn!(host, error = %e.message, "could not remember the repository");
            }
        }
        Ok(tags)
    }

    /// Forget a repository remembered at `host`.
    pub async fn forget_repository(&self, host: &str, repository: &str) -> Result<Vec<String>> {
        self.profiles().forget_repository(host, repository).await
    }

    /// Create a repository with ECR's defaults in a pinned registry (the copy dialog's
    /// "Create it"; the active registry has the wizard).
    pub async fn create_repository_in(&self, profile: &str, region: &str, name: &str) -> Result<()> {
        let spec = RepositorySpec::named(name);
        berth_core::validate::repository_name(name)?;
        self.aws_for(Some(profile), Some(region)).await?.create_repository(&spec).await.map(|_| ())
    }
}
