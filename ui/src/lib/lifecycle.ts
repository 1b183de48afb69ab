// The lifecycle studio's rules: plain-language sentences, JSON both ways, reordering.
import type { ImageSummary, Rule, SimImage } from './bindings';

/** "Keep the newest 10 images tagged `prod-*`", "Expire untagged images pushed more than 14 days ago". */
export function sentence(rule: Rule): string {
  const s = rule.selection;
  const lists = [...(s.tagPrefixList ?? []).map((p) => `\`${p}*\``), ...(s.tagPatternList ?? []).map((p) => `\`${p}\``)];
  const n = s.countNumber;
  const noun = s.countType === 'imageCountMoreThan' && n === 1 ? 'image' : 'images';
  const which =
    s.tagStatus === 'untagged' ? `untagged ${noun}` : s.tagStatus === 'any' ? noun : `${noun} tagged ${lists.join(' and ') || '(no tag list yet)'}`;
  const verb = rule.action.type === 'transition' ? 'Archive' : 'Expire';
  switch (s.countType) {
    case 'imageCountMoreThan':
      return `Keep the newest ${n === 1 ? '' : `${n} `}${which}${rule.action.type === 'transition' ? '; archive the rest' : ''}`;
    case 'sinceImagePushed':
      return `${verb} ${which} pushed more than ${n} day${n === 1 ? '' : 's'} ago`;
    case 'sinceImagePulled':
      return `${verb} ${which} not pulled for more than ${n} day${n === 1 ? '' : 's'}`;
    case 'sinceImageTransitioned':
      return `${verb} ${which} archived more than ${n} day${n === 1 ? '' : 's'} ago`;
  }
}

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

export function simImage(i: ImageSummary): SimImage {
  return {
    imageDigest: i.digest,
    imageTags: i.tags,
    imagePushedAt: i.pushed_at ?? new Date(0).toISOString(),
    lastRecordedPullTime: i.last_pulled_at,
    lastTransitionedAt: null,
    storageClass: null,
  };
}
