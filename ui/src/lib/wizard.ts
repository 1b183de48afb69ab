// The repository creation wizard's logic: its steps, the draft the user fills in, and the
// spec it becomes. The rules themselves live in Rust (check_repository / review_repository).
import type { FieldProblem, PolicyTemplate, PublicCatalog, RepositorySpec, TagMutability } from './bindings';

/** The private path's steps (the first one chooses the visibility too). */
export const STEPS = ['name', 'settings', 'lifecycle', 'permissions', 'tags', 'review'] as const;
/** ECR Public's path: catalog data instead of the private settings. */
export const PUBLIC_STEPS = ['name', 'catalog', 'review'] as const;
export type Step = (typeof STEPS)[number] | (typeof PUBLIC_STEPS)[number];
export type Visibility = 'private' | 'public';

export function stepsFor(visibility: Visibility): readonly Step[] {
  return visibility === 'public' ? PUBLIC_STEPS : STEPS;
}

export const STEP_TITLES: Record<Step, string> = {
  name: 'Visibility and name',
  catalog: 'Catalog data',
  settings: 'Settings',
  lifecycle: 'Lifecycle',
  permissions: 'Permissions',
  tags: 'Tags',
  review: 'Review',
};

/** The spec fields each step edits (the review shows all). */
const FIELDS: Record<Step, string[]> = {
  name: ['name'],
  settings: ['mutability_exclusions', 'encryption', 'kms_key'],
  lifecycle: ['lifecycle_policy'],
  permissions: ['repository_policy'],
  tags: ['tags'],
  catalog: [],
  review: [],
};

/** A problem of `field` itself or of a part of it: `lifecycle_policy.rules[0].selection.countNumber`. */
export function isProblemOf(field: string, p: FieldProblem): boolean {
  return p.field === field || p.field.startsWith(`${field}.`);
}

export function problemsOf(step: Step, problems: FieldProblem[]): FieldProblem[] {
  if (step === 'review') return problems;
  return problems.filter((p) => FIELDS[step].some((f) => isProblemOf(f, p)));
}

export type LifecycleKind = 'none' | 'keep_last_tagged' | 'expire_untagged' | 'keep_release_tags' | 'custom';
export type PermissionKind = 'none' | 'allow_pull_from_accounts' | 'allow_push_from_role' | 'allow_lambda_pull' | 'custom';

export interface Draft {
  name: string;
  mutability: TagMutability;
  /** Comma- or space-separated wildcard filters. */
  exclusions: string;
  scanOnPush: boolean;
  encryption: 'AES256' | 'KMS';
  /** Empty: the AWS managed key. */
  kmsKey: string;
  lifecycle: { kind: LifecycleKind; count: number; days: number; pattern: string; text: string };
  permissions: { kind: PermissionKind; accounts: string; roleArn: string; account: string; text: string };
  tags: { key: string; value: string }[];
  visibility: Visibility;
  /** ECR Public's catalog data (the public path only). */
  catalog: { description: string; about: string; usage: string; architectures: string[]; systems: string[] };
}

/** The values the ECR Public Gallery shows as badges. */
export const ARCHITECTURES = ['ARM', 'ARM 64', 'x86', 'x86-64'] as const;
export const OPERATING_SYSTEMS = ['Linux', 'Windows'] as const;

export function emptyDraft(name = '', visibility: Visibility = 'private'): Draft {
  return {
    name,
    visibility,
    catalog: { description: '', about: '', usage: '', architectures: [], systems: [] },
    mutability: 'IMMUTABLE',
    exclusions: '',
    scanOnPush: true,
    encryption: 'AES256',
    kmsKey: '',
    lifecycle: { kind: 'none', count: 10, days: 14, pattern: 'release-*', text: '' },
    permissions: { kind: 'none', accounts: '', roleArn: '', account: '', text: '' },
    tags: [],
  };
}

export function words(list: string): string[] {
  return list.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);
}

export const withExclusions = (m: TagMutability) => m === 'MUTABLE_WITH_EXCLUSION' || m === 'IMMUTABLE_WITH_EXCLUSION';

export function toSpec(d: Draft): RepositorySpec {
  return {
    name: d.name.trim(),
    tag_mutability: d.mutability,
    mutability_exclusions: withExclusions(d.mutability) ? words(d.exclusions) : [],
    scan_on_push: d.scanOnPush,
    encryption: d.encryption,
    kms_key: d.encryption === 'KMS' && d.kmsKey.trim() ? d.kmsKey.trim() : null,
    lifecycle_policy: d.lifecycle.kind === 'none' ? null : d.lifecycle.text,
    repository_policy: d.permissions.kind === 'none' ? null : d.permissions.text,
    tags: d.tags.filter((t) => t.key.trim() || t.value.trim()).map((t) => ({ key: t.key.trim(), value: t.value })),
  };
}

/** The template the lifecycle choice stands for (none for "none" and "custom"). */
export function lifecycleTemplate(l: Draft['lifecycle']): PolicyTemplate | null {
  switch (l.kind) {
    case 'keep_last_tagged':
      return { template: 'keep_last_tagged', count: l.count };
    case 'expire_untagged':
      return { template: 'expire_untagged', days: l.days };
    case 'keep_release_tags':
      return { template: 'keep_release_tags', pattern: l.pattern, count: l.count, untagged_days: l.days };
    default:
      return null;
  }
}

export function permissionTemplate(p: Draft['permissions']): PolicyTemplate | null {
  switch (p.kind) {
    case 'allow_pull_from_accounts':
      return { template: 'allow_pull_from_accounts', accounts: words(p.accounts) };
    case 'allow_push_from_role':
      return { template: 'allow_push_from_role', role_arn: p.roleArn.trim() };
    case 'allow_lambda_pull':
      return { template: 'allow_lambda_pull', account: p.account.trim() };
    default:
      return null;
  }
}

/** A name free among the repositories already listed (the review asks AWS too). */
export function nameTaken(name: string, existing: string[]): boolean {
  return existing.includes(name.trim());
}

/** Namespaces of the existing repositories ("api/" for "api/orders"), for the name hint. */
export function namespaces(existing: string[]): string[] {
  const set = new Set<string>();
  for (const n of existing) {
    const i = n.lastIndexOf('/');
    if (i > 0) set.add(n.slice(0, i + 1));
  }
  return [...set].sort();
}

const blank = (t: string) => (t.trim() ? t.trim() : null);

/** The catalog data a public repository is created with (empty fields left out). */
export function toCatalog(d: Draft): PublicCatalog {
  return {
    description: blank(d.catalog.description),
    about_text: blank(d.catalog.about),
    usage_text: blank(d.catalog.usage),
    // In the gallery's order, whatever order they were ticked in.
    architectures: ARCHITECTURES.filter((a) => d.catalog.architectures.includes(a)),
    operating_systems: OPERATING_SYSTEMS.filter((o) => d.catalog.systems.includes(o)),
  };
}
