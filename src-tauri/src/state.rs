//! What the app holds between commands: the profile store, the active connection, the jobs.

use berth_aws::profiles::{ProfileStore, ResolvedProfile};
use berth_aws::{Aws, ConnectionSettings};
use berth_core::job::Jobs;
use berth_core::model::{Connection, ProfileInfo};
use berth_core::Result;
use tokio::sync::Mutex;

pub struct AppState {
    pub profiles: ProfileStore,
    active: Mutex<Active>,
    pub jobs: Jobs,
}

/// The active profile and region; the clients are built on first use.
#[derive(Default)]
struct Active {
    /// `None` until the remembered profile is read on first use.
    profile: Option<ResolvedProfile>,
    aws: Option<Aws>,
}

impl AppState {
    pub fn new(profiles: ProfileStore) -> AppState {
        AppState { profiles, active: Mutex::new(Active::default()), jobs: Jobs::new() }
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
            let outcome = engine.push(&request, &job.token, &send).await;
            send(match outcome {
                Ok(PushOutcome::Pushed(summary)) => PushEvent::Finished { summary },
                Ok(PushOutcome::Cancelled) => PushEvent::Cancelled,
                Err(error) => PushEvent::Failed { error },
            });
            drop(job);
        });
        Ok(id)
    }

    /// Forget the clients (a profile was edited); the next call reconnects.
    pub async fn reload(&self) {
        *self.active.lock().await = Active::default();
    }
}
