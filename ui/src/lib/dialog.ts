// What every dialog does with the keyboard, as a Svelte action (`use:modal={{ onescape }}`):
// the focus goes into it when it opens (its `[data-autofocus]` element, else its first
// control), Escape closes it, Tab stays inside when it is modal (`trap`), and the focus goes
// back to where it was when it closes.
import type { Action } from 'svelte/action';

export type ModalOptions = {
  /** Escape pressed inside: close the dialog. */
  onescape: () => void;
  /** A modal dialog: Tab and Shift+Tab cycle through its controls only. */
  trap?: boolean;
  /** Leave the focus where it is when opened (a dialog that opens beside what is typed). */
  keepFocus?: boolean;
};

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The controls Tab stops at inside `root`, in order. */
export function focusables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[hidden], [inert]'));
}

export const modal: Action<HTMLElement, ModalOptions> = (node, initial) => {
  let options = initial;
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  if (!options.keepFocus) {
    queueMicrotask(() => {
      if (!node.isConnected) return;
      const first = node.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(node)[0] ?? node;
      if (first === node && !node.hasAttribute('tabindex')) node.tabIndex = -1;
      first.focus();
    });
  }
  function keydown(e: KeyboardEvent) {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      e.stopPropagation();
      options.onescape();
    } else if (e.key === 'Tab' && options.trap) {
      const all = focusables(node);
      if (all.length === 0) return e.preventDefault();
      const first = all[0]!;
      const last = all[all.length - 1]!;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  }
  node.addEventListener('keydown', keydown);
  return {
    update(next: ModalOptions) {
      options = next;
    },
    destroy() {
      node.removeEventListener('keydown', keydown);
      // Back to where it was, unless the focus went somewhere else on purpose meanwhile.
      const now = document.activeElement;
      const lost = !now || now === document.body || node.contains(now);
      if (lost && before?.isConnected) before.focus();
    },
  };
};
