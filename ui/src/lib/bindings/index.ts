// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs). Do not edit.
import type { Channel } from '@tauri-apps/api/core';

export type ErrorCode = "invalid_input" | "not_found" | "already_exists" | "conflict" | "refused" | "partial" | "unsupported" | "timeout" | "no_credentials" | "credentials_expired" | "access_denied" | "unreachable" | "engine_unavailable" | "keychain_unavailable" | "mfa_required" | "limit_exceeded" | "disk_full" | "cancelled" | "remote" | "internal";

export type BerthError = { code: ErrorCode, message: string, };

export type JobId = string;

export type ImageListEvent = { "event": "started", job: JobId, } | { "event": "page", images: Array<ImageSummary>, loaded: number, } | { "event": "index_children", digests: Array<string>, } | { "event": "finished", total: number, } | { "event": "failed", error: BerthError, } | { "event": "cancelled", loaded: number, };

export type LoadEvent = { "event": "started", job: JobId, file: string, bytes_total: number, } | { "event": "progress", bytes_done: number, bytes_total: number, } | { "event": "finished", images: Array<string>, } | { "event": "failed", error: BerthError, } | { "event": "cancelled" };

export type ProfileSource = { "kind": "environment" } | { "kind": "shared_config", name: string, } | { "kind": "app", name: string, };

export type CredentialKind = "default_chain" | "static_keys" | "sso" | "assume_role" | "credential_process" | "web_identity" | "none";

export type AppCredentialInfo = { 
/**
 * The last four characters of the access key id (`…MPLE`), to recognise it.
 */
access_key_hint: string | null, has_session_token: boolean, role_arn: string | null, external_id: string | null, mfa_serial: string | null, };

export type ProfileInfo = { 
/**
 * Stable id: `env`, `aws:<name>` or `app:<name>`.
 */
id: string, label: string, source: ProfileSource, kind: CredentialKind, 
/**
 * Default region of the profile, when it has one.
 */
region: string | null, 
/**
 * ECR API endpoint override (from `AWS_ENDPOINT_URL` or the profile's settings).
 */
ecr_endpoint: string | null, 
/**
 * Registry (data plane) endpoint override, `host:port`.
 */
registry_endpoint: string | null, 
/**
 * App profiles: what is stored, without the secrets.
 */
app: AppCredentialInfo | null, 
/**
 * Shared-config profiles: the file to edit it in.
 */
edit_in: string | null, };

export type ProfileList = { profiles: Array<ProfileInfo>, 
/**
 * Problems that hid some profiles (an unreadable file…), in words.
 */
problems: Array<string>, 
/**
 * False when no OS keychain can be used: app profiles cannot be added.
 */
keychain_available: boolean, };

export type AppProfileInput = { name: string, 
/**
 * The profile's current name when editing (renaming when it differs from `name`).
 */
previous_name: string | null, access_key_id: string | null, secret_access_key: string | null, session_token: string | null, 
/**
 * Remove a stored session token.
 */
clear_session_token: boolean, role_arn: string | null, external_id: string | null, mfa_serial: string | null, region: string | null, ecr_endpoint: string | null, registry_endpoint: string | null, };

export type FieldProblem = { 
/**
 * The input's field name (`name`, `access_key_id`, `role_arn`…).
 */
field: string, message: string, };

export type RegionInfo = { name: string, description: string, partition: string, };

export type ConnectionTest = { account: string, arn: string, user_id: string, region: string, 
/**
 * The registry id DescribeRegistry reports (the account's registry).
 */
registry_id: string, 
/**
 * The host images are pushed to.
 */
registry_host: string, };

export type Connection = { profile: ProfileInfo, region: string, };

export type About = { version: string, 
/**
 * The commit it was built from (12 hex digits), or "unknown".
 */
commit: string, 
/**
 * The licence, as an SPDX expression (`Apache-2.0`).
 */
license: string, };

export type DiagnosticsCopy = { text: string, copied: boolean, };

