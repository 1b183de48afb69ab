import { describe, expect, it, vi } from 'vitest';
import {
  RECENT_KEY,
  RECENT_LIMIT,
  SHORTCUTS,
  actionForText,
  ariaShortcut,
  buildActions,
  formatShortcut,
  highlightParts,
  isMac,
  loadRecents,
  keyboardHelp,
  matchesShortcut,
  parseTyped,
  rank,
  remember,
  saveRecents,
  type PaletteCommands,
  type PaletteState,
} from './palette';

function commands(): PaletteCommands & Record<string, ReturnType<typeof vi.fn>> {
  return {
    openRepository: vi.fn(),
    openReference: vi.fn(),
    compare: vi.fn(),
    push: vi.fn(),
    createRepository: vi.fn(),
    selectProfile: vi.fn(),
    setRegion: vi.fn(),
    openRegistry: vi.fn(),
    openLifecycle: vi.fn(),
    showJobs: vi.fn(),
    copyDiagnostics: vi.fn(),
    about: vi.fn(),
    showShortcuts: vi.fn(),
  };
}

const state: PaletteState = {
  repositories: ['api/orders', 'api/payments', 'web', 'tools/empty'],
  localImages: [
    { id: 'sha256:aaa', ref: 'demo/app:dev', tags: ['demo/app:dev', 'demo/app:latest'] },
    { id: 'sha256:bbb', ref: 'sha256:bbb', tags: [] },
  ],
  profiles: [
    { id: 'env', label: 'Default chain' },
    { id: 'app:staging', label: 'staging' },
  ],
  activeProfile: 'env',
  regions: [
    { name: 'us-east-1', description: 'US East (N. Virginia)' },
    { name: 'us-west-2', description: 'US West (Oregon)' },
    { name: 'eu-west-1', description: 'Europe (Ireland)' },
  ],
  activeRegion: 'us-east-1',
  currentRepository: null,
};

const labels = (r: { action: { label: string } }[]) => r.map((x) => x.action.label);
const ids = (r: { action: { id: string } }[]) => r.map((x) => x.action.id);

describe('the palette’s actions', () => {
  it('names one action per repository, local image, profile and region, and the general ones', () => {
    const all = buildActions(state, commands()).map((a) => a.label);
    for (const l of [
      'Open repository api/orders',
      'Open repository tools/empty',
      'Push demo/app:dev…',
      'Push sha256:bbb…',
      'Create repository…',
      'Switch profile to staging',
      'Switch region to us-west-2',
      'Open registry settings',
      'Show jobs',
      'Copy diagnostics',
      'About Berth',
    ]) {
      expect(all).toContain(l);
    }
  });

  it('offers the lifecycle studio only with a repository on screen', () => {
    expect(ids(rank('', buildActions(state, commands()), [], commands()))).not.toContain('lifecycle:api/orders');
    const c = commands();
    const actions = buildActions({ ...state, currentRepository: 'api/orders' }, c);
    expect(actions[0]!.label).toBe('Open lifecycle studio of api/orders');
    actions[0]!.run();
    expect(c.openLifecycle).toHaveBeenCalledWith('api/orders');
  });

  it('runs what it names', () => {
    const c = commands();
    const actions = buildActions(state, c);
    const run = (id: string) => actions.find((a) => a.id === id)!.run();
    run('repo:api/payments');
    expect(c.openRepository).toHaveBeenCalledWith('api/payments');
    run('push:sha256:aaa');
    expect(c.push).toHaveBeenCalledWith('sha256:aaa');
    run('region:us-west-2');
    expect(c.setRegion).toHaveBeenCalledWith('us-west-2');
    run('profile:app:staging');
    expect(c.selectProfile).toHaveBeenCalledWith('app:staging');
    run('registry');
    run('jobs');
    run('diagnostics');
    run('about');
    run('create-repo');
    for (const f of ['openRegistry', 'showJobs', 'copyDiagnostics', 'about', 'createRepository'] as const) expect(c[f]).toHaveBeenCalledOnce();
    // The current region and profile are listed, and choosing them changes nothing.
    run('region:us-east-1');
    run('profile:env');
    expect(c.setRegion).toHaveBeenCalledOnce();
    expect(c.selectProfile).toHaveBeenCalledOnce();
  });
});

