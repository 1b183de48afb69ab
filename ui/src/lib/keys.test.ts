import { describe, expect, it } from 'vitest';
import { isPlainKey, isTypingTarget, moveIndex, rangeSelection, toggled, treeKey, type TreeRow } from './keys';

describe('moveIndex', () => {
  it('moves by one and stops at the ends', () => {
    expect(moveIndex('ArrowDown', 0, 3)).toBe(1);
    expect(moveIndex('ArrowDown', 2, 3)).toBe(2);
    expect(moveIndex('ArrowUp', 0, 3)).toBe(0);
    expect(moveIndex('ArrowUp', 2, 3)).toBe(1);
  });
  it('starts at the first row when none is active', () => {
    expect(moveIndex('ArrowDown', -1, 3)).toBe(0);
    expect(moveIndex('ArrowUp', -1, 3)).toBe(0);
  });
  it('goes to the ends and by pages', () => {
    expect(moveIndex('Home', 5, 10)).toBe(0);
    expect(moveIndex('End', 5, 10)).toBe(9);
    expect(moveIndex('PageDown', 5, 100, 10)).toBe(15);
    expect(moveIndex('PageDown', 95, 100, 10)).toBe(99);
    expect(moveIndex('PageUp', 5, 100, 10)).toBe(0);
  });
  it('keeps an index past a shrunk list inside it', () => {
    expect(moveIndex('ArrowUp', 10, 3)).toBe(1);
  });
  it('answers null for other keys and empty lists', () => {
    expect(moveIndex('a', 0, 3)).toBeNull();
    expect(moveIndex('ArrowDown', 0, 0)).toBeNull();
  });
});

describe('treeKey', () => {
  // api/ (open) > orders, users; tools/ (closed); web
  const rows: TreeRow[] = [
    { depth: 0, folder: true, expanded: true },
    { depth: 1, folder: false, expanded: false },
    { depth: 1, folder: false, expanded: false },
    { depth: 0, folder: true, expanded: false },
    { depth: 0, folder: false, expanded: false },
  ];
  it('moves with the arrows, Home and End', () => {
    expect(treeKey('ArrowDown', rows, 0)).toEqual({ kind: 'focus', index: 1 });
    expect(treeKey('ArrowUp', rows, 3)).toEqual({ kind: 'focus', index: 2 });
    expect(treeKey('End', rows, 0)).toEqual({ kind: 'focus', index: 4 });
    expect(treeKey('Home', rows, 4)).toEqual({ kind: 'focus', index: 0 });
  });
  it('→ expands a closed folder, then goes into an open one', () => {
    expect(treeKey('ArrowRight', rows, 3)).toEqual({ kind: 'expand', index: 3 });
    expect(treeKey('ArrowRight', rows, 0)).toEqual({ kind: 'focus', index: 1 });
    expect(treeKey('ArrowRight', rows, 1)).toBeNull();
  });
  it('← collapses an open folder, or goes to the parent', () => {
    expect(treeKey('ArrowLeft', rows, 0)).toEqual({ kind: 'collapse', index: 0 });
    expect(treeKey('ArrowLeft', rows, 2)).toEqual({ kind: 'focus', index: 0 });
    expect(treeKey('ArrowLeft', rows, 4)).toBeNull();
  });
  it('Enter opens a leaf and toggles a folder', () => {
    expect(treeKey('Enter', rows, 4)).toEqual({ kind: 'open', index: 4 });
    expect(treeKey('Enter', rows, 3)).toEqual({ kind: 'expand', index: 3 });
    expect(treeKey('Enter', rows, 0)).toEqual({ kind: 'collapse', index: 0 });
    expect(treeKey('x', rows, 0)).toBeNull();
  });
});

describe('rangeSelection', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  it('selects from the anchor to the active row, in the order reached', () => {
    expect(rangeSelection(order, [], 1, 3)).toEqual(['b', 'c', 'd']);
    expect(rangeSelection(order, [], 3, 1)).toEqual(['d', 'c', 'b']);
  });
  it('keeps what was selected before the range, first', () => {
    expect(rangeSelection(order, ['e'], 0, 1)).toEqual(['e', 'a', 'b']);
    expect(rangeSelection(order, ['b'], 0, 1)).toEqual(['a', 'b']);
  });
  it('shrinks when moving back toward the anchor', () => {
    expect(rangeSelection(order, [], 1, 1)).toEqual(['b']);
  });
});

describe('toggled', () => {
  it('adds last or takes out', () => {
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
  });
});

describe('isTypingTarget', () => {
  it('is true for text fields, text areas, selects and editable elements', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });
  it('is false for buttons, checkboxes, rows and nothing', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('isPlainKey', () => {
  const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it('takes the key alone (Shift allowed)', () => {
    expect(isPlainKey(k('?'), '?')).toBe(true);
    expect(isPlainKey(k('?', { ctrlKey: true }), '?')).toBe(false);
    expect(isPlainKey(k('/'), '?')).toBe(false);
  });
});
