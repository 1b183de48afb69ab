//! What the app holds between commands: the active connection and the running jobs.

use berth_aws::{Aws, ConnectionSettings};
use berth_core::job::Jobs;
use berth_core::model::Connection;
use berth_core::Result;
use tokio::sync::Mutex;

pub struct AppState {
    settings: Mutex<ConnectionSettings>,
    /// The AWS clients for `settings`, built on first use.
    aws: Mutex<Option<Aws>>,
    pub jobs: Jobs,
}

impl AppState {
    /// The connection the process environment describes (aws-config's default chain,
    /// AWS_ENDPOINT_URL, BERTH_REGISTRY_ENDPOINT…).
    pub fn from_env() -> AppState {
        AppState {
            settings: Mutex::new(ConnectionSettings::from_env()),
            aws: Mutex::new(None),
            jobs: Jobs::new(),
        }
    }

    /// The AWS clients of the active connection.
    pub async fn aws(&self) -> Result<Aws> {
        let mut cached = self.aws.lock().await;
        if let Some(aws) = cached.as_ref() {
            return Ok(aws.clone());
        }
        let settings = self.settings.lock().await.clone();
        let aws = Aws::connect(settings).await?;
        *cached = Some(aws.clone());
        Ok(aws)
    }

    pub async fn connection(&self) -> Result<Connection> {
        let aws = self.aws().await?;
        Ok(Connection {
            profile: aws.settings().describe(Some(aws.region().to_string())),
            region: aws.region().to_string(),
        })
    }
}
