import { describe, expect, it } from 'vitest';
import type { RepositoryStats } from '../bindings';
import { RepoStats } from './repostats.svelte';

const stats = (name: string): RepositoryStats => ({ name, images: 2, bytes: 10, last_pushed: null, lifecycle_rules: null });

/** A fetch whose answers the test gives by hand. */
function scripted() {
  const pending = new Map<string, { resolve: (s: RepositoryStats) => void; reject: (e: unknown) => void }>();
  const asked: string[] = [];
  const fetch = (name: string) =>
    new Promise<RepositoryStats>((resolve, reject) => {
      asked.push(name);
      pending.set(name, { resolve, reject });
    });
  return { fetch, asked, pending };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('RepoStats', () => {
  it('asks a few at a time, each repository once, and keeps answers and errors', async () => {
    const { fetch, asked, pending } = scripted();
    const s = new RepoStats(fetch, 2);
    for (const n of ['a', 'b', 'c', 'a']) s.want(n);
    expect(asked).toEqual(['a', 'b']);
    expect(s.get('c')).toBe('loading');
    pending.get('a')!.resolve(stats('a'));
    await settle();
    expect(asked).toEqual(['a', 'b', 'c']);
    expect(s.get('a')).toEqual({ stats: stats('a') });
    pending.get('b')!.reject({ code: 'access_denied', message: 'No ecr:DescribeImages.' });
    await settle();
    expect(s.get('b')).toEqual({ error: 'No ecr:DescribeImages.' });
  });

  it('drops answers that arrive after a clear', async () => {
    const { fetch, pending } = scripted();
    const s = new RepoStats(fetch, 1);
    s.want('a');
    s.want('b');
    s.clear();
    pending.get('a')!.resolve(stats('a'));
    await settle();
    expect(s.get('a')).toBeUndefined();
    expect(s.get('b')).toBeUndefined();
  });
});
