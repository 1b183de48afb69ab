use berth_core::model::LocalImage;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_local_images(_state: State<'_, AppState>) -> CommandResult<Vec<LocalImage>> {
    berth_docker::Engine::connect(None).await?.list_images(false).await
}
