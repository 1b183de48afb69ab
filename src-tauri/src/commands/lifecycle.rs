use berth_core::lifecycle::{EcrPreview, SimImage, Simulation};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Validate a lifecycle policy and simulate it over `images` as of `at` (RFC 3339; default now).
#[tauri::command]
pub async fn simulate_lifecycle(
    state: State<'_, AppState>,
    policy: String,
    images: Vec<SimImage>,
    at: Option<String>,
) -> CommandResult<Simulation> {
    Ok(state.session.simulate_lifecycle(&policy, &images, at.as_deref()))
}

/// ECR's own preview of a policy, where the endpoint offers it.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn ecr_lifecycle_preview(
    state: State<'_, AppState>,
    repository: String,
    policy: String,
) -> CommandResult<EcrPreview> {
    state.session.ecr_lifecycle_preview(&repository, &policy).await
}
