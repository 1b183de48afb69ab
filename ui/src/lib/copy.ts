// Copying images between registries: the request the backend takes for a source and a target
// of the sidebar, and how targets are named.
import type { CopyRequest, PinnedRegistry, ProfileInfo, Registries } from './bindings';
import type { CopyTarget } from './stores/drag.svelte';

/** A registry the dialog offers: the active one, a pinned pair, a host. */
export type CopyRegistry =
  | { kind: 'active' }
  | { kind: 'pinned'; profile: string; region: string }
  | { kind: 'oci'; host: string }
  | { kind: 'public'; alias: string };

export function registryKey(r: CopyRegistry): string {
  if (r.kind === 'active') return 'active';
  if (r.kind === 'pinned') return `pinned|${r.profile}|${r.region}`;
  if (r.kind === 'public') return `public|${r.alias}`;
  return `oci|${r.host}`;
}

export function registryOf(t: CopyTarget): CopyRegistry {
  if (t.kind === 'active') return { kind: 'active' };
  if (t.kind === 'pinned') return { kind: 'pinned', profile: t.profile, region: t.region };
  if (t.kind === 'public') return { kind: 'public', alias: t.alias };
  return { kind: 'oci', host: t.host };
}

/** Every registry the dialog can copy to, the active one first (then its ECR Public registry,
 *  when the account has an alias). */
export function copyRegistries(registries: Registries | null | undefined, publicAlias?: string | null, dockerHosts: string[] = []): CopyRegistry[] {
  const held = (registries?.held ?? []).map((h) => h.host);
  return [
    { kind: 'active' },
    ...(publicAlias ? [{ kind: 'public' as const, alias: publicAlias }] : []),
    ...(registries?.pinned ?? []).map((p: PinnedRegistry): CopyRegistry => ({ kind: 'pinned', profile: p.profile, region: p.region })),
    ...held.map((host): CopyRegistry => ({ kind: 'oci', host })),
    // The Docker configuration's registries (credentials read the docker CLI's way), once each.
    ...[...new Set(dockerHosts)].filter((h) => !held.includes(h)).map((host): CopyRegistry => ({ kind: 'oci', host })),
  ];
}

/** A profile id in words: its label when known ("prod"), else the id without its prefix. */
export function profileWords(id: string, profiles: ProfileInfo[] | undefined): string {
  return profiles?.find((p) => p.id === id)?.label ?? id.replace(/^(aws|app):/, '');
}

export function registryWords(r: CopyRegistry, activeLabel: string, profiles?: ProfileInfo[]): string {
  if (r.kind === 'active') return `${activeLabel} (this registry)`;
  if (r.kind === 'pinned') return `${profileWords(r.profile, profiles)} · ${r.region}`;
  if (r.kind === 'public') return `ECR Public (public.ecr.aws/${r.alias})`;
  return r.host;
}

/** The backend's request for copying `source` (`repo:tag` or `repo@digest` of the active
 *  registry) to `repository` of `registry`, under `tags` (none: the source's tag). */
export function copyRequest(source: string, registry: CopyRegistry, repository: string, tags: string[]): CopyRequest {
  const name = repository.trim();
  if (registry.kind === 'oci') return { source, destination: `${registry.host}/${name}`, tags, to_profile: null, to_region: null };
  if (registry.kind === 'public') return { source, destination: `public.ecr.aws/${registry.alias}/${name}`, tags, to_profile: null, to_region: null };
  if (registry.kind === 'pinned') return { source, destination: name, tags, to_profile: registry.profile, to_region: registry.region };
  return { source, destination: name, tags, to_profile: null, to_region: null };
}
