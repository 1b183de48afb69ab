use berth_app::push::PushInput;
use berth_core::job::JobId;
use berth_core::model::PushCheck;
use berth_core::push::PushEvent;
use tauri::ipc::Channel;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// What pushing `tags` to `repository` would do (exists? protected tags? tags that would move?).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn check_push_target(
    state: State<'_, AppState>,
    repository: String,
    tags: Vec<String>,
) -> CommandResult<PushCheck> {
    state.session.check_push_target(&repository, &tags).await
}

/// Start pushing a local image: answers the job id at once, then streams per-layer events.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn push_image(
    state: State<'_, AppState>,
    source: String,
    repository: String,
    tags: Vec<String>,
    on_event: Channel<PushEvent>,
) -> CommandResult<JobId> {
    Ok(state.session.start_push(PushInput { source, repository, tags }, state.sink(on_event)).await?.id)
}
