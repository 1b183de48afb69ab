use berth_core::copy::{
    CopyCheck, CopyRequest, PinnedRegistry, PublicCatalog, PublicRegistry, PublicRepository, Registries,
    RegistryTarget, TargetRepositories,
};
use berth_core::job::JobId;
use berth_core::push::PushEvent;
use berth_core::Secret;
use tauri::ipc::Channel;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// What copying `source` to `destination` would do (tags refused, moving, already there).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn check_copy(state: State<'_, AppState>, request: CopyRequest) -> CommandResult<CopyCheck> {
    state.session.check_copy(request).await
}

/// Start copying registry to registry: answers the job id, then streams per-blob events.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn copy_image(
    state: State<'_, AppState>,
    request: CopyRequest,
    on_event: Channel<PushEvent>,
) -> CommandResult<JobId> {
    Ok(state.session.copy_image(request, state.sink(on_event)).await?.id)
}

/// The registries of the sidebar besides the active one.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_registries(state: State<'_, AppState>) -> CommandResult<Registries> {
    state.session.registries()
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn pin_registry(
    state: State<'_, AppState>,
    pin: PinnedRegistry,
    pinned: bool,
) -> CommandResult<Vec<PinnedRegistry>> {
    state.session.pin_registry(pin, pinned).await
}

/// Hold credentials for a registry that is not ECR (checked first; the password goes to the
/// keychain only and never comes back).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn add_registry(
    state: State<'_, AppState>,
    host: String,
    username: String,
    password: Secret,
) -> CommandResult<berth_core::copy::HeldRegistry> {
    state.session.add_registry(&host, &username, password).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn remove_registry(state: State<'_, AppState>, host: String) -> CommandResult<()> {
    state.session.remove_registry(&host).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn target_repositories(
    state: State<'_, AppState>,
    target: RegistryTarget,
) -> CommandResult<TargetRepositories> {
    state.session.target_repositories(target).await
}

/// Create a repository with ECR's defaults in a pinned registry.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn create_repository_in(
    state: State<'_, AppState>,
    profile: String,
    region: String,
    name: String,
) -> CommandResult<()> {
    state.session.create_repository_in(&profile, &region, &name).await
}

/// The account's ECR Public registry: its alias and repositories with their catalog data.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn public_registry(state: State<'_, AppState>) -> CommandResult<PublicRegistry> {
    state.session.public_registry().await
}

/// Create a public repository with its catalog data.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn create_public_repository(
    state: State<'_, AppState>,
    name: String,
    catalog: PublicCatalog,
) -> CommandResult<PublicRepository> {
    Ok(state.session.create_public_repository(&name, &catalog).await?.0)
}