export type TagMutability = "MUTABLE" | "IMMUTABLE" | "MUTABLE_WITH_EXCLUSION" | "IMMUTABLE_WITH_EXCLUSION";

export type EncryptionKind = "AES256" | "KMS" | "KMS_DSSE";

export type Encryption = { kind: EncryptionKind, kms_key: string | null, };

export type Repository = { name: string, uri: string, arn: string, registry_id: string, created_at: string | null, tag_mutability: TagMutability, scan_on_push: boolean, encryption: Encryption, };

export type ScanStatus = "IN_PROGRESS" | "COMPLETE" | "FAILED" | "UNSUPPORTED_IMAGE" | "ACTIVE" | "PENDING" | "SCAN_ELIGIBILITY_EXPIRED" | "FINDINGS_UNAVAILABLE" | "LIMIT_EXCEEDED" | "IMAGE_ARCHIVED" | "UNKNOWN";

export type ImageSummary = { digest: string, tags: Array<string>, size_bytes: number | null, pushed_at: string | null, last_pulled_at: string | null, manifest_media_type: string | null, artifact_media_type: string | null, 
/**
 * None when never scanned.
 */
scan_status: ScanStatus | null, 
/**
 * Findings by severity (`CRITICAL`, `HIGH`…) of the last scan.
 */
severity_counts: { [key in string]: number }, 
/**
 * For a multi-platform index: its platforms (`linux/amd64`…).
 */
platforms: Array<string>, 
/**
 * ACTIVE, ARCHIVED (cannot be pulled) or ACTIVATING (being restored).
 */
status: ImageStatus, last_archived_at: string | null, last_activated_at: string | null, };

export type LocalImage = { 
/**
 * `sha256:…` image id.
 */
id: string, 
/**
 * `repository:tag` references; empty for a dangling image.
 */
repo_tags: Array<string>, repo_digests: Array<string>, size_bytes: number, created_at: string | null, 
/**
 * Number of layers, when the engine reports it.
 */
layers: number | null, };

export type ResourceTag = { key: string, value: string, };

export type RepositorySpec = { name: string, tag_mutability: TagMutability, 
/**
 * Wildcard tag filters exempt from the mutability setting (the *_WITH_EXCLUSION modes), at most 5.
 */
mutability_exclusions: Array<string>, scan_on_push: boolean, encryption: EncryptionKind, 
/**
 * KMS key (ARN, key id or alias) when `encryption` is `KMS`; none: the AWS managed key.
 */
kms_key: string | null, 
/**
 * Lifecycle policy JSON, when one is to be set.
 */
lifecycle_policy: string | null, 
/**
 * Repository policy JSON, when one is to be set.
 */
repository_policy: string | null, tags: Array<ResourceTag>, };

export type RepositoryStep = "create_repository" | "put_lifecycle_policy" | "set_repository_policy" | "set_tag_mutability" | "set_scan_on_push" | "delete_lifecycle_policy" | "delete_repository_policy" | "set_tags";

export type StepStatus = "done" | "failed" | "not_attempted";

export type StepOutcome = { step: RepositoryStep, status: StepStatus, error: BerthError | null, };

export type CreateReport = { 
/**
 * The repository, once it exists.
 */
repository: Repository | null, steps: Array<StepOutcome>, };

export type UpdateReport = { steps: Array<StepOutcome>, 
/**
 * The repository as it is after the change (none if it could not be read back).
 */
details: RepositoryDetails | null, };

export type KmsAlias = { 
/**
 * `alias/name`
 */
name: string, arn: string, target_key_id: string | null, };

export type RepositoryDetails = { repository: Repository, mutability_exclusions: Array<string>, lifecycle_policy: string | null, repository_policy: string | null, tags: Array<ResourceTag>, image_count: number, };

export type RepositoryStats = { name: string, images: number, bytes: number, last_pushed: string | null, 
/**
 * The number of rules of its lifecycle policy; none without a policy.
 */
lifecycle_rules: number | null, };

