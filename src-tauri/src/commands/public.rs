use berth_app::push::PushInput;
use berth_core::copy::PublicCatalog;
use berth_core::image::{DeleteReport, ImageRef};
use berth_core::job::JobId;
use berth_core::model::PushCheck;
use berth_core::public::{PublicRepositoryView, PublicReview};
use berth_core::push::PushEvent;
use tauri::ipc::Channel;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// A public repository's catalog data and images.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn public_repository(state: State<'_, AppState>, name: String) -> CommandResult<PublicRepositoryView> {
    state.session.public_repository_view(&name).await
}

/// What pushing `tags` to the public repository would do (exists? tags that would move?).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn check_public_push_target(
    state: State<'_, AppState>,
    repository: String,
    tags: Vec<String>,
) -> CommandResult<PushCheck> {
    state.session.check_public_push_target(&repository, &tags).await
}

/// Start pushing a local image to a public repository: the job id at once, then its events.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn push_public_image(
    state: State<'_, AppState>,
    source: String,
    repository: String,
    tags: Vec<String>,
    on_event: Channel<PushEvent>,
) -> CommandResult<JobId> {
    Ok(state.session.start_public_push(PushInput { source, repository, tags }, state.sink(on_event)).await?.id)
}

/// Delete a public repository (with `force`, its images too).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn delete_public_repository(state: State<'_, AppState>, name: String, force: bool) -> CommandResult<()> {
    state.session.delete_public_repository(&name, force).await
}

/// Delete images of a public repository.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn delete_public_images(
    state: State<'_, AppState>,
    repository: String,
    images: Vec<ImageRef>,
) -> CommandResult<DeleteReport> {
    state.session.delete_public_images(&repository, &images).await
}

/// The wizard's review of a public repository: the AWS CLI equivalent and what ECR Public would refuse.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn review_public_repository(
    state: State<'_, AppState>,
    name: String,
    catalog: PublicCatalog,
) -> CommandResult<PublicReview> {
    state.session.review_public_repository(&name, &catalog).await
}
