use berth_core::model::{
    CreateReport, FieldProblem, KmsAlias, PolicyTemplate, Repository, RepositoryChange, RepositoryDetails,
    RepositoryReview, RepositorySpec, StepOutcome,
};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_repositories(state: State<'_, AppState>) -> CommandResult<Vec<Repository>> {
    state.aws().await?.list_repositories().await
}

/// The wizard's review: every problem (local rules, and whether the name is free), the
/// repository policy in words, and the equivalent AWS CLI commands.
#[tauri::command]
pub async fn review_repository(state: State<'_, AppState>, spec: RepositorySpec) -> CommandResult<RepositoryReview> {
    state.aws().await?.review_repository(&spec).await
}

#[tauri::command]
pub async fn create_repository(state: State<'_, AppState>, spec: RepositorySpec) -> CommandResult<CreateReport> {
    state.aws().await?.create_repository(&spec).await
}

/// Retry the policy steps of a creation that stopped half-way.
#[tauri::command]
pub async fn retry_repository_policies(
    state: State<'_, AppState>,
    spec: RepositorySpec,
) -> CommandResult<Vec<StepOutcome>> {
    Ok(state.aws().await?.apply_policies(&spec).await)
}

#[tauri::command]
pub async fn repository_details(state: State<'_, AppState>, name: String) -> CommandResult<RepositoryDetails> {
    state.aws().await?.repository_details(&name).await
}

#[tauri::command]
pub async fn update_repository(
    state: State<'_, AppState>,
    change: RepositoryChange,
) -> CommandResult<RepositoryDetails> {
    state.aws().await?.update_repository(&change).await
}

#[tauri::command]
pub async fn delete_repository(state: State<'_, AppState>, name: String, force: bool) -> CommandResult<()> {
    state.aws().await?.delete_repository(&name, force).await
}

#[tauri::command]
pub async fn list_kms_aliases(state: State<'_, AppState>) -> CommandResult<Vec<KmsAlias>> {
    state.aws().await?.kms_aliases().await
}

#[tauri::command]
pub async fn render_policy_template(_state: State<'_, AppState>, template: PolicyTemplate) -> CommandResult<String> {
    Ok(berth_core::policy::render(&template))
}

/// The form's problems as the user types (local rules only: no API call).
#[tauri::command]
pub async fn check_repository(_state: State<'_, AppState>, spec: RepositorySpec) -> CommandResult<Vec<FieldProblem>> {
    Ok(berth_core::policy::check_spec(&spec))
}

/// A repository policy's statements in words ("Allow account 111122223333 to pull").
#[tauri::command]
pub async fn describe_repository_policy(_state: State<'_, AppState>, text: String) -> CommandResult<Vec<String>> {
    Ok(berth_core::policy::describe_policy(&text))
}
