import { describe, expect, it } from 'vitest';
import { buildTree, matches, visibleRows } from './tree';

const names = ['web', 'api/orders', 'api/payments', 'tools/empty', 'api/v2/users'];

describe('repository tree', () => {
  it('groups by namespace, folders first', () => {
    const tree = buildTree(names, (n) => n);
    const rows = visibleRows(tree, new Set());
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.node.label}`)).toEqual([
      'api/',
      '  v2/',
      '    users',
      '  orders',
      '  payments',
      'tools/',
      '  empty',
      'web',
    ]);
  });

  it('filters by every word, case-insensitively, keeping the folders of matches', () => {
    const rows = visibleRows(buildTree(names, (n) => n, 'API pay'), new Set());
    expect(rows.map((r) => r.node.label)).toEqual(['api/', 'payments']);
    expect(buildTree(names, (n) => n, 'nothing-like-this')).toEqual([]);
    expect(matches('api/orders', '')).toBe(true);
  });

  it('hides the children of collapsed folders', () => {
    const rows = visibleRows(buildTree(names, (n) => n), new Set(['api/']));
    expect(rows.map((r) => r.node.label)).toEqual(['api/', 'tools/', 'empty', 'web']);
  });
});
