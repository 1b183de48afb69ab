// The command palette (Ctrl+K, ⌘K on macOS), its pure part: the actions built from the app's
// state, a typed reference or comparison turned into an action, the ranking (fuzzy match, then
// recently used), the shortcuts and how they read on this platform.
//
// The matcher is fuzzysort (npm `fuzzysort`, v4): a SublimeText/VS Code-like subsequence
// matcher that ranks contiguous runs, word starts and short labels first, which is what a
// palette of short labels wants; zero dependencies, about 17 KB minified, ESM with its own
// types, and kept up (a 4.x line). fuse.js, the other well-known one, is larger and does
// approximate (Bitap) matching, which lets typos match unrelated labels in a list this short.
import fuzzysort from 'fuzzysort';
import { joinRef, parseAddress } from './address';
import { isForeign, splitFull } from './browse';

/** A key chord: the platform's command key (Ctrl, ⌘ on macOS) with `key`, maybe with Shift;
 *  or, `plain`, the key alone (`?`), which a field being typed in keeps for itself. */
export type Shortcut = { key: string; shift?: boolean; plain?: boolean };

/** The palette's own chord, and those of the actions that have one (each handled app-wide). */
export const SHORTCUTS = {
  palette: { key: 'k' },
  'create-repo': { key: 'n' },
  jobs: { key: 'j' },
  shortcuts: { key: '?', plain: true },
} as const satisfies Record<string, Shortcut>;

/** Whether the app runs on macOS (⌘ rather than Ctrl). */
export function isMac(nav: { platform?: string; userAgent?: string } | undefined = globalThis.navigator): boolean {
  return /mac|iphone|ipad/i.test(nav?.platform || nav?.userAgent || '');
}

/** `⌘K`, `⇧⌘N` on macOS; `Ctrl+K`, `Ctrl+Shift+N` elsewhere. */
export function formatShortcut(s: Shortcut, mac: boolean): string {
  if (s.plain) return s.key;
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key;
  return mac ? `${s.shift ? '⇧' : ''}⌘${key}` : `Ctrl+${s.shift ? 'Shift+' : ''}${key}`;
}

/** The chord as `aria-keyshortcuts` spells it: `Control+K`, `Meta+K`, `Control+Shift+N`. */
export function ariaShortcut(s: Shortcut, mac: boolean): string {
  if (s.plain) return s.key;
  return `${mac ? 'Meta' : 'Control'}+${s.shift ? 'Shift+' : ''}${s.key.toUpperCase()}`;
}

type KeyLike = { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean };

/** Whether a key press is chord `s` (Ctrl on Linux and Windows, ⌘ on macOS; no Alt). */
export function matchesShortcut(e: KeyLike, s: Shortcut, mac: boolean): boolean {
  if (s.plain) return !e.ctrlKey && !e.metaKey && !e.altKey && e.key === s.key;
  const command = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  return command && !e.altKey && e.shiftKey === !!s.shift && e.key.toLowerCase() === s.key.toLowerCase();
}

/** What the palette offers actions on. */
export type PaletteState = {
  /** The sidebar's repositories (the active profile and region). */
  repositories: string[];
  /** The engine's images: id and the reference to show (first tag, or the short id). */
  localImages: { id: string; ref: string; tags: string[] }[];
  profiles: { id: string; label: string }[];
  activeProfile: string | null;
  regions: { name: string; description: string }[];
  activeRegion: string | null;
  /** The repository on screen (its page or one of its images), if any. */
  currentRepository: string | null;
};

/** What the actions do: the app's own functions. */
export type PaletteCommands = {
  openRepository(name: string): void;
  /** `repo:tag`, `repo@digest`, or a full reference of another registry. */
  openReference(reference: string): void;
  compare(a: string, b: string): void;
  /** The local image's view with its push dialog open. */
  push(imageId: string): void;
  createRepository(): void;
  selectProfile(id: string): void;
  setRegion(region: string): void;
  openRegistry(): void;
  openLifecycle(repository: string): void;
  showJobs(): void;
  copyDiagnostics(): void;
  about(): void;
  /** The keyboard shortcuts overlay (`?`). */
  showShortcuts(): void;
};

export type PaletteAction = {
  /** Stable across openings: what the recently-used list remembers. */
  id: string;
  label: string;
  /** Said after the label, dimmer: what kind of thing, or a detail. */
  hint?: string;
  /** More words it is found by (not shown). */
  keywords?: string;
  shortcut?: Shortcut;
  run: () => void;
};

/** Every action the app's state offers, in the order shown when nothing is typed and nothing
 *  was used yet: the current repository's, the general ones, then one per thing. */
