import { describe, expect, it } from 'vitest';
import type { TrayJob } from '../stores/jobs.svelte';
import { announcements } from './JobsTray.svelte';

const job = (over: Partial<TrayJob>): TrayJob => ({ id: 'a', title: 'Push demo/app:dev → web:1', detail: '', progress: null, state: 'running', ...over });

describe('the jobs tray, to a screen reader', () => {
  it('says nothing of running jobs, whose bytes change by the second', () => {
    expect(announcements([job({ detail: '60% · 5 MiB/s', progress: 0.6 })])).toEqual([]);
  });

  it('says each ended job with its outcome', () => {
    expect(
      announcements([
        job({ state: 'done', detail: 'pushed sha256:abc' }),
        job({ id: 'b', title: 'Copy web:1 → ghcr.io/x:1', state: 'failed', detail: 'the registry refused the upload' }),
        job({ id: 'c', title: 'Load notes.txt', state: 'cancelled', detail: '' }),
        job({ id: 'd', title: 'Push demo/web:next → web:2', detail: '12%' }),
      ]),
    ).toEqual([
      'Push demo/app:dev → web:1: pushed sha256:abc',
      'Copy web:1 → ghcr.io/x:1: failed, the registry refused the upload',
      'Load notes.txt: cancelled',
    ]);
  });
});
