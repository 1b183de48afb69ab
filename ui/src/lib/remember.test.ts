import { describe, expect, it } from 'vitest';
import {
  CLOSED_KEY,
  LAST_KEY,
  LAST_LIMIT,
  SIDEBAR_WIDTH,
  WIDTH_KEY,
  clampWidth,
  loadClosedSections,
  loadLastPlace,
  loadSidebarWidth,
  saveLastPlace,
  saveSectionOpen,
  saveSidebarWidth,
} from './remember';

function memory(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    raw: m,
  };
}

const refusing = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {},
};

describe('the sidebar width', () => {
  it('is the default when nothing, garbage or a wrong type is stored', () => {
    expect(loadSidebarWidth(memory())).toBe(SIDEBAR_WIDTH.initial);
    expect(loadSidebarWidth(memory({ [WIDTH_KEY]: '{not json' }))).toBe(SIDEBAR_WIDTH.initial);
    expect(loadSidebarWidth(memory({ [WIDTH_KEY]: '"wide"' }))).toBe(SIDEBAR_WIDTH.initial);
    expect(loadSidebarWidth(memory({ [WIDTH_KEY]: 'null' }))).toBe(SIDEBAR_WIDTH.initial);
    expect(loadSidebarWidth(refusing)).toBe(SIDEBAR_WIDTH.initial);
    expect(loadSidebarWidth(undefined)).toBe(SIDEBAR_WIDTH.initial);
  });
  it('comes back as saved, within its bounds', () => {
    const s = memory();
    saveSidebarWidth(333.4, s);
    expect(loadSidebarWidth(s)).toBe(333);
    expect(loadSidebarWidth(memory({ [WIDTH_KEY]: '5000' }))).toBe(SIDEBAR_WIDTH.max);
    expect(loadSidebarWidth(memory({ [WIDTH_KEY]: '-3' }))).toBe(SIDEBAR_WIDTH.min);
    expect(clampWidth(Number.NaN)).toBe(SIDEBAR_WIDTH.initial);
  });
  it('a refused write does not throw', () => {
    expect(() => saveSidebarWidth(300, refusing)).not.toThrow();
  });
});

describe('closed sections', () => {
  it('are remembered by title, and opened again', () => {
    const s = memory();
    saveSectionOpen('Local images', false, s);
    saveSectionOpen('Repositories', false, s);
    expect([...loadClosedSections(s)].sort()).toEqual(['Local images', 'Repositories']);
    saveSectionOpen('Repositories', true, s);
    expect([...loadClosedSections(s)]).toEqual(['Local images']);
  });
  it('read as none from garbage', () => {
    expect(loadClosedSections(memory({ [CLOSED_KEY]: '{"a":1}' })).size).toBe(0);
    expect([...loadClosedSections(memory({ [CLOSED_KEY]: '["x", 3, null]' }))]).toEqual(['x']);
    expect(loadClosedSections(refusing).size).toBe(0);
  });
});

describe('the last repository and tab', () => {
  it('is kept per profile and region', () => {
    const s = memory();
    saveLastPlace('env', 'us-east-1', { repository: 'api/orders', tab: 'lifecycle' }, s);
    saveLastPlace('env', 'eu-west-1', { repository: 'web', tab: 'images' }, s);
    expect(loadLastPlace('env', 'us-east-1', s)).toEqual({ repository: 'api/orders', tab: 'lifecycle' });
    expect(loadLastPlace('env', 'eu-west-1', s)).toEqual({ repository: 'web', tab: 'images' });
    expect(loadLastPlace('app:staging', 'us-east-1', s)).toBeNull();
  });
  it('is forgotten when nothing is open', () => {
    const s = memory();
    saveLastPlace('env', 'us-east-1', { repository: 'web', tab: 'images' }, s);
    saveLastPlace('env', 'us-east-1', null, s);
    expect(loadLastPlace('env', 'us-east-1', s)).toBeNull();
  });
  it('keeps the most recent pairs only', () => {
    const s = memory();
    for (let i = 0; i < LAST_LIMIT + 5; i++) saveLastPlace('env', `r-${i}`, { repository: 'web', tab: 'images' }, s);
    expect(loadLastPlace('env', `r-${LAST_LIMIT + 4}`, s)).not.toBeNull();
    expect(loadLastPlace('env', 'r-0', s)).toBeNull();
  });
  it('reads an unknown tab as images, and skips broken entries', () => {
    const s = memory({ [LAST_KEY]: JSON.stringify([['env|x', { repository: 'web', tab: 'nope' }], 'junk', ['env|y', { repository: 3 }]]) });
    expect(loadLastPlace('env', 'x', s)).toEqual({ repository: 'web', tab: 'images' });
    expect(loadLastPlace('env', 'y', s)).toBeNull();
    expect(loadLastPlace('env', 'x', memory({ [LAST_KEY]: 'garbage' }))).toBeNull();
    expect(loadLastPlace('env', 'x', refusing)).toBeNull();
    expect(() => saveLastPlace('env', 'x', { repository: 'web', tab: 'images' }, refusing)).not.toThrow();
  });
});
