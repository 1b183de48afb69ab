import { describe, expect, it, vi } from 'vitest';
import type { PushEvent } from '../bindings';
import { JobsTray } from './jobs.svelte';
import { duration, progressText, startPush } from './push';

describe('push jobs', () => {
  it('formats progress like the design', () => {
    expect(duration(12)).toBe('0:12');
    expect(duration(75.4)).toBe('1:15');
    expect(progressText(62 * 1024 * 1024, 100 * 1024 * 1024, 38 * 1024 * 1024, 12)).toBe('62% · 62.0 MiB of 100.0 MiB · 38.0 MiB/s · 0:12 left');
  });

  it('tracks layers, progress and the end in the tray', async () => {
    const tray = new JobsTray();
    let emit: (e: PushEvent) => void = () => {};
    const backend = {
      pushImage: vi.fn(async (_s: string, _r: string, _t: string[], onEvent: (e: PushEvent) => void) => {
        emit = onEvent;
        onEvent({ event: 'started', job: 'push-1', source: 'app:dev', target: 'reg/api' });
        return 'push-1';
      }),
      cancelJob: vi.fn(async () => true),
    };
    const done = vi.fn();
    await startPush(backend, tray, 'app:dev', 'api', ['1.0'], done);
    emit({ event: 'layer', layer: { id: 'aaa', state: 'pushing', current: 5, total: 10 } });
    emit({ event: 'layer', layer: { id: 'aaa', state: 'pushed', current: 10, total: 10 } });
    emit({ event: 'progress', bytes_done: 10, bytes_total: 20, bytes_per_second: 0, eta_seconds: null });
    const job = tray.jobs[0]!;
    expect(job.layers).toEqual([{ id: 'aaa', state: 'pushed', current: 10, total: 10 }]);
    expect(job.progress).toBe(0.5);
    job.cancel?.();
    expect(backend.cancelJob).toHaveBeenCalledWith('push-1');
    emit({ event: 'finished', summary: { repository: 'api', tags: ['1.0'], digest: 'sha256:' + 'b'.repeat(64), bytes_pushed: 10, layers_skipped: 0, seconds: 1 } });
    expect(tray.jobs[0]?.state).toBe('done');
    expect(done).toHaveBeenCalled();
  });

  it('shows a failure with its message', async () => {
    const tray = new JobsTray();
    const backend = {
      pushImage: vi.fn(async (_s: string, _r: string, _t: string[], onEvent: (e: PushEvent) => void) => {
        onEvent({ event: 'failed', error: { code: 'access_denied', message: 'The registry refused the credentials.' } });
        return 'push-2';
      }),
      cancelJob: vi.fn(async () => true),
    };
    await startPush(backend, tray, 'app:dev', 'api', ['1.0'], () => {});
    expect(tray.jobs[0]?.state).toBe('failed');
    expect(tray.jobs[0]?.detail).toContain('refused');
  });

  it('retries a failed push as a new job with the same arguments', async () => {
    const tray = new JobsTray();
    let calls = 0;
    const backend = {
      pushImage: vi.fn(async (_s: string, _r: string, _t: string[], onEvent: (e: PushEvent) => void) => {
        calls += 1;
        if (calls === 1) onEvent({ event: 'failed', error: { code: 'unreachable', message: 'The registry cannot be reached.' } });
        return `push-${calls}`;
      }),
      cancelJob: vi.fn(async () => true),
    };
    await startPush(backend, tray, 'app:dev', 'api', ['1.0', 'latest'], () => {});
    expect(tray.jobs).toHaveLength(1);
    tray.jobs[0]!.retry!();
    await Promise.resolve();
    expect(backend.pushImage).toHaveBeenCalledTimes(2);
    expect(backend.pushImage.mock.calls[1]!.slice(0, 3)).toEqual(['app:dev', 'api', ['1.0', 'latest']]);
    expect(tray.jobs).toHaveLength(1);
    expect(tray.jobs[0]!.state).toBe('running');
    expect(tray.jobs[0]!.retry).toBeUndefined();
  });
});
