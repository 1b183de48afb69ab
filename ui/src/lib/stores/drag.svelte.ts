// Dragging a local image onto a repository, with pointer events (works the same in
// WebKitGTK, WebView2 and WKWebView, and WebDriver actions can drive it).
import type { LocalImage } from '../bindings';

export type DropTarget = { kind: 'repo'; name: string } | { kind: 'new' };

/** The drop target under a point: an element with data-drop-repo or data-drop-new. */
export function targetAt(x: number, y: number, doc: Document = document): DropTarget | null {
  const el = doc.elementFromPoint(x, y)?.closest('[data-drop-repo], [data-drop-new]');
  if (!el) return null;
  const repo = el.getAttribute('data-drop-repo');
  if (repo) return { kind: 'repo', name: repo };
  return el.hasAttribute('data-drop-new') ? { kind: 'new' } : null;
}

/** A repository name suggested by an image name ("demo/app:dev" → "demo/app"). */
export function repositoryNameFor(image: LocalImage): string {
  const ref = image.repo_tags[0] ?? '';
  const name = ref.includes(':') ? ref.slice(0, ref.lastIndexOf(':')) : ref;
  return name.replace(/^[^/]+\.[^/]+\//, '').toLowerCase();
}

export class ImageDrag {
  image = $state.raw<LocalImage | null>(null);
  x = $state(0);
  y = $state(0);
  over = $state.raw<DropTarget | null>(null);
  #start: { x: number; y: number } | null = null;
  #ondrop: (image: LocalImage, target: DropTarget) => void;

  constructor(ondrop: (image: LocalImage, target: DropTarget) => void) {
    this.#ondrop = ondrop;
  }

  /** pointerdown on a drag handle. */
  begin(image: LocalImage, e: PointerEvent): void {
    e.preventDefault();
    this.#start = { x: e.clientX, y: e.clientY };
    const move = (ev: PointerEvent) => this.#move(image, ev);
    const up = (ev: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      const target = this.image ? targetAt(ev.clientX, ev.clientY) : null;
      const dragged = this.image;
      this.image = null;
      this.over = null;
      this.#start = null;
      if (dragged && target) this.#ondrop(dragged, target);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  #move(image: LocalImage, e: PointerEvent): void {
    if (!this.image && this.#start && Math.hypot(e.clientX - this.#start.x, e.clientY - this.#start.y) < 4) return;
    this.image = image;
    this.x = e.clientX;
    this.y = e.clientY;
    this.over = targetAt(e.clientX, e.clientY);
  }
}
