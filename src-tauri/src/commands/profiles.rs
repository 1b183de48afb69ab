use berth_core::model::{
    AppProfileInput, Connection, ConnectionTest, FieldProblem, ProfileInfo, ProfileList, RegionInfo,
};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> CommandResult<ProfileList> {
    Ok(state.profiles.list().await)
}

#[tauri::command]
pub async fn select_profile(state: State<'_, AppState>, id: String) -> CommandResult<Connection> {
    state.select_profile(&id).await
}

#[tauri::command]
pub async fn set_region(state: State<'_, AppState>, region: String) -> CommandResult<Connection> {
    state.set_region(&region).await
}

#[tauri::command]
pub async fn list_regions(_state: State<'_, AppState>) -> CommandResult<Vec<RegionInfo>> {
    Ok(berth_aws::regions::all().to_vec())
}

/// The form's problems, field by field, as the user types.
#[tauri::command]
pub async fn check_profile(state: State<'_, AppState>, profile: AppProfileInput) -> CommandResult<Vec<FieldProblem>> {
    Ok(state.profiles.check(&profile))
}

#[tauri::command]
pub async fn save_profile(state: State<'_, AppState>, profile: AppProfileInput) -> CommandResult<ProfileInfo> {
    let saved = state.profiles.save(profile).await?;
    state.reload().await;
    Ok(saved)
}

#[tauri::command]
pub async fn remove_profile(state: State<'_, AppState>, name: String) -> CommandResult<()> {
    state.profiles.remove(&name).await?;
    state.reload().await;
    Ok(())
}

/// STS GetCallerIdentity and ECR DescribeRegistry with the profile `id` (not necessarily active).
#[tauri::command]
pub async fn test_connection(
    state: State<'_, AppState>,
    id: String,
    mfa_code: Option<String>,
) -> CommandResult<ConnectionTest> {
    state.test_connection(&id, mfa_code).await
}

#[tauri::command]
pub async fn provide_mfa_code(state: State<'_, AppState>, code: String) -> CommandResult<Connection> {
    state.provide_mfa_code(&code).await
}
