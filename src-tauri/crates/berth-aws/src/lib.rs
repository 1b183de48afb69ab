//! Berth's control plane: AWS credentials and region through aws-config's standard chain,
//! and the ECR and STS APIs through the AWS SDK.

mod error;
mod images;
pub use images::Listing;
mod repositories;

use aws_config::{BehaviorVersion, Region};
use base64::Engine as _;
use berth_core::model::ProfileInfo;
use berth_core::{BerthError, ErrorCode, Result, Secret};
use serde::Serialize;

pub use error::sdk_error;

/// Environment variable naming the registry (data plane) endpoint, `host:port`.
pub const REGISTRY_ENDPOINT_ENV: &str = "BERTH_REGISTRY_ENDPOINT";

/// How to reach AWS: which profile, which region, and endpoint overrides.
/// `None` everywhere means aws-config's default chain, as the AWS CLI would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionSettings {
    /// A profile of the shared config files; `None`: the default chain (AWS_PROFILE, env keys…).
    pub profile: Option<String>,
    /// Region override; `None`: the profile's or the environment's region.
    pub region: Option<String>,
    /// ECR API endpoint override; `None`: AWS_ENDPOINT_URL(_ECR) or the real endpoint.
    pub ecr_endpoint: Option<String>,
    /// Registry endpoint override (`host:port`); `None`: BERTH_REGISTRY_ENDPOINT or the ECR proxy endpoint.
    pub registry_endpoint: Option<String>,
}

impl ConnectionSettings {
    /// The default chain, with the registry endpoint from the environment when set.
    pub fn from_env() -> Self {
        Self {
            registry_endpoint: non_empty_env(REGISTRY_ENDPOINT_ENV),
            ..Self::default()
        }
    }

    /// What the UI shows of these settings.
    pub fn describe(&self, region: Option<String>) -> ProfileInfo {
        let (id, label, source) = match &self.profile {
            Some(name) => (
                format!("aws:{name}"),
                name.clone(),
                berth_core::model::ProfileSource::SharedConfig { name: name.clone() },
            ),
            None => {
                let label = match non_empty_env("AWS_PROFILE") {
                    Some(p) => format!("Default chain (AWS_PROFILE={p})"),
                    None => "Default chain (environment)".to_string(),
                };
                (
                    "env".to_string(),
                    label,
                    berth_core::model::ProfileSource::Environment,
                )
            }
        };
        ProfileInfo {
            id,
            label,
            source,
            region,
            ecr_endpoint: self
                .ecr_endpoint
                .clone()
                .or_else(|| non_empty_env("AWS_ENDPOINT_URL_ECR"))
                .or_else(|| non_empty_env("AWS_ENDPOINT_URL")),
            registry_endpoint: self.registry_endpoint.clone(),
        }
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Clients for one profile and region.
#[derive(Clone, Debug)]
pub struct Aws {
    ecr: aws_sdk_ecr::Client,
    sts: aws_sdk_sts::Client,
    region: String,
    settings: ConnectionSettings,
}

/// Who the credentials belong to (STS GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

/// Basic credentials for an ECR registry: user `AWS` and a 12-hour token.
#[derive(Debug, Clone)]
pub struct RegistryCredentials {
    /// `host[:port]` of the registry.
    pub server: String,
    pub username: String,
    pub password: Secret,
    /// When the token expires, RFC 3339; ECR's tokens last 12 hours.
    pub expires_at: Option<String>,
}

impl Aws {
    /// Load configuration and credentials providers (nothing is called yet: credentials are
    /// resolved lazily on the first request).
    pub async fn connect(settings: ConnectionSettings) -> Result<Aws> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(profile) = &settings.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &settings.region {
            berth_core::validate::region(region)?;
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(endpoint) = &settings.ecr_endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        let config = loader.load().await;
        let region = config.region().map(|r| r.to_string()).ok_or_else(|| {
            BerthError::new(
                ErrorCode::InvalidInput,
                "No region is set for this profile: pick one in the region menu, or set `region` in ~/.aws/config or AWS_REGION.",
            )
        })?;
        Ok(Aws {
            ecr: aws_sdk_ecr::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            region,
            settings,
        })
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn settings(&self) -> &ConnectionSettings {
        &self.settings
    }

    pub fn ecr(&self) -> &aws_sdk_ecr::Client {
        &self.ecr
    }

    /// STS GetCallerIdentity.
    pub async fn caller_identity(&self) -> Result<CallerIdentity> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| sdk_error(e, "check your identity (STS)"))?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        })
    }

    /// GetAuthorizationToken, decoded. The registry host is the endpoint override when set,
    /// else the proxy endpoint ECR returns.
    pub async fn registry_credentials(&self) -> Result<RegistryCredentials> {
        let out = self
            .ecr
            .get_authorization_token()
            .send()
            .await
            .map_err(|e| sdk_error(e, "get a registry token"))?;
        let data = out.authorization_data().first().ok_or_else(|| {
            BerthError::new(ErrorCode::Remote, "ECR returned no authorization data.")
        })?;
        let token = data.authorization_token().unwrap_or_default();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                BerthError::new(
                    ErrorCode::Remote,
                    "ECR returned an authorization token that is not base64 text.",
                )
            })?;
        let (username, password) = decoded.split_once(':').ok_or_else(|| {
            BerthError::new(
                ErrorCode::Remote,
                "ECR returned an authorization token without a user name.",
            )
        })?;
        let server = match &self.settings.registry_endpoint {
            Some(endpoint) => endpoint.clone(),
            None => data
                .proxy_endpoint()
                .map(|p| {
                    p.trim_start_matches("https://")
                        .trim_start_matches("http://")
                        .trim_end_matches('/')
                        .to_string()
                })
                .ok_or_else(|| {
                    BerthError::new(ErrorCode::Remote, "ECR returned no registry endpoint.")
                })?,
        };
        Ok(RegistryCredentials {
            server,
            username: username.to_string(),
            password: Secret::new(password),
            expires_at: data.expires_at().map(rfc3339),
        })
    }

    /// The registry host images of this account and region are pushed to.
    pub fn registry_host(&self, registry_id: &str) -> String {
        match &self.settings.registry_endpoint {
            Some(endpoint) => endpoint.clone(),
            None => {
                let suffix = if self.region.starts_with("cn-") {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                };
                format!("{registry_id}.dkr.ecr.{}.{suffix}", self.region)
            }
        }
    }
}

pub(crate) fn rfc3339(t: &aws_smithy_types::DateTime) -> String {
    t.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_else(|_| t.to_string())
}
