// The Registry page's logic: its tabs, the drafts its forms edit and the ECR configuration they
// become, the JSON ECR stores and the AWS CLI command doing the same. The rules themselves live
// in Rust (check_replication, check_template…); field problems name their input by path
// (`rules[0].destinations[1].region`), and these helpers map them back to the inputs.
import type {
  AppliedFor, CreationTemplate, FieldProblem, PullThroughInput, PullThroughRule, ReplicationConfiguration, ScanFrequency,
  ScanningConfiguration, ScanType, Upstream,
} from './bindings';
import { emptyDraft, toSpec, words, type Draft } from './wizard';

export const TABS = ['replication', 'pull-through', 'templates', 'scanning', 'policy', 'settings'] as const;
export type Tab = (typeof TABS)[number];

export const TAB_TITLES: Record<Tab, string> = {
  replication: 'Replication',
  'pull-through': 'Pull-through cache',
  templates: 'Templates',
  scanning: 'Scanning',
  policy: 'Policy',
  settings: 'Settings',
};

// ---------------------------------------------------------------------------------------------
// Field problems

/** The messages of the problems of exactly `path`. */
export function messagesAt(problems: FieldProblem[], path: string): string[] {
  return problems.filter((p) => p.field === path).map((p) => p.message);
}

/** The problems no input shows (their path is not among `placed`): shown above the form. */
export function unplaced(problems: FieldProblem[], placed: Iterable<string>): FieldProblem[] {
  const set = new Set(placed);
  return problems.filter((p) => !set.has(p.field));
}

// ---------------------------------------------------------------------------------------------
// Shell

/** A word for a POSIX shell: as is when safe, else in single quotes. */
export function shellWord(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_./:=,@%+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `aws ecr SUBCOMMAND --opt value … --region R`, each value quoted for the shell. */
export function awsCli(subcommand: string, options: [string, string | string[] | null | undefined][], region: string): string {
  const parts = ['aws', 'ecr', subcommand];
  for (const [name, value] of options) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      if (!value.length) continue;
      parts.push(`--${name}`, ...value.map(shellWord));
    } else {
      parts.push(`--${name}`, shellWord(value));
    }
  }
  parts.push('--region', shellWord(region));
  return parts.join(' ');
}

const compact = (v: unknown) => JSON.stringify(v);

// ---------------------------------------------------------------------------------------------
// Replication

export interface DestinationDraft {
  region: string;
  /** 12 digits; this account for a cross-region rule. */
  account: string;
}

export interface ReplicationRuleDraft {
  destinations: DestinationDraft[];
  /** Repository-name prefixes; none: every repository. */
  filters: string[];
}

export function fromReplication(config: ReplicationConfiguration): ReplicationRuleDraft[] {
  return config.rules.map((r) => ({
    destinations: r.destinations.map((d) => ({ region: d.region, account: d.registryId })),
    filters: r.repositoryFilters.map((f) => f.filter),
  }));
}

/** The configuration, index for index with the draft (so problems land on their input). */
export function toReplication(rules: ReplicationRuleDraft[]): ReplicationConfiguration {
  return {
    rules: rules.map((r) => ({
      destinations: r.destinations.map((d) => ({ region: d.region.trim(), registryId: d.account.trim() })),
      repositoryFilters: r.filters.map((f) => ({ filter: f.trim(), filterType: 'PREFIX_MATCH' })),
    })),
  };
}

export const destinationPath = (rule: number, destination: number, field: 'region' | 'registry_id') =>
  `rules[${rule}].destinations[${destination}].${field}`;
export const filterPath = (rule: number, filter: number) => `rules[${rule}].repository_filters[${filter}].filter`;

/** Every path the replication form shows problems on. */
export function replicationPaths(rules: ReplicationRuleDraft[]): string[] {
  const out: string[] = [];
  rules.forEach((r, i) => {
    out.push(`rules[${i}].destinations`, `rules[${i}].repository_filters`);
    r.destinations.forEach((_, j) => out.push(destinationPath(i, j, 'region'), destinationPath(i, j, 'registry_id')));
    r.filters.forEach((_, j) => out.push(filterPath(i, j)));
  });
  return out;
}

