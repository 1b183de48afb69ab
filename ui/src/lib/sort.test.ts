import { describe, expect, it } from 'vitest';
import { arrow, nextSort, sortRows } from './sort';

describe('table sorting', () => {
  it('sorts a copy by the chosen column and flips on a second click', () => {
    const rows = [{ n: 'b', s: 2 }, { n: 'a', s: 3 }, { n: 'c', s: 1 }];
    const pick = (r: { n: string; s: number }, c: 'n' | 's') => r[c];
    expect(sortRows(rows, { by: 'n', desc: false }, pick).map((r) => r.n)).toEqual(['a', 'b', 'c']);
    expect(sortRows(rows, { by: 's', desc: true }, pick).map((r) => r.s)).toEqual([3, 2, 1]);
    expect(rows[0]?.n).toBe('b');
    expect(nextSort({ by: 'n', desc: false }, 'n', ['s'])).toEqual({ by: 'n', desc: true });
    expect(nextSort({ by: 'n', desc: false }, 's', ['s'])).toEqual({ by: 's', desc: true });
    expect(arrow({ by: 'n', desc: true }, 'n')).toBe(' ↓');
  });
});
