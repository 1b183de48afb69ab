use berth_core::model::{
    CreateReport, FieldProblem, KmsAlias, PolicyTemplate, Repository, RepositoryChange, RepositoryDetails,
    RepositoryReview, RepositorySpec, StepOutcome, UpdateReport,
};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_repositories(state: State<'_, AppState>) -> CommandResult<Vec<Repository>> {
    state.session.list_repositories().await
}

/// The wizard's review: every problem (local rules, and whether the name is free), the
/// repository policy in words, and the equivalent AWS CLI commands.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn review_repository(state: State<'_, AppState>, spec: RepositorySpec) -> CommandResult<RepositoryReview> {
    state.session.review_repository(&spec).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn create_repository(state: State<'_, AppState>, spec: RepositorySpec) -> CommandResult<CreateReport> {
    state.session.create_repository(&spec).await
}

/// Retry the policy steps of a creation that stopped half-way.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn retry_repository_policies(
    state: State<'_, AppState>,
    spec: RepositorySpec,
) -> CommandResult<Vec<StepOutcome>> {
    state.session.retry_repository_policies(&spec).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn repository_details(state: State<'_, AppState>, name: String) -> CommandResult<RepositoryDetails> {
    state.session.repository_details(&name).await
}

/// Apply a settings change, each setting on its own; answers what was applied and the result.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn update_repository(state: State<'_, AppState>, change: RepositoryChange) -> CommandResult<UpdateReport> {
    state.session.update_repository(&change).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn delete_repository(state: State<'_, AppState>, name: String, force: bool) -> CommandResult<()> {
    state.session.delete_repository(&name, force).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_kms_aliases(state: State<'_, AppState>) -> CommandResult<Vec<KmsAlias>> {
    state.session.kms_aliases().await
}

#[tauri::command]
pub async fn render_policy_template(state: State<'_, AppState>, template: PolicyTemplate) -> CommandResult<String> {
    Ok(state.session.render_policy_template(&template))
}

/// The form's problems as the user types (local rules only: no API call).
#[tauri::command]
pub async fn check_repository(state: State<'_, AppState>, spec: RepositorySpec) -> CommandResult<Vec<FieldProblem>> {
    Ok(state.session.check_repository(&spec))
}

/// A repository policy's statements in words ("Allow account 111122223333 to pull").
#[tauri::command]
pub async fn describe_repository_policy(state: State<'_, AppState>, text: String) -> CommandResult<Vec<String>> {
    Ok(state.session.describe_repository_policy(&text))
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(name = %name), err(Debug))]
pub async fn repository_stats(
    state: State<'_, AppState>,
    name: String,
) -> CommandResult<berth_core::model::RepositoryStats> {
    state.session.repository_stats(&name).await
}
