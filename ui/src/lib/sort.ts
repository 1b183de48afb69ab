// Sorting table rows by a column, shared by the tables.

export interface SortState<C extends string> {
  by: C;
  desc: boolean;
}

/** A sorted copy of `rows` by the value `pick` gives for the sorted column. */
export function sortRows<T, C extends string>(rows: T[], sort: SortState<C>, pick: (row: T, column: C) => string | number): T[] {
  const dir = sort.desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = pick(a, sort.by);
    const y = pick(b, sort.by);
    return (x < y ? -1 : x > y ? 1 : 0) * dir;
  });
}

/** Clicking a column: the same one flips the order; another starts in its natural order. */
export function nextSort<C extends string>(sort: SortState<C>, by: C, descFirst: readonly C[]): SortState<C> {
  return sort.by === by ? { by, desc: !sort.desc } : { by, desc: descFirst.includes(by) };
}

export const arrow = <C extends string>(sort: SortState<C>, c: C) => (sort.by === c ? (sort.desc ? ' ↓' : ' ↑') : '');
export const ariaSort = <C extends string>(sort: SortState<C>, c: C) =>
  sort.by === c ? (sort.desc ? 'descending' : 'ascending') : 'none';