/** The destinations in another account than `account` (each needs that account's registry policy). */
export function crossAccount(config: ReplicationConfiguration, account: string): { region: string; registryId: string }[] {
  const seen = new Set<string>();
  const out: { region: string; registryId: string }[] = [];
  for (const d of config.rules.flatMap((r) => r.destinations)) {
    const k = `${d.registryId}|${d.region}`;
    if (d.registryId && d.registryId !== account && !seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  }
  return out;
}

export const replicationJson = (config: ReplicationConfiguration) => JSON.stringify(config, null, 2);

export function replicationCli(config: ReplicationConfiguration, region: string): string {
  return awsCli('put-replication-configuration', [['replication-configuration', compact(config)]], region);
}

// ---------------------------------------------------------------------------------------------
// Pull-through cache

export interface UpstreamInfo {
  value: Upstream;
  label: string;
  /** The URL ECR expects; none: the user names the registry (Azure, another ECR). */
  url: string | null;
  /** The form of the URL to type. */
  placeholder?: string;
  needsCredential: boolean;
}

/** ECR's upstreams (`UpstreamRegistry`), in the order the form offers them. */
export const UPSTREAMS: UpstreamInfo[] = [
  { value: 'ecr-public', label: 'ECR Public', url: 'public.ecr.aws', needsCredential: false },
  { value: 'docker-hub', label: 'Docker Hub', url: 'registry-1.docker.io', needsCredential: true },
  { value: 'github-container-registry', label: 'GitHub', url: 'ghcr.io', needsCredential: true },
  { value: 'gitlab-container-registry', label: 'GitLab', url: 'registry.gitlab.com', needsCredential: true },
  { value: 'quay', label: 'Quay', url: 'quay.io', needsCredential: false },
  { value: 'k8s', label: 'Kubernetes', url: 'registry.k8s.io', needsCredential: false },
  { value: 'azure-container-registry', label: 'Azure', url: null, placeholder: 'NAME.azurecr.io', needsCredential: true },
  { value: 'chainguard', label: 'Chainguard', url: 'cgr.dev', needsCredential: true },
  { value: 'ecr', label: 'Another ECR registry', url: null, placeholder: '111122223333.dkr.ecr.us-west-2.amazonaws.com', needsCredential: false },
];

export const upstreamInfo = (u: Upstream): UpstreamInfo => UPSTREAMS.find((x) => x.value === u) ?? UPSTREAMS[0]!;

/** The label of a rule's upstream ("Docker Hub"), or its URL when ECR names none Berth knows. */
export const upstreamLabel = (rule: PullThroughRule) => (rule.upstream ? upstreamInfo(rule.upstream).label : rule.upstream_registry_url);

export interface PullThroughDraft {
  upstream: Upstream;
  /** For upstreams without a fixed URL. */
  url: string;
  prefix: string;
  upstreamPrefix: string;
  credential: 'secret' | 'typed';
  secretArn: string;
  username: string;
  customRoleArn: string;
}

export function emptyPullThrough(): PullThroughDraft {
  return { upstream: 'ecr-public', url: '', prefix: '', upstreamPrefix: '', credential: 'secret', secretArn: '', username: '', customRoleArn: '' };
}

/** The form for changing a rule's credential or role: its upstream and prefixes as they are. */
export function pullThroughFromRule(r: PullThroughRule): PullThroughDraft {
  const known = UPSTREAMS.find((u) => u.value === r.upstream);
  return {
    upstream: known?.value ?? 'ecr',
    url: known?.url ? '' : r.upstream_registry_url,
    prefix: r.ecr_repository_prefix,
    upstreamPrefix: r.upstream_repository_prefix && r.upstream_repository_prefix !== 'ROOT' ? r.upstream_repository_prefix : '',
    credential: 'secret',
    secretArn: r.credential_arn ?? '',
    username: '',
    customRoleArn: r.custom_role_arn ?? '',
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The input `add_pull_through_rule` takes. The token is passed in, never kept in the draft. */
export function toPullThroughInput(d: PullThroughDraft, token: string): PullThroughInput {
  const info = upstreamInfo(d.upstream);
  const typed = info.needsCredential && d.credential === 'typed';
  return {
    ecr_repository_prefix: d.prefix.trim(),
    upstream_registry_url: info.url ?? d.url.trim().replace(/^https:\/\//, '').replace(/\/+$/, ''),
    upstream_repository_prefix: orNull(d.upstreamPrefix),
    credential_arn: info.needsCredential && d.credential === 'secret' ? orNull(d.secretArn) : null,
    username: typed ? orNull(d.username) : null,
    token: typed && token ? token : null,
    custom_role_arn: d.upstream === 'ecr' ? orNull(d.customRoleArn) : null,
  };
}

/** What the form lacks before it can be sent (Rust checks the rest): problems by input. */
export function missingPullThrough(d: PullThroughDraft, hasToken: boolean): FieldProblem[] {
  const info = upstreamInfo(d.upstream);
  const out: FieldProblem[] = [];
  if (!d.prefix.trim()) out.push({ field: 'ecr_repository_prefix', message: 'Type the prefix the cached repositories get here, such as docker-hub (or ROOT).' });
  if (!info.url && !d.url.trim()) out.push({ field: 'upstream_registry_url', message: `Type the registry's address, such as ${info.placeholder ?? 'registry.example.com'}.` });
  if (info.needsCredential && d.credential === 'secret' && !d.secretArn.trim()) {
    out.push({ field: 'credential_arn', message: `${info.label} needs a credential: pick a secret, or type a user name and token.` });
  }
  if (info.needsCredential && d.credential === 'typed') {
    if (!d.username.trim()) out.push({ field: 'username', message: 'Type the user name of the upstream account.' });
    if (!hasToken) out.push({ field: 'token', message: 'Type the access token (it goes to Secrets Manager, not to Berth).' });
  }
  if (d.upstream === 'ecr' && !d.customRoleArn.trim()) out.push({ field: 'custom_role_arn', message: 'Caching another ECR registry needs an IAM role that can pull from it.' });
  return out;
}

/** The secret Berth creates for a typed credential (as Rust names it). */
export const credentialSecretName = (prefix: string) => `ecr-pullthroughcache/${prefix.trim().replace(/\//g, '-')}`;

/** The command adding the rule; a typed token shows as TOKEN (it is never written out). */
export function pullThroughCli(input: PullThroughInput, region: string, update = false): string {
  const lines: string[] = [];
  let credential = input.credential_arn;
  if (input.username) {
    const name = credentialSecretName(input.ecr_repository_prefix);
    lines.push(
      `aws secretsmanager create-secret --name ${shellWord(name)} --secret-string ${shellWord(compact({ username: input.username, accessToken: 'TOKEN' }))} --region ${shellWord(region)}`,
    );
    credential = `SECRET_ARN`;
  }
  if (update) {
    // ECR changes only a rule's credential and role.
    lines.push(
      awsCli('update-pull-through-cache-rule', [
        ['ecr-repository-prefix', input.ecr_repository_prefix || 'PREFIX'],
        ['credential-arn', credential],
        ['custom-role-arn', input.custom_role_arn],
      ], region),
    );
    return lines.join('\n');
  }
  lines.push(
    awsCli('create-pull-through-cache-rule', [
      ['ecr-repository-prefix', input.ecr_repository_prefix || 'PREFIX'],
      ['upstream-registry-url', input.upstream_registry_url || 'URL'],
      ['upstream-repository-prefix', input.upstream_repository_prefix],
      ['credential-arn', credential],
      ['custom-role-arn', input.custom_role_arn],
    ], region),
  );
  return lines.join('\n');
}

export function pullThroughJson(rules: PullThroughRule[]): string {
  return JSON.stringify(
    rules.map((r) => ({
      ecrRepositoryPrefix: r.ecr_repository_prefix,
      upstreamRegistryUrl: r.upstream_registry_url,
      ...(r.upstream ? { upstreamRegistry: r.upstream } : {}),
      ...(r.upstream_repository_prefix ? { upstreamRepositoryPrefix: r.upstream_repository_prefix } : {}),
      ...(r.credential_arn ? { credentialArn: r.credential_arn } : {}),
      ...(r.custom_role_arn ? { customRoleArn: r.custom_role_arn } : {}),
      ...(r.created_at ? { createdAt: r.created_at } : {}),
      ...(r.updated_at ? { updatedAt: r.updated_at } : {}),
    })),
    null,
    2,
  );
}

export function pullThroughWords(rules: PullThroughRule[]): string[] {
  if (!rules.length) return ['No pull-through cache rule: pulls go to the upstream registries directly.'];
  return rules.map((r) => {
    const at = r.ecr_repository_prefix === 'ROOT' ? 'at the root of this registry' : `under “${r.ecr_repository_prefix}/”`;
    const up = r.upstream_repository_prefix && r.upstream_repository_prefix !== 'ROOT' ? ` (its “${r.upstream_repository_prefix}/” repositories)` : '';
    const cred = r.credential_arn ? `, signing in with the secret ${secretName(r.credential_arn)}` : '';
    return `Images pulled ${at} are fetched from ${upstreamLabel(r)}${up} on first pull and kept here${cred}.`;
  });
}

/** `arn:aws:secretsmanager:…:secret:ecr-pullthroughcache/x-AbCdEf` → `ecr-pullthroughcache/x-AbCdEf`. */
export function secretName(arn: string): string {
  const i = arn.indexOf(':secret:');
  return i >= 0 ? arn.slice(i + 8) : arn;
}

// ---------------------------------------------------------------------------------------------
// Creation templates

export const APPLIED_FOR: { value: AppliedFor; label: string }[] = [
  { value: 'CREATE_ON_PUSH', label: 'Create on push' },
  { value: 'PULL_THROUGH_CACHE', label: 'Pull-through cache' },
  { value: 'REPLICATION', label: 'Replication' },
];

export interface TemplateDraft {
  prefix: string;
  description: string;
  appliedFor: AppliedFor[];
  customRoleArn: string;
  /** The repository wizard's settings (its name is unused: the prefix is the template's). */
  settings: Draft;
}

export function emptyTemplate(): TemplateDraft {
  const settings = emptyDraft();
  settings.scanOnPush = false;
  return { prefix: '', description: '', appliedFor: ['CREATE_ON_PUSH'], customRoleArn: '', settings };
}

export function fromTemplate(t: CreationTemplate): TemplateDraft {
  const s = t.settings;
  const settings: Draft = {
    ...emptyDraft(),
    mutability: s.tag_mutability,
    exclusions: s.mutability_exclusions.join(', '),
    scanOnPush: false,
    encryption: s.encryption === 'AES256' ? 'AES256' : 'KMS',
    kmsKey: s.kms_key ?? '',
    tags: s.tags.map((x) => ({ ...x })),
  };
  if (s.lifecycle_policy) settings.lifecycle = { ...settings.lifecycle, kind: 'custom', text: s.lifecycle_policy };
  if (s.repository_policy) settings.permissions = { ...settings.permissions, kind: 'custom', text: s.repository_policy };
  return { prefix: t.prefix, description: t.description ?? '', appliedFor: [...t.applied_for], customRoleArn: t.custom_role_arn ?? '', settings };
}

export function toTemplate(d: TemplateDraft): CreationTemplate {
  const prefix = d.prefix.trim();
  return {
    prefix,
    description: orNull(d.description),
    applied_for: APPLIED_FOR.map((a) => a.value).filter((v) => d.appliedFor.includes(v)),
    settings: { ...toSpec({ ...d.settings, scanOnPush: false }), name: prefix },
    custom_role_arn: orNull(d.customRoleArn),
    created_at: null,
    updated_at: null,
  };
}

/** The problem paths the template form shows on its inputs. */
export const TEMPLATE_PATHS = ['prefix', 'description', 'applied_for', 'custom_role_arn', 'mutability_exclusions', 'kms_key', 'lifecycle_policy', 'repository_policy', 'tags'];

/** A problem's input in the template form: `lifecycle_policy.rules[0]…` shows on the lifecycle policy. */
export function templateField(path: string): string {
  const top = path.split(/[.[]/)[0] ?? path;
  return TEMPLATE_PATHS.includes(top) ? top : path;
}

const MUTABILITY_WORDS: Record<CreationTemplate['settings']['tag_mutability'], string> = {
  MUTABLE: 'tags mutable',
  IMMUTABLE: 'tags immutable',
  MUTABLE_WITH_EXCLUSION: 'tags mutable except',
  IMMUTABLE_WITH_EXCLUSION: 'tags immutable except',
};

/** A template's settings in words: "tags immutable, AES-256, lifecycle policy, 2 resource tags". */
export function templateWords(t: CreationTemplate): string {
  const s = t.settings;
  const parts = [
    `${MUTABILITY_WORDS[s.tag_mutability]}${s.mutability_exclusions.length ? ` ${s.mutability_exclusions.join(', ')}` : ''}`,
    s.encryption === 'AES256' ? 'AES-256' : `${s.encryption === 'KMS_DSSE' ? 'KMS (dual-layer)' : 'KMS'}${s.kms_key ? ` ${s.kms_key}` : ', AWS managed key'}`,
  ];
  if (s.lifecycle_policy) parts.push('lifecycle policy');
  if (s.repository_policy) parts.push('repository policy');
  if (s.tags.length) parts.push(s.tags.length === 1 ? '1 resource tag' : `${s.tags.length} resource tags`);
  if (t.custom_role_arn) parts.push(`role ${t.custom_role_arn}`);
  return parts.join(', ');
}

export function templatesWords(templates: CreationTemplate[]): string[] {
  if (!templates.length) return ['No creation template: repositories ECR creates (on push, by replication or pull-through cache) get ECR’s defaults.'];
  return templates.map((t) => {
    const which = t.prefix === 'ROOT' ? 'Repositories no other template covers' : `Repositories whose names start with “${t.prefix}”`;
    const when = t.applied_for.map((a) => APPLIED_FOR.find((x) => x.value === a)?.label.toLowerCase() ?? a).join(', ');
    return `${which}, created by ${when || 'nothing yet'}, get: ${templateWords(t)}.`;
  });
}

/** ECR's `RepositoryCreationTemplate` shape. */
export function templateEcr(t: CreationTemplate): Record<string, unknown> {
  const s = t.settings;
  return {
    prefix: t.prefix,
    ...(t.description ? { description: t.description } : {}),
    encryptionConfiguration: { encryptionType: s.encryption, ...(s.kms_key ? { kmsKey: s.kms_key } : {}) },
    ...(s.tags.length ? { resourceTags: s.tags.map((x) => ({ Key: x.key, Value: x.value })) } : {}),
    imageTagMutability: s.tag_mutability,
    ...(s.mutability_exclusions.length ? { imageTagMutabilityExclusionFilters: s.mutability_exclusions.map((f) => ({ filterType: 'WILDCARD', filter: f })) } : {}),
    ...(s.repository_policy ? { repositoryPolicy: s.repository_policy } : {}),
    ...(s.lifecycle_policy ? { lifecyclePolicy: s.lifecycle_policy } : {}),
    appliedFor: t.applied_for,
    ...(t.custom_role_arn ? { customRoleArn: t.custom_role_arn } : {}),
  };
}

export const templatesJson = (templates: CreationTemplate[]) => JSON.stringify(templates.map(templateEcr), null, 2);

/** `create-…` (or `update-…` when the prefix has a template already) with the template's options. */
export function templateCli(t: CreationTemplate, region: string, exists: boolean): string {
  const s = t.settings;
  return awsCli(`${exists ? 'update' : 'create'}-repository-creation-template`, [
    ['prefix', t.prefix || 'PREFIX'],
    ['description', t.description],
    ['applied-for', t.applied_for],
    ['image-tag-mutability', s.tag_mutability],
    ['image-tag-mutability-exclusion-filters', s.mutability_exclusions.map((f) => `filterType=WILDCARD,filter=${f}`)],
    ['encryption-configuration', compact({ encryptionType: s.encryption, ...(s.kms_key ? { kmsKey: s.kms_key } : {}) })],
    ['lifecycle-policy', s.lifecycle_policy ? compact(JSON.parse(safeJson(s.lifecycle_policy))) : null],
    ['repository-policy', s.repository_policy ? compact(JSON.parse(safeJson(s.repository_policy))) : null],
    ['resource-tags', s.tags.length ? compact(s.tags.map((x) => ({ Key: x.key, Value: x.value }))) : null],
    ['custom-role-arn', t.custom_role_arn],
  ], region);
}

/** The text when it parses as JSON, else the text as a JSON string (so the command still shows it). */
function safeJson(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

// ---------------------------------------------------------------------------------------------
// Scanning

export interface ScanningRuleDraft {
  frequency: ScanFrequency;
  /** Comma- or space-separated wildcard filters. */
  filters: string;
}

export interface ScanningDraft {
  type: ScanType;
  rules: ScanningRuleDraft[];
}

export function fromScanning(c: ScanningConfiguration): ScanningDraft {
  return { type: c.scan_type, rules: c.rules.map((r) => ({ frequency: r.scan_frequency, filters: r.repository_filters.join(', ') })) };
}

export function toScanning(d: ScanningDraft): ScanningConfiguration {
  return { scan_type: d.type, rules: d.rules.map((r) => ({ scan_frequency: r.frequency, repository_filters: words(r.filters) })) };
}

/** ECR's shape (`PutRegistryScanningConfiguration`): filters are WILDCARD filters. */
export function scanningEcr(c: ScanningConfiguration) {
  return {
    scanType: c.scan_type,
    rules: c.rules.map((r) => ({ scanFrequency: r.scan_frequency, repositoryFilters: r.repository_filters.map((f) => ({ filter: f, filterType: 'WILDCARD' })) })),
  };
}

export const scanningJson = (c: ScanningConfiguration) => JSON.stringify(scanningEcr(c), null, 2);

export function scanningCli(c: ScanningConfiguration, region: string): string {
  return awsCli('put-registry-scanning-configuration', [['scan-type', c.scan_type], ['rules', compact(scanningEcr(c).rules)]], region);
}

/** The rule a scanning problem path belongs to (`rules[1].repository_filters[0]` → 1). */
export function ruleOf(path: string): number | null {
  const m = /^rules\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
}

// ---------------------------------------------------------------------------------------------
// Registry policy and account settings

export function policyCli(text: string, region: string): string {
  let policy = text.trim();
  try {
    policy = compact(JSON.parse(policy));
  } catch {
    // shown as typed: the editor says what is wrong with it
  }
  return awsCli('put-registry-policy', [['policy-text', policy || 'file://registry-policy.json']], region);
}

export const clearPolicyCli = (region: string) => awsCli('delete-registry-policy', [], region);

export const accountSettingCli = (name: string, value: string, region: string) =>
  awsCli('put-account-setting', [['name', name], ['value', value]], region);

/** Whether a text is a JSON object (the policy editor's first check, before Rust's words). */
export function jsonProblem(text: string): string | null {
  if (!text.trim()) return 'Type a policy, or start from a template below.';
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'A policy is a JSON object: {"Version": …, "Statement": […]}.';
  } catch (e) {
    return `Not JSON: ${(e as Error).message}`;
  }
}

/** The ARN of the key an alias points to (`…:alias/NAME` → `…:key/ID`), which is what a
 * creation template takes; null when the alias points nowhere. */
export function templateKeyArn(alias: { arn: string; target_key_id: string | null }): string | null {
  if (!alias.target_key_id) return null;
  const at = alias.arn.indexOf(':alias/');
  return at < 0 ? null : `${alias.arn.slice(0, at)}:key/${alias.target_key_id}`;
}
