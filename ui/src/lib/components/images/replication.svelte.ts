// An image's replication status, read again every 2 s while any destination is in progress,
// and no longer once every copy is done or failed, or once the view closes (`stop`).
import { toBackendError, type BackendError } from '../../backend';
import type { ReplicationStatus } from '../../bindings';

export const POLL_MS = 2000;

type Fetch = (repository: string, reference: string) => Promise<ReplicationStatus[]>;

export class ReplicationWatch {
  rows = $state.raw<ReplicationStatus[] | null>(null);
  error = $state.raw<BackendError | null>(null);
  loading = $state(false);
  #fetch: Fetch;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #run = 0;
  #target: [string, string] | null = null;

  constructor(fetch: Fetch) {
    this.#fetch = fetch;
  }

  /** True while ECR is still copying the image somewhere. */
  get inProgress(): boolean {
    return (this.rows ?? []).some((r) => r.status === 'IN_PROGRESS');
  }

  /** Read the status of `reference` now (and keep reading while it is in progress). */
  async load(repository: string, reference: string): Promise<void> {
    this.#target = [repository, reference];
    this.#stopped = false;
    this.#clear();
    const run = ++this.#run;
    this.loading = true;
    try {
      const rows = await this.#fetch(repository, reference);
      if (run !== this.#run || this.#stopped) return;
      this.rows = rows;
      this.error = null;
    } catch (e) {
      if (run !== this.#run || this.#stopped) return;
      this.error = toBackendError(e);
    } finally {
      if (run === this.#run) this.loading = false;
    }
    if (this.inProgress && !this.error) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (this.#target && !this.#stopped) void this.load(...this.#target);
      }, POLL_MS);
    }
  }

  /** Read again now (the Refresh button). */
  refresh(): Promise<void> {
    return this.#target ? this.load(...this.#target) : Promise.resolve();
  }

  /** No more reads (the view closed); an answer still on its way is dropped. */
  stop(): void {
    this.#stopped = true;
    this.#run++;
    this.#clear();
  }

  #clear() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
