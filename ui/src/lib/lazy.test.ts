import { describe, expect, it, vi } from 'vitest';
import type { Component } from 'svelte';
import { Lazy, preload } from './lazy.svelte';

const screen = (() => null) as unknown as Component<Record<string, never>>;

describe('Lazy', () => {
  it('imports once, however often it is read or loaded', async () => {
    const load = vi.fn(() => Promise.resolve({ default: screen }));
    const lazy = new Lazy(load);
    expect(lazy.ready).toBeNull();
    expect(lazy.ready).toBeNull();
    await lazy.load();
    expect(lazy.ready).toBe(screen);
    await lazy.load();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps the error of a failed import and tries again when asked', async () => {
    let fail = true;
    const load = vi.fn(() => (fail ? Promise.reject(new Error('chunk missing')) : Promise.resolve({ default: screen })));
    const lazy = new Lazy(load);
    await lazy.load();
    expect(lazy.component).toBeNull();
    expect(lazy.error).toBe('chunk missing');
    // A read does not hammer a failing import: only `load` tries again.
    expect(lazy.ready).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
    fail = false;
    await lazy.load();
    expect(lazy.ready).toBe(screen);
    expect(lazy.error).toBeNull();
  });

  it('preload loads every screen', async () => {
    const screens = [new Lazy(() => Promise.resolve({ default: screen })), new Lazy(() => Promise.resolve({ default: screen }))];
    await preload(screens);
    expect(screens.every((s) => s.component === screen)).toBe(true);
  });
});
