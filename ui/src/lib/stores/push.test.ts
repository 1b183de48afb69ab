import { describe, expect, it, vi } from 'vitest';
import type { PushCheck, PushEvent, TargetTag } from '../bindings';
import { JobsTray } from './jobs.svelte';
import { duration, layerWords, progressText, pushBlocked, startPush, tagVerdicts } from './push';

const OLD = 'sha256:' + 'a'.repeat(64);
const tag = (t: Partial<TargetTag> & { tag: string }): TargetTag => ({ digest: null, immutable: false, refusal: null, ...t });
const refusal = (t: string, setting: string) =>
  `The tag ${t} exists and is immutable in web (${setting}). Push under another tag, or change the repository's tag mutability.`;

describe('push checks', () => {
  it('refuses an existing tag protected under IMMUTABLE_WITH_EXCLUSION, lets excluded and new tags through', () => {
    const check: PushCheck = {
      repository_exists: true,
      tag_mutability: 'IMMUTABLE_WITH_EXCLUSION',
      mutability_exclusions: ['dev-*'],
      tags: [
        tag({ tag: 'v1', digest: OLD, immutable: true, refusal: refusal('v1', 'IMMUTABLE_WITH_EXCLUSION; exclusions: dev-*') }),
        tag({ tag: 'dev-1', digest: OLD }),
        tag({ tag: 'v2', immutable: true }),
      ],
    };
    const [v1, dev, v2] = tagVerdicts(check);
    expect(v1).toEqual({ tag: 'v1', tone: 'bad', text: refusal('v1', 'IMMUTABLE_WITH_EXCLUSION; exclusions: dev-*') });
    expect(dev?.tone).toBe('warn');
    expect(dev?.text).toContain('it will move');
    expect(v2).toEqual({ tag: 'v2', tone: 'ok', text: 'v2: new tag (immutable once pushed)' });
    expect(pushBlocked(check)).toBe(true);
    expect(pushBlocked({ ...check, tags: check.tags.slice(1) })).toBe(false);
  });

  it('refuses what the backend refuses under MUTABLE_WITH_EXCLUSION, whatever the mode says', () => {
    const check: PushCheck = {
      repository_exists: true,
      tag_mutability: 'MUTABLE_WITH_EXCLUSION',
      mutability_exclusions: ['release-*'],
      tags: [tag({ tag: 'release-1', digest: OLD, immutable: true, refusal: refusal('release-1', 'MUTABLE_WITH_EXCLUSION; exclusions: release-*') }), tag({ tag: 'latest', digest: OLD })],
    };
    expect(tagVerdicts(check).map((v) => v.tone)).toEqual(['bad', 'warn']);
    expect(pushBlocked(check)).toBe(true);
  });

  it('keeps refusing existing tags of an IMMUTABLE repository', () => {
    const check: PushCheck = {
      repository_exists: true,
      tag_mutability: 'IMMUTABLE',
      mutability_exclusions: [],
      tags: [tag({ tag: '1.0.0', digest: OLD, immutable: true, refusal: refusal('1.0.0', 'IMMUTABLE') })],
    };
    expect(tagVerdicts(check)[0]?.tone).toBe('bad');
    expect(pushBlocked(check)).toBe(true);
  });

  it('waits for a check and an existing repository', () => {
    expect(pushBlocked(null)).toBe(true);
    expect(pushBlocked({ repository_exists: false, tag_mutability: null, mutability_exclusions: [], tags: [tag({ tag: 'x' })] })).toBe(true);
    expect(pushBlocked({ repository_exists: true, tag_mutability: 'MUTABLE', mutability_exclusions: [], tags: [tag({ tag: 'x', digest: OLD })] })).toBe(false);
  });
});

describe('push jobs', () => {
  it('formats progress like the design', () => {
    expect(duration(12)).toBe('0:12');
    expect(duration(75.4)).toBe('1:15');
    expect(progressText(62 * 1024 * 1024, 100 * 1024 * 1024, 38 * 1024 * 1024, 12)).toBe('62% · 62.0 MiB of 100.0 MiB · 38.0 MiB/s · 0:12 left');
    // Every byte sent, the job not over: no "100% · 0:00 left" while the registry still works.
    expect(progressText(100 * 1024 * 1024, 100 * 1024 * 1024, 38 * 1024 * 1024, 0)).toBe('100.0 MiB sent · finishing');
    expect(progressText(100 * 1024 * 1024 - 1, 100 * 1024 * 1024, 38 * 1024 * 1024, 0)).toMatch(/^99% /);
    // Each layer's bar says its bytes beside its state.
    const MiB = 1024 * 1024;
    expect(layerWords({ state: 'pushing', current: 12 * MiB, total: 30 * MiB })).toBe('pushing 12.0 MiB of 30.0 MiB');
    expect(layerWords({ state: 'pushed', current: 30 * MiB, total: 30 * MiB })).toBe('pushed 30.0 MiB');
    expect(layerWords({ state: 'already_exists', current: 0, total: 0 })).toBe('already exists');
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
      pushPublicImage: vi.fn(async () => 'unused'),
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
      pushPublicImage: vi.fn(async () => 'unused'),
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
      pushPublicImage: vi.fn(async () => 'unused'),
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

  it('pushes to ECR Public through its own command, named as a pull names it', async () => {
    const tray = new JobsTray();
    const backend = {
      pushImage: vi.fn(async () => 'wrong'),
      pushPublicImage: vi.fn(async (_s: string, _r: string, _t: string[], onEvent: (e: PushEvent) => void) => {
        onEvent({ event: 'started', job: 'push-9', source: 'app:dev', target: 'public.ecr.aws/b/tools' });
        onEvent({ event: 'finished', summary: { repository: 'b/tools', tags: ['1'], digest: 'sha256:' + 'c'.repeat(64), bytes_pushed: 2048, layers_skipped: 1, seconds: 0.5 } });
        return 'push-9';
      }),
      cancelJob: vi.fn(async () => true),
    };
    const done = vi.fn();
    await startPush(backend, tray, 'app:dev', 'tools', ['1'], done, { kind: 'public', alias: 'b' });
    expect(backend.pushImage).not.toHaveBeenCalled();
    expect(backend.pushPublicImage).toHaveBeenCalledWith('app:dev', 'tools', ['1'], expect.any(Function));
    expect(tray.jobs[0]?.title).toBe('push app:dev → public.ecr.aws/b/tools:1');
    expect(tray.jobs[0]?.state).toBe('done');
    expect(tray.jobs[0]?.detail).toBe('pushed sha256:cccccccccccc in 0.5 s · 2.0 KiB sent · 1 layer already there');
    expect(done).toHaveBeenCalled();
  });
});