export type PolicyTemplate = { "template": "keep_last_tagged", count: number, } | { "template": "expire_untagged", days: number, } | { "template": "keep_release_tags", pattern: string, count: number, untagged_days: number, } | { "template": "allow_pull_from_accounts", accounts: Array<string>, } | { "template": "allow_push_from_role", role_arn: string, } | { "template": "allow_lambda_pull", account: string, };

export type RepositoryReview = { problems: Array<FieldProblem>, policy_in_words: Array<string>, cli_commands: Array<string>, 
/**
 * Where the repository will be pushed to: `registry/name`.
 */
uri: string, };

export type PolicyChange = { "change": "keep" } | { "change": "set", text: string, } | { "change": "remove" };

export type TargetTag = { tag: string, 
/**
 * The digest the tag names now; `None`: the tag is free.
 */
digest: string | null, 
/**
 * The repository's settings make this tag immutable (see
 * [`push::tag_is_immutable`](crate::push::tag_is_immutable)): once it exists, ECR refuses
 * to move it. A free immutable tag can still be pushed, once.
 */
immutable: boolean, 
/**
 * Why a push of this tag would be refused (it exists and is immutable), in words to show
 * as they are; `None`: it may be pushed.
 */
refusal: string | null, };

export type PushCheck = { repository_exists: boolean, tag_mutability: TagMutability | null, 
/**
 * The repository's tag mutability exclusion filters (ECR wildcard filters, `*` for any
 * run of characters), which apply in the `*_WITH_EXCLUSION` modes.
 */
mutability_exclusions: Array<string>, tags: Array<TargetTag>, };

export type LayerState = "waiting" | "preparing" | "pushing" | "already_exists" | "mounted" | "pushed" | "retrying";

export type LayerProgress = { id: string, state: LayerState, current: number, total: number, };

export type PushSummary = { repository: string, tags: Array<string>, digest: string, bytes_pushed: number, layers_skipped: number, seconds: number, };

export type CopySummary = { 
/**
 * Both ends as the user reads them (registry, repository, tag or digest).
 */
source: string, destination: string, digest: string, tags: Array<string>, 
/**
 * Manifests written: 1 for an image, the index and each of its manifests for an index.
 */
manifests: number, blobs_copied: number, blobs_mounted: number, blobs_skipped: number, bytes_copied: number, 
/**
 * Layers the image points at elsewhere (foreign, non-distributable): not copied.
 */
foreign_layers: Array<string>, 
/**
 * From the start of planning (for `local:`, the engine's export included) to the last tag.
 */
seconds: number, };

export type CopyRequest = { source: string, destination: string, tags: Array<string>, to_profile: string | null, to_region: string | null, };

export type CopyCheck = { 
/**
 * Both ends in words: the repository and tag, and where (account · region, or host).
 */
source: string, destination: string, digest: string, 
/**
 * The manifests an index lists (0 for one image).
 */
platforms: number, blobs: number, bytes_total: number, tags: Array<string>, 
/**
 * Tags of the destination that name another image now and will move.
 */
moving: Array<string>, 
/**
 * Tags of the destination that name this image already.
 */
in_place: Array<string>, foreign_layers: Array<string>, 
/**
 * The two ends are ECR registries of different accounts.
 */
cross_account: boolean, 
/**
 * The job's line: both ends, with the accounts when they differ.
 */
title: string, };

export type PinnedRegistry = { 
/**
 * The profile id (`env`, `aws:NAME`, `app:NAME`).
 */
profile: string, region: string, };

export type HeldRegistry = { host: string, username: string, };

export type Registries = { pinned: Array<PinnedRegistry>, held: Array<HeldRegistry>, };

export type RegistryTarget = { "kind": "pinned", profile: string, region: string, } | { "kind": "oci", host: string, };

export type TargetRepositories = { names: Array<string>, note: string | null, };

export type PublicRepository = { name: string, 
/**
 * `public.ecr.aws/ALIAS/NAME`.
 */
uri: string, created_at: string | null, description: string | null, about_text: string | null, usage_text: string | null, architectures: Array<string>, operating_systems: Array<string>, };

