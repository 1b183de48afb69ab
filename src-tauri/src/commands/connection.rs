use berth_core::model::Connection;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn get_connection(state: State<'_, AppState>) -> CommandResult<Connection> {
    state.session.connection().await
}
