// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs). Do not edit.
import type { Channel } from '@tauri-apps/api/core';

export type ErrorCode = "invalid_input" | "not_found" | "already_exists" | "no_credentials" | "credentials_expired" | "access_denied" | "unreachable" | "engine_unavailable" | "keychain_unavailable" | "mfa_required" | "limit_exceeded" | "disk_full" | "cancelled" | "remote" | "internal";

export type BerthError = { code: ErrorCode, message: string, };

export type JobId = string;

export type ImageListEvent = { "event": "started", job: JobId, } | { "event": "page", images: Array<ImageSummary>, loaded: number, } | { "event": "finished", total: number, } | { "event": "failed", error: BerthError, } | { "event": "cancelled", loaded: number, };

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

export type TagMutability = "MUTABLE" | "IMMUTABLE" | "MUTABLE_WITH_EXCLUSION" | "IMMUTABLE_WITH_EXCLUSION";

export type Encryption = { 
/**
 * `AES256` or `KMS` (or `KMS_DSSE`).
 */
kind: string, kms_key: string | null, };

export type Repository = { name: string, uri: string, arn: string, registry_id: string, created_at: string | null, tag_mutability: TagMutability, scan_on_push: boolean, encryption: Encryption, };

export type ImageSummary = { digest: string, tags: Array<string>, size_bytes: number | null, pushed_at: string | null, last_pulled_at: string | null, manifest_media_type: string | null, artifact_media_type: string | null, };

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
mutability_exclusions: Array<string>, scan_on_push: boolean, 
/**
 * `AES256` or `KMS`.
 */
encryption: string, 
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

export type CreateStep = "create_repository" | "put_lifecycle_policy" | "set_repository_policy";

export type StepStatus = "done" | "failed" | "not_attempted";

export type StepOutcome = { step: CreateStep, status: StepStatus, error: BerthError | null, };

export type CreateReport = { 
/**
 * The repository, once it exists.
 */
repository: Repository | null, steps: Array<StepOutcome>, };

export type KmsAlias = { 
/**
 * `alias/name`
 */
name: string, arn: string, target_key_id: string | null, };

export type RepositoryDetails = { repository: Repository, mutability_exclusions: Array<string>, lifecycle_policy: string | null, repository_policy: string | null, tags: Array<ResourceTag>, image_count: number, };

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
digest: string | null, };

export type PushCheck = { repository_exists: boolean, tag_mutability: TagMutability | null, tags: Array<TargetTag>, };

export type LayerState = "waiting" | "preparing" | "pushing" | "already_exists" | "mounted" | "pushed" | "retrying";

export type LayerProgress = { id: string, state: LayerState, current: number, total: number, };

export type PushSummary = { repository: string, tags: Array<string>, digest: string, bytes_pushed: number, layers_skipped: number, seconds: number, };

export type PushEvent = { "event": "started", job: JobId, source: string, target: string, } | { "event": "layer", layer: LayerProgress, } | { "event": "progress", bytes_done: number, bytes_total: number, bytes_per_second: number, eta_seconds: number | null, } | { "event": "retrying", layer: string | null, message: string, } | { "event": "finished", summary: PushSummary, } | { "event": "failed", error: BerthError, } | { "event": "cancelled" };

export type RepositoryChange = { name: string, tag_mutability: TagMutability | null, mutability_exclusions: Array<string> | null, scan_on_push: boolean | null, lifecycle_policy: PolicyChange, repository_policy: PolicyChange, tags: Array<ResourceTag> | null, };

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
  update_repository: { args: { change: RepositoryChange }; result: RepositoryDetails };
  delete_repository: { args: { name: string; force: boolean }; result: null };
  list_kms_aliases: { args: {  }; result: Array<KmsAlias> };
  render_policy_template: { args: { template: PolicyTemplate }; result: string };
  describe_repository_policy: { args: { text: string }; result: Array<string> };
  list_images: { args: { repository: string; onEvent: Channel<ImageListEvent> }; result: JobId };
  cancel_job: { args: { job: JobId }; result: boolean };
  list_local_images: { args: {  }; result: Array<LocalImage> };
  load_archive: { args: { path: string; onEvent: Channel<LoadEvent> }; result: JobId };
  check_push_target: { args: { repository: string; tags: Array<string> }; result: PushCheck };
  push_image: { args: { source: string; repository: string; tags: Array<string>; onEvent: Channel<PushEvent> }; result: JobId };
}
