//! The session: which profile and region are active, and the clients built for them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use berth_aws::profiles::{ProfileStore, ResolvedProfile};
use berth_aws::{Aws, ConnectionSettings};
use berth_core::job::Jobs;
use berth_core::model::{Connection, ConnectionTest, ProfileInfo, Repository};
use berth_core::{BerthError, Result};
use berth_docker::Engine;
use tokio::sync::Mutex;

/// Which profile a session starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileChoice {
    /// The one remembered as active (the app: what the user last chose).
    Remembered,
    /// A profile by name or id (`env`, `aws:NAME`, `app:NAME`, or a bare name: Berth's own
    /// profile of that name, else the shared config's); `None`: the default chain.
    Named(Option<String>),
}

/// Settings given for this session only (the CLI's flags, which name them in messages),
/// over the profile's own.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub region: Option<String>,
    pub ecr_endpoint: Option<String>,
    pub registry_endpoint: Option<String>,
    /// The engine's address (default: DOCKER_HOST, then the usual sockets).
    pub engine: Option<String>,
}

#[derive(Default)]
struct Active {
    /// `None` until the profile is resolved on first use.
    profile: Option<ResolvedProfile>,
    aws: Option<Aws>,
    /// The repositories asked for by [`Session::warm_up`], for the first listing to take.
    /// Dropped with the clients it was asked with (the listing itself runs to its end, its
    /// answer unread): a switch of profile or region never shows another connection's list.
    prefetched: Option<Prefetch>,
}

/// A listing of repositories started before anyone asked for it: its answer comes through
/// `answer` when [`Session::warm_up`] has it.
struct Prefetch {
    at: Instant,
    answer: tokio::sync::oneshot::Receiver<Result<Vec<Repository>>>,
}

/// How long a prefetched listing stays good for the first listing: past it, the list is asked
/// for again (a window that took this long to ask gets today's list, not the start's).
const PREFETCH_FRESH: Duration = Duration::from_secs(10);

/// The active profile and region with their clients, and the jobs running for them.
pub struct Session {
    profiles: ProfileStore,
    choice: ProfileChoice,
    overrides: Overrides,
    active: Mutex<Active>,
    engine: Mutex<Option<Engine>>,
    pub jobs: Jobs,
}

impl Session {
    pub fn new(profiles: ProfileStore, choice: ProfileChoice, overrides: Overrides) -> Arc<Session> {
        Arc::new(Session {
            profiles,
            choice,
            overrides,
            active: Mutex::new(Active::default()),
            engine: Mutex::new(None),
            jobs: Jobs::new(),
        })
    }

    pub fn profiles(&self) -> &ProfileStore {
        &self.profiles
    }

    /// The profile id a name stands for: an id as is, else a Berth profile, else a shared one.
    pub async fn profile_id(&self, name: Option<&str>) -> String {
        use berth_aws::profiles::ENV_PROFILE;
        let Some(name) = name else {
            return ENV_PROFILE.to_string();
        };
        if name == ENV_PROFILE || name.starts_with("aws:") || name.starts_with("app:") {
            return name.to_string();
        }
        let app = format!("app:{name}");
        if self.profiles.list().await.profiles.iter().any(|p| p.id == app) {
            app
        } else {
            format!("aws:{name}")
        }
    }

    /// The profile `id` resolved, with this session's overrides applied.
    pub(crate) async fn resolve(&self, id: &str) -> Result<ResolvedProfile> {
        let mut resolved = self.profiles.resolve(id).await?;
        self.apply_overrides(&mut resolved.settings);
        Ok(resolved)
    }

    fn apply_overrides(&self, settings: &mut ConnectionSettings) {
        let o = &self.overrides;
        if o.region.is_some() {
            settings.region = o.region.clone();
        }
        if let Some(endpoint) = &o.ecr_endpoint {
            settings.set_ecr_endpoint(endpoint, "--endpoint-url");
        }
        if let Some(endpoint) = &o.registry_endpoint {
            settings.set_registry_endpoint(endpoint, "--registry-endpoint (or BERTH_REGISTRY_ENDPOINT)");
        }
    }

    async fn load(&self, active: &mut Active) -> Result<()> {
        if active.profile.is_none() {
            let id = match &self.choice {
                ProfileChoice::Remembered => self.profiles.active().await,
                ProfileChoice::Named(name) => self.profile_id(name.as_deref()).await,
            };
            active.profile = Some(self.resolve(&id).await?);
        }
        Ok(())
    }

    /// The AWS clients of the active profile and region (built on first use, then reused:
    /// the registry token they cache lives as long as they do).
    pub async fn aws(&self) -> Result<Aws> {
        let mut active = self.active.lock().await;
        self.connected(&mut active).await
    }

    async fn connected(&self, active: &mut Active) -> Result<Aws> {
        if let Some(aws) = &active.aws {
            return Ok(aws.clone());
        }
        self.load(active).await?;
        let settings = active.profile.as_ref().map(|p| p.settings.clone()).unwrap_or_default();
        let aws = Aws::connect(settings).await?;
        active.aws = Some(aws.clone());
        Ok(aws)
    }