export function buildActions(s: PaletteState, c: PaletteCommands): PaletteAction[] {
  const out: PaletteAction[] = [];
  const current = s.currentRepository;
  if (current) {
    out.push({ id: `lifecycle:${current}`, label: `Open lifecycle studio of ${current}`, hint: 'Current repository', keywords: 'lifecycle policy rules expire', run: () => c.openLifecycle(current) });
  }
  out.push(
    { id: 'create-repo', label: 'Create repository…', hint: 'Wizard', keywords: 'new repository add', shortcut: SHORTCUTS['create-repo'], run: () => c.createRepository() },
    { id: 'registry', label: 'Open registry settings', hint: '⚙ Registry', keywords: 'replication pull-through cache templates scanning policy settings', run: () => c.openRegistry() },
    { id: 'jobs', label: 'Show jobs', hint: 'Jobs tray', keywords: 'tray progress push copy load', shortcut: SHORTCUTS.jobs, run: () => c.showJobs() },
  );
  for (const name of s.repositories) {
    out.push({ id: `repo:${name}`, label: `Open repository ${name}`, hint: 'Repository', run: () => c.openRepository(name) });
  }
  for (const image of s.localImages) {
    out.push({ id: `push:${image.id}`, label: `Push ${image.ref}…`, hint: 'Local image', keywords: image.tags.join(' '), run: () => c.push(image.id) });
  }
  for (const p of s.profiles) {
    const active = p.id === s.activeProfile;
    out.push({ id: `profile:${p.id}`, label: `Switch profile to ${p.label}`, hint: active ? 'Profile · current' : 'Profile', run: () => !active && c.selectProfile(p.id) });
  }
  for (const r of s.regions) {
    const active = r.name === s.activeRegion;
    out.push({ id: `region:${r.name}`, label: `Switch region to ${r.name}`, hint: `${r.description}${active ? ' · current' : ''}`, keywords: r.description, run: () => !active && c.setRegion(r.name) });
  }
  out.push(
    { id: 'diagnostics', label: 'Copy diagnostics', hint: 'Help', keywords: 'bug report support', run: () => c.copyDiagnostics() },
    { id: 'about', label: 'About Berth', hint: 'Help', keywords: 'version licence commit', run: () => c.about() },
    { id: 'shortcuts', label: 'Keyboard shortcuts', hint: 'Help', keywords: 'keys keyboard help overlay', shortcut: SHORTCUTS.shortcuts, run: () => c.showShortcuts() },
  );
  return out;
}

/** What typed text names, if it names an image or a comparison (as the address bar reads it). */
export type Typed = { kind: 'image'; reference: string } | { kind: 'compare'; a: string; b: string };

/** `web:1` → an image; `a ⇄ b`, `a <> b`, `a <-> b`, `a vs b` → a comparison; a full reference of
 *  another registry (`ghcr.io/o/r:1`) → that image; anything else (a word, a repository name
 *  alone) → null: the fuzzy match handles it. */
export function parseTyped(text: string): Typed | null {
  const t = text.trim();
  if (!t) return null;
  if (!/\s/.test(t) && isForeign(t)) {
    const full = splitFull(t);
    return full?.reference ? { kind: 'image', reference: t } : null;
  }
  const a = parseAddress(t);
  if (a.kind === 'compare') return a;
  if (a.kind === 'image') return { kind: 'image', reference: joinRef(a.repository, a.reference) };
  return null;
}

const COMPARE_SEPARATOR = ' ⇄ ';

/** The action of typed text (or of a remembered id of one), with its id for the recents. */
function typedAction(t: Typed, c: PaletteCommands): PaletteAction {
  if (t.kind === 'compare') {
    return { id: `compare:${t.a}${COMPARE_SEPARATOR}${t.b}`, label: `Compare ${t.a} with ${t.b}`, hint: 'Comparison', run: () => c.compare(t.a, t.b) };
  }
  return { id: `ref:${t.reference}`, label: `Open ${t.reference}`, hint: 'Image', run: () => c.openReference(t.reference) };
}

/** The typed action of text, if it names one. */
export function actionForText(text: string, c: PaletteCommands): PaletteAction | null {
  const t = parseTyped(text);
  return t ? typedAction(t, c) : null;
}

/** A remembered id of a typed action (`ref:…`, `compare:a ⇄ b`) back to its action. */
function actionFromId(id: string, c: PaletteCommands): PaletteAction | null {
  if (id.startsWith('ref:')) return typedAction({ kind: 'image', reference: id.slice(4) }, c);
  if (id.startsWith('compare:')) {
    const [a, b] = id.slice(8).split(COMPARE_SEPARATOR);
    if (a && b) return typedAction({ kind: 'compare', a, b }, c);
  }
  return null;
}

/** How many recently used actions are remembered. */
export const RECENT_LIMIT = 10;
export const RECENT_KEY = 'berth.palette.recent';

/** `id` moved (or added) to the front of the recents, at most RECENT_LIMIT of them. */
export function remember(recents: readonly string[], id: string): string[] {
  return [id, ...recents.filter((r) => r !== id)].slice(0, RECENT_LIMIT);
}

type Store = Pick<Storage, 'getItem' | 'setItem'>;