export type PublicCatalog = { description: string | null, about_text: string | null, usage_text: string | null, architectures: Array<string>, operating_systems: Array<string>, };

export type PublicRegistry = { alias: string, repositories: Array<PublicRepository>, };

export type PublicImage = { digest: string, tags: Array<string>, size_bytes: number | null, pushed_at: string | null, media_type: string | null, };

export type PublicRepositoryView = { alias: string, repository: PublicRepository, images: Array<PublicImage>, };

export type PublicReview = { uri: string, cli: string, problems: Array<string>, notes: Array<string>, };

export type PushEvent = { "event": "started", job: JobId, source: string, target: string, } | { "event": "layer", layer: LayerProgress, } | { "event": "progress", bytes_done: number, bytes_total: number, bytes_per_second: number, eta_seconds: number | null, } | { "event": "retrying", layer: string | null, message: string, } | { "event": "finished", summary: PushSummary, } | { "event": "copied", summary: CopySummary, } | { "event": "failed", error: BerthError, } | { "event": "cancelled", written: Array<string>, message: string, };

export type RepositoryChange = { name: string, tag_mutability: TagMutability | null, mutability_exclusions: Array<string> | null, scan_on_push: boolean | null, lifecycle_policy: PolicyChange, repository_policy: PolicyChange, tags: Array<ResourceTag> | null, };

export type HistoryEntry = { created: string | null, created_by: string, 
/**
 * A step that made no layer (ENV, CMD, LABEL…).
 */
empty_layer: boolean, comment: string | null, };

export type ImageConfig = { architecture: string | null, os: string | null, variant: string | null, created: string | null, user: string | null, working_dir: string | null, entrypoint: Array<string>, cmd: Array<string>, env: Array<string>, labels: { [key in string]: string }, exposed_ports: Array<string>, history: Array<HistoryEntry>, 
/**
 * Uncompressed layer digests (`rootfs.diff_ids`): the same for a registry and an engine.
 */
diff_ids: Array<string>, };

export type LayerInfo = { digest: string, size: number, media_type: string, };

export type PlatformEntry = { 
/**
 * `linux/amd64`; `unknown/unknown` for attestations.
 */
platform: string, digest: string, media_type: string, size: number, };

export type ImageInfo = { 
/**
 * As the user named it: `repo:tag`, `repo@sha256:…`, `local:name:tag`.
 */
reference: string, 
/**
 * The digest of the reference (for an index: the index's).
 */
digest: string, media_type: string, 
/**
 * The image manifest's digest (differs from `digest` for an index).
 */
manifest_digest: string, 
/**
 * Sum of the layers' (compressed) sizes and the config.
 */
size: number, config: ImageConfig, layers: Array<LayerInfo>, 
/**
 * For an index: every platform it holds (the image above is one of them).
 */
platforms: Array<PlatformEntry>, 
/**
 * The manifest as the registry serves it, pretty-printed.
 */
manifest_json: string, 
/**
 * Where the layers come from: `registry` (compressed digests) or `engine` (uncompressed).
 */
source: string, };

export type LayerStatus = "shared" | "only_a" | "only_b";

export type LayerRow = { digest: string, size: number, status: LayerStatus, 
/**
 * Position in A's and B's layer lists (0-based).
 */
index_a: number | null, index_b: number | null, };

export type ConfigChange = { path: string, a: string | null, b: string | null, };

export type HistoryRow = { status: LayerStatus, created_by: string, empty_layer: boolean, };

export type CompareSide = { reference: string, digest: string, size: number, created: string | null, platform: string | null, };

export type PlatformPair = { platform: string, a: string | null, b: string | null, };

export type Finding = { 
/**
 * CVE or advisory id.
 */
name: string, severity: string, package: string | null, version: string | null, fixed_in: string | null, uri: string | null, 
/**
 * The score Inspector gives (CVSS base score, adjusted for the environment).
 */
score: number | null, 
/**
 * Where the score comes from: "NVD CVSS 3.1", ...
 */
score_source: string | null, scoring_vector: string | null, 
/**
 * `YES`, `NO` or `PARTIAL`.
 */
fix_available: string | null, 
/**
 * `YES` or `NO`.
 */
exploit_available: string | null, 
/**
 * Where in the image the vulnerable package lives.
 */
file_path: string | null, 
/**
 * What to do about it.
 */
remediation: string | null, first_observed: string | null, last_observed: string | null, title: string | null, };

