//! Domain types that cross crate boundaries and the IPC boundary.
//! Timestamps are RFC 3339 strings in UTC; sizes are bytes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a profile's credentials and settings come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProfileSource {
    /// The process environment and aws-config's default chain (`AWS_ACCESS_KEY_ID`,
    /// `AWS_PROFILE`, `AWS_ENDPOINT_URL`, ...), plus `BERTH_REGISTRY_ENDPOINT`.
    Environment,
    /// A named profile of `~/.aws/config` / `~/.aws/credentials`.
    SharedConfig { name: String },
}

/// What the UI shows of a profile: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProfileInfo {
    /// Stable id: `env` or `aws:<name>`.
    pub id: String,
    pub label: String,
    pub source: ProfileSource,
    /// Default region of the profile, when it has one.
    pub region: Option<String>,
    /// ECR API endpoint override (from `AWS_ENDPOINT_URL` or the profile's settings).
    pub ecr_endpoint: Option<String>,
    /// Registry (data plane) endpoint override, `host:port`.
    pub registry_endpoint: Option<String>,
}

/// The connection the app currently uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Connection {
    pub profile: ProfileInfo,
    pub region: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TagMutability {
    Mutable,
    Immutable,
    MutableWithExclusion,
    ImmutableWithExclusion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Encryption {
    /// `AES256` or `KMS` (or `KMS_DSSE`).
    pub kind: String,
    pub kms_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Repository {
    pub name: String,
    pub uri: String,
    pub arn: String,
    pub registry_id: String,
    pub created_at: Option<String>,
    pub tag_mutability: TagMutability,
    pub scan_on_push: bool,
    pub encryption: Encryption,
}

/// One image of a repository, as DescribeImages reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImageSummary {
    pub digest: String,
    pub tags: Vec<String>,
    #[ts(type = "number | null")]
    pub size_bytes: Option<u64>,
    pub pushed_at: Option<String>,
    pub last_pulled_at: Option<String>,
    pub manifest_media_type: Option<String>,
    pub artifact_media_type: Option<String>,
}

/// An image of the local container engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LocalImage {
    /// `sha256:…` image id.
    pub id: String,
    /// `repository:tag` references; empty for a dangling image.
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub created_at: Option<String>,
    /// Number of layers, when the engine reports it.
    pub layers: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EngineInfo {
    /// The address that was used (socket path or URL).
    pub address: String,
    pub version: String,
    pub api_version: String,
}
