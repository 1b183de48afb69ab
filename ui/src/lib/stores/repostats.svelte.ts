// The registry overview's per-repository figures (images, bytes, newest push, lifecycle), asked
// for as rows come into view, a few at a time: a registry of a thousand repositories costs
// what the user scrolls to, not a thousand calls at once.
import type { RepositoryStats } from '../bindings';
import { toBackendError } from '../backend';

export type StatsEntry = { stats: RepositoryStats } | { error: string } | 'loading';

export class RepoStats {
  #entries = $state<Record<string, StatsEntry>>({});
  #queue: string[] = [];
  #active = 0;
  #generation = 0;
  #fetch: (name: string) => Promise<RepositoryStats>;
  #limit: number;

  constructor(fetch: (name: string) => Promise<RepositoryStats>, limit = 4) {
    this.#fetch = fetch;
    this.#limit = limit;
  }

  get(name: string): StatsEntry | undefined {
    return this.#entries[name];
  }

  /** Ask for `name`'s figures once (a row came into view). */
  want(name: string): void {
    if (name in this.#entries) return;
    this.#entries[name] = 'loading';
    this.#queue.push(name);
    this.#pump();
  }

  /** Forget everything (the list was refreshed, or the connection changed); answers still on
   *  their way are dropped. */
  clear(): void {
    this.#generation += 1;
    this.#queue = [];
    this.#entries = {};
  }

  #pump(): void {
    while (this.#active < this.#limit && this.#queue.length > 0) {
      const name = this.#queue.shift()!;
      const generation = this.#generation;
      this.#active += 1;
      this.#fetch(name)
        .then(
          (stats) => {
            if (generation === this.#generation) this.#entries[name] = { stats };
          },
          (e: unknown) => {
            if (generation === this.#generation) this.#entries[name] = { error: toBackendError(e).message };
          },
        )
        .finally(() => {
          this.#active -= 1;
          this.#pump();
        });
    }
  }
}

/** A Svelte action: call `onvisible` once, when the element first scrolls into view. */
export function whenVisible(node: Element, onvisible: () => void) {
  if (typeof IntersectionObserver === 'undefined') {
    onvisible();
    return {};
  }
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect();
      onvisible();
    }
  });
  observer.observe(node);
  return { destroy: () => observer.disconnect() };
}
