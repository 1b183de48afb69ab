//! Berth's data plane: the OCI distribution API of ECR or any registry, over oci-client.
//!
//! Loopback registries (127.0.0.0/8, localhost, [::1]) are spoken to over plain HTTP, as
//! the Docker engine does by default; every other registry over HTTPS.

pub mod cache;
pub mod image;

use berth_core::{BerthError, ErrorCode, Result, Secret};
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::OciDistributionError;
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};

/// Manifest media types Berth reads: Docker v2 schema 2, OCI manifest and index.
pub const MANIFEST_MEDIA_TYPES: [&str; 4] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// How to authenticate to a registry.
#[derive(Debug, Clone)]
pub enum Credentials {
    Anonymous,
    /// Basic auth; for ECR the user is `AWS` and the password the authorization token.
    Basic {
        username: String,
        password: Secret,
    },
}

/// A client for one registry host.
pub struct Registry {
    host: String,
    client: Client,
    auth: RegistryAuth,
    /// Where manifests and blobs fetched by digest are kept (none: always fetched).
    cache: Option<cache::BlobCache>,
}

/// A manifest as stored: its bytes, digest and media type.
#[derive(Debug, Clone)]
pub struct RawManifest {
    pub digest: String,
    pub media_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// True for hosts on the loopback interface (spoken to over plain HTTP).
pub fn is_loopback(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(':') => h,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name == "localhost" || name == "::1" || name.starts_with("127.")
}

impl Registry {
    pub fn new(host: &str, credentials: Credentials) -> Registry {
        let protocol =
            if is_loopback(host) { ClientProtocol::HttpsExcept(vec![host.to_string()]) } else { ClientProtocol::Https };
        let client = Client::new(ClientConfig { protocol, ..Default::default() });
        let auth = match credentials {
            Credentials::Anonymous => RegistryAuth::Anonymous,
            Credentials::Basic { username, password } => RegistryAuth::Basic(username, password.expose().to_string()),
        };
        Registry { host: host.to_string(), client, auth, cache: None }
    }

    /// Keep what is fetched by digest in `cache`.
    pub fn with_cache(mut self, cache: Option<cache::BlobCache>) -> Registry {
        self.cache = cache;
        self
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    fn reference(&self, repository: &str, reference: &str) -> Reference {
        if reference.contains(':') && reference.starts_with("sha256:") {
            Reference::with_digest(self.host.clone(), repository.to_string(), reference.to_string())
        } else {
            Reference::with_tag(self.host.clone(), repository.to_string(), reference.to_string())
        }
    }

    /// The digest the registry reports for `repository:reference` (a tag or a digest).
    pub async fn manifest_digest(&self, repository: &str, reference: &str) -> Result<String> {
        let r = self.reference(repository, reference);
        self.client.fetch_manifest_digest(&r, &self.auth).await.map_err(|e| self.error(e, repository, reference))
    }

    /// The manifest's bytes as stored (digest verified by the client).
    pub async fn manifest(&self, repository: &str, reference: &str) -> Result<RawManifest> {
        let r = self.reference(repository, reference);
        let (bytes, digest) = self
            .client
            .pull_manifest_raw(&r, &self.auth, &MANIFEST_MEDIA_TYPES)
            .await
            .map_err(|e| self.error(e, repository, reference))?;
        let media_type = serde_media_type(&bytes);
        Ok(RawManifest { digest, media_type, bytes: bytes.to_vec() })
    }

    fn error(&self, e: OciDistributionError, repository: &str, reference: &str) -> BerthError {
        let what = format!("{}/{repository}:{reference}", self.host);
        match e {
            OciDistributionError::ImageManifestNotFoundError(_) => {
                BerthError::not_found(format!("{what} does not exist in the registry."))
            }
            OciDistributionError::RegistryError { envelope, .. } => {
                let codes: Vec<String> = envelope.errors.iter().map(|e| format!("{:?}: {}", e.code, e.message)).collect();
                let text = codes.join("; ");
                if text.contains("NameUnknown") || text.contains("ManifestUnknown") {
                    BerthError::not_found(format!("{what} does not exist in the registry."))
                } else if text.contains("Unauthorized") || text.contains("Denied") {
                    BerthError::new(ErrorCode::AccessDenied, format!("The registry refused access to {what} ({text}). Refresh the credentials and retry."))
                } else {
                    BerthError::new(ErrorCode::Remote, format!("The registry answered for {what}: {text}"))
                }
            }
            OciDistributionError::AuthenticationFailure(m) => BerthError::new(
                ErrorCode::AccessDenied,
                format!("The registry {} refused the credentials ({m}). Refresh the registry token and retry.", self.host),
            ),
            OciDistributionError::UnauthorizedError { .. } => BerthError::new(
                ErrorCode::AccessDenied,
                format!("The registry {} refused the credentials for {what}. Refresh the registry token and retry.", self.host),
            ),
            OciDistributionError::ServerError { code: 404, .. } => {
                BerthError::not_found(format!("{what} does not exist in the registry."))
            }
            OciDistributionError::RequestError(e) if e.is_connect() || e.is_timeout() => BerthError::new(
                ErrorCode::Unreachable,
                format!("The registry {} cannot be reached. Check the network or the registry endpoint of the profile, then retry.", self.host),
            ),
            other => BerthError::new(ErrorCode::Remote, format!("Reading {what} failed: {other}")),
        }
    }
}

fn serde_media_type(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "mediaType")]
        media_type: Option<String>,
    }
    serde_json::from_slice::<Probe>(bytes).ok().and_then(|p| p.media_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1:5000", "localhost:5000", "localhost", "[::1]:5000", "127.1.2.3"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io", "10.0.0.1:5000"] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