describe('typed references and comparisons', () => {
  it('reads an image, a comparison in each spelling, and a full reference of another registry', () => {
    expect(parseTyped('web:1')).toEqual({ kind: 'image', reference: 'web:1' });
    expect(parseTyped(`web@sha256:${'a'.repeat(64)}`)).toEqual({ kind: 'image', reference: `web@sha256:${'a'.repeat(64)}` });
    expect(parseTyped('123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2')).toEqual({ kind: 'image', reference: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2' });
    expect(parseTyped('ghcr.io/team/tool:1')).toEqual({ kind: 'image', reference: 'ghcr.io/team/tool:1' });
    for (const t of ['web:1 ⇄ web:2', 'web:1 <> web:2', 'web:1 <-> web:2', ' web:1 vs web:2 ']) {
      expect(parseTyped(t)).toEqual({ kind: 'compare', a: 'web:1', b: 'web:2' });
    }
  });

  it('leaves words, repository names and half comparisons to the fuzzy match', () => {
    for (const t of ['', 'orders', 'api/orders', 'us-west-2', 'registry settings', 'web ⇄ web:2', 'ghcr.io/team/tool']) {
      expect(parseTyped(t)).toBeNull();
    }
  });

  it('offers “Open web:1” and “Compare a with b”, first, and runs them', () => {
    const c = commands();
    const actions = buildActions(state, c);
    const open = rank('web:1', actions, [], c);
    expect(open[0]!.action.label).toBe('Open web:1');
    open[0]!.action.run();
    expect(c.openReference).toHaveBeenCalledWith('web:1');
    const compare = rank('web:1 <> web:2', actions, [], c);
    expect(compare[0]!.action.label).toBe('Compare web:1 with web:2');
    compare[0]!.action.run();
    expect(c.compare).toHaveBeenCalledWith('web:1', 'web:2');
    expect(actionForText('orders', c)).toBeNull();
  });
});

describe('ranking', () => {
  const c = commands();
  const actions = buildActions({ ...state, currentRepository: 'api/orders' }, c);

  it('finds actions by fuzzy parts of their names, best first', () => {
    expect(labels(rank('orders', actions, [], c)).slice(0, 2)).toEqual(['Open repository api/orders', 'Open lifecycle studio of api/orders']);
    expect(labels(rank('lifecycle', actions, [], c))[0]).toBe('Open lifecycle studio of api/orders');
    expect(labels(rank('registry settings', actions, [], c))[0]).toBe('Open registry settings');
    expect(labels(rank('us-west-2', actions, [], c))[0]).toBe('Switch region to us-west-2');
    expect(labels(rank('jobs', actions, [], c))[0]).toBe('Show jobs');
    expect(labels(rank('opn paym', actions, [], c))[0]).toBe('Open repository api/payments');
    expect(labels(rank('diag', actions, [], c))[0]).toBe('Copy diagnostics');
    expect(rank('zzzz', actions, [], c)).toEqual([]);
  });

  it('finds by keywords too: a region by its name, a local image by any of its tags', () => {
    expect(labels(rank('oregon', actions, [], c))[0]).toBe('Switch region to us-west-2');
    expect(labels(rank('demo/app:latest', actions, [], c))).toContain('Push demo/app:dev…');
  });

  it('marks the matched characters of a label', () => {
    const [first] = rank('orders', actions, [], c);
    const parts = highlightParts(first!.action.label, first!.matched);
    expect(parts.filter((p) => p.match).map((p) => p.text).join('')).toBe('orders');
    expect(parts.map((p) => p.text).join('')).toBe(first!.action.label);
    expect(highlightParts('abc', [])).toEqual([{ text: 'abc', match: false }]);
  });

  it('puts the recently used first when nothing is typed, most recent first', () => {
    const recents = ['region:us-west-2', 'about', 'repo:web'];
    expect(ids(rank('', actions, recents, c)).slice(0, 4)).toEqual(['region:us-west-2', 'about', 'repo:web', 'lifecycle:api/orders']);
    // Every action is still there, once.
    const all = ids(rank('', actions, recents, c, 1000));
    expect(all.length).toBe(actions.length);
    expect(new Set(all).size).toBe(all.length);
  });

  it('brings back recent typed actions, and skips recents that no longer exist', () => {
    const recents = ['compare:web:1 ⇄ web:2', 'repo:gone', 'ref:web:1'];
    const shown = rank('', actions, recents, c);
    expect(labels(shown).slice(0, 2)).toEqual(['Compare web:1 with web:2', 'Open web:1']);
    expect(ids(shown)).not.toContain('repo:gone');
    shown[0]!.action.run();
    expect(c.compare).toHaveBeenLastCalledWith('web:1', 'web:2');
  });

  it('breaks ties of the fuzzy score by recency, and otherwise keeps the order', () => {
    // "region" matches the three regions equally well.
    expect(labels(rank('region', actions, [], c)).slice(0, 3)).toEqual(['Switch region to us-east-1', 'Switch region to us-west-2', 'Switch region to eu-west-1']);
    expect(labels(rank('region', actions, ['region:eu-west-1'], c))[0]).toBe('Switch region to eu-west-1');
    // A better match still wins over a recent one.
    expect(labels(rank('orders', actions, ['lifecycle:api/orders'], c))[0]).toBe('Open repository api/orders');
  });

  it('limits what it shows', () => {
    const many = buildActions({ ...state, repositories: Array.from({ length: 500 }, (_, i) => `repo-${i}`) }, c);
    expect(rank('', many, [], c).length).toBe(50);
    expect(rank('repo', many, [], c, 20).length).toBe(20);
  });
});

describe('recently used', () => {
  it('moves the used one to the front and keeps the last ten', () => {
    expect(remember(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    let r: string[] = [];
    for (let i = 0; i < 15; i++) r = remember(r, `x${i}`);
    expect(r.length).toBe(RECENT_LIMIT);
    expect(r[0]).toBe('x14');
    expect(r).not.toContain('x4');
  });

  it('keeps them in localStorage, and survives garbage or a refusing store', () => {
    localStorage.removeItem(RECENT_KEY);
    expect(loadRecents()).toEqual([]);
    saveRecents(['repo:web', 'about']);
    expect(localStorage.getItem(RECENT_KEY)).toBe('["repo:web","about"]');
    expect(loadRecents()).toEqual(['repo:web', 'about']);
    localStorage.setItem(RECENT_KEY, '{not json');
    expect(loadRecents()).toEqual([]);
    localStorage.setItem(RECENT_KEY, '[1, "about", null]');
    expect(loadRecents()).toEqual(['about']);
    const refusing = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveRecents(['a'], refusing)).not.toThrow();
    localStorage.removeItem(RECENT_KEY);
  });
});

describe('shortcuts', () => {
  const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }>) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

  it('reads ⌘ on macOS and Ctrl elsewhere', () => {
    expect(formatShortcut(SHORTCUTS.palette, true)).toBe('⌘K');
    expect(formatShortcut(SHORTCUTS.palette, false)).toBe('Ctrl+K');
    expect(formatShortcut({ key: 'n', shift: true }, true)).toBe('⇧⌘N');
    expect(formatShortcut({ key: 'n', shift: true }, false)).toBe('Ctrl+Shift+N');
    expect(ariaShortcut(SHORTCUTS.palette, false)).toBe('Control+K');
    expect(ariaShortcut({ key: 'n', shift: true }, true)).toBe('Meta+Shift+N');
    expect(isMac({ platform: 'MacIntel' })).toBe(true);
    expect(isMac({ platform: 'Linux x86_64' })).toBe(false);
    expect(isMac({ platform: '', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)' })).toBe(true);
  });

  it('matches the platform’s command key, with or without Caps Lock, and nothing else', () => {
    expect(matchesShortcut(press('k', { ctrlKey: true }), SHORTCUTS.palette, false)).toBe(true);
    expect(matchesShortcut(press('K', { ctrlKey: true }), SHORTCUTS.palette, false)).toBe(true);
    expect(matchesShortcut(press('k', { metaKey: true }), SHORTCUTS.palette, true)).toBe(true);
    expect(matchesShortcut(press('k', { metaKey: true }), SHORTCUTS.palette, false)).toBe(false);
    expect(matchesShortcut(press('k', { ctrlKey: true }), SHORTCUTS.palette, true)).toBe(false);
    expect(matchesShortcut(press('k', {}), SHORTCUTS.palette, false)).toBe(false);
    expect(matchesShortcut(press('k', { ctrlKey: true, altKey: true }), SHORTCUTS.palette, false)).toBe(false);
    expect(matchesShortcut(press('K', { ctrlKey: true, shiftKey: true }), SHORTCUTS.palette, false)).toBe(false);
    expect(matchesShortcut(press('N', { ctrlKey: true, shiftKey: true }), { key: 'n', shift: true }, false)).toBe(true);
  });

  it('shows the shortcut of the actions that have one', () => {
    const actions = buildActions(state, commands());
    const byId = (id: string) => actions.find((a) => a.id === id)!;
    expect(byId('jobs').shortcut).toBe(SHORTCUTS.jobs);
    expect(byId('create-repo').shortcut).toBe(SHORTCUTS['create-repo']);
    expect(byId('repo:web').shortcut).toBeUndefined();
    // No two actions share a chord, nor take the palette's own.
    const chords = Object.values(SHORTCUTS).map((s) => formatShortcut(s, false));
    expect(new Set(chords).size).toBe(chords.length);
  });
});

describe('the shortcuts overlay’s list', () => {
  it('has every shortcut of the palette, with the platform’s spelling', () => {
    const lines = keyboardHelp(false).flatMap((g) => g.keys.flatMap((k) => k.keys));
    for (const s of Object.values(SHORTCUTS)) expect(lines).toContain(formatShortcut(s, false));
    expect(keyboardHelp(true).flatMap((g) => g.keys.flatMap((k) => k.keys))).toContain('⌘K');
  });
  it('names the table’s and the tree’s keys', () => {
    const what = keyboardHelp(false).flatMap((g) => g.keys.map((k) => `${k.keys.join(' ')}: ${k.what}`));
    expect(what).toContain('Space: Select or unselect the image');
    expect(what).toContain('Delete: Delete the selected images (asks first)');
    expect(what).toContain('→: Open a folder, or go into it');
  });
  it('is opened by a plain ?, from the palette too', () => {
    const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: true, ...mods });
    expect(matchesShortcut(press('?'), SHORTCUTS.shortcuts, false)).toBe(true);
    expect(matchesShortcut(press('?', { ctrlKey: true }), SHORTCUTS.shortcuts, false)).toBe(false);
    expect(formatShortcut(SHORTCUTS.shortcuts, true)).toBe('?');
    expect(ariaShortcut(SHORTCUTS.shortcuts, false)).toBe('?');
    const c = commands();
    const entry = buildActions(state, c).find((a) => a.id === 'shortcuts');
    expect(entry?.label).toBe('Keyboard shortcuts');
    entry?.run();
    expect(c.showShortcuts).toHaveBeenCalled();
  });
});
