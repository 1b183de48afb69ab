use berth_core::job::JobId;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Cancel a running job; `false` when it had already finished.
#[tauri::command]
pub async fn cancel_job(state: State<'_, AppState>, job: JobId) -> CommandResult<bool> {
    Ok(state.jobs.cancel(&job))
}