/** The recents kept in `store` (localStorage); nothing when it holds none or garbage. */
export function loadRecents(store: Store | undefined = globalThis.localStorage): string[] {
  try {
    const parsed: unknown = JSON.parse(store?.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string').slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

export function saveRecents(recents: readonly string[], store: Store | undefined = globalThis.localStorage): void {
  try {
    store?.setItem(RECENT_KEY, JSON.stringify(recents.slice(0, RECENT_LIMIT)));
  } catch {
    // A full or refused storage: the palette still works, it only forgets.
  }
}

/** A shown entry: the action, and which characters of its label matched what was typed. */
export type Ranked = { action: PaletteAction; matched: readonly number[] };

/** The entries for `query`, best first, at most `limit`:
 *  - nothing typed: the recently used (most recent first; typed ones come back too), then
 *    every other action in its own order;
 *  - typed: what the text names (an image, a comparison) first, then the actions whose label
 *    or keywords fuzzily match, by score; equal scores go recently used first, then in order. */
export function rank(query: string, actions: readonly PaletteAction[], recents: readonly string[], c: PaletteCommands, limit = 50): Ranked[] {
  const recency = new Map(recents.map((id, i) => [id, i]));
  const recentRank = (id: string) => recency.get(id) ?? Number.POSITIVE_INFINITY;
  const q = query.trim();
  if (!q) {
    const byId = new Map(actions.map((a) => [a.id, a]));
    const first = recents.map((id) => byId.get(id) ?? actionFromId(id, c)).filter((a): a is PaletteAction => !!a);
    const seen = new Set(first.map((a) => a.id));
    return [...first, ...actions.filter((a) => !seen.has(a.id))].slice(0, limit).map((action) => ({ action, matched: [] }));
  }
  const typed = actionForText(q, c);
  const order = new Map(actions.map((a, i) => [a, i]));
  const results = fuzzysort.go(q, actions as PaletteAction[], { keys: ['label', 'keywords'], threshold: 0, limit: 0 });
  const found = [...results]
    .sort((x, y) => y.score - x.score || recentRank(x.obj.id) - recentRank(y.obj.id) || order.get(x.obj)! - order.get(y.obj)!)
    .filter((r) => r.obj.id !== typed?.id)
    .map((r) => ({ action: r.obj, matched: r[0]?.indexes ?? [] }));
  return [...(typed ? [{ action: typed, matched: [] }] : []), ...found].slice(0, limit);
}

/** A label cut into runs of matched and unmatched characters, for highlighting. */
export function highlightParts(label: string, matched: readonly number[]): { text: string; match: boolean }[] {
  const set = new Set(matched);
  const parts: { text: string; match: boolean }[] = [];
  // fuzzysort's indexes count UTF-16 code units, as indexing a string does.
  for (let i = 0; i < label.length; i++) {
    const match = set.has(i);
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += label[i];
    else parts.push({ text: label[i]!, match });
  }
  return parts;
}

/** One line of the shortcuts overlay: the keys (each a key cap), and what they do. */
export type KeyHelp = { keys: string[]; what: string };

/** Every shortcut of the app, in groups, as this platform spells them: what the `?` overlay
 *  lists (the palette shows the chords of its actions too). */
export function keyboardHelp(mac: boolean): { title: string; keys: KeyHelp[] }[] {
  const f = (s: Shortcut) => formatShortcut(s, mac);
  return [
    {
      title: 'Anywhere',
      keys: [
        { keys: [f(SHORTCUTS.palette)], what: 'Command palette: every action by name' },
        { keys: [f(SHORTCUTS['create-repo'])], what: 'Create a repository' },
        { keys: [f(SHORTCUTS.jobs)], what: 'Jobs tray' },
        { keys: [f(SHORTCUTS.shortcuts)], what: 'This list (outside a text field)' },
        { keys: ['Tab', 'Shift+Tab'], what: 'Next or previous control' },
        { keys: ['Esc'], what: 'Close a dialog, the palette or a menu' },
      ],
    },
    {
      title: 'Sidebar lists',
      keys: [
        { keys: ['↑', '↓'], what: 'Previous or next repository or image' },
        { keys: ['→'], what: 'Open a folder, or go into it' },
        { keys: ['←'], what: 'Close a folder, or go to its parent' },
        { keys: ['Home', 'End'], what: 'First or last' },
        { keys: ['Enter'], what: 'Open the repository or local image' },
        { keys: ['←', '→'], what: 'On the sidebar’s edge: narrower or wider' },
      ],
    },
    {
      title: 'Repository page',
      keys: [
        { keys: ['←', '→'], what: 'On its tabs: Images, Lifecycle, Settings' },
        { keys: ['↑', '↓'], what: 'Previous or next image' },
        { keys: ['PgUp', 'PgDn'], what: 'Ten images up or down' },
        { keys: ['Home', 'End'], what: 'First or last image' },
        { keys: ['Space'], what: 'Select or unselect the image' },
        { keys: ['Shift+↑', 'Shift+↓'], what: 'Extend the selection' },
        { keys: ['Enter'], what: 'Open the image' },
        { keys: ['Delete'], what: 'Delete the selected images (asks first)' },
      ],
    },
    {
      title: 'Instead of dragging',
      keys: [
        { keys: ['Push to…'], what: 'On a local image: push it to a repository' },
        { keys: ['Copy to…'], what: 'On selected images: copy them to another repository or registry' },
      ],
    },
  ];
}
