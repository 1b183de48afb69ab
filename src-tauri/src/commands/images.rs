use berth_core::image::{Comparison, DeleteReport, ImageRef};
use berth_core::job::{ImageListEvent, JobId};
use tauri::ipc::Channel;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Start listing a repository's images: answers the job id at once, then streams pages.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_images(
    state: State<'_, AppState>,
    repository: String,
    on_event: Channel<ImageListEvent>,
) -> CommandResult<JobId> {
    Ok(state.session.start_list_images(&repository, state.sink(on_event)).await?.id)
}

/// Manifest, configuration, history, layers, findings and snippets of one image.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn image_details(
    state: State<'_, AppState>,
    repository: String,
    reference: String,
    platform: Option<String>,
) -> CommandResult<berth_aws::inspect::ImageDetails> {
    state.session.image_details(&repository, &reference, platform.as_deref()).await
}

/// Compare two images: each `REPO:TAG`, `REPO@DIGEST`, or `local:NAME:TAG` (the local engine).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn compare_images(
    state: State<'_, AppState>,
    a: String,
    b: String,
    platform: Option<String>,
) -> CommandResult<Comparison> {
    state.session.compare(&a, &b, platform.as_deref()).await
}

/// Add a tag to an image without pulling it; answers the image's digest.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn add_tag(
    state: State<'_, AppState>,
    repository: String,
    source: String,
    new_tag: String,
) -> CommandResult<String> {
    state.session.add_tag(&repository, &source, &new_tag).await
}

/// Remove tags or delete images (100 a call); answers what was deleted and what failed.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn delete_images(
    state: State<'_, AppState>,
    repository: String,
    images: Vec<ImageRef>,
) -> CommandResult<DeleteReport> {
    state.session.delete_images(&repository, &images).await
}

/// Start a scan of an image; answers the scan status.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn start_scan(
    state: State<'_, AppState>,
    repository: String,
    digest: String,
) -> CommandResult<berth_core::model::ScanStatus> {
    state.session.start_scan(&repository, &digest).await
}
