import { describe, expect, it, vi } from 'vitest';
import type { LoadEvent } from '../bindings';
import { JobsTray } from './jobs.svelte';
import { fileName, startLoad } from './load';

describe('loading a dropped archive', () => {
  it('names the file', () => {
    expect(fileName('/home/me/images/app.tar')).toBe('app.tar');
    expect(fileName('C:\\Users\\me\\app.tar.gz')).toBe('app.tar.gz');
  });

  it('shows progress, then hands the loaded images on', async () => {
    const tray = new JobsTray();
    let emit: (e: LoadEvent) => void = () => {};
    const backend = {
      loadArchive: vi.fn(async (_p: string, onEvent: (e: LoadEvent) => void) => {
        emit = onEvent;
        onEvent({ event: 'started', job: 'load-1', file: '/tmp/app.tar', bytes_total: 100 });
        return 'load-1';
      }),
      cancelJob: vi.fn(async () => true),
    };
    const loaded = vi.fn();
    await startLoad(backend, tray, '/tmp/app.tar', loaded);
    expect(tray.jobs[0]?.title).toBe('load app.tar');
    emit({ event: 'progress', bytes_done: 25, bytes_total: 100 });
    expect(tray.jobs[0]?.progress).toBe(0.25);
    tray.jobs[0]!.cancel!();
    expect(backend.cancelJob).toHaveBeenCalledWith('load-1');
    emit({ event: 'finished', images: ['demo/app:1.0'] });
    expect(tray.jobs[0]?.state).toBe('done');
    expect(loaded).toHaveBeenCalledWith(['demo/app:1.0'], 'app.tar');
  });

  it('says why a file is refused, and can retry', async () => {
    const tray = new JobsTray();
    const backend = {
      loadArchive: vi.fn(async (_p: string, onEvent: (e: LoadEvent) => void) => {
        onEvent({ event: 'failed', error: { code: 'invalid_input', message: 'notes.txt is not an image archive' } });
        return 'load-2';
      }),
      cancelJob: vi.fn(async () => true),
    };
    const loaded = vi.fn();
    await startLoad(backend, tray, '/tmp/notes.txt', loaded);
    expect(tray.jobs[0]?.state).toBe('failed');
    expect(tray.jobs[0]?.detail).toContain('not an image archive');
    expect(loaded).not.toHaveBeenCalled();
    tray.jobs[0]!.retry!();
    await Promise.resolve();
    expect(backend.loadArchive).toHaveBeenCalledTimes(2);
  });
});
