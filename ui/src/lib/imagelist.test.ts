import { describe, expect, it } from 'vitest';
import type { ImageSummary } from './bindings';
import { globMatcher, scanWeight, typeLabel, visibleImages } from './imagelist';

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
