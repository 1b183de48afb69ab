//! Domain types that cross crate boundaries and the IPC boundary.
//! Timestamps are RFC 3339 strings in UTC; sizes are bytes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a profile comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProfileSource {
    /// The process environment and aws-config's default chain (`AWS_ACCESS_KEY_ID`,
    /// `AWS_PROFILE`, `AWS_ENDPOINT_URL`, ...), plus `BERTH_REGISTRY_ENDPOINT`.
    Environment,
    /// A named profile of `~/.aws/config` / `~/.aws/credentials` (read-only in Berth).
    SharedConfig { name: String },
    /// A profile held by Berth: settings in its config file, secrets in the OS keychain.
    App { name: String },
}

/// How a profile gets its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// Whatever the default chain finds (environment, default profile, container, instance).
    DefaultChain,
    StaticKeys,
    Sso,
    AssumeRole,
    CredentialProcess,
    WebIdentity,
    /// The profile sets no credentials (only a region, say).
    None,
}

/// The non-secret parts of an app profile's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppCredentialInfo {
    /// The last four characters of the access key id (`…MPLE`), to recognise it.
    pub access_key_hint: Option<String>,
    pub has_session_token: bool,
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
}

/// What the UI shows of a profile: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProfileInfo {
    /// Stable id: `env`, `aws:<name>` or `app:<name>`.
    pub id: String,
    pub label: String,
    pub source: ProfileSource,
    pub kind: CredentialKind,
    /// Default region of the profile, when it has one.
    pub region: Option<String>,
    /// ECR API endpoint override (from `AWS_ENDPOINT_URL` or the profile's settings).
    pub ecr_endpoint: Option<String>,
    /// Registry (data plane) endpoint override, `host:port`.
    pub registry_endpoint: Option<String>,
    /// App profiles: what is stored, without the secrets.
    pub app: Option<AppCredentialInfo>,
    /// Shared-config profiles: the file to edit it in.
    pub edit_in: Option<String>,
}

/// A profile held by Berth, as the form sends it. Secret fields left empty on an edit keep
/// what the keychain holds.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AppProfileInput {
    pub name: String,
    /// The profile's current name when editing (renaming when it differs from `name`).
    pub previous_name: Option<String>,
    #[ts(type = "string | null")]
    pub access_key_id: Option<crate::Secret>,
    #[ts(type = "string | null")]
    pub secret_access_key: Option<crate::Secret>,
    #[ts(type = "string | null")]
    pub session_token: Option<crate::Secret>,
    /// Remove a stored session token.
    pub clear_session_token: bool,
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
    pub region: Option<String>,
    pub ecr_endpoint: Option<String>,
    pub registry_endpoint: Option<String>,
}

/// One problem with one field of a form, for the UI to show under that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldProblem {
    /// The input's field name (`name`, `access_key_id`, `role_arn`…).
    pub field: String,
    pub message: String,
}

/// The first of a form's problems as an error naming its field, so that input is refused
/// before any call is made; none: `Ok`.
pub fn refuse(problems: &[FieldProblem]) -> crate::Result<()> {
    match problems.first() {
        Some(p) => Err(crate::BerthError::invalid(format!("{}: {}", p.field.replace('_', " "), p.message))),
        None => Ok(()),
    }
}

/// A region of the SDK's partition data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegionInfo {
    pub name: String,
    pub description: String,
    pub partition: String,
}

/// What "Test connection" found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConnectionTest {
    pub account: String,
    pub arn: String,
    pub user_id: String,
    pub region: String,
    /// The registry id DescribeRegistry reports (the account's registry).
    pub registry_id: String,
    /// The host images are pushed to.
    pub registry_host: String,
}

/// Everything the profile menu needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProfileList {
    pub profiles: Vec<ProfileInfo>,
    /// Problems that hid some profiles (an unreadable file…), in words.
    pub problems: Vec<String>,
    /// False when no OS keychain can be used: app profiles cannot be added.
    pub keychain_available: bool,
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

/// How a repository's images are encrypted at rest, spelt as ECR spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum EncryptionKind {
    /// Amazon S3-managed keys.
    #[serde(rename = "AES256")]
    Aes256,
    /// An AWS KMS key.
    #[serde(rename = "KMS")]
    Kms,
    /// An AWS KMS key, two layers of encryption.
    #[serde(rename = "KMS_DSSE")]
    KmsDsse,
}

