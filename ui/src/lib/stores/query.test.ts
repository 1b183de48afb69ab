import { describe, expect, it } from 'vitest';
import { Query, QueryCache, key } from './query.svelte';

describe('query cache', () => {
  it('fetches once per key and refreshes on invalidate', async () => {
    let calls = 0;
    const cache = new QueryCache();
    const fetcher = async () => ++calls;
    const q = cache.get(key('list_repositories'), fetcher);
    expect(cache.get(key('list_repositories'), fetcher)).toBe(q);
    await Promise.resolve();
    await q.refresh();
    expect(q.data).toBe(2);
    await cache.invalidate(['list_']);
    expect(q.data).toBe(3);
    await cache.invalidate(['other']);
    expect(calls).toBe(3);
  });

  it('drops the data of another connection when asked to', async () => {
    const cache = new QueryCache();
    let n = 0;
    const q = cache.get(key('list_repositories'), async () => ++n);
    await q.refresh();
    const pending = cache.invalidate(['list_repositories'], true);
    expect(q.data).toBeUndefined();
    await pending;
    expect(q.data).toBe(3);
  });

  it('keeps the last good data and exposes the error code', async () => {
    let fail = false;
    const q = new Query(async () => {
      if (fail) throw { code: 'unreachable', message: 'The ECR API cannot be reached.' };
      return 'ok';
    });
    await q.refresh();
    fail = true;
    await q.refresh();
    expect(q.data).toBe('ok');
    expect(q.error?.code).toBe('unreachable');
    expect(q.loading).toBe(false);
  });

  it('lets the newest of overlapping refreshes win', async () => {
    const resolvers: ((v: number) => void)[] = [];
    const q = new Query(() => new Promise<number>((r) => resolvers.push(r)));
    const first = q.refresh();
    const second = q.refresh();
    resolvers[1]?.(2);
    resolvers[0]?.(1);
    await Promise.all([first, second]);
    expect(q.data).toBe(2);
  });
});
