//! Browsing other registries from the sidebar: their repositories, tags and images.

use berth_core::copy::{BrowseRepositories, DockerRegistry, RegistryTarget};
use berth_core::image::ImageInfo;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// The registries the user's Docker configuration names (no credentials asked).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn docker_registries(state: State<'_, AppState>) -> CommandResult<Vec<DockerRegistry>> {
    state.session.docker_registries().await
}

/// A registry's repositories: listed by it, and remembered from before.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn browse_repositories(
    state: State<'_, AppState>,
    target: RegistryTarget,
) -> CommandResult<BrowseRepositories> {
    state.session.browse_repositories(target).await
}

/// Every tag of `HOST/REPOSITORY` (the repository is remembered for its host).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn browse_tags(state: State<'_, AppState>, repository: String) -> CommandResult<Vec<String>> {
    state.session.browse_tags(&repository).await
}

/// Forget a remembered repository of `host`; answers those left.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn forget_repository(
    state: State<'_, AppState>,
    host: String,
    repository: String,
) -> CommandResult<Vec<String>> {
    state.session.forget_repository(&host, &repository).await
}

/// The digest a full reference (`HOST/REPOSITORY:TAG`) names.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn registry_digest(state: State<'_, AppState>, reference: String) -> CommandResult<String> {
    state.session.registry_digest(&reference).await
}

/// An image of any registry by its full reference: layers, config, history, platforms.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn registry_image(
    state: State<'_, AppState>,
    reference: String,
    platform: Option<String>,
) -> CommandResult<ImageInfo> {
    state.session.read_image(&reference, platform.as_deref()).await
}
