// A repository's images, streamed page by page from the backend's listing job.
import type { ImageListEvent, ImageSummary, StorageChange } from '../bindings';
import { type Backend, BackendError, toBackendError } from '../backend';
import { count } from '../format';
import type { JobsTray } from './jobs.svelte';

export type ListingStatus = 'idle' | 'loading' | 'done' | 'failed' | 'cancelled';

export class ImageListing {
  repository = $state<string | null>(null);
  /** Raw (not deeply reactive): replaced as pages arrive; thousands of rows stay cheap. */
  images = $state.raw<ImageSummary[]>([]);
  /** Platform manifests of listed indexes: shown within their index's row, not as untagged rows. */
  indexChildren = $state.raw<ReadonlySet<string>>(new Set());
  /** The images as rows: an index's untagged platform manifests are part of its row. */
  readonly rows = $derived(this.images.filter((i) => i.tags.length > 0 || !this.indexChildren.has(i.digest)));
  status = $state<ListingStatus>('idle');
  error = $state.raw<BackendError | undefined>(undefined);
  #job: string | null = null;
  #backend: Pick<Backend, 'listImages' | 'cancelJob'>;
  #tray: JobsTray | undefined;
  #run = 0;

  constructor(backend: Pick<Backend, 'listImages' | 'cancelJob'>, tray?: JobsTray) {
    this.#backend = backend;
    this.#tray = tray;
  }

  /** List `repository`, cancelling a listing still running for another one. */
  async open(repository: string): Promise<void> {
    this.cancel();
    // The previous listing's events are ignored from now on, its end included: its tray
    // line ends here, or it would say "Loading images of …" for good.
    if (this.status === 'loading') this.#endLine(`list-${this.#run}`, 'cancelled', 'another repository opened', 800);
    const run = ++this.#run;
    this.repository = repository;
    this.images = [];
    this.indexChildren = new Set();
    this.error = undefined;
    this.status = 'loading';
    const trayId = `list-${run}`;
    const onEvent = (e: ImageListEvent) => {
      if (run !== this.#run) return;
      this.#apply(e, trayId);
    };
    try {
      this.#job = await this.#backend.listImages(repository, onEvent);
      if (run !== this.#run) {
        void this.#backend.cancelJob(this.#job);
        return;
      }
      if (this.status === 'loading') {
        this.#tray?.add({
          id: trayId,
          title: `Loading images of ${repository}`,
          detail: count(this.images.length, 'image'),
          progress: null,
          cancel: () => this.cancel(),
        });
      }
    } catch (e) {
      if (run !== this.#run) return;
      this.status = 'failed';
      this.error = toBackendError(e);
    }
  }

  #apply(e: ImageListEvent, trayId: string): void {
    switch (e.event) {
      case 'started':
        this.#job = e.job;
        break;
      case 'page':
        // For `make bench`: the UI's time from data to first rows starts here.
        if (this.images.length === 0) performance.mark('berth:images-first-page');
        this.images = this.images.concat(e.images);
        this.#tray?.update(trayId, { detail: count(e.loaded, 'image') });
        break;
      case 'index_children':
        this.indexChildren = new Set([...this.indexChildren, ...e.digests]);
        break;
      case 'finished':
        this.status = 'done';
        this.#job = null;
        this.#endLine(trayId, 'done', count(e.total, 'image'), 800);
        break;
      case 'cancelled':
        this.status = 'cancelled';
        this.#job = null;
        this.#endLine(trayId, 'cancelled', `after ${count(e.loaded, 'image')}`);
        break;
      case 'failed':
        this.status = 'failed';
        this.error = new BackendError(e.error.code, e.error.message);
        this.#job = null;
        this.#endLine(trayId, 'failed', e.error.message);
        break;
    }
  }

  /** A listing's tray line at its end says what happened, not "Loading…" while it lingers. */
  #endLine(trayId: string, state: 'done' | 'cancelled' | 'failed', detail: string, ms?: number): void {
    const of = `the images of ${this.repository}`;
    const title = state === 'done' ? `Listed ${of}` : state === 'cancelled' ? `Stopped listing ${of}` : `Could not list ${of}`;
    this.#tray?.update(trayId, { title });
    this.#tray?.finish(trayId, state, detail, ms);
  }

  /** Stop the running listing, if any (the rows loaded so far stay). */
  cancel(): void {
    if (this.#job && this.status === 'loading') {
      void this.#backend.cancelJob(this.#job).catch(() => undefined);
    }
  }

  /**
   * Show the statuses an archive or restore answered at once (the reload that follows brings
   * ECR's times). Refused changes, and images not listed, leave the rows as they are.
   */
  applyStorage(changes: StorageChange[]): void {
    const next = new Map<string, StorageChange['status']>();
    for (const c of changes) if (!c.error && c.digest && c.status) next.set(c.digest, c.status);
    if (!next.size || !this.images.some((i) => next.has(i.digest))) return;
    this.images = this.images.map((i) => {
      const status = next.get(i.digest);
      return status && status !== i.status ? { ...i, status } : i;
    });
  }

  /** Load the current repository again (after a change). */
  reload(): Promise<void> {
    return this.repository ? this.open(this.repository) : Promise.resolve();
  }
}
