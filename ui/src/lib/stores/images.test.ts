import { describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { ImageListEvent, ImageSummary } from '../bindings';
import { ImageListing } from './images.svelte';
import { JobsTray } from './jobs.svelte';

function image(digest: string, tags: string[] = []): ImageSummary {
  return { digest, tags, size_bytes: 1, pushed_at: null, last_pulled_at: null, manifest_media_type: null, artifact_media_type: null, scan_status: null, severity_counts: {}, platforms: [], status: 'ACTIVE', last_archived_at: null, last_activated_at: null };
}

/** A backend whose listing events the test emits by hand. */
function scriptedBackend() {
  const listeners = new Map<string, (e: ImageListEvent) => void>();
  let n = 0;
  const backend = {
    listImages: vi.fn(async (repository: string, onEvent: (e: ImageListEvent) => void) => {
      const job = `images-${++n}`;
      listeners.set(repository, onEvent);
      onEvent({ event: 'started', job });
      return job;
    }),
    cancelJob: vi.fn(async () => true),
  };
  return { backend, emit: (repo: string, e: ImageListEvent) => listeners.get(repo)?.(e) };
}

describe('ImageListing', () => {
  it('appends pages as they stream and finishes', async () => {
    const { backend, emit } = scriptedBackend();
    const tray = new JobsTray();
    const listing = new ImageListing(backend, tray);
    await listing.open('api/orders');
    expect(listing.status).toBe('loading');
    expect(tray.running).toHaveLength(1);
    emit('api/orders', { event: 'page', images: [image('sha256:a', ['1'])], loaded: 1 });
    emit('api/orders', { event: 'page', images: [image('sha256:b')], loaded: 2 });
    flushSync();
    expect(listing.images.map((i) => i.digest)).toEqual(['sha256:a', 'sha256:b']);
    expect(tray.jobs[0]?.detail).toBe('2 images');
    emit('api/orders', { event: 'finished', total: 2 });
    expect(listing.status).toBe('done');
    expect(tray.running).toHaveLength(0);
    // While it lingers, the ended line no longer says "Loading".
    expect(tray.jobs[0]).toMatchObject({ title: 'Listed the images of api/orders', detail: '2 images', state: 'done' });
  });

  it('cancels the previous listing when another repository opens, and ignores its late pages', async () => {
    const { backend, emit } = scriptedBackend();
    const listing = new ImageListing(backend);
    await listing.open('api/orders');
    await listing.open('web');
    expect(backend.cancelJob).toHaveBeenCalledWith('images-1');
    emit('api/orders', { event: 'page', images: [image('sha256:late')], loaded: 1 });
    expect(listing.images).toEqual([]);
    expect(listing.repository).toBe('web');
  });

  it('ends the tray line of a listing stopped by another repository opening', async () => {
    const { backend } = scriptedBackend();
    const tray = new JobsTray();
    const listing = new ImageListing(backend, tray);
    await listing.open('api/orders');
    await listing.open('web');
    // Only web's listing still runs; api/orders' line says it stopped.
    expect(tray.running.map((j) => j.title)).toEqual(['Loading images of web']);
    const stopped = tray.jobs.find((j) => j.id !== tray.running[0]?.id);
    expect(stopped).toMatchObject({ title: 'Stopped listing the images of api/orders', detail: 'another repository opened', state: 'cancelled' });
  });

  it('keeps the code and message of a failure', async () => {
    const { backend, emit } = scriptedBackend();
    const listing = new ImageListing(backend);
    await listing.open('gone');
    emit('gone', { event: 'failed', error: { code: 'not_found', message: 'The repository gone does not exist.' } });
    expect(listing.status).toBe('failed');
    expect(listing.error?.code).toBe('not_found');
  });

  it('reports a rejected start as a failure', async () => {
    const backend = {
      listImages: vi.fn(async () => Promise.reject({ code: 'invalid_input', message: 'Use lower case only.' })),
      cancelJob: vi.fn(async () => true),
    };
    const listing = new ImageListing(backend);
    await listing.open('Bad');
    expect(listing.status).toBe('failed');
    expect(listing.error?.code).toBe('invalid_input');
  });

  it('shows the statuses an archive or restore answered', async () => {
    const { backend, emit } = scriptedBackend();
    const listing = new ImageListing(backend);
    await listing.open('api/orders');
    emit('api/orders', { event: 'page', images: [image('sha256:a', ['1']), image('sha256:b', ['2'])], loaded: 2 });
    emit('api/orders', { event: 'finished', total: 2 });
    flushSync();
    const before = listing.images;
    listing.applyStorage([
      { image: '1', digest: 'sha256:a', status: 'ARCHIVED', error: null, note: null },
      { image: '2', digest: 'sha256:b', status: null, error: 'refused', note: null },
      { image: 'gone', digest: 'sha256:c', status: 'ARCHIVED', error: null, note: null },
    ]);
    flushSync();
    expect(listing.images.map((i) => i.status)).toEqual(['ARCHIVED', 'ACTIVE']);
    // The untouched row is the same object (the table keeps its place).
    expect(listing.images[1]).toBe(before[1]);
    const after = listing.images;
    listing.applyStorage([{ image: 'x', digest: 'sha256:zzz', status: 'ACTIVE', error: null, note: null }]);
    expect(listing.images).toBe(after);
  });
});