export type ScanFindings = { status: ScanStatus, description: string | null, completed_at: string | null, severity_counts: { [key in string]: number }, findings: Array<Finding>, };

export type VulnerabilityDiff = { new: Array<Finding>, fixed: Array<Finding>, unchanged: Array<Finding>, };

export type Comparison = { a: CompareSide, b: CompareSide, 
/**
 * Same digest: nothing differs.
 */
identical: boolean, 
/**
 * How layers were matched: `digest` (both from registries) or `content` (uncompressed digests).
 */
matched_by: string, layers: Array<LayerRow>, shared_bytes: number, only_a_bytes: number, only_b_bytes: number, config_changes: Array<ConfigChange>, history: Array<HistoryRow>, 
/**
 * For two indexes: the platform matrix.
 */
platforms: Array<PlatformPair>, 
/**
 * When both sides have scan findings.
 */
vulnerabilities: VulnerabilityDiff | null, };

export type Snippets = { docker_pull: string, ecs_image: string, kubernetes: string, };

export type ImageRef = { digest: string | null, tag: string | null, };

export type DeleteFailure = { image: ImageRef, 
/**
 * ECR's reason.
 */
reason: string, };

export type DeleteReport = { deleted: Array<ImageRef>, failed: Array<DeleteFailure>, };

export type ImageDetails = { image: ImageInfo, repository: string, 
/**
 * Every tag that names this image now (ECR's DescribeImages).
 */
tags: Array<string>, findings: ScanFindings | null, snippets: Snippets, };

export type LifecyclePolicy = { rules: Array<Rule>, };

export type Rule = { rulePriority: number, description?: string | null, selection: Selection, action: Action, };

export type TagStatus = "tagged" | "untagged" | "any";

export type StorageClass = "standard" | "archive";

export type ImageStorageClass = "STANDARD" | "ARCHIVE";

export type CountUnit = "days";

export type LifecyclePreviewStatus = "IN_PROGRESS" | "COMPLETE" | "EXPIRED" | "FAILED";

export type CountType = "imageCountMoreThan" | "sinceImagePushed" | "sinceImagePulled" | "sinceImageTransitioned";

export type Selection = { tagStatus: TagStatus, tagPrefixList?: Array<string> | null, tagPatternList?: Array<string> | null, 
/**
 * Which images the rule looks at (newer ECR); `standard` when absent.
 */
storageClass?: StorageClass | null, countType: CountType, 
/**
 * `days` for the `since*` count types.
 */
countUnit?: CountUnit | null, countNumber: number, };

export type ActionType = "expire" | "transition";

export type Action = { type: ActionType, 
/**
 * For `transition`: `archive`.
 */
targetStorageClass?: StorageClass | null, };

export type SimImage = { imageDigest: string, imageTags: Array<string>, 
/**
 * RFC 3339, from 1677-09-21 to 2262-04-11 (the simulation counts nanoseconds in 64 bits);
 * empty when unknown (such an image sorts as the oldest and is never old enough).
 */
imagePushedAt: string, lastRecordedPullTime?: string | null, 
/**
 * When the image was archived (`lastArchivedAt`).
 */
lastTransitionedAt?: string | null, 
/**
 * `STANDARD` when absent.
 */
storageClass?: ImageStorageClass | null, };

export type Decision = { 
/**
 * The image's place in the list simulated.
 */
image: number, rule_priority: number, action: ActionType, 
/**
 * "rule 2: 7th newest image tagged `release-*`, keeps 5"
 */
reason: string, };

export type Simulation = { problems: Array<FieldProblem>, decisions: Array<Decision>, };