    /// Get ready for the first screen while the window is still starting: resolve the active
    /// profile, build its clients and list its repositories, for the first
    /// [`Session::list_repositories`] to take (it waits for this listing rather than asking
    /// again). Returns once the listing is done. Whatever fails here is left for that call to
    /// meet again and report; nothing is shown from here.
    pub async fn warm_up(&self) {
        let (aws, answer) = {
            let mut active = self.active.lock().await;
            if active.aws.is_some() {
                return;
            }
            match self.connected(&mut active).await {
                Ok(aws) => {
                    let (answer, receiver) = tokio::sync::oneshot::channel();
                    active.prefetched = Some(Prefetch { at: Instant::now(), answer: receiver });
                    (aws, answer)
                }
                Err(e) => {
                    tracing::debug!("start-up: no connection yet ({:?})", e.code);
                    return;
                }
            }
        };
        // Nobody waits any more when the profile or region changed meanwhile.
        let _ = answer.send(aws.list_repositories().await);
    }

    /// The listing [`Session::warm_up`] started, if it is still fresh and succeeded (taken:
    /// only the first listing gets it).
    pub(crate) async fn prefetched_repositories(&self) -> Option<Vec<Repository>> {
        let prefetch = self.active.lock().await.prefetched.take()?;
        if prefetch.at.elapsed() > PREFETCH_FRESH {
            return None;
        }
        match prefetch.answer.await {
            Ok(Ok(list)) => Some(list),
            Ok(Err(e)) => {
                tracing::debug!("start-up listing failed ({:?}): asked again", e.code);
                None
            }
            Err(_) => None,
        }
    }

    /// The local engine, connected on first use and reused; a failed connection is not kept,
    /// so the next call tries again (the user may have started Docker meanwhile).
    pub async fn engine(&self) -> Result<Engine> {
        let mut engine = self.engine.lock().await;
        if let Some(e) = engine.as_ref() {
            return Ok(e.clone());
        }
        let connected = Engine::connect(self.overrides.engine.as_deref()).await?;
        *engine = Some(connected.clone());
        Ok(connected)
    }

    /// Forget the engine connection (it stopped answering); the next use reconnects.
    pub async fn forget_engine(&self) {
        *self.engine.lock().await = None;
    }

    pub async fn connection(&self) -> Result<Connection> {
        let aws = self.aws().await?;
        let profile = self.active_profile().await?;
        Ok(Connection { profile, region: aws.region().to_string() })
    }

    pub async fn active_profile(&self) -> Result<ProfileInfo> {
        let mut active = self.active.lock().await;
        self.load(&mut active).await?;
        Ok(active.profile.as_ref().map(|p| p.info.clone()).unwrap_or_else(berth_aws::profiles::env_profile))
    }

    /// Switch profile (remembered across restarts, for the app and the CLI's `profiles use`).
    pub async fn select_profile(&self, name: &str) -> Result<Connection> {
        let id = self.profile_id(Some(name)).await;
        let resolved = self.resolve(&id).await?;
        let aws = Aws::connect(resolved.settings.clone()).await?;
        self.profiles.remember(&id, None).await?;
        let connection = Connection { profile: resolved.info.clone(), region: aws.region().to_string() };
        *self.active.lock().await = Active { profile: Some(resolved), aws: Some(aws), prefetched: None };
        Ok(connection)
    }

    /// Switch region for the active profile (remembered for that profile).
    pub async fn set_region(&self, region: &str) -> Result<Connection> {
        berth_core::validate::region(region)?;
        let connection = self.reconnect(|s| s.region = Some(region.to_string()), true).await?;
        self.profiles.remember(&connection.profile.id, Some(region)).await?;
        Ok(connection)
    }

    /// Give the active profile's role its MFA code, and connect. The code is used once: it
    /// does not become part of the profile's settings.
    pub async fn provide_mfa_code(&self, code: &str) -> Result<Connection> {
        self.reconnect(|s| s.mfa_code = Some(code.to_string()), false).await
    }

    async fn reconnect(&self, change: impl FnOnce(&mut ConnectionSettings), keep: bool) -> Result<Connection> {
        let mut active = self.active.lock().await;
        self.load(&mut active).await?;
        let Some(profile) = active.profile.as_mut() else {
            return Err(BerthError::internal("no active profile"));
        };
        let mut settings = profile.settings.clone();
        change(&mut settings);
        let aws = Aws::connect(settings.clone()).await?;
        if keep {
            profile.settings = settings;
        }
        let connection = Connection { profile: profile.info.clone(), region: aws.region().to_string() };
        active.aws = Some(aws);
        active.prefetched = None;
        Ok(connection)
    }

    /// Test a profile (by name or id; `None`: this session's) with the region it would use now:
    /// STS GetCallerIdentity and ECR DescribeRegistry.
    pub async fn test_connection(&self, name: Option<&str>, mfa_code: Option<String>) -> Result<ConnectionTest> {
        let mut settings = match name {
            Some(name) => self.resolve(&self.profile_id(Some(name)).await).await?.settings,
            None => {
                let mut active = self.active.lock().await;
                self.load(&mut active).await?;
                active.profile.as_ref().map(|p| p.settings.clone()).unwrap_or_default()
            }
        };
        settings.mfa_code = mfa_code;
        Aws::connect(settings).await?.test_connection().await
    }

    /// Forget the clients (a profile was edited); the next call resolves and connects again.
    pub async fn reload(&self) {
        *self.active.lock().await = Active::default();
    }
}
