// The only module that talks to Tauri. Components and stores call these functions; they
// never import @tauri-apps/api themselves.
import { Channel, invoke } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type {
  AppProfileInput, BerthError, Commands, CopyRequest, PublicCatalog, ErrorCode, ImageListEvent, PinnedRegistry, RegistryTarget, ImageRef, JobId, LoadEvent, SimImage, PolicyTemplate, PushEvent, RepositoryChange,
  RepositorySpec,
} from '../bindings';
import { ERROR_CODES } from '../bindings';

export type { BerthError, ErrorCode };

/** A failed command: branch on `code`, show `message`. */
export class BackendError extends Error implements BerthError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}

// Generated from the Rust enum with the other bindings: a new code is known here at once.
const CODES: ReadonlySet<string> = new Set<string>(ERROR_CODES);

/** Whatever a command rejected with, as a BackendError. */
export function toBackendError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  if (typeof e === 'object' && e !== null && 'code' in e && 'message' in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof code === 'string' && CODES.has(code) && typeof message === 'string') {
      return new BackendError(code as ErrorCode, message);
    }
  }
  // Tauri itself rejects with a string (unknown command, denied by a capability…).
  const text = typeof e === 'string' ? e : e instanceof Error ? e.message : JSON.stringify(e);
  return new BackendError('internal', `Berth could not run the command: ${text}`);
}

// Start-up instrumentation (make bench, start): the first call of each command and its answer
// are marked in the page's performance timeline (`berth:call:NAME`, `berth:answer:NAME`), so the
// benchmark can tell where the time to the first rows went.
const marked = new Set<string>();
function mark(name: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name);
}

/** Call a command by name with its typed arguments. */
export async function call<K extends keyof Commands>(
  command: K,
  ...args: Commands[K]['args'] extends Record<string, never> ? [] : [Commands[K]['args']]
): Promise<Commands[K]['result']> {
  const first = !marked.has(command);
  if (first) {
    marked.add(command);
    mark(`berth:call:${command}`);
  }
  try {
    return await invoke<Commands[K]['result']>(command, args[0] ?? {});
  } catch (e) {
    throw toBackendError(e);
  } finally {
    if (first) mark(`berth:answer:${command}`);
  }
}

/** True inside the Berth window (false in unit tests and a plain browser). */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