export type EcrPreview = { status: LifecyclePreviewStatus, 
/**
 * (digest, rule priority) of each image ECR would act on.
 */
results: Array<EcrPreviewHit>, };

export type EcrPreviewHit = { digest: string, rule_priority: number, };

export type ImageStatus = "ACTIVE" | "ARCHIVED" | "ACTIVATING";

export type ReplicationDestination = { region: string, 
/**
 * The destination account (12 digits); this account for a cross-region rule.
 */
registryId: string, };

export type RepositoryFilter = { filter: string, 
/**
 * `PREFIX_MATCH`, the only type ECR has.
 */
filterType: string, };

export type ReplicationRule = { destinations: Array<ReplicationDestination>, 
/**
 * No filter: every repository.
 */
repositoryFilters: Array<RepositoryFilter>, };

export type ReplicationConfiguration = { rules: Array<ReplicationRule>, };

export type ReplicationStatus = { region: string, registry_id: string, 
/**
 * ECR's word: `IN_PROGRESS`, `COMPLETE`, `FAILED`.
 */
status: string, failure_code: string | null, 
/**
 * The status in a sentence, with the failure in words.
 */
words: string, };

export type RegistryPolicyTemplate = { "template": "allow_replication_from", source_account: string, } | { "template": "for_replication_destination", destination_account: string, region: string, } | { "template": "allow_pull_through_creation", principal_arn: string, prefix: string, };

export type Upstream = "ecr" | "ecr-public" | "docker-hub" | "github-container-registry" | "gitlab-container-registry" | "quay" | "k8s" | "azure-container-registry" | "chainguard";

export type PullThroughRule = { ecr_repository_prefix: string, upstream_registry_url: string, upstream: Upstream | null, upstream_repository_prefix: string | null, credential_arn: string | null, custom_role_arn: string | null, created_at: string | null, updated_at: string | null, 
/**
 * `docker pull HOST/PREFIX/…` of an example image.
 */
pull_command: string, };

export type PullThroughInput = { ecr_repository_prefix: string, upstream_registry_url: string, upstream_repository_prefix: string | null, credential_arn: string | null, 
/**
 * A new secret `ecr-pullthroughcache/PREFIX` from a user name and a token.
 */
username: string | null, token: string | null, custom_role_arn: string | null, };

export type PullThroughValidation = { ecr_repository_prefix: string, is_valid: boolean, failure: string | null, };

export type CredentialSecret = { name: string, arn: string, };

export type AppliedFor = "PULL_THROUGH_CACHE" | "REPLICATION" | "CREATE_ON_PUSH";

export type CreationTemplate = { prefix: string, description: string | null, applied_for: Array<AppliedFor>, settings: RepositorySpec, custom_role_arn: string | null, created_at: string | null, updated_at: string | null, };

export type ScanType = "BASIC" | "ENHANCED";

export type ScanFrequency = "MANUAL" | "SCAN_ON_PUSH" | "CONTINUOUS_SCAN";

export type ScanningRule = { scan_frequency: ScanFrequency, 
/**
 * Wildcard filters of repository names (`*` any run of characters).
 */
repository_filters: Array<string>, };

export type ScanningConfiguration = { scan_type: ScanType, rules: Array<ScanningRule>, };

export type ScanCoverage = { repository: string, frequency: ScanFrequency, 
/**
 * The rule's place in the configuration; none when no rule covers the repository.
 */
rule: number | null, 
/**
 * The filter that matched.
 */
filter: string | null, 
/**
 * No rule, but basic scanning honours the repository's own scan-on-push setting.
 */
repository_setting: boolean, };

export type ScanningView = { configuration: ScanningConfiguration, words: Array<string>, coverage: Array<ScanCoverage>, };

export type AccountSetting = { name: string, value: string | null, 
/**
 * The values ECR accepts.
 */
values: Array<string>, explanation: string, };

export type StorageChange = { image: string, digest: string | null, status: ImageStatus | null, error: string | null, 
/**
 * Nothing was needed: already in that state, or the same image as another one named.
 */
note: string | null, };

