// Dragging a local image onto a repository, with pointer events (works the same in
// WebKitGTK, WebView2 and WKWebView, and WebDriver actions can drive it).
import type { ImageSummary, LocalImage } from '../bindings';

export type DropTarget = { kind: 'repo'; name: string } | { kind: 'new' } | { kind: 'public'; alias: string; name: string };

/** The drop target under a point: an element with data-drop-repo or data-drop-new, or a
 *  public repository of the sidebar (data-drop-public, with its alias in data-alias). */
export function targetAt(x: number, y: number, doc: Document = document): DropTarget | null {
  const el = doc.elementFromPoint(x, y)?.closest('[data-drop-repo], [data-drop-new], [data-drop-public]');
  if (!el) return null;
  const repo = el.getAttribute('data-drop-repo');
  if (repo) return { kind: 'repo', name: repo };
  const name = el.getAttribute('data-drop-public');
  const alias = el.getAttribute('data-alias');
  if (name && alias) return { kind: 'public', alias, name };
  return el.hasAttribute('data-drop-new') ? { kind: 'new' } : null;
}

/** A repository name suggested by an image name ("demo/app:dev" → "demo/app"). */
export function repositoryNameFor(image: LocalImage): string {
  const ref = image.repo_tags[0] ?? '';
  const name = ref.includes(':') ? ref.slice(0, ref.lastIndexOf(':')) : ref;
  return name.replace(/^[^/]+\.[^/]+\//, '').toLowerCase();
}

/** Where an image row of a repository can be dropped to copy it: a repository of the active
 *  registry, of a pinned profile and region, or of another registry by host. */
export type CopyTarget =
  | { kind: 'active'; repository: string }
  | { kind: 'pinned'; profile: string; region: string; repository: string }
  | { kind: 'oci'; host: string; repository: string }
  | { kind: 'public'; alias: string; repository: string };

/** The copy target under a point: `data-drop-repo` (the active registry) or `data-drop-copy`
 *  (a JSON CopyTarget, on the rows of the other registries). */
export function copyTargetAt(x: number, y: number, doc: Document = document): CopyTarget | null {
  const el = doc.elementFromPoint(x, y)?.closest('[data-drop-repo], [data-drop-copy]');
  if (!el) return null;
  const repo = el.getAttribute('data-drop-repo');
  if (repo) return { kind: 'active', repository: repo };
  try {
    const t = JSON.parse(el.getAttribute('data-drop-copy') ?? '') as CopyTarget;
    return t && typeof t.repository === 'string' ? t : null;
  } catch {
    return null;
  }
}

/** Drag something with pointer events; `at` says what is under the pointer. */
export class Drag<T, D> {
  item = $state.raw<T | null>(null);
  x = $state(0);
  y = $state(0);
  over = $state.raw<D | null>(null);
  #start: { x: number; y: number } | null = null;
  #at: (x: number, y: number) => D | null;
  #ondrop: (item: T, target: D) => void;

  constructor(at: (x: number, y: number) => D | null, ondrop: (item: T, target: D) => void) {
    this.#at = at;
    this.#ondrop = ondrop;
  }

  /** pointerdown on a drag handle. */
  begin(item: T, e: PointerEvent): void {
    e.preventDefault();
    this.#start = { x: e.clientX, y: e.clientY };
    const move = (ev: PointerEvent) => this.#move(item, ev);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      // The drop goes where the last move showed it would (the ghost and the highlighted
      // row), not where the release event says: the two can differ by a row.
      const target = this.item ? this.over : null;
      const dragged = this.item;
      this.item = null;
      this.over = null;
      this.#start = null;
      if (dragged && target) this.#ondrop(dragged, target);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  #move(item: T, e: PointerEvent): void {
    if (!this.item && this.#start && Math.hypot(e.clientX - this.#start.x, e.clientY - this.#start.y) < 4) return;
    this.item = item;
    this.x = e.clientX;
    this.y = e.clientY;
    this.over = this.#at(e.clientX, e.clientY);
  }
}

/** A local image dragged onto a repository (push) or "+ New repository". */
export class ImageDrag extends Drag<LocalImage, DropTarget> {
  constructor(ondrop: (image: LocalImage, target: DropTarget) => void) {
    super((x, y) => targetAt(x, y), ondrop);
  }

  get image(): LocalImage | null {
    return this.item;
  }
}

/** Image rows of a repository dragged onto a repository of any registry (copy). */
export class RowDrag extends Drag<{ repository: string; images: ImageSummary[] }, CopyTarget> {
  constructor(ondrop: (rows: { repository: string; images: ImageSummary[] }, target: CopyTarget) => void) {
    super((x, y) => copyTargetAt(x, y), ondrop);
  }
}
