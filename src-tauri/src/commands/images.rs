use berth_aws::Listing;
use berth_core::job::{ImageListEvent, JobId};
use tauri::ipc::Channel;
use tauri::State;

use super::CommandResult;
use crate::state::AppState;

/// Start listing a repository's images: answers the job id at once, then streams pages.
#[tauri::command]
pub async fn list_images(
    state: State<'_, AppState>,
    repository: String,
    on_event: Channel<ImageListEvent>,
) -> CommandResult<JobId> {
    berth_core::validate::repository_name(&repository)?;
    let aws = state.aws().await?;
    let job = state.jobs.start("images");
    let id = job.id.clone();
    tauri::async_runtime::spawn(async move {
        let send = |e: ImageListEvent| {
            if let Err(err) = on_event.send(e) {
                tracing::debug!("the webview stopped listening to {}: {err}", job.id.0);
            }
        };
        send(ImageListEvent::Started { job: job.id.clone() });
        let outcome = aws
            .stream_images(&repository, &job.token, |images, loaded, children| {
                send(ImageListEvent::Page { images, loaded });
                if !children.is_empty() {
                    send(ImageListEvent::IndexChildren { digests: children });
                }
            })
            .await;
        send(match outcome {
            Ok(Listing::Complete { total }) => ImageListEvent::Finished { total },
            Ok(Listing::Cancelled { loaded }) => ImageListEvent::Cancelled { loaded },
            Err(error) => ImageListEvent::Failed { error },
        });
        drop(job);
    });
    Ok(id)
}

/// Manifest, configuration, history, layers, findings and snippets of one image.
#[tauri::command]
pub async fn image_details(
    state: State<'_, AppState>,
    repository: String,
    reference: String,
    platform: Option<String>,
) -> CommandResult<berth_aws::inspect::ImageDetails> {
    state.aws().await?.image_details(&repository, &reference, platform.as_deref()).await
}

/// Compare two images: each `REPO:TAG`, `REPO@DIGEST`, or `local:NAME:TAG` (the local engine).
#[tauri::command]
pub async fn compare_images(
    state: State<'_, AppState>,
    a: String,
    b: String,
    platform: Option<String>,
) -> CommandResult<berth_core::image::Comparison> {
    state.compare(&a, &b, platform.as_deref()).await
}

/// Add a tag to an image without pulling it; answers the image's digest.
#[tauri::command]
pub async fn add_tag(
    state: State<'_, AppState>,
    repository: String,
    source: String,
    new_tag: String,
) -> CommandResult<String> {
    state.aws().await?.add_tag(&repository, &source, &new_tag).await
}

/// Remove tags or delete images (100 a call); answers what was deleted and what failed.
#[tauri::command]
pub async fn delete_images(
    state: State<'_, AppState>,
    repository: String,
    images: Vec<berth_core::image::ImageRef>,
) -> CommandResult<berth_core::image::DeleteReport> {
    state.aws().await?.delete_images(&repository, &images).await
}

/// Start a scan of an image; answers the scan status.
#[tauri::command]
pub async fn start_scan(state: State<'_, AppState>, repository: String, digest: String) -> CommandResult<String> {
    state.aws().await?.start_scan(&repository, &digest).await
}