export type RegistryOverview = { registry_id: string, region: string, replication: ReplicationConfiguration, pull_through_cache: Array<PullThroughRule>, templates: Array<CreationTemplate>, scanning: ScanningConfiguration, 
/**
 * The registry policy's JSON, when one is set.
 */
policy: string | null, settings: Array<AccountSetting>, };

export type DockerRegistry = { 
/**
 * `HOST[:PORT]` as references name it (`docker.io` for Docker Hub's index URL).
 */
host: string, 
/**
 * Where the configuration names it: `auths`, or `credHelpers (docker-credential-NAME)`.
 */
from: string, };

export type BrowseRepositories = { 
/**
 * The registry's host in references (`ACCOUNT.dkr.ecr.REGION.amazonaws.com` for ECR).
 */
host: string, 
/**
 * Listed by the registry (its catalog, or DescribeRepositories).
 */
listed: Array<string>, 
/**
 * Opened or typed before (remembered per host) and not listed.
 */
remembered: Array<string>, 
/**
 * Why the registry lists none (it refuses `/v2/_catalog`): open one by name instead.
 */
note: string | null, };

/** Every error code, for checking a rejection at run time. */
export const ERROR_CODES: readonly ErrorCode[] = ['invalid_input', 'not_found', 'already_exists', 'conflict', 'refused', 'partial', 'unsupported', 'timeout', 'no_credentials', 'credentials_expired', 'access_denied', 'unreachable', 'engine_unavailable', 'keychain_unavailable', 'mfa_required', 'limit_exceeded', 'disk_full', 'cancelled', 'remote', 'internal'];

