// What the window remembers across restarts, in the webview's localStorage (kept under the
// app's data folder): the sidebar's width, its closed sections, and per profile and region the
// last repository and its tab. A value missing, unreadable or out of range reads as the
// default; a storage that refuses a write only forgets.

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const defaultStore = (): Store | undefined => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
};

function read<T>(key: string, parse: (value: unknown) => T | undefined, fallback: T, store: Store | undefined): T {
  try {
    const text = store?.getItem(key);
    if (text == null) return fallback;
    return parse(JSON.parse(text)) ?? fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown, store: Store | undefined): void {
  try {
    store?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or refused: nothing is remembered, nothing breaks.
  }
}

/** The sidebar's width in CSS pixels: its bounds, default, and the step of ← and →. */
export const SIDEBAR_WIDTH = { min: 200, max: 560, initial: 260, step: 16 } as const;
export const WIDTH_KEY = 'berth.sidebar.width';

/** `w` rounded and kept within the sidebar's bounds. */
export function clampWidth(w: number): number {
  if (!Number.isFinite(w)) return SIDEBAR_WIDTH.initial;
  return Math.round(Math.min(SIDEBAR_WIDTH.max, Math.max(SIDEBAR_WIDTH.min, w)));
}

export function loadSidebarWidth(store = defaultStore()): number {
  return read(WIDTH_KEY, (v) => (typeof v === 'number' && Number.isFinite(v) ? clampWidth(v) : undefined), SIDEBAR_WIDTH.initial, store);
}

export function saveSidebarWidth(width: number, store = defaultStore()): void {
  write(WIDTH_KEY, clampWidth(width), store);
}

export const CLOSED_KEY = 'berth.sidebar.closed';

/** The sidebar sections the user closed, by title. */
export function loadClosedSections(store = defaultStore()): Set<string> {
  return read(CLOSED_KEY, (v) => (Array.isArray(v) ? new Set(v.filter((x): x is string => typeof x === 'string')) : undefined), new Set<string>(), store);
}

/** Section `title` open or closed, remembered with the others. */
export function saveSectionOpen(title: string, open: boolean, store = defaultStore()): void {
  const closed = loadClosedSections(store);
  if (open) closed.delete(title);
  else closed.add(title);
  write(CLOSED_KEY, [...closed].sort(), store);
}

export const REPOSITORY_TABS = ['images', 'lifecycle', 'settings'] as const;
export type RepositoryTab = (typeof REPOSITORY_TABS)[number];
export type LastPlace = { repository: string; tab: RepositoryTab };

export const LAST_KEY = 'berth.last';
/** How many profile-and-region pairs keep their last place. */
export const LAST_LIMIT = 30;

const placeKey = (profile: string, region: string) => `${profile}|${region}`;

function parsePlace(v: unknown): LastPlace | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { repository, tab } = v as Record<string, unknown>;
  if (typeof repository !== 'string' || !repository) return undefined;
  return { repository, tab: REPOSITORY_TABS.includes(tab as RepositoryTab) ? (tab as RepositoryTab) : 'images' };
}

function loadPlaces(store: Store | undefined): [string, LastPlace][] {
  return read(
    LAST_KEY,
    (v) => {
      if (!Array.isArray(v)) return undefined;
      const out: [string, LastPlace][] = [];
      for (const entry of v) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
        const place = parsePlace(entry[1]);
        if (place) out.push([entry[0], place]);
      }
      return out;
    },
    [],
    store,
  );
}

/** The repository and tab last open with this profile and region, if any. */
export function loadLastPlace(profile: string, region: string, store = defaultStore()): LastPlace | null {
  return loadPlaces(store).find(([k]) => k === placeKey(profile, region))?.[1] ?? null;
}

/** The repository and tab open now with this profile and region (null: none, e.g. the overview). */
export function saveLastPlace(profile: string, region: string, place: LastPlace | null, store = defaultStore()): void {
  const key = placeKey(profile, region);
  const others = loadPlaces(store).filter(([k]) => k !== key);
  write(LAST_KEY, (place ? [[key, place] as [string, LastPlace], ...others] : others).slice(0, LAST_LIMIT), store);
}
