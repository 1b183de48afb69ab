import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReplicationStatus } from '../../bindings';
import { BackendError } from '../../backend';
import { POLL_MS, ReplicationWatch } from './replication.svelte';

const row = (status: string, region = 'eu-west-1'): ReplicationStatus => ({ region, registry_id: '123456789012', status, failure_code: null, words: `${status} in ${region}` });

describe('ReplicationWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls every 2 s while a destination is in progress, then stops', async () => {
    const answers = [[row('IN_PROGRESS'), row('COMPLETE', 'us-west-2')], [row('IN_PROGRESS')], [row('COMPLETE')]];
    const fetch = vi.fn(async () => answers.shift() ?? [row('COMPLETE')]);
    const watch = new ReplicationWatch(fetch);
    await watch.load('orders', 'sha256:a');
    expect(watch.inProgress).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(POLL_MS - 1);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(watch.rows?.[0]?.status).toBe('COMPLETE');
    expect(watch.inProgress).toBe(false);
    await vi.advanceTimersByTimeAsync(POLL_MS * 5);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(fetch).toHaveBeenCalledWith('orders', 'sha256:a');
  });

  it('stops polling when the view closes', async () => {
    const fetch = vi.fn(async () => [row('IN_PROGRESS')]);
    const watch = new ReplicationWatch(fetch);
    await watch.load('orders', 'sha256:a');
    watch.stop();
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('drops an answer that arrives after the view closed', async () => {
    let resolve: (r: ReplicationStatus[]) => void = () => {};
    const watch = new ReplicationWatch(() => new Promise((r) => (resolve = r)));
    const pending = watch.load('orders', 'sha256:a');
    watch.stop();
    resolve([row('IN_PROGRESS')]);
    await pending;
    expect(watch.rows).toBeNull();
    await vi.advanceTimersByTimeAsync(POLL_MS * 2);
  });

  it('keeps the error and does not poll after a failure; refresh reads again', async () => {
    const fetch = vi.fn().mockRejectedValueOnce(new BackendError('access_denied', 'Not allowed to describe image replication status.')).mockResolvedValueOnce([]);
    const watch = new ReplicationWatch(fetch);
    await watch.load('orders', 'v1');
    expect(watch.error?.message).toContain('Not allowed');
    await vi.advanceTimersByTimeAsync(POLL_MS * 2);
    expect(fetch).toHaveBeenCalledTimes(1);
    await watch.refresh();
    expect(watch.error).toBeNull();
    expect(watch.rows).toEqual([]);
  });
});