impl EncryptionKind {
    pub fn uses_kms(self) -> bool {
        matches!(self, EncryptionKind::Kms | EncryptionKind::KmsDsse)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Encryption {
    pub kind: EncryptionKind,
    pub kms_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Repository {
    pub name: String,
    pub uri: String,
    pub arn: String,
    pub registry_id: String,
    pub created_at: Option<crate::Timestamp>,
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
    pub pushed_at: Option<crate::Timestamp>,
    pub last_pulled_at: Option<crate::Timestamp>,
    pub manifest_media_type: Option<String>,
    pub artifact_media_type: Option<String>,
    /// None when never scanned.
    pub scan_status: Option<ScanStatus>,
    /// Findings by severity (`CRITICAL`, `HIGH`…) of the last scan.
    pub severity_counts: std::collections::BTreeMap<String, u32>,
    /// For a multi-platform index: its platforms (`linux/amd64`…).
    pub platforms: Vec<String>,
    /// ACTIVE, ARCHIVED (cannot be pulled) or ACTIVATING (being restored).
    pub status: crate::registry::ImageStatus,
    pub last_archived_at: Option<crate::Timestamp>,
    pub last_activated_at: Option<crate::Timestamp>,
}

/// The state of an image's scan, spelt as ECR spells it (`ImageScanStatus.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanStatus {
    InProgress,
    Complete,
    Failed,
    UnsupportedImage,
    Active,
    Pending,
    ScanEligibilityExpired,
    FindingsUnavailable,
    LimitExceeded,
    ImageArchived,
    /// A status this version of Berth does not know (a newer ECR).
    Unknown,
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
    pub created_at: Option<crate::Timestamp>,
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

/// A resource tag (key ≤ 128, value ≤ 256 characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResourceTag {
    pub key: String,
    pub value: String,
}

/// Everything the creation wizard collects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RepositorySpec {
    pub name: String,
    pub tag_mutability: TagMutability,
    /// Wildcard tag filters exempt from the mutability setting (the *_WITH_EXCLUSION modes), at most 5.
    pub mutability_exclusions: Vec<String>,
    pub scan_on_push: bool,
    pub encryption: EncryptionKind,
    /// KMS key (ARN, key id or alias) when `encryption` is `KMS`; none: the AWS managed key.
    pub kms_key: Option<String>,
    /// Lifecycle policy JSON, when one is to be set.
    pub lifecycle_policy: Option<String>,
    /// Repository policy JSON, when one is to be set.
    pub repository_policy: Option<String>,
    pub tags: Vec<ResourceTag>,
}

impl RepositorySpec {
    /// ECR's defaults: mutable tags, no scan on push, AES-256, no policies, no tags.
    pub fn named(name: impl Into<String>) -> RepositorySpec {
        RepositorySpec {
            name: name.into(),
            tag_mutability: TagMutability::Mutable,
            mutability_exclusions: Vec::new(),
            scan_on_push: false,
            encryption: EncryptionKind::Aes256,
            kms_key: None,
            lifecycle_policy: None,
            repository_policy: None,
            tags: Vec::new(),
        }
    }
}

impl RepositorySpec {
    /// Encrypt with KMS and this key (an ARN, key id or `alias/NAME`; `aws` or `None`: the AWS
    /// managed key), or with AES-256 when no key is asked for (`None` and not called).
    pub fn set_kms_key(&mut self, key: Option<&str>) {
        if let Some(key) = key {
            self.encryption = EncryptionKind::Kms;
            self.kms_key = Some(key.to_string()).filter(|k| k != "aws");
        }
    }
}

/// The API calls creating or changing a repository takes, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RepositoryStep {
    CreateRepository,
    PutLifecyclePolicy,
    SetRepositoryPolicy,
    SetTagMutability,
    SetScanOnPush,
    DeleteLifecyclePolicy,
    DeleteRepositoryPolicy,
    SetTags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Done,
    Failed,
    /// Not attempted because an earlier step failed.
    NotAttempted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StepOutcome {
    pub step: RepositoryStep,
    pub status: StepStatus,
    pub error: Option<crate::BerthError>,
}

impl StepOutcome {
    /// The outcome of one step from what its call answered.
    pub fn of(step: RepositoryStep, result: crate::Result<()>) -> StepOutcome {
        match result {
            Ok(()) => StepOutcome { step, status: StepStatus::Done, error: None },
            Err(e) => StepOutcome { step, status: StepStatus::Failed, error: Some(e) },
        }
    }
}

/// What creating a repository did, step by step: nothing is silently half-done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CreateReport {
    /// The repository, once it exists.
    pub repository: Option<Repository>,
    pub steps: Vec<StepOutcome>,
}

impl CreateReport {
    pub fn complete(&self) -> bool {
        self.steps.iter().all(|s| s.status == StepStatus::Done)
    }
}

/// What changing a repository's settings did, step by step: each setting is applied on its
/// own, so one refused change does not stop the others, and a retry sends only what failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpdateReport {
    pub steps: Vec<StepOutcome>,
    /// The repository as it is after the change (none if it could not be read back).
    pub details: Option<RepositoryDetails>,
}

impl UpdateReport {
    pub fn complete(&self) -> bool {
        self.steps.iter().all(|s| s.status == StepStatus::Done)
    }
}

impl RepositoryChange {
    /// No change: every setting kept.
    pub fn keep(name: impl Into<String>) -> RepositoryChange {
        RepositoryChange {
            name: name.into(),
            tag_mutability: None,
            mutability_exclusions: None,
            scan_on_push: None,
            lifecycle_policy: PolicyChange::Keep,
            repository_policy: PolicyChange::Keep,
            tags: None,
        }
    }
}

