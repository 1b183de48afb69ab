use berth_core::job::JobId;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Cancel a running job; false when it already ended.
#[tauri::command]
pub async fn cancel_job(state: State<'_, AppState>, job: JobId) -> CommandResult<bool> {
    Ok(state.session.cancel_job(&job))
}
