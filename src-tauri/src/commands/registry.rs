//! The Registry page: one-line adapters over `berth_app::registry`.

use berth_core::model::FieldProblem;
use berth_core::registry::{
    CreationTemplate, CredentialSecret, PullThroughInput, PullThroughRule, PullThroughValidation, RegistryOverview,
    RegistryPolicyTemplate, ReplicationConfiguration, ReplicationStatus, ScanningConfiguration, ScanningView,
    StorageChange,
};
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn registry_overview(state: State<'_, AppState>) -> CommandResult<RegistryOverview> {
    state.session.registry_overview().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn check_replication(
    state: State<'_, AppState>,
    config: ReplicationConfiguration,
) -> CommandResult<Vec<FieldProblem>> {
    state.session.check_replication(&config).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_replication(
    state: State<'_, AppState>,
    config: ReplicationConfiguration,
) -> CommandResult<ReplicationConfiguration> {
    state.session.set_replication(&config).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn replication_words(
    state: State<'_, AppState>,
    config: ReplicationConfiguration,
) -> CommandResult<Vec<String>> {
    state.session.replication_words(&config).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn registry_policy_template(
    state: State<'_, AppState>,
    template: RegistryPolicyTemplate,
) -> CommandResult<String> {
    state.session.registry_policy_template(&template).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn replication_status(
    state: State<'_, AppState>,
    repository: String,
    reference: String,
) -> CommandResult<Vec<ReplicationStatus>> {
    state.session.replication_status(&repository, &reference).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn credential_secrets(state: State<'_, AppState>) -> CommandResult<Vec<CredentialSecret>> {
    state.session.credential_secrets().await
}

/// The typed token (if any) goes from the form to Secrets Manager; it is never logged
/// (`skip_all`, and `Secret` redacts itself) nor returned.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn add_pull_through_rule(
    state: State<'_, AppState>,
    input: PullThroughInput,
) -> CommandResult<PullThroughRule> {
    state.session.add_pull_through_rule(&input).await
}

/// A rule's credential or role changed; the typed token, as for adding, is never logged.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn update_pull_through_rule(
    state: State<'_, AppState>,
    input: PullThroughInput,
) -> CommandResult<PullThroughRule> {
    state.session.update_pull_through_rule(&input).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn validate_pull_through_rule(
    state: State<'_, AppState>,
    prefix: String,
) -> CommandResult<PullThroughValidation> {
    state.session.validate_pull_through_rule(&prefix).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn remove_pull_through_rule(state: State<'_, AppState>, prefix: String) -> CommandResult<()> {
    state.session.remove_pull_through_rule(&prefix).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn check_template(
    state: State<'_, AppState>,
    template: CreationTemplate,
) -> CommandResult<Vec<FieldProblem>> {
    Ok(state.session.check_template(&template))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn save_template(state: State<'_, AppState>, template: CreationTemplate) -> CommandResult<CreationTemplate> {
    state.session.save_template(&template).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn remove_template(state: State<'_, AppState>, prefix: String) -> CommandResult<()> {
    state.session.remove_template(&prefix).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn scanning(state: State<'_, AppState>) -> CommandResult<ScanningView> {
    state.session.scanning().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_scanning(state: State<'_, AppState>, config: ScanningConfiguration) -> CommandResult<ScanningView> {
    state.session.set_scanning(&config).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_registry_policy(state: State<'_, AppState>, text: String) -> CommandResult<()> {
    state.session.set_registry_policy(&text).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn clear_registry_policy(state: State<'_, AppState>) -> CommandResult<()> {
    state.session.clear_registry_policy().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_account_setting(state: State<'_, AppState>, name: String, value: String) -> CommandResult<()> {
    state.session.set_account_setting(&name, &value).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_image_storage(
    state: State<'_, AppState>,
    repository: String,
    images: Vec<String>,
    archive: bool,
) -> CommandResult<Vec<StorageChange>> {
    state.session.set_storage(&repository, &images, archive).await
}
