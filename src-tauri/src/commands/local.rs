use berth_core::job::{JobId, LoadEvent};
use berth_core::model::LocalImage;
use tauri::ipc::Channel;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_local_images(state: State<'_, AppState>) -> CommandResult<Vec<LocalImage>> {
    state.session.local_images(false).await
}

/// Load a dropped image archive (`docker save` tarball, OCI layout) into the engine: answers the
/// job id at once, then streams progress and the names of the images loaded.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn load_archive(
    state: State<'_, AppState>,
    path: String,
    on_event: Channel<LoadEvent>,
) -> CommandResult<JobId> {
    Ok(state.session.start_load(&path, state.sink(on_event)).await?.id)
}
