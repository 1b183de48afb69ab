use berth_core::model::Connection;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn get_connection(state: State<'_, AppState>) -> CommandResult<Connection> {
    state.connection().await
}
