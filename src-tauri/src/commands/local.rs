use berth_core::model::LocalImage;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_local_images(_state: State<'_, AppState>) -> CommandResult<Vec<LocalImage>> {
    berth_docker::Engine::connect(None).await?.list_images(false).await
}

/// Load a dropped image archive (`docker save` tarball, OCI layout) into the engine: answers the
/// job id at once, then streams progress and the names of the images loaded.
#[tauri::command]
pub async fn load_archive(
    state: State<'_, AppState>,
    path: String,
    on_event: tauri::ipc::Channel<berth_core::job::LoadEvent>,
) -> CommandResult<berth_core::job::JobId> {
    state.start_load(path, on_event).await
}
