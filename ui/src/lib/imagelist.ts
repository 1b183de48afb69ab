// What the image table shows: filtering (tag glob, tagged/untagged), sorting by any column,
// and index children folded into their index's row. Pure, so 10,000 rows are cheap to test.
import type { ImageSummary } from './bindings';
import { sortRows, type SortState } from './sort';

export type TagFilter = 'all' | 'tagged' | 'untagged';
export type ImageColumn = 'tags' | 'digest' | 'size' | 'pushed' | 'pulled' | 'scan' | 'type' | 'platforms';

/** `release-*` → a matcher; no `*`: a substring match (case-insensitive). */
export function globMatcher(pattern: string): (text: string) => boolean {
  const p = pattern.trim().toLowerCase();
  if (!p) return () => true;
  if (!p.includes('*')) return (t) => t.toLowerCase().includes(p);
  const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (t) => re.test(t.toLowerCase());
}

const SEVERITY_WEIGHT: Record<string, number> = { CRITICAL: 1e9, HIGH: 1e6, MEDIUM: 1e3, LOW: 1 };

/** A sortable number for the scan column: worse findings weigh more. */
export function scanWeight(i: ImageSummary): number {
  if (!i.scan_status) return -1;
  return Object.entries(i.severity_counts).reduce((sum, [k, v]) => sum + (SEVERITY_WEIGHT[k] ?? 0) * (v ?? 0), 0);
}

/** "Docker v2", "OCI index", "Helm chart"… */
export function typeLabel(i: ImageSummary): string {
  const m = i.artifact_media_type || i.manifest_media_type || '';
  if (m.includes('helm')) return 'Helm chart';
  if (m.includes('manifest.list')) return 'Docker list';
  if (m.includes('image.index')) return 'OCI index';
  if (m.includes('vnd.oci.image.manifest')) return 'OCI image';
  if (m.includes('docker.distribution.manifest.v2')) return 'Docker v2';
  if (m.includes('docker.distribution.manifest.v1')) return 'Docker v1';
  return m ? m.replace(/^application\//, '') : '—';
}

const pick: Record<ImageColumn, (i: ImageSummary) => string | number> = {
  tags: (i) => i.tags[0] ?? '',
  digest: (i) => i.digest,
  size: (i) => i.size_bytes ?? -1,
  pushed: (i) => i.pushed_at ?? '',
  pulled: (i) => i.last_pulled_at ?? '',
  scan: scanWeight,
  type: typeLabel,
  platforms: (i) => i.platforms.join(','),
};

export function visibleImages(
  images: ImageSummary[],
  opts: { filter: string; tagFilter: TagFilter; sort: SortState<ImageColumn>; indexChildren: ReadonlySet<string> },
): ImageSummary[] {
  const match = globMatcher(opts.filter);
  const text = opts.filter.trim();
  const shown = images.filter((i) => {
    if (i.tags.length === 0 && opts.indexChildren.has(i.digest)) return false;
    if (opts.tagFilter === 'tagged' && i.tags.length === 0) return false;
    if (opts.tagFilter === 'untagged' && i.tags.length > 0) return false;
    if (!text) return true;
    return i.tags.some(match) || (!text.includes('*') && i.digest.includes(text.toLowerCase()));
  });
  return sortRows(shown, opts.sort, (i, c) => pick[c](i));
}
