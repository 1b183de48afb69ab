// Screens loaded on first use: each is a chunk of its own, so the start-up bundle holds what
// the first screen needs, and the rest loads once the first rows are shown (`preload`) or when
// a screen is opened first, whichever comes first.
import type { Component } from 'svelte';

type AnyComponent = Component<any>;

export class Lazy<C extends AnyComponent> {
  /** The component once loaded. */
  component = $state.raw<C | null>(null);
  /** Why it could not be loaded (a broken install); `load` tries again. */
  error = $state.raw<string | null>(null);
  #import: () => Promise<{ default: C }>;
  #loading: Promise<void> | null = null;

  constructor(load: () => Promise<{ default: C }>) {
    this.#import = load;
  }

  /** Load it (once; again after a failure). Resolves when it is ready or failed. */
  load(): Promise<void> {
    this.#loading ??= this.#import().then(
      (m) => {
        this.component = m.default;
        this.error = null;
      },
      (e: unknown) => {
        this.#loading = null;
        this.error = e instanceof Error ? e.message : String(e);
      },
    );
    return this.#loading;
  }

  /** The component, its loading started by the first read (null until it is ready). */
  get ready(): C | null {
    if (!this.component && !this.error) void this.load();
    return this.component;
  }
}

/** Load every one of `screens` (after the first screen is shown: opening one later is instant). */
export function preload(screens: Iterable<Lazy<AnyComponent>>): Promise<void> {
  return Promise.all([...screens].map((s) => s.load())).then(() => undefined);
}
