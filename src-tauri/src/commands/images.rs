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
            .stream_images(&repository, &job.token, |images, loaded| send(ImageListEvent::Page { images, loaded }))
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
