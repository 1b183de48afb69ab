// What the image table shows: filtering (tag glob, tagged/untagged), sorting by any column,
// and index children folded into their index's row. Pure, so 10,000 rows are cheap to test.
import type { ImageStatus, ImageSummary, StorageChange } from './bindings';
import { count } from './format';
import { sortRows, type SortState } from './sort';

export type TagFilter = 'all' | 'tagged' | 'untagged';
export type ImageColumn = 'tags' | 'digest' | 'size' | 'pushed' | 'pulled' | 'status' | 'scan' | 'type' | 'platforms';

/** `release-*` → a matcher; no `*`: a substring match (case-insensitive). */
export function globMatcher(pattern: string): (text: string) => boolean {
  const p = pattern.trim().toLowerCase();
  if (!p) return () => true;
  if (!p.includes('*')) return (t) => t.toLowerCase().includes(p);
  const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (t) => re.test(t.toLowerCase());
}

/** A row's tags with those the filter matches first: a row found by one of its many tags
 *  shows that tag among the few that fit. */
export function tagsFirstMatching(tags: string[], filter: string): string[] {
  if (!filter.trim()) return tags;
  const match = globMatcher(filter);
  return [...tags.filter(match), ...tags.filter((t) => !match(t))];
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
  status: (i) => statusOf(i),
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

/** The image's status; ACTIVE when the listing does not say (an older ECR, an engine image). */
export function statusOf(i: Pick<ImageSummary, 'status'>): ImageStatus {
  return i.status ?? 'ACTIVE';
}

/** Words for a status badge and its tooltip. */
export function statusWords(i: Pick<ImageSummary, 'status'>): { label: string; hint: string } {
  switch (statusOf(i)) {
    case 'ARCHIVED':
      return { label: 'archived', hint: 'In archive storage: it cannot be pulled until restored.' };
    case 'ACTIVATING':
      return { label: 'activating', hint: 'Being restored from archive: it can be pulled once active.' };
    default:
      return { label: 'active', hint: 'In standard storage: it can be pulled.' };
  }
}

/**
 * Of the selected images, those an action applies to: archiving takes ACTIVE images, restoring
 * ARCHIVED ones (an ACTIVATING image is already on its way back).
 */
export function storageCandidates(images: ImageSummary[], archive: boolean): { eligible: ImageSummary[]; skipped: ImageSummary[] } {
  const want: ImageStatus = archive ? 'ACTIVE' : 'ARCHIVED';
  const eligible: ImageSummary[] = [];
  const skipped: ImageSummary[] = [];
  for (const i of images) (statusOf(i) === want ? eligible : skipped).push(i);
  return { eligible, skipped };
}

/** What an archive or restore did: a sentence, and the images ECR refused with its reason. */
export function storageReport(changes: StorageChange[], archive: boolean): { note: string; failed: StorageChange[] } {
  const failed = changes.filter((c) => c.error);
  const done = changes.length - failed.length;
  const activating = changes.filter((c) => !c.error && c.status === 'ACTIVATING').length;
  let note: string;
  if (archive) note = done ? `Archived ${count(done, 'image')}; restore one to pull it again.` : 'Nothing was archived.';
  else if (!done) note = 'Nothing was restored.';
  else if (activating) note = `Restoring ${count(done, 'image')}: ${activating === done ? 'they show' : `${activating} show`} as activating until they can be pulled again.`;
  else note = `Restored ${count(done, 'image')}.`;
  if (failed.length) note += ` ${failed.length} not ${archive ? 'archived' : 'restored'}; see below.`;
  return { note, failed };
}
