// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs). Do not edit.
import type { Channel } from '@tauri-apps/api/core';

export type ErrorCode = "invalid_input" | "not_found" | "already_exists" | "no_credentials" | "credentials_expired" | "access_denied" | "unreachable" | "engine_unavailable" | "keychain_unavailable" | "limit_exceeded" | "cancelled" | "remote" | "internal";

export type BerthError = { code: ErrorCode, message: string, };

export type JobId = string;

export type ImageListEvent = { "event": "started", job: JobId, } | { "event": "page", images: Array<ImageSummary>, loaded: number, } | { "event": "finished", total: number, } | { "event": "failed", error: BerthError, } | { "event": "cancelled", loaded: number, };

export type ProfileSource = { "kind": "environment" } | { "kind": "shared_config", name: string, };

export type ProfileInfo = { 
/**
 * Stable id: `env` or `aws:<name>`.
 */
id: string, label: string, source: ProfileSource, 
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
registry_endpoint: string | null, };

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

/** Every command: its arguments (as the webview passes them) and its result. */
export interface Commands {
  get_connection: { args: {  }; result: Connection };
  list_repositories: { args: {  }; result: Array<Repository> };
  list_images: { args: { repository: string; onEvent: Channel<ImageListEvent> }; result: JobId };
  cancel_job: { args: { job: JobId }; result: boolean };
  list_local_images: { args: {  }; result: Array<LocalImage> };
}
