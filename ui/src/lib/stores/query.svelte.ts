// Server state, cached by command and arguments, refreshed on demand (after mutations).
import { BackendError, toBackendError } from '../backend';

export class Query<T> {
  data = $state.raw<T | undefined>(undefined);
  error = $state.raw<BackendError | undefined>(undefined);
  loading = $state(false);
  #fetcher: () => Promise<T>;
  #generation = 0;

  constructor(fetcher: () => Promise<T>) {
    this.#fetcher = fetcher;
  }

  /** Forget the data and error (a new fetch follows). */
  reset(): void {
    this.data = undefined;
    this.error = undefined;
  }

  /** Fetch again; the last answer wins if calls overlap. Keeps the old data meanwhile. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const data = await this.#fetcher();
      if (generation !== this.#generation) return;
      this.data = data;
      this.error = undefined;
    } catch (e) {
      if (generation !== this.#generation) return;
      this.error = toBackendError(e);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}

export class QueryCache {
  #queries = new Map<string, Query<unknown>>();

  /** The query for `key`, created and fetched on first use. */
  get<T>(key: string, fetcher: () => Promise<T>): Query<T> {
    let q = this.#queries.get(key) as Query<T> | undefined;
    if (!q) {
      q = new Query(fetcher);
      this.#queries.set(key, q as Query<unknown>);
      void q.refresh();
    }
    return q;
  }

  /** Refresh every cached query whose key starts with one of `prefixes` (all when none).
   * With `clear`, their data is dropped first (it belonged to another connection). */
  async invalidate(prefixes: string[] = [''], clear = false): Promise<void> {
    const stale = [...this.#queries.entries()].filter(([k]) => prefixes.some((p) => k.startsWith(p)));
    if (clear) for (const [, q] of stale) q.reset();
    await Promise.all(stale.map(([, q]) => q.refresh()));
  }

  /** Forget everything (the connection changed). */
  clear(): void {
    this.#queries.clear();
  }
}

export function key(command: string, args: Record<string, unknown> = {}): string {
  return `${command}:${JSON.stringify(args)}`;
}
