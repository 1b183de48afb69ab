// The lifecycle studio's rules: plain-language sentences, JSON both ways, reordering.
import type { Decision, ImageSummary, Rule, SimImage } from './bindings';

/**
 * "Keep the newest 10 images tagged `prod-*`", "Expire untagged images pushed more than 14 days ago",
 * "Archive images not pulled for more than 90 days", "Expire images archived more than 365 days ago".
 */
export function sentence(rule: Rule): string {
  const s = rule.selection;
  const lists = [...(s.tagPrefixList ?? []).map((p) => `\`${p}*\``), ...(s.tagPatternList ?? []).map((p) => `\`${p}\``)];
  const n = s.countNumber;
  const noun = s.countType === 'imageCountMoreThan' && n === 1 ? 'image' : 'images';
  // "archived" says which storage the rule looks at; a time-in-archive rule says it with its verb.
  const archived = s.storageClass === 'archive' && s.countType !== 'sinceImageTransitioned' ? 'archived ' : '';
  const which =
    s.tagStatus === 'untagged'
      ? `${archived}untagged ${noun}`
      : s.tagStatus === 'any'
        ? `${archived}${noun}`
        : `${archived}${noun} tagged ${lists.join(' and ') || '(no tag list yet)'}`;
  const archive = rule.action.type === 'transition';
  const verb = archive ? 'Archive' : 'Expire';
  const days = `${n} day${n === 1 ? '' : 's'}`;
  switch (s.countType) {
    case 'imageCountMoreThan':
      return `Keep the newest ${n === 1 ? '' : `${n} `}${which}${archive ? '; archive the rest' : ''}`;
    case 'sinceImagePushed':
      return `${verb} ${which} pushed more than ${days} ago`;
    case 'sinceImagePulled':
      return `${verb} ${which} not pulled for more than ${days}`;
    case 'sinceImageTransitioned':
      return `${verb} ${which} archived more than ${days} ago`;
  }
}

/** What a rule does, as the rule builder's action field names it. */
export type RuleAction = 'expire' | 'archive';

export function ruleAction(rule: Rule): RuleAction {
  return rule.action.type === 'transition' ? 'archive' : 'expire';
}

/**
 * The rule with another action. ECR ties the fields together (its lifecycle policy properties):
 * a transition moves images to `archive`, the only target; it looks at images in standard
 * storage, so a rule on time in archive becomes one on time since push.
 */
export function withAction(rule: Rule, action: RuleAction): Rule {
  const r = structuredClone(rule);
  if (action === 'archive') {
    r.action = { type: 'transition', targetStorageClass: 'archive' };
    if (r.selection.countType === 'sinceImageTransitioned') {
      r.selection.countType = 'sinceImagePushed';
      r.selection.countUnit = 'days';
    }
    r.selection.storageClass = null;
  } else {
    r.action = { type: 'expire', targetStorageClass: null };
  }
  return r;
}

/**
 * The rule with another count type. Time since archiving is counted on archived images only
 * (ECR requires `storageClass: archive` with it and accepts only `standard` with the others),
 * and archived images can only be expired.
 */
export function withCountType(rule: Rule, countType: Rule['selection']['countType']): Rule {
  const r = structuredClone(rule);
  r.selection.countType = countType;
  r.selection.countUnit = countType === 'imageCountMoreThan' ? null : 'days';
  if (countType === 'sinceImageTransitioned') {
    r.selection.storageClass = 'archive';
    r.action = { type: 'expire', targetStorageClass: null };
    r.selection.countNumber = Math.max(r.selection.countNumber, ARCHIVE_MINIMUM_DAYS);
  } else if (r.selection.storageClass === 'archive') {
    r.selection.storageClass = null;
  }
  return r;
}

/** The rule looking at another storage class (`standard` is ECR's default: left out of the JSON). */
export function withStorageClass(rule: Rule, storageClass: 'standard' | 'archive'): Rule {
  if (storageClass === 'archive') return withCountType(rule, 'sinceImageTransitioned');
  const r = rule.selection.countType === 'sinceImageTransitioned' ? withCountType(rule, 'sinceImagePushed') : structuredClone(rule);
  r.selection.storageClass = null;
  return r;
}

/** Archived images are billed for at least this many days; ECR's policies cannot expire them sooner. */
export const ARCHIVE_MINIMUM_DAYS = 90;