/// A KMS key the key picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KmsAlias {
    /// `alias/name`
    pub name: String,
    pub arn: String,
    pub target_key_id: Option<String>,
}

/// A repository with what its settings page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RepositoryDetails {
    pub repository: Repository,
    pub mutability_exclusions: Vec<String>,
    pub lifecycle_policy: Option<String>,
    pub repository_policy: Option<String>,
    pub tags: Vec<ResourceTag>,
    pub image_count: u32,
}

/// A template the wizard offers, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum PolicyTemplate {
    KeepLastTagged { count: u32 },
    ExpireUntagged { days: u32 },
    KeepReleaseTags { pattern: String, count: u32, untagged_days: u32 },
    AllowPullFromAccounts { accounts: Vec<String> },
    AllowPushFromRole { role_arn: String },
    AllowLambdaPull { account: String },
}

/// What the review step shows: problems left, the policy in words, the equivalent CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RepositoryReview {
    pub problems: Vec<FieldProblem>,
    pub policy_in_words: Vec<String>,
    pub cli_commands: Vec<String>,
    /// Where the repository will be pushed to: `registry/name`.
    pub uri: String,
}

/// What to do with a policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum PolicyChange {
    Keep,
    Set { text: String },
    Remove,
}

/// A change to an existing repository's settings; `None` leaves a setting as it is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct RepositoryChange {
    pub name: String,
    pub tag_mutability: Option<TagMutability>,
    pub mutability_exclusions: Option<Vec<String>>,
    pub scan_on_push: Option<bool>,
    pub lifecycle_policy: PolicyChange,
    pub repository_policy: PolicyChange,
    pub tags: Option<Vec<ResourceTag>>,
}

/// A tag of the push target, as the registry has it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TargetTag {
    pub tag: String,
    /// The digest the tag names now; `None`: the tag is free.
    pub digest: Option<String>,
    /// The repository's settings make this tag immutable (see
    /// [`push::tag_is_immutable`](crate::push::tag_is_immutable)): once it exists, ECR refuses
    /// to move it. A free immutable tag can still be pushed, once.
    pub immutable: bool,
    /// Why a push of this tag would be refused (it exists and is immutable), in words to show
    /// as they are; `None`: it may be pushed.
    pub refusal: Option<String>,
}

impl TargetTag {
    /// A tag that names nothing yet and may be pushed.
    pub fn free(tag: &str) -> TargetTag {
        TargetTag { tag: tag.to_string(), digest: None, immutable: false, refusal: None }
    }
}

/// What pushing to a repository would do, checked before any byte moves. Front ends decide
/// from `repository_exists` and each tag's `refusal` (or call
/// [`push::refusal`](crate::push::refusal)); they need not apply the mutability rule themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PushCheck {
    pub repository_exists: bool,
    pub tag_mutability: Option<TagMutability>,
    /// The repository's tag mutability exclusion filters (ECR wildcard filters, `*` for any
    /// run of characters), which apply in the `*_WITH_EXCLUSION` modes.
    pub mutability_exclusions: Vec<String>,
    pub tags: Vec<TargetTag>,
}

impl PushCheck {
    /// The repository does not exist: every tag is free.
    pub fn missing(tags: &[String]) -> PushCheck {
        PushCheck {
            repository_exists: false,
            tag_mutability: None,
            mutability_exclusions: Vec::new(),
            tags: tags.iter().map(|t| TargetTag::free(t)).collect(),
        }
    }

    /// An existing repository with these settings, and the digest each tag names now: each
    /// tag's `immutable` and `refusal` follow ECR's rule.
    pub fn existing(
        repository: &str,
        tag_mutability: TagMutability,
        mutability_exclusions: Vec<String>,
        tags: Vec<(String, Option<String>)>,
    ) -> PushCheck {
        let tags = tags
            .into_iter()
            .map(|(tag, digest)| {
                let immutable = crate::push::tag_is_immutable(tag_mutability, &mutability_exclusions, &tag);
                let refusal = (immutable && digest.is_some())
                    .then(|| crate::push::refusal_message(repository, &tag, tag_mutability, &mutability_exclusions));
                TargetTag { tag, digest, immutable, refusal }
            })
            .collect();
        PushCheck { repository_exists: true, tag_mutability: Some(tag_mutability), mutability_exclusions, tags }
    }
}

/// What the About box shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct About {
    pub version: String,
    /// The commit it was built from (12 hex digits), or "unknown".
    pub commit: String,
    /// The licence, as an SPDX expression (`Apache-2.0`).
    pub license: String,
}

/// "Copy diagnostics": the text, and whether the clipboard took it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiagnosticsCopy {
    pub text: String,
    pub copied: bool,
}

/// A row of the registry overview beyond what DescribeRepositories says: its images (an
/// index with its platforms is one), their bytes, the newest push, and whether a lifecycle
/// policy cleans it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RepositoryStats {
    pub name: String,
    pub images: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    pub last_pushed: Option<crate::Timestamp>,
    /// The number of rules of its lifecycle policy; none without a policy.
    pub lifecycle_rules: Option<u32>,
}
