import { describe, expect, it } from 'vitest';
import type { ImageSummary } from './bindings';
import { globMatcher, scanWeight, statusOf, statusWords, storageCandidates, storageReport, tagsFirstMatching, typeLabel, visibleImages } from './imagelist';

function image(n: number, tags: string[], extra: Partial<ImageSummary> = {}): ImageSummary {
  return {
    digest: `sha256:${n.toString(16).padStart(64, '0')}`,
    tags,
    size_bytes: n * 10,
    pushed_at: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`,
    last_pulled_at: null,
    manifest_media_type: 'application/vnd.docker.distribution.manifest.v2+json',
    artifact_media_type: null,
    scan_status: null,
    severity_counts: {},
    platforms: [],
    status: 'ACTIVE',
    last_archived_at: null,
    last_activated_at: null,
    ...extra,
  };
}

describe('image list', () => {
  it('matches tag globs', () => {
    expect(globMatcher('release-*')('release-1.2')).toBe(true);
    expect(globMatcher('release-*')('pre-release-1')).toBe(false);
    expect(globMatcher('*-rc*')('v1-rc2')).toBe(true);
    expect(globMatcher('prod')('my-prod-build')).toBe(true);
    expect(globMatcher('v1.0')('v1x0')).toBe(false);
  });

  it('filters tagged/untagged, hides index children, sorts any column', () => {
    const rows = [image(1, ['a']), image(2, []), image(3, ['release-1']), image(4, [])];
    const base = { filter: '', tagFilter: 'all' as const, sort: { by: 'size' as const, desc: true }, indexChildren: new Set([rows[3]!.digest]) };
    expect(visibleImages(rows, base).map((i) => i.size_bytes)).toEqual([30, 20, 10]);
    expect(visibleImages(rows, { ...base, tagFilter: 'untagged' })).toHaveLength(1);
    expect(visibleImages(rows, { ...base, tagFilter: 'tagged' })).toHaveLength(2);
    expect(visibleImages(rows, { ...base, filter: 'release-*' }).map((i) => i.tags)).toEqual([['release-1']]);
    // A tagged child of an index stays: it is an image of its own too.
    expect(visibleImages([image(5, ['x'])], { ...base, indexChildren: new Set([image(5, []).digest]) })).toHaveLength(1);
  });

  it('weighs scans by severity and names types', () => {
    expect(scanWeight(image(1, []))).toBe(-1);
    expect(scanWeight(image(1, [], { scan_status: 'COMPLETE', severity_counts: { HIGH: 1 } }))).toBeGreaterThan(
      scanWeight(image(1, [], { scan_status: 'COMPLETE', severity_counts: { MEDIUM: 5 } })),
    );
    expect(typeLabel(image(1, [], { manifest_media_type: 'application/vnd.oci.image.index.v1+json' }))).toBe('OCI index');
  });

  it('filters 10,000 rows by glob', () => {
    const rows = Array.from({ length: 10000 }, (_, n) => image(n, n % 3 ? [`v${n}`] : []));
    const out = visibleImages(rows, { filter: 'v1*', tagFilter: 'all', sort: { by: 'tags', desc: false }, indexChildren: new Set() });
    // v1, v10–v19 (not multiples of 3), v100–v199, v1000–v1999: those not divisible by 3.
    const expected = rows.filter((r) => r.tags[0]?.startsWith('v1')).length;
    expect(out).toHaveLength(expected);
    expect(out[0]!.tags[0]).toBe('v1');
  });
});

describe('image storage', () => {
  const active = image(1, ['a']);
  const archived = image(2, ['b'], { status: 'ARCHIVED', last_archived_at: '2026-02-01T00:00:00Z' });
  const activating = image(3, [], { status: 'ACTIVATING' });

  it('names each status', () => {
    expect([active, archived, activating].map((i) => statusWords(i).label)).toEqual(['active', 'archived', 'activating']);
    expect(statusWords(archived).hint).toContain('cannot be pulled');
    // A listing without the field (an older backend) reads as active.
    expect(statusOf({ status: null as unknown as 'ACTIVE' })).toBe('ACTIVE');
  });

  it('archives active images only and restores archived ones only', () => {
    const all = [active, archived, activating];
    expect(storageCandidates(all, true).eligible).toEqual([active]);
    expect(storageCandidates(all, true).skipped).toEqual([archived, activating]);
    expect(storageCandidates(all, false).eligible).toEqual([archived]);
    expect(storageCandidates([], false)).toEqual({ eligible: [], skipped: [] });
  });

  it('sorts by status', () => {
    const rows = visibleImages([archived, active, activating], { filter: '', tagFilter: 'all', sort: { by: 'status', desc: false }, indexChildren: new Set() });
    expect(rows.map(statusOf)).toEqual(['ACTIVATING', 'ACTIVE', 'ARCHIVED']);
  });

  it('reports what was done and what ECR refused', () => {
    const ok = { image: 'a', digest: 'sha256:1', status: 'ARCHIVED' as const, error: null, note: null };
    const refused = { image: 'b', digest: null, status: null, error: 'The image is already archived.', note: null };
    expect(storageReport([ok], true)).toEqual({ note: 'Archived 1 image; restore one to pull it again.', failed: [] });
    const mixed = storageReport([ok, refused], true);
    expect(mixed.note).toBe('Archived 1 image; restore one to pull it again. 1 not archived; see below.');
    expect(mixed.failed).toEqual([refused]);
    const restoring = { image: 'c', digest: 'sha256:3', status: 'ACTIVATING' as const, error: null, note: null };
    expect(storageReport([restoring, restoring], false).note).toBe('Restoring 2 images: they show as activating until they can be pulled again.');
    expect(storageReport([{ ...restoring, status: 'ACTIVE' }], false).note).toBe('Restored 1 image.');
    expect(storageReport([refused], false).note).toBe('Nothing was restored. 1 not restored; see below.');
  });
});

describe('tags of a row', () => {
  it('show the ones the filter matches first', () => {
    expect(tagsFirstMatching(['a', 'b', 'release-2', 'c', 'release-1'], 'release-*')).toEqual(['release-2', 'release-1', 'a', 'b', 'c']);
    expect(tagsFirstMatching(['a', 'e2e-5'], 'e2e-5')).toEqual(['e2e-5', 'a']);
    expect(tagsFirstMatching(['b', 'a'], '')).toEqual(['b', 'a']);
  });
});
