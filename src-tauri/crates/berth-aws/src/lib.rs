//! Berth's control plane: AWS credentials and region through aws-config's standard chain,
//! and the ECR and STS APIs through the AWS SDK.

mod error;
mod images;
mod manage;
pub mod profiles;
pub mod public;
pub mod regions;
pub mod registries;
pub mod tokens;
pub use images::Listing;
pub mod inspect;
pub mod registry;
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
    /// Where `ecr_endpoint` came from, to name it when it is not valid (`--endpoint-url`,
    /// "the profile “prod”"); `None`: a generic name.
    pub ecr_endpoint_origin: Option<String>,
    /// Where `registry_endpoint` came from (`BERTH_REGISTRY_ENDPOINT`, `--registry-endpoint`…).
    pub registry_endpoint_origin: Option<String>,
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
        let registry_endpoint = non_empty_env(REGISTRY_ENDPOINT_ENV);
        Self {
            registry_endpoint_origin: registry_endpoint.as_ref().map(|_| REGISTRY_ENDPOINT_ENV.to_string()),
            registry_endpoint,
            ..Self::default()
        }
    }

    /// Override the ECR API endpoint, saying where the value comes from (`--endpoint-url`).
    pub fn set_ecr_endpoint(&mut self, endpoint: impl Into<String>, origin: impl Into<String>) {
        self.ecr_endpoint = Some(endpoint.into());
        self.ecr_endpoint_origin = Some(origin.into());
    }

    /// Override the registry endpoint, saying where the value comes from (`--registry-endpoint`).
    pub fn set_registry_endpoint(&mut self, endpoint: impl Into<String>, origin: impl Into<String>) {
        self.registry_endpoint = Some(endpoint.into());
        self.registry_endpoint_origin = Some(origin.into());
    }

    /// Refuse a region or an endpoint that is not valid, naming the setting at fault and where
    /// it came from; endpoints the SDK reads from the environment (AWS_ENDPOINT_URL_ECR,
    /// AWS_ENDPOINT_URL) are checked too. [`Aws::connect`] calls it first.
    pub fn validate(&self) -> Result<()> {
        if let Some(region) = &self.region {
            berth_core::validate::region(region)?;
        }
        let ecr = match &self.ecr_endpoint {
            Some(value) => Some((
                value.clone(),
                self.ecr_endpoint_origin.clone().unwrap_or_else(|| "the ECR endpoint override".into()),
            )),
            None => env_ecr_endpoint(),
        };
        if let Some((value, origin)) = ecr {
            if let Err(why) = check_ecr_endpoint(&value) {
                return Err(BerthError::invalid(format!(
                    "The ECR endpoint setting ({origin}) {} is not a URL: {why}.",
                    berth_core::format::quoted(&value)
                )));
            }
        }
        if let Some(value) = &self.registry_endpoint {
            if let Err(why) = check_registry_endpoint(value) {
                let origin = self.registry_endpoint_origin.as_deref().unwrap_or("the registry endpoint override");
                return Err(BerthError::invalid(format!(
                    "The registry endpoint setting ({origin}) {} is not host[:port]: {why}.",
                    berth_core::format::quoted(value)
                )));
            }
        }
        Ok(())
    }
}

/// The `endpoint_url` of the shared-config profile `name`, when it is not a URL (the SDK would
/// take it when neither the settings nor the environment override it). A file that cannot be
/// read is left for the SDK to report.
async fn check_profile_endpoint(name: &str) -> Result<()> {
    use aws_runtime::env_config::file::EnvConfigFiles;
    use aws_types::os_shim_internal::{Env, Fs};
    let Ok(set) = aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None).await else {
        return Ok(());
    };
    let Some(value) = set.get_profile(name).and_then(|p| p.get("endpoint_url")) else {
        return Ok(());
    };
    match check_ecr_endpoint(value) {
        Ok(()) => Ok(()),
        Err(why) => Err(BerthError::invalid(format!(
            "The ECR endpoint setting (endpoint_url of the profile “{name}” in {}) {} is not a URL: {why}.",
            non_empty_env("AWS_CONFIG_FILE").unwrap_or_else(|| "~/.aws/config".into()),
            berth_core::format::quoted(value)
        ))),
    }
}

/// The ECR endpoint the SDK would take from the environment, and the variable's name.
fn env_ecr_endpoint() -> Option<(String, String)> {
    let ignored = std::env::var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    if ignored {
        return None;
    }
    ["AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL"]
        .into_iter()
        .find_map(|name| non_empty_env(name).map(|v| (v, name.into())))
}