/** Every command: its arguments (as the webview passes them) and its result. */
export interface Commands {
  get_connection: { args: {  }; result: Connection };
  list_profiles: { args: {  }; result: ProfileList };
  select_profile: { args: { id: string }; result: Connection };
  set_region: { args: { region: string }; result: Connection };
  list_regions: { args: {  }; result: Array<RegionInfo> };
  check_profile: { args: { profile: AppProfileInput }; result: Array<FieldProblem> };
  save_profile: { args: { profile: AppProfileInput }; result: ProfileInfo };
  remove_profile: { args: { name: string }; result: null };
  test_connection: { args: { id: string; mfaCode: string | null }; result: ConnectionTest };
  provide_mfa_code: { args: { code: string }; result: Connection };
  list_repositories: { args: {  }; result: Array<Repository> };
  check_repository: { args: { spec: RepositorySpec }; result: Array<FieldProblem> };
  review_repository: { args: { spec: RepositorySpec }; result: RepositoryReview };
  create_repository: { args: { spec: RepositorySpec }; result: CreateReport };
  retry_repository_policies: { args: { spec: RepositorySpec }; result: Array<StepOutcome> };
  repository_details: { args: { name: string }; result: RepositoryDetails };
  repository_stats: { args: { name: string }; result: RepositoryStats };
  update_repository: { args: { change: RepositoryChange }; result: UpdateReport };
  delete_repository: { args: { name: string; force: boolean }; result: null };
  list_kms_aliases: { args: {  }; result: Array<KmsAlias> };
  render_policy_template: { args: { template: PolicyTemplate }; result: string };
  describe_repository_policy: { args: { text: string }; result: Array<string> };
  list_images: { args: { repository: string; onEvent: Channel<ImageListEvent> }; result: JobId };
  image_details: { args: { repository: string; reference: string; platform: string | null }; result: ImageDetails };
  compare_images: { args: { a: string; b: string; platform: string | null }; result: Comparison };
  add_tag: { args: { repository: string; source: string; newTag: string }; result: string };
  delete_images: { args: { repository: string; images: Array<ImageRef> }; result: DeleteReport };
  start_scan: { args: { repository: string; digest: string }; result: ScanStatus };
  cancel_job: { args: { job: JobId }; result: boolean };
  simulate_lifecycle: { args: { policy: string; images: Array<SimImage>; at: string | null }; result: Simulation };
  ecr_lifecycle_preview: { args: { repository: string; policy: string }; result: EcrPreview };
  list_local_images: { args: {  }; result: Array<LocalImage> };
  load_archive: { args: { path: string; onEvent: Channel<LoadEvent> }; result: JobId };
  check_push_target: { args: { repository: string; tags: Array<string> }; result: PushCheck };
  push_image: { args: { source: string; repository: string; tags: Array<string>; onEvent: Channel<PushEvent> }; result: JobId };
  check_copy: { args: { request: CopyRequest }; result: CopyCheck };
  copy_image: { args: { request: CopyRequest; onEvent: Channel<PushEvent> }; result: JobId };
  list_registries: { args: {  }; result: Registries };
  pin_registry: { args: { pin: PinnedRegistry; pinned: boolean }; result: Array<PinnedRegistry> };
  add_registry: { args: { host: string; username: string; password: string }; result: HeldRegistry };
  remove_registry: { args: { host: string }; result: null };
  target_repositories: { args: { target: RegistryTarget }; result: TargetRepositories };
  create_repository_in: { args: { profile: string; region: string; name: string }; result: null };
  public_registry: { args: {  }; result: PublicRegistry };
  create_public_repository: { args: { name: string; catalog: PublicCatalog }; result: PublicRepository };
  review_public_repository: { args: { name: string; catalog: PublicCatalog }; result: PublicReview };
  public_repository: { args: { name: string }; result: PublicRepositoryView };
  check_public_push_target: { args: { repository: string; tags: Array<string> }; result: PushCheck };
  push_public_image: { args: { source: string; repository: string; tags: Array<string>; onEvent: Channel<PushEvent> }; result: JobId };
  delete_public_repository: { args: { name: string; force: boolean }; result: null };
  delete_public_images: { args: { repository: string; images: Array<ImageRef> }; result: DeleteReport };
  registry_overview: { args: {  }; result: RegistryOverview };
  check_replication: { args: { config: ReplicationConfiguration }; result: Array<FieldProblem> };
  set_replication: { args: { config: ReplicationConfiguration }; result: ReplicationConfiguration };
  replication_words: { args: { config: ReplicationConfiguration }; result: Array<string> };
  registry_policy_template: { args: { template: RegistryPolicyTemplate }; result: string };
  replication_status: { args: { repository: string; reference: string }; result: Array<ReplicationStatus> };
  credential_secrets: { args: {  }; result: Array<CredentialSecret> };
  add_pull_through_rule: { args: { input: PullThroughInput }; result: PullThroughRule };
  update_pull_through_rule: { args: { input: PullThroughInput }; result: PullThroughRule };
  validate_pull_through_rule: { args: { prefix: string }; result: PullThroughValidation };
  remove_pull_through_rule: { args: { prefix: string }; result: null };
  check_template: { args: { template: CreationTemplate }; result: Array<FieldProblem> };
  save_template: { args: { template: CreationTemplate }; result: CreationTemplate };
  remove_template: { args: { prefix: string }; result: null };
  scanning: { args: {  }; result: ScanningView };
  set_scanning: { args: { config: ScanningConfiguration }; result: ScanningView };
  set_registry_policy: { args: { text: string }; result: null };
  clear_registry_policy: { args: {  }; result: null };
  set_account_setting: { args: { name: string; value: string }; result: null };
  set_image_storage: { args: { repository: string; images: Array<string>; archive: boolean }; result: Array<StorageChange> };
  docker_registries: { args: {  }; result: Array<DockerRegistry> };
  browse_repositories: { args: { target: RegistryTarget }; result: BrowseRepositories };
  browse_tags: { args: { repository: string }; result: Array<string> };
  forget_repository: { args: { host: string; repository: string }; result: Array<string> };
  registry_digest: { args: { reference: string }; result: string };
  registry_image: { args: { reference: string; platform: string | null }; result: ImageInfo };
  about: { args: {  }; result: About };
  copy_diagnostics: { args: {  }; result: DiagnosticsCopy };
  open_log_folder: { args: {  }; result: string };
}
