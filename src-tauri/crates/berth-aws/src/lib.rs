//! Berth's control plane: AWS credentials and region through aws-config's standard chain,
//! and the ECR and STS APIs through the AWS SDK.

mod error;
mod images;
mod manage;
pub mod profiles;
pub mod regions;
pub mod tokens;
pub use images::Listing;
pub mod inspect;
mod repositories;
mod tagging;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_sts::config::Credentials;
use base64::Engine as _;
use berth_core::{BerthError, ErrorCode, Result, Secret};
use serde::Serialize;

pub use error::sdk_error;

/// Environment variable naming the registry (data plane) endpoint, `host:port`.
pub const REGISTRY_ENDPOINT_ENV: &str = "BERTH_REGISTRY_ENDPOINT";

/// How to reach AWS: which credentials, which region, and endpoint overrides.
/// All `None`: aws-config's default chain, as the AWS CLI would do.
#[derive(Debug, Clone, Default)]
pub struct ConnectionSettings {
    /// A profile of the shared config files; `None`: the default chain (AWS_PROFILE, env keys…).
    pub profile: Option<String>,
    /// Region override; `None`: the profile's or the environment's region.
    pub region: Option<String>,
    /// ECR API endpoint override; `None`: AWS_ENDPOINT_URL(_ECR), the profile's, or the real endpoint.
    pub ecr_endpoint: Option<String>,
    /// Registry endpoint override (`host:port`); `None`: the ECR proxy endpoint.
    pub registry_endpoint: Option<String>,
    /// Static keys of an app profile (from the keychain).
    pub credentials: Option<StaticCredentials>,
    /// A role to assume with those keys.
    pub role: Option<RoleToAssume>,
    /// The one-time code for a role with an MFA device (asked for when needed).
    pub mfa_code: Option<String>,
}

/// Keys as stored in the keychain.
#[derive(Debug, Clone)]
pub struct StaticCredentials {
    pub access_key_id: Secret,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleToAssume {
    pub role_arn: String,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
}

impl ConnectionSettings {
    /// The default chain, with the registry endpoint from the environment when set.
    pub fn from_env() -> Self {
        Self { registry_endpoint: non_empty_env(REGISTRY_ENDPOINT_ENV), ..Self::default() }
    }
}

pub(crate) fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Clients for one profile and region.
#[derive(Clone, Debug)]
pub struct Aws {
    ecr: aws_sdk_ecr::Client,
    sts: aws_sdk_sts::Client,
    kms: aws_sdk_kms::Client,
    region: String,
    settings: ConnectionSettings,
    tokens: tokens::TokenCache,
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
            // The chosen profile's own credentials, even when the environment has keys too
            // (the default chain would prefer those): SSO, assume-role, credential_process…
            let provider = aws_config::profile::ProfileFileCredentialsProvider::builder().profile_name(profile).build();
            loader = loader.profile_name(profile).credentials_provider(provider);
        }
        if let Some(region) = &settings.region {
            berth_core::validate::region(region)?;
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(endpoint) = &settings.ecr_endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        if let Some(keys) = &settings.credentials {
            loader = loader.credentials_provider(Credentials::new(
                keys.access_key_id.expose(),
                keys.secret_access_key.expose(),
                keys.session_token.as_ref().map(|t| t.expose().to_string()),
                None,
                "berth-keychain",
            ));
        }
        let mut config = loader.load().await;
        let region = config.region().map(|r| r.to_string()).ok_or_else(|| {
            BerthError::new(
                ErrorCode::InvalidInput,
                "No region is set for this profile: pick one in the region menu, or set `region` in ~/.aws/config or AWS_REGION.",
            )
        })?;
        if let Some(role) = &settings.role {
            config = assume_role(config, role, settings.mfa_code.as_deref()).await?;
        }
        Ok(Aws {
            ecr: aws_sdk_ecr::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            kms: aws_sdk_kms::Client::new(&config),
            region,
            settings,
            tokens: tokens::TokenCache::default(),
        })
    }