/// Why `value` is not an ECR API endpoint (`http(s)://host[:port][/path]`), in words.
pub fn check_ecr_endpoint(value: &str) -> std::result::Result<(), String> {
    let example = "such as https://api.ecr.eu-west-1.amazonaws.com or http://127.0.0.1:4566";
    let Some((scheme, rest)) = value.split_once("://") else {
        return Err(format!("it must start with https:// or http://, {example}"));
    };
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(format!(
            "the scheme {} is neither https:// nor http:// ({example})",
            berth_core::format::quoted(&format!("{scheme}://"))
        ));
    }
    if let Some(c) = rest.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it contains {}, which a URL cannot", describe_char(c)));
    }
    if rest.contains(['?', '#']) {
        return Err(format!("an endpoint has no query (?) or fragment (#); {example}"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err("an endpoint has no user name or password (user@host)".into());
    }
    check_host_port(authority)
}

/// Why `value` is not a registry endpoint (`host[:port]`), in words.
pub fn check_registry_endpoint(value: &str) -> std::result::Result<(), String> {
    if value.contains("://") {
        return Err("give host[:port] only, without a scheme (such as 127.0.0.1:5000 or registry.example.com)".into());
    }
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it contains {}, which a host name cannot", describe_char(c)));
    }
    if value.contains(['/', '?', '#', '@']) {
        return Err("give host[:port] only, without a path (such as 127.0.0.1:5000 or registry.example.com)".into());
    }
    check_host_port(value)
}

fn describe_char(c: char) -> String {
    if c == ' ' {
        "a space".into()
    } else {
        format!("the character U+{:04X}", c as u32)
    }
}

/// `host[:port]`: a DNS name or IPv4 address, or `[IPv6]`; a port from 1 to 65535.
pub(crate) fn check_host_port(authority: &str) -> std::result::Result<(), String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return Err("the IPv6 address has no closing “]”".into());
        };
        if v6.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("{} is not an IPv6 address", berth_core::format::quoted(v6)));
        }
        match after {
            "" => (None, None),
            p if p.starts_with(':') => (None, Some(&p[1..])),
            _ => return Err("after “]” only :port may follow".into()),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(authority), None),
        }
    };
    if let Some(host) = host {
        if host.is_empty() {
            return Err("it has no host name".into());
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if host.len() > 253 || !host.trim_end_matches('.').split('.').all(label_ok) {
            return Err(format!(
                "{} is not a host name (letters, digits and “-”, in labels separated by dots)",
                berth_core::format::quoted(host)
            ));
        }
    }
    if let Some(port) = port {
        if !port.chars().all(|c| c.is_ascii_digit()) || !matches!(port.parse::<u32>(), Ok(1..=65535)) {
            return Err(format!("the port {} is not a number from 1 to 65535", berth_core::format::quoted(port)));
        }
    }
    Ok(())
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
    secrets: aws_sdk_secretsmanager::Client,
    /// ECR Public (us-east-1 only, whatever the profile's region).
    public: aws_sdk_ecrpublic::Client,
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
    pub expires_at: Option<berth_core::Timestamp>,
}