export const backend = {
  connection: () => call('get_connection'),
  profiles: () => call('list_profiles'),
  selectProfile: (id: string) => call('select_profile', { id }),
  setRegion: (region: string) => call('set_region', { region }),
  regions: () => call('list_regions'),
  checkProfile: (profile: AppProfileInput) => call('check_profile', { profile }),
  saveProfile: (profile: AppProfileInput) => call('save_profile', { profile }),
  removeProfile: (name: string) => call('remove_profile', { name }),
  testConnection: (id: string, mfaCode: string | null = null) => call('test_connection', { id, mfaCode }),
  provideMfaCode: (code: string) => call('provide_mfa_code', { code }),
  repositories: () => call('list_repositories'),
  checkRepository: (spec: RepositorySpec) => call('check_repository', { spec }),
  reviewRepository: (spec: RepositorySpec) => call('review_repository', { spec }),
  createRepository: (spec: RepositorySpec) => call('create_repository', { spec }),
  retryRepositoryPolicies: (spec: RepositorySpec) => call('retry_repository_policies', { spec }),
  repositoryDetails: (name: string) => call('repository_details', { name }),
  /** The overview's figures of one repository: images, bytes, newest push, lifecycle rules. */
  repositoryStats: (name: string) => call('repository_stats', { name }),
  updateRepository: (change: RepositoryChange) => call('update_repository', { change }),
  deleteRepository: (name: string, force: boolean) => call('delete_repository', { name, force }),
  kmsAliases: () => call('list_kms_aliases'),
  renderTemplate: (template: PolicyTemplate) => call('render_policy_template', { template }),
  describePolicy: (text: string) => call('describe_repository_policy', { text }),
  localImages: () => call('list_local_images'),
  checkPushTarget: (repository: string, tags: string[]) => call('check_push_target', { repository, tags }),
  /** Start pushing a local image; events arrive on `onEvent`. Resolves to the job id. */
  pushImage(source: string, repository: string, tags: string[], onEvent: (e: PushEvent) => void): Promise<JobId> {
    const channel = new Channel<PushEvent>();
    channel.onmessage = onEvent;
    return call('push_image', { source, repository, tags, onEvent: channel });
  },
  cancelJob: (job: JobId) => call('cancel_job', { job }),
  /** What copying would do: both ends in words, tags that move or are there, refusals as errors. */
  checkCopy: (request: CopyRequest) => call('check_copy', { request }),
  /** Start copying registry to registry; events arrive on `onEvent`. Resolves to the job id. */
  copyImage(request: CopyRequest, onEvent: (e: PushEvent) => void): Promise<JobId> {
    const channel = new Channel<PushEvent>();
    channel.onmessage = onEvent;
    return call('copy_image', { request, onEvent: channel });
  },
  registries: () => call('list_registries'),
  pinRegistry: (pin: PinnedRegistry, pinned: boolean) => call('pin_registry', { pin, pinned }),
  /** The password goes to the keychain (through Rust) and never comes back. */
  addRegistry: (host: string, username: string, password: string) => call('add_registry', { host, username, password }),
  removeRegistry: (host: string) => call('remove_registry', { host }),
  targetRepositories: (target: RegistryTarget) => call('target_repositories', { target }),
  createRepositoryIn: (profile: string, region: string, name: string) => call('create_repository_in', { profile, region, name }),
  publicRegistry: () => call('public_registry'),
  createPublicRepository: (name: string, catalog: PublicCatalog) => call('create_public_repository', { name, catalog }),
  reviewPublicRepository: (name: string, catalog: PublicCatalog) => call('review_public_repository', { name, catalog }),
  /** A public repository's catalog data and images. */
  publicRepository: (name: string) => call('public_repository', { name }),
  checkPublicPushTarget: (repository: string, tags: string[]) => call('check_public_push_target', { repository, tags }),
  /** Start pushing a local image to a public repository; events arrive on `onEvent`. */
  pushPublicImage(source: string, repository: string, tags: string[], onEvent: (e: PushEvent) => void): Promise<JobId> {
    const channel = new Channel<PushEvent>();
    channel.onmessage = onEvent;
    return call('push_public_image', { source, repository, tags, onEvent: channel });
  },
  deletePublicRepository: (name: string, force: boolean) => call('delete_public_repository', { name, force }),
  deletePublicImages: (repository: string, images: ImageRef[]) => call('delete_public_images', { repository, images }),
  imageDetails: (repository: string, reference: string, platform: string | null = null) =>
    call('image_details', { repository, reference, platform }),
  /** Each side: `repo:tag`, `repo@sha256:…` or `local:name:tag`. */
  compareImages: (a: string, b: string, platform: string | null = null) => call('compare_images', { a, b, platform }),
  addTag: (repository: string, source: string, newTag: string) => call('add_tag', { repository, source, newTag }),
  deleteImages: (repository: string, images: ImageRef[]) => call('delete_images', { repository, images }),
  startScan: (repository: string, digest: string) => call('start_scan', { repository, digest }),
  simulateLifecycle: (policy: string, images: SimImage[], at: string | null) => call('simulate_lifecycle', { policy, images, at }),
  ecrLifecyclePreview: (repository: string, policy: string) => call('ecr_lifecycle_preview', { repository, policy }),
  /** Start loading an image archive into the engine; events arrive on `onEvent`. */
  loadArchive(path: string, onEvent: (e: LoadEvent) => void): Promise<JobId> {
    const channel = new Channel<LoadEvent>();
    channel.onmessage = onEvent;
    return call('load_archive', { path, onEvent: channel });
  },
  /** Files dragged from the OS onto the window: `over` while above it, `drop` with their paths.
   *  Resolves to a function that stops listening. */
  async onFileDrop(handlers: { over: (inside: boolean) => void; drop: (paths: string[]) => void }): Promise<() => void> {
    if (!inTauri()) return () => {};
    return getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      if (p.type === 'enter' || p.type === 'over') handlers.over(true);
      else if (p.type === 'leave') handlers.over(false);
      else if (p.type === 'drop') {
        handlers.over(false);
        if (p.paths.length) handlers.drop(p.paths);
      }
    });
  },
  /** Start listing a repository's images; events arrive on `onEvent`. Resolves to the job id. */
  listImages(repository: string, onEvent: (e: ImageListEvent) => void): Promise<JobId> {
    const channel = new Channel<ImageListEvent>();
    channel.onmessage = onEvent;
    return call('list_images', { repository, onEvent: channel });
  },
};

export type Backend = typeof backend;
export { registry, type RegistryBackend } from './registry';
export { browse, type BrowseBackend } from './browse';
export { help, type HelpBackend } from './help';
