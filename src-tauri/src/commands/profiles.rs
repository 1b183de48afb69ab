use berth_core::model::{
    AppProfileInput, Connection, ConnectionTest, FieldProblem, ProfileInfo, ProfileList, RegionInfo,
};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> CommandResult<ProfileList> {
    Ok(state.session.list_profiles().await)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn select_profile(state: State<'_, AppState>, id: String) -> CommandResult<Connection> {
    state.session.select_profile(&id).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_region(state: State<'_, AppState>, region: String) -> CommandResult<Connection> {
    state.session.set_region(&region).await
}

#[tauri::command]
pub async fn list_regions(state: State<'_, AppState>) -> CommandResult<Vec<RegionInfo>> {
    Ok(state.session.regions())
}

/// The form's problems, field by field, as the user types.
#[tauri::command]
pub async fn check_profile(state: State<'_, AppState>, profile: AppProfileInput) -> CommandResult<Vec<FieldProblem>> {
    Ok(state.session.check_profile(&profile))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn save_profile(state: State<'_, AppState>, profile: AppProfileInput) -> CommandResult<ProfileInfo> {
    state.session.save_profile(profile).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn remove_profile(state: State<'_, AppState>, name: String) -> CommandResult<()> {
    state.session.remove_profile(&name).await
}

/// STS GetCallerIdentity and ECR DescribeRegistry with the profile `id` (not necessarily active).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn test_connection(
    state: State<'_, AppState>,
    id: String,
    mfa_code: Option<String>,
) -> CommandResult<ConnectionTest> {
    state.session.test_connection(Some(&id), mfa_code).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn provide_mfa_code(state: State<'_, AppState>, code: String) -> CommandResult<Connection> {
    state.session.provide_mfa_code(&code).await
}
