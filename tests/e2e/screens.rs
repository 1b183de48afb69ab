//! The markers of the app's screens (data-testids of ui/src/lib/components), for `app.on(…)`:
//! each step of a scenario names the screen it expects, and waits for it before acting.

/// The main area with no repository chosen: the registry overview.
pub const OVERVIEW: &str = "[data-testid=registry-overview]";
/// The main area when the registry cannot be listed yet (no credentials, endpoint down).
pub const WELCOME: &str = "[data-testid=welcome]";
/// The sidebar's "could not list repositories" notice.
pub const REPO_ERROR: &str = "[data-testid=repo-error]";
pub const PROFILES: &str = "[data-testid=profiles-view]";
pub const PROFILE_FORM: &str = "[data-testid=profile-form]";
pub const LOCAL_IMAGE: &str = "[data-testid=local-image-view]";
pub const PUSH_DIALOG: &str = "[data-testid=push-dialog]";
pub const JOBS: &str = "[data-testid=jobs-tray]";
pub const FILE_DROP: &str = "[data-testid=file-drop]";
pub const DRAG_GHOST: &str = "[data-testid=drag-ghost]";
/// The repository page's tabs.
pub const IMAGES_TAB: &str = "[data-testid=images-status]";
pub const SETTINGS_TAB: &str = "[data-testid=repository-settings]";
pub const LIFECYCLE_TAB: &str = "[data-testid=lifecycle-studio]";
pub const LIFECYCLE_JSON: &str = "[data-testid=lifecycle-json]";
pub const LIFECYCLE_CONFIRM: &str = "[data-testid=lifecycle-confirm]";
pub const DELETE_REPOSITORY: &str = "[data-testid=delete-dialog]";
pub const DELETE_IMAGES: &str = "[data-testid=delete-images-dialog]";
pub const COMPARE: &str = "[data-testid=compare-view]";
pub const IMAGE_DETAILS: &str = "[data-testid=image-details]";
pub const REMOVE_TAG: &str = "[data-testid=remove-tag-confirm]";
/// The Registry page (⚙ in the sidebar header).
pub const REGISTRY: &str = "[data-testid=registry-page]";
/// The Registry page's confirmation of a destructive change.
pub const CONFIRM: &str = "[data-testid=registry-confirm]";
/// The wizard's outcome (created, or partly applied).
pub const CREATE_RESULT: &str = "[data-testid=create-result]";

/// The wizard's Next button (its footer, outside the step's section).
pub const NEXT: &str = "[data-testid=next]";
/// The address bar's field (in the header, on every screen).
pub const ADDRESS: &str = "[data-testid=address-input]";

/// A step of the repository wizard: name, settings, lifecycle, permissions, tags, review.
pub fn wizard(step: &str) -> String {
    format!("[data-testid=wizard-{step}]")
}

/// The page of repository `name`.
pub fn repo_page(name: &str) -> String {
    format!("[data-testid=repository-view][data-drop-repo='{name}']")
}

/// Repository `name` in the sidebar.
pub fn repo_item(name: &str) -> String {
    format!("[data-testid=repo-item][data-name='{name}']")
}

/// A row of the profiles view.
pub fn profile_row(id: &str) -> String {
    format!("[data-testid=profile-row][data-id='{id}']")
}

/// The drag handle of local image `reference` in the sidebar.
pub fn drag_handle(reference: &str) -> String {
    format!("[data-testid=drag-handle][data-ref='{reference}']")
}

/// The selection box of the images table's row for `digest`.
pub fn image_select(digest: &str) -> String {
    format!("[data-testid=image-row][data-digest='{digest}'] [data-testid=image-select]")
}

/// The panel of a Registry page tab: replication, pull-through, templates, scanning, policy, settings.
pub fn registry_panel(tab: &str) -> String {
    format!("[data-testid=registry-panel-{tab}]")
}

/// The copy dialog ("Copy to…", or a drop onto another registry's repository).
pub const COPY_DIALOG: &str = "[data-testid=copy-dialog]";

/// Wait until the tray's job whose line contains `line` says `copied sha256:` (other jobs'
/// lines may still be there); a failed one ends the wait with its text.
pub async fn copy_job_done(app: &berth_tests::App, line: &str) -> anyhow::Result<()> {
    let line = line.to_string();
    berth_tests::eventually(&format!("the copy to {line} to end"), std::time::Duration::from_secs(60), || {
        let line = line.clone();
        async move {
            for job in app.driver.find_all(thirtyfour::By::Css("[data-testid=job]")).await? {
                let text = job.prop("textContent").await?.unwrap_or_default();
                if text.contains(&line) && text.contains("copied sha256:") {
                    return Ok(Some(()));
                }
                anyhow::ensure!(!(text.contains(&line) && text.contains("failed")), "the copy failed: {text}");
            }
            Ok(None)
        }
    })
    .await
}

/// The digest `repository:tag` names in ECR (read through the ECR API), once it is listed.
pub async fn ecr_digest(aws: &berth_aws::Aws, repository: &str, tag: &str) -> anyhow::Result<String> {
    let (repository, tag) = (repository.to_string(), tag.to_string());
    berth_tests::eventually(
        &format!("{repository}:{tag} in {}", aws.region()),
        std::time::Duration::from_secs(20),
        || {
            let (aws, repository, tag) = (aws.clone(), repository.clone(), tag.clone());
            async move {
                let images = aws.list_images(&repository).await?;
                Ok(images.into_iter().find(|i| i.tags.contains(&tag)).map(|i| i.digest))
            }
        },
    )
    .await
}
