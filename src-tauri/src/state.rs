//! What the app holds between commands: the profile store, the active connection, the jobs.

use berth_aws::profiles::{ProfileStore, ResolvedProfile};
use berth_aws::{Aws, ConnectionSettings};
use berth_core::job::Jobs;
use berth_core::model::{Connection, ProfileInfo};
use berth_core::{ErrorCode, Result};
use std::sync::OnceLock;
use tauri::Manager;
use tauri_plugin_notification::NotificationExt;
use tokio::sync::Mutex;

pub struct AppState {
    pub profiles: ProfileStore,
    active: Mutex<Active>,
    pub jobs: Jobs,
    /// The running app, for OS notifications (set once the app is built).
    app: OnceLock<tauri::AppHandle>,
}

/// How long ECR may take to list a tag the engine just pushed.
const CONFIRM_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The active profile and region; the clients are built on first use.
#[derive(Default)]
struct Active {
    /// `None` until the remembered profile is read on first use.
    profile: Option<ResolvedProfile>,
    aws: Option<Aws>,
}

impl AppState {
    pub fn new(profiles: ProfileStore) -> AppState {
        AppState { profiles, active: Mutex::new(Active::default()), jobs: Jobs::new(), app: OnceLock::new() }
    }

    pub fn attach(&self, app: tauri::AppHandle) {
        let _ = self.app.set(app);
    }

    /// An OS notification at the end of a long job, when the window is not in front (the tray
    /// shows it otherwise). `BERTH_NOTIFY=always|never` overrides.
    fn notify(&self, title: &str, body: &str) {
        let Some(app) = self.app.get() else { return };
        let setting = std::env::var("BERTH_NOTIFY").unwrap_or_default();
        let focused = app.get_webview_window("main").and_then(|w| w.is_focused().ok()).unwrap_or(false);
        let show = match setting.as_str() {
            "always" => true,
            "never" => false,
            _ => !focused,
        };
        if show {
            if let Err(e) = app.notification().builder().title(title).body(body).show() {
                tracing::debug!("no OS notification ({e})");
            }
        }
    }

    async fn load(&self, active: &mut Active) -> Result<()> {
        if active.profile.is_none() {
            let id = self.profiles.active().await;
            active.profile = Some(self.profiles.resolve(&id).await?);
        }
        Ok(())
    }

    /// The AWS clients of the active profile and region.
    pub async fn aws(&self) -> Result<Aws> {
        let mut active = self.active.lock().await;
        if let Some(aws) = &active.aws {
            return Ok(aws.clone());
        }
        self.load(&mut active).await?;
        let settings = active.profile.as_ref().map(|p| p.settings.clone()).unwrap_or_default();
        let aws = Aws::connect(settings).await?;
        active.aws = Some(aws.clone());
        Ok(aws)
    }

    pub async fn connection(&self) -> Result<Connection> {
        let aws = self.aws().await?;
        let profile = self.active_profile().await?;
        Ok(Connection { profile, region: aws.region().to_string() })
    }

    async fn active_profile(&self) -> Result<ProfileInfo> {
        let mut active = self.active.lock().await;
        self.load(&mut active).await?;
        Ok(active.profile.as_ref().map(|p| p.info.clone()).unwrap_or_else(berth_aws::profiles::env_profile))
    }

    /// Switch profile (remembered across restarts).
    pub async fn select_profile(&self, id: &str) -> Result<Connection> {
        let resolved = self.profiles.resolve(id).await?;
        let aws = Aws::connect(resolved.settings.clone()).await?;
        self.profiles.remember(id, None)?;
        let connection = Connection { profile: resolved.info.clone(), region: aws.region().to_string() };
        *self.active.lock().await = Active { profile: Some(resolved), aws: Some(aws) };
        Ok(connection)
    }

    /// Switch region for the active profile (remembered for that profile).
    pub async fn set_region(&self, region: &str) -> Result<Connection> {
        berth_core::validate::region(region)?;
        let connection = self.reconnect(|s| s.region = Some(region.to_string()), true).await?;
        self.profiles.remember(&connection.profile.id, Some(region))?;
        Ok(connection)
    }

    /// Give the active profile's role its MFA code, and connect. The code is used once: it
    /// does not become part of the profile's settings.
    pub async fn provide_mfa_code(&self, code: &str) -> Result<Connection> {
        self.reconnect(|s| s.mfa_code = Some(code.to_string()), false).await
    }

    /// Connect the active profile with changed settings, which replace its own when `keep`.
    async fn reconnect(&self, change: impl FnOnce(&mut ConnectionSettings), keep: bool) -> Result<Connection> {
        let mut active = self.active.lock().await;
        self.load(&mut active).await?;
        let Some(profile) = active.profile.as_mut() else {
            return Err(berth_core::BerthError::internal("no active profile"));
        };
        let mut settings = profile.settings.clone();
        change(&mut settings);
        let aws = Aws::connect(settings.clone()).await?;
        if keep {
            profile.settings = settings;
        }
        let connection = Connection { profile: profile.info.clone(), region: aws.region().to_string() };
        active.aws = Some(aws);
        Ok(connection)
    }

    /// Test the profile `id` with the region it would use now.
    pub async fn test_connection(
        &self,
        id: &str,
        mfa_code: Option<String>,
    ) -> Result<berth_core::model::ConnectionTest> {
        let mut settings = self.profiles.resolve(id).await?.settings;
        settings.mfa_code = mfa_code;
        Aws::connect(settings).await?.test_connection().await
    }