    /// An SDK error in words; an expired SSO session names the command with this profile.
    pub(crate) fn fail<E>(
        &self,
        err: aws_sdk_ecr::error::SdkError<E, aws_sdk_ecr::config::http::HttpResponse>,
        action: &str,
    ) -> BerthError
    where
        E: aws_sdk_ecr::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut e = sdk_error(err, action);
        if e.code == ErrorCode::CredentialsExpired {
            let command = match &self.settings.profile {
                Some(p) => format!("`aws sso login --profile {p}`"),
                None => "`aws sso login`".to_string(),
            };
            e.message = e.message.replace("`aws sso login`", &command);
        }
        e
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
        let out = self.sts.get_caller_identity().send().await.map_err(|e| self.fail(e, "check your identity (STS)"))?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        })
    }

    /// "Test connection": who the credentials are (STS GetCallerIdentity) and whether ECR
    /// answers for this account and region (DescribeRegistry).
    pub async fn test_connection(&self) -> Result<berth_core::model::ConnectionTest> {
        let me = self.caller_identity().await?;
        let registry = self
            .ecr
            .describe_registry()
            .send()
            .await
            .map_err(|e| self.fail(e, "reach the ECR API (DescribeRegistry)"))?;
        let registry_id = registry.registry_id().unwrap_or(&me.account).to_string();
        Ok(berth_core::model::ConnectionTest {
            registry_host: self.registry_host(&registry_id),
            account: me.account,
            arn: me.arn,
            user_id: me.user_id,
            region: self.region.clone(),
            registry_id,
        })
    }

    /// GetAuthorizationToken, decoded. The registry host is the endpoint override when set,
    /// else the proxy endpoint ECR returns.
    pub async fn registry_credentials(&self) -> Result<RegistryCredentials> {
        let out = self.ecr.get_authorization_token().send().await.map_err(|e| self.fail(e, "get a registry token"))?;
        let data = out
            .authorization_data()
            .first()
            .ok_or_else(|| BerthError::new(ErrorCode::Remote, "ECR returned no authorization data."))?;
        let token = data.authorization_token().unwrap_or_default();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                BerthError::new(ErrorCode::Remote, "ECR returned an authorization token that is not base64 text.")
            })?;
        let (username, password) = decoded.split_once(':').ok_or_else(|| {
            BerthError::new(ErrorCode::Remote, "ECR returned an authorization token without a user name.")
        })?;
        let server = match &self.settings.registry_endpoint {
            Some(endpoint) => endpoint.clone(),
            None => data
                .proxy_endpoint()
                .map(|p| {
                    p.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_string()
                })
                .ok_or_else(|| BerthError::new(ErrorCode::Remote, "ECR returned no registry endpoint."))?,
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
                let suffix = if self.region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
                format!("{registry_id}.dkr.ecr.{}.{suffix}", self.region)
            }
        }
    }
}

/// The config with credentials of `role`, assumed with the config's own credentials.
async fn assume_role(
    config: aws_config::SdkConfig,
    role: &RoleToAssume,
    mfa_code: Option<&str>,
) -> Result<aws_config::SdkConfig> {
    let session_name = "berth";
    match (&role.mfa_serial, mfa_code) {
        (None, _) => {
            let mut builder = aws_config::sts::AssumeRoleProvider::builder(&role.role_arn).session_name(session_name);
            if let Some(id) = &role.external_id {
                builder = builder.external_id(id);
            }
            let provider = builder.configure(&config).build().await;
            Ok(config
                .into_builder()
                .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(provider))
                .build())
        }
        (Some(serial), None) => Err(BerthError::new(
            ErrorCode::MfaRequired,
            format!(
                "The role {} needs a code from the MFA device {serial}. Enter the current code to continue.",
                role.role_arn
            ),
        )),
        (Some(serial), Some(code)) => {
            // The SDK's provider cannot ask for a code: call AssumeRole once, keep the session.
            let sts = aws_sdk_sts::Client::new(&config);
            let out = sts
                .assume_role()
                .role_arn(&role.role_arn)
                .role_session_name(session_name)
                .set_external_id(role.external_id.clone())
                .serial_number(serial)
                .token_code(code.trim())
                .send()
                .await
                .map_err(|e| sdk_error(e, &format!("assume the role {}", role.role_arn)))?;
            let c = out
                .credentials()
                .ok_or_else(|| BerthError::new(ErrorCode::Remote, "AssumeRole returned no credentials."))?;
            let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
            let credentials = Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                Some(c.session_token().to_string()),
                expiry,
                "berth-assume-role-mfa",
            );
            Ok(config
                .into_builder()
                .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(credentials))
                .build())
        }
    }
}

pub(crate) fn rfc3339(t: &aws_smithy_types::DateTime) -> String {
    t.fmt(aws_smithy_types::date_time::Format::DateTime).unwrap_or_else(|_| t.to_string())
}
