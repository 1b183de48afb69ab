//! ECR Public: the account's public repositories, created with catalog data instead of the
//! private settings (ECR Public has no encryption, scanning or lifecycle).

use berth_core::copy::{PublicCatalog, PublicRegistry, PublicRepository};
use berth_core::image::{DeleteReport, ImageRef};
use berth_core::public::{PublicRepositoryView, PublicReview};
use berth_core::{BerthError, Result};

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

    /// A public repository's view: its catalog data and images (newest first), and the alias
    /// its pull commands name.
    pub async fn public_repository_view(&self, name: &str) -> Result<PublicRepositoryView> {
        berth_core::validate::repository_name(name)?;
        let aws = self.aws().await?;
        let (alias, repository, images) =
            tokio::try_join!(aws.public_alias(), aws.public_repository_named(name), aws.public_images(name))?;
        let gone = || {
            BerthError::not_found(format!(
                "The public repository {name} does not exist (any more). Choose another one under ECR Public."
            ))
        };
        let repository = repository.ok_or_else(gone)?;
        let images = images.ok_or_else(gone)?;
        Ok(PublicRepositoryView { alias, repository, images })
    }

    /// Delete images of a public repository (by digest or tag); the report says which went.
    pub async fn delete_public_images(&self, name: &str, images: &[ImageRef]) -> Result<DeleteReport> {
        if images.is_empty() {
            return Err(BerthError::invalid("Choose at least one image to delete."));
        }
        self.aws().await?.delete_public_images(name, images).await
    }

    /// The wizard's review of a public repository (the alias, when the account has one, names
    /// its URI).
    pub async fn review_public_repository(&self, name: &str, catalog: &PublicCatalog) -> Result<PublicReview> {
        let alias = self.aws().await?.public_alias().await.ok();
        Ok(berth_core::public::review(alias.as_deref(), name, catalog))
    }
}