    /// Push a local image as a job: the registry token from the active connection, the
    /// engine's push stream forwarded as typed events, cancellable through the job id.
    pub async fn start_push(
        &self,
        source: String,
        repository: String,
        tags: Vec<String>,
        channel: tauri::ipc::Channel<berth_core::push::PushEvent>,
    ) -> Result<berth_core::job::JobId> {
        use berth_core::push::PushEvent;
        use berth_docker::{Engine, PushOutcome, PushRequest};
        for tag in &tags {
            berth_core::validate::tag(tag)?;
        }
        berth_core::validate::repository_name(&repository)?;
        let aws = self.aws().await?;
        let token = aws.registry_token().await?;
        let engine = Engine::connect(None).await?;
        let job = self.jobs.start("push");
        let id = job.id.clone();
        let request = PushRequest {
            source: source.clone(),
            registry: token.server.clone(),
            repository: repository.clone(),
            tags,
            username: token.username,
            password: token.password,
        };
        let notifier = self.app.get().cloned();
        tauri::async_runtime::spawn(async move {
            let send = |e: PushEvent| {
                if let Err(err) = channel.send(e) {
                    tracing::debug!("the webview stopped listening to {}: {err}", job.id.0);
                }
            };
            send(PushEvent::Started {
                job: job.id.clone(),
                source: request.source.clone(),
                target: format!("{}/{}", request.registry, request.repository),
            });
            let outcome = match engine.push(&request, &job.token, &send).await {
                // The engine says pushed; ECR must list the tag with that digest (a repository
                // deleted meanwhile is caught here when the registry did not refuse the push).
                Ok(PushOutcome::Pushed(summary)) => aws
                    .confirm_pushed(&request.repository, &request.tags[0], &summary.digest, CONFIRM_WAIT)
                    .await
                    .map(|()| PushOutcome::Pushed(summary)),
                other => other,
            };
            let target = format!("{}:{}", request.repository, request.tags.join(", "));
            let (event, note) = match outcome {
                Ok(PushOutcome::Pushed(summary)) => {
                    let note = (format!("Pushed {target}"), format!("{} · {:.1} s", summary.digest, summary.seconds));
                    (PushEvent::Finished { summary }, Some(note))
                }
                Ok(PushOutcome::Cancelled) => (PushEvent::Cancelled, None),
                Err(error) => {
                    // A refused or expired token: the next attempt (Retry) fetches a new one.
                    if matches!(error.code, ErrorCode::AccessDenied | ErrorCode::CredentialsExpired) {
                        aws.forget_registry_token().await;
                    }
                    let note = (format!("Push of {target} failed"), error.message.clone());
                    (PushEvent::Failed { error }, Some(note))
                }
            };
            send(event);
            if let (Some(app), Some((title, body))) = (notifier, note) {
                app.state::<AppState>().notify(&title, &body);
            }
            drop(job);
        });
        Ok(id)
    }

    /// Load an image archive (`docker save`, OCI layout) into the engine as a job.
    pub async fn start_load(
        &self,
        path: String,
        channel: tauri::ipc::Channel<berth_core::job::LoadEvent>,
    ) -> Result<berth_core::job::JobId> {
        use berth_core::job::LoadEvent;
        use berth_docker::{Engine, LoadOutcome};
        let file = std::path::PathBuf::from(&path);
        let size = std::fs::metadata(&file)
            .map_err(|e| berth_core::BerthError::invalid(format!("Cannot read {path}: {e}.")))?
            .len();
        let engine = Engine::connect(None).await?;
        let job = self.jobs.start("load");
        let id = job.id.clone();
        let notifier = self.app.get().cloned();
        tauri::async_runtime::spawn(async move {
            let send = |e: LoadEvent| {
                if let Err(err) = channel.send(e) {
                    tracing::debug!("the webview stopped listening to {}: {err}", job.id.0);
                }
            };
            send(LoadEvent::Started { job: job.id.clone(), file: path.clone(), bytes_total: size });
            let outcome = engine
                .load_archive(&file, &job.token, |bytes_done, bytes_total| {
                    send(LoadEvent::Progress { bytes_done, bytes_total })
                })
                .await;
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or(path);
            let (event, note) = match outcome {
                Ok(LoadOutcome::Loaded(images)) => {
                    let note = (format!("Loaded {name}"), images.join(", "));
                    (LoadEvent::Finished { images }, Some(note))
                }
                Ok(LoadOutcome::Cancelled) => (LoadEvent::Cancelled, None),
                Err(error) => {
                    let note = (format!("Could not load {name}"), error.message.clone());
                    (LoadEvent::Failed { error }, Some(note))
                }
            };
            send(event);
            if let (Some(app), Some((title, body))) = (notifier, note) {
                app.state::<AppState>().notify(&title, &body);
            }
            drop(job);
        });
        Ok(id)
    }

    /// Compare two images of the registry (`REPO:TAG`, `REPO@DIGEST`) or the engine (`local:NAME:TAG`).
    pub async fn compare(&self, a: &str, b: &str, platform: Option<&str>) -> Result<berth_core::image::Comparison> {
        if !a.starts_with("local:") && !b.starts_with("local:") {
            return self.aws().await?.compare(a, b, platform).await;
        }
        let (ia, ib) = tokio::try_join!(self.read_image(a, platform), self.read_image(b, platform))?;
        berth_aws::inspect::compare_read(&ia, &ib)
    }

    async fn read_image(&self, reference: &str, platform: Option<&str>) -> Result<berth_core::image::ImageInfo> {
        if let Some(local) = reference.strip_prefix("local:") {
            return berth_docker::Engine::connect(None).await?.image_info(local).await;
        }
        let (repository, tag) = berth_aws::inspect::split_reference(reference)?;
        self.aws().await?.image(&repository, &tag, platform).await
    }

    /// Forget the clients (a profile was edited); the next call reconnects.
    pub async fn reload(&self) {
        *self.active.lock().await = Active::default();
    }
}