export function newRule(priority: number): Rule {
  return {
    rulePriority: priority,
    description: null,
    selection: { tagStatus: 'untagged', tagPrefixList: null, tagPatternList: null, storageClass: null, countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
    action: { type: 'expire', targetStorageClass: null },
  };
}

/** The document in ECR's field order, without empty optional fields. */
export function toText(rules: Rule[]): string {
  const clean = rules.map((r) => {
    const s = r.selection;
    const selection: Record<string, unknown> = { tagStatus: s.tagStatus };
    if (s.tagPrefixList?.length) selection.tagPrefixList = s.tagPrefixList;
    if (s.tagPatternList?.length) selection.tagPatternList = s.tagPatternList;
    if (s.storageClass) selection.storageClass = s.storageClass;
    selection.countType = s.countType;
    if (s.countType !== 'imageCountMoreThan') selection.countUnit = s.countUnit ?? 'days';
    selection.countNumber = s.countNumber;
    const action: Record<string, unknown> = { type: r.action.type };
    if (r.action.targetStorageClass) action.targetStorageClass = r.action.targetStorageClass;
    return { rulePriority: r.rulePriority, ...(r.description ? { description: r.description } : {}), selection, action };
  });
  return JSON.stringify({ rules: clean }, null, 2);
}

/** The rules of a document, or why it cannot be read. */
export function fromText(text: string): { rules: Rule[] } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { error: `Not JSON: ${(e as Error).message}` };
  }
  const rules = (v as { rules?: unknown })?.rules;
  if (!Array.isArray(rules)) return { error: 'A lifecycle policy is {"rules": [...]}.' };
  const out: Rule[] = [];
  for (const [i, r] of rules.entries()) {
    const x = r as Partial<Rule> & { selection?: Partial<Rule['selection']> };
    if (!x || typeof x !== 'object' || !x.selection || !x.action) return { error: `Rule ${i + 1} needs a selection and an action.` };
    out.push({
      rulePriority: Number(x.rulePriority ?? i + 1),
      description: x.description ?? null,
      selection: {
        tagStatus: x.selection.tagStatus ?? 'any',
        tagPrefixList: x.selection.tagPrefixList ?? null,
        tagPatternList: x.selection.tagPatternList ?? null,
        storageClass: x.selection.storageClass ?? null,
        countType: x.selection.countType ?? 'imageCountMoreThan',
        countUnit: x.selection.countUnit ?? null,
        countNumber: Number(x.selection.countNumber ?? 0),
      },
      action: { type: x.action.type ?? 'expire', targetStorageClass: x.action.targetStorageClass ?? null },
    });
  }
  return { rules: out };
}

/** Move a rule and number the rules 1…n in their new order (evaluation order = list order). */
export function moveRule(rules: Rule[], from: number, to: number): Rule[] {
  const out = [...rules];
  const [r] = out.splice(from, 1);
  if (!r) return rules;
  out.splice(Math.max(0, Math.min(to, out.length)), 0, r);
  return out.map((x, i) => ({ ...x, rulePriority: i + 1 }));
}

/** "prod-, release-" → ["prod-", "release-"]. */
export function listOf(text: string): string[] {
  return text.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
}

/** The later of two RFC 3339 times (either may be missing). */
function later(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return new Date(b).getTime() > new Date(a).getTime() ? b : a;
}

/**
 * An image as the simulator reads it. An archived image is in archive storage; one being
 * restored (ACTIVATING) counts as standard, as `describe-images` files read by the CLI do.
 * ECR counts `sinceImagePulled` from the last pull, or from the restore when the image has not
 * been pulled since, so the later of the two is the pull time simulated.
 */
export function simImage(i: ImageSummary): SimImage {
  const status = i.status ?? 'ACTIVE';
  return {
    imageDigest: i.digest,
    imageTags: i.tags,
    imagePushedAt: i.pushed_at ?? new Date(0).toISOString(),
    lastRecordedPullTime: later(i.last_pulled_at, i.last_activated_at),
    lastTransitionedAt: i.last_archived_at ?? null,
    storageClass: status === 'ARCHIVED' ? 'ARCHIVE' : 'STANDARD',
  };
}

/** How many images and bytes a simulation expires and how many it moves to archive storage. */
export type Impact = { expire: { images: number; bytes: number }; archive: { images: number; bytes: number } };

export function impact(images: ImageSummary[], decisions: Iterable<Pick<Decision, 'image' | 'action'>>): Impact {
  const out: Impact = { expire: { images: 0, bytes: 0 }, archive: { images: 0, bytes: 0 } };
  const seen = new Set<number>();
  for (const d of decisions) {
    const image = images[d.image];
    if (!image || seen.has(d.image)) continue;
    seen.add(d.image);
    const side = d.action === 'transition' ? out.archive : out.expire;
    side.images += 1;
    side.bytes += image.size_bytes ?? 0;
  }
  return out;
}

/** Archive what has not been pulled for `pulledDays`, expire it `archivedDays` after archiving. */
export function archiveTemplate(pulledDays = 90, archivedDays = 365): Rule[] {
  const archive = withCountType(withAction(newRule(1), 'archive'), 'sinceImagePulled');
  archive.description = `Archive images not pulled in ${pulledDays} days`;
  archive.selection = { ...archive.selection, tagStatus: 'any', countNumber: pulledDays };
  const expire = withStorageClass(newRule(2), 'archive');
  expire.description = `Expire archived images after ${archivedDays} days`;
  expire.selection = { ...expire.selection, tagStatus: 'any', countNumber: Math.max(archivedDays, ARCHIVE_MINIMUM_DAYS) };
  return [archive, expire];
}
