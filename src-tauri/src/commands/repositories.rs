use berth_core::model::Repository;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_repositories(state: State<'_, AppState>) -> CommandResult<Vec<Repository>> {
    state.aws().await?.list_repositories().await
}
