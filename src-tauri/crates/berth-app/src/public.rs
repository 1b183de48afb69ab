//! ECR Public: the account's public repositories, created with catalog data instead of the
//! private settings (ECR Public has no encryption, scanning or lifecycle).

use berth_core::copy::{PublicCatalog, PublicRegistry, PublicRepository};
use berth_core::Result;

use crate::Session;

impl Session {
    pub async fn public_repositories(&self) -> Result<Vec<PublicRepository>> {
        self.aws().await?.public_repositories().await
    }

    /// Create a public repository; answers it, with the notes on catalog values the gallery
    /// shows no badge for.
    pub async fn create_public_repository(
        &self,
        name: &str,
        catalog: &PublicCatalog,
    ) -> Result<(PublicRepository, Vec<String>)> {
        let created = self.aws().await?.create_public_repository(name, catalog).await?;
        Ok((created, berth_core::copy::catalog_notes(catalog)))
    }

    pub async fn delete_public_repository(&self, name: &str, force: bool) -> Result<()> {
        berth_core::validate::repository_name(name)?;
        self.aws().await?.delete_public_repository(name, force).await
    }

    /// The alias and the repositories of the account's public registry.
    pub async fn public_registry(&self) -> Result<PublicRegistry> {
        let aws = self.aws().await?;
        let (alias, repositories) = tokio::try_join!(aws.public_alias(), aws.public_repositories())?;
        Ok(PublicRegistry { alias, repositories })
    }

    /// The account's public registry alias (`public.ecr.aws/ALIAS`).
    pub async fn public_alias(&self) -> Result<String> {
        self.aws().await?.public_alias().await
    }
}