impl Aws {
    /// Load configuration and credentials providers (nothing is called yet: credentials are
    /// resolved lazily on the first request). Settings that are not valid are refused first,
    /// with the setting at fault named ([`ConnectionSettings::validate`]).
    pub async fn connect(settings: ConnectionSettings) -> Result<Aws> {
        settings.validate()?;
        if let Some(profile) = &settings.profile {
            if settings.ecr_endpoint.is_none() && env_ecr_endpoint().is_none() {
                check_profile_endpoint(profile).await?;
            }
        }
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(profile) = &settings.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &settings.region {
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
        let mut config = without_empty_settings(loader.load().await);
        let region = config.region().map(|r| r.to_string()).ok_or_else(|| {
            BerthError::new(
                ErrorCode::InvalidInput,
                "No region is set for this profile: pick one in the region menu, or set `region` in ~/.aws/config or AWS_REGION.",
            )
        })?;
        if let (Some(profile), None) = (&settings.profile, &settings.credentials) {
            config = with_profile_credentials(config, profile);
        }
        if let Some(role) = &settings.role {
            config = assume_role(config, role, settings.mfa_code.as_deref()).await?;
        }
        Ok(Aws {
            ecr: aws_sdk_ecr::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            kms: aws_sdk_kms::Client::new(&config),
            secrets: aws_sdk_secretsmanager::Client::new(&config),
            public: aws_sdk_ecrpublic::Client::from_conf(
                aws_sdk_ecrpublic::config::Builder::from(&config).region(Region::new("us-east-1")).build(),
            ),
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

    /// The Secrets Manager client (for tests that read a secret back).
    pub fn secrets(&self) -> &aws_sdk_secretsmanager::Client {
        &self.secrets
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
            registry_host: self.registry_host(&registry_id).await,
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

    /// The registry host images of this account and region are pushed to: the endpoint
    /// override when set, else the proxy endpoint GetAuthorizationToken names (ECR's own word
    /// for where its registry is), else the usual AWS host name when the token cannot be had.
    pub async fn registry_host(&self, registry_id: &str) -> String {
        if let Some(endpoint) = &self.settings.registry_endpoint {
            return endpoint.clone();
        }
        match self.registry_token().await {
            Ok(token) => token.server,
            Err(_) => self.default_registry_host(registry_id),
        }
    }

    fn default_registry_host(&self, registry_id: &str) -> String {
        let suffix = if self.region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
        format!("{registry_id}.dkr.ecr.{}.{suffix}", self.region)
    }
}

/// The config with the credentials of the shared-config profile `profile` only, even when the
/// environment has keys too (the default chain would prefer those): static keys, assume-role
/// (`role_arn` with `source_profile` or `credential_source`, chains of them), `credential_process`,
/// web identity, SSO. The provider gets the loaded config's region (the STS calls of a role
/// are signed for it), HTTP client, retry, timeouts and FIPS/dual-stack choices; its STS
/// client takes its endpoint the way the AWS CLI's does: AWS_ENDPOINT_URL_STS,
/// AWS_ENDPOINT_URL, the profile's `endpoint_url` or `[services]` section, else the real STS.
fn with_profile_credentials(config: aws_config::SdkConfig, profile: &str) -> aws_config::SdkConfig {
    use aws_config::provider_config::ProviderConfig;
    let mut provider_config = ProviderConfig::without_region()
        .with_region(config.region().cloned())
        .with_use_fips(config.use_fips())
        .with_use_dual_stack(config.use_dual_stack())
        .with_behavior_version(config.behavior_version());
    if let Some(client) = config.http_client() {
        provider_config = provider_config.with_http_client(client);
    }
    if let Some(sleep) = config.sleep_impl() {
        provider_config = provider_config.with_sleep_impl(sleep);
    }
    if let Some(time) = config.time_source() {
        provider_config = provider_config.with_time_source(time);
    }
    if let Some(retry) = config.retry_config() {
        provider_config = provider_config.with_retry_config(retry.clone());
    }
    if let Some(timeouts) = config.timeout_config() {
        provider_config = provider_config.with_timeout_config(timeouts.clone());
    }
    let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
        .configure(&provider_config)
        .profile_name(profile)
        .build();
    config
        .into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(provider))
        .build()
}

/// The config, reading an empty per-service setting (`AWS_ENDPOINT_URL=` in the environment, an
/// empty `endpoint_url` in a profile) as unset, as the AWS CLI does: the SDK would build its
/// clients with an empty endpoint and panic on the first call.
fn without_empty_settings(config: aws_config::SdkConfig) -> aws_config::SdkConfig {
    #[derive(Debug)]
    struct NonEmpty(aws_config::SdkConfig);
    impl aws_types::service_config::LoadServiceConfig for NonEmpty {
        fn load_config(&self, key: aws_types::service_config::ServiceConfigKey<'_>) -> Option<String> {
            self.0.service_config()?.load_config(key).filter(|v| !v.trim().is_empty())
        }
    }
    if config.service_config().is_none() {
        return config;
    }
    let inner = config.clone();
    config.into_builder().service_config(NonEmpty(inner)).build()
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

/// An SDK time as Berth's (the epoch when out of range, which no AWS time is).
pub(crate) fn rfc3339(t: &aws_smithy_types::DateTime) -> berth_core::Timestamp {
    berth_core::Timestamp::from_unix_nanos(t.secs(), t.subsec_nanos())
        .unwrap_or(berth_core::Timestamp(time::OffsetDateTime::UNIX_EPOCH))
}
