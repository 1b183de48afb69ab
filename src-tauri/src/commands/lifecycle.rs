use berth_core::lifecycle::{EcrPreview, SimImage, Simulation};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Validate a lifecycle policy and simulate it over `images` as of `at` (RFC 3339; default now).
#[tauri::command]
pub async fn simulate_lifecycle(
    _state: State<'_, AppState>,
    policy: String,
    images: Vec<SimImage>,
    at: Option<String>,
) -> CommandResult<Simulation> {
    Ok(berth_core::lifecycle::simulate_text(&policy, &images, at.as_deref()))
}

/// ECR's own preview of a policy, where the endpoint offers it.
#[tauri::command]
pub async fn ecr_lifecycle_preview(
    state: State<'_, AppState>,
    repository: String,
    policy: String,
) -> CommandResult<EcrPreview> {
    state.aws().await?.ecr_lifecycle_preview(&repository, &policy).await
}
