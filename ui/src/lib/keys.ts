// Keyboard navigation, its pure part: where ↑/↓/Home/End/PageUp/PageDown move in a list, what a
// key does in a tree (the WAI-ARIA treeview pattern), the range Shift+↑/↓ selects in a table,
// and whether a key press was meant for a field (then no single-key shortcut answers it).

/** The index a navigation key moves to in a list of `count` rows from `index`; null when the
 *  key does not move (not a navigation key, or an empty list). Stops at the ends. */
export function moveIndex(key: string, index: number, count: number, page = 10): number | null {
  if (count <= 0) return null;
  const from = Math.max(-1, Math.min(count - 1, index));
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, from + 1);
    case 'ArrowUp':
      return Math.max(0, from - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return Math.min(count - 1, Math.max(0, from) + page);
    case 'PageUp':
      return Math.max(0, from - page);
    default:
      return null;
  }
}

/** A visible row of a tree, as the keys see it. */
export type TreeRow = { depth: number; folder: boolean; expanded: boolean };

/** What a key does on row `index` of a tree:
 *  ↑/↓/Home/End move; → expands a closed folder, or goes into an open one's first child;
 *  ← collapses an open folder, or goes to the row's parent; Enter (and Space) open a leaf or
 *  toggle a folder. */
export type TreeAction =
  | { kind: 'focus'; index: number }
  | { kind: 'expand'; index: number }
  | { kind: 'collapse'; index: number }
  | { kind: 'open'; index: number }
  | null;

export function treeKey(key: string, rows: readonly TreeRow[], index: number): TreeAction {
  const row = rows[index];
  const moved = moveIndex(key, index, rows.length);
  if (moved !== null) return { kind: 'focus', index: moved };
  if (!row) return null;
  switch (key) {
    case 'ArrowRight':
      if (!row.folder) return null;
      if (!row.expanded) return { kind: 'expand', index };
      return rows[index + 1] && rows[index + 1]!.depth > row.depth ? { kind: 'focus', index: index + 1 } : null;
    case 'ArrowLeft': {
      if (row.folder && row.expanded) return { kind: 'collapse', index };
      for (let i = index - 1; i >= 0; i--) if (rows[i]!.depth < row.depth) return { kind: 'focus', index: i };
      return null;
    }
    case 'Enter':
    case ' ':
      if (row.folder) return { kind: row.expanded ? 'collapse' : 'expand', index };
      return { kind: 'open', index };
    default:
      return null;
  }
}

/**
 * The selection after Shift+↑/↓ (or Shift+click) extends it: what was selected before the
 * range began (`base`), then the rows from `anchor` to `active` in the order they were reached
 * (so the first picked stays first: the table's Compare takes A, then B). Indexes are into
 * `order`, the rows as shown.
 */
export function rangeSelection(order: readonly string[], base: readonly string[], anchor: number, active: number): string[] {
  const step = active >= anchor ? 1 : -1;
  const range: string[] = [];
  for (let i = anchor; step > 0 ? i <= active : i >= active; i += step) {
    const id = order[i];
    if (id !== undefined) range.push(id);
  }
  const inRange = new Set(range);
  return [...base.filter((id) => !inRange.has(id)), ...range];
}

/** `id` added to or taken out of the selection (added last). */
export function toggled(selection: readonly string[], id: string): string[] {
  return selection.includes(id) ? selection.filter((d) => d !== id) : [...selection, id];
}

type Target = { tagName?: string; isContentEditable?: boolean; type?: string } | null | undefined;

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'number', 'password', 'tel', 'url', '']);

/** Whether typing in `target` writes text (a text field, a text area, a select, an editable
 *  element): there a `?` is a character, not the shortcuts overlay. */
export function isTypingTarget(target: Target): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return TEXT_INPUTS.has((target.type ?? '').toLowerCase());
  return false;
}

/** Whether a key press is the plain key `key` (Shift allowed, as `?` needs it; no Ctrl, ⌘ or Alt). */
export function isPlainKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }, key: string): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey && e.key === key;
}
