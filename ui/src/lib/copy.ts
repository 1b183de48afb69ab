// Copying images between registries: the request the backend takes for a source and a target
// of the sidebar, and how targets are named.
import type { CopyRequest, PinnedRegistry, ProfileInfo, Registries } from './bindings';
import type { CopyTarget } from './stores/drag.svelte';

/** A registry the dialog offers: the active one, a pinned pair, a host. */
export type CopyRegistry =
  | { kind: 'active' }
  | { kind: 'pinned'; profile: string; region: string }
  | { kind: 'oci'; host: string };

export function registryKey(r: CopyRegistry): string {
  if (r.kind === 'active') return 'active';
  if (r.kind === 'pinned') return `pinned|${r.profile}|${r.region}`;
  return `oci|${r.host}`;
}

export function registryOf(t: CopyTarget): CopyRegistry {
  if (t.kind === 'active') return { kind: 'active' };
  if (t.kind === 'pinned') return { kind: 'pinned', profile: t.profile, region: t.region };
  return { kind: 'oci', host: t.host };
}

/** Every registry the dialog can copy to, the active one first. */
export function copyRegistries(registries: Registries | null | undefined): CopyRegistry[] {
  return [
    { kind: 'active' },
    ...(registries?.pinned ?? []).map((p: PinnedRegistry): CopyRegistry => ({ kind: 'pinned', profile: p.profile, region: p.region })),
    ...(registries?.held ?? []).map((h): CopyRegistry => ({ kind: 'oci', host: h.host })),
  ];
}

/** A profile id in words: its label when known ("prod"), else the id without its prefix. */
export function profileWords(id: string, profiles: ProfileInfo[] | undefined): string {
  return profiles?.find((p) => p.id === id)?.label ?? id.replace(/^(aws|app):/, '');
}

export function registryWords(r: CopyRegistry, activeLabel: string, profiles?: ProfileInfo[]): string {
  if (r.kind === 'active') return `${activeLabel} (this registry)`;
  if (r.kind === 'pinned') return `${profileWords(r.profile, profiles)} · ${r.region}`;
  return r.host;
}

/** The backend's request for copying `source` (`repo:tag` or `repo@digest` of the active
 *  registry) to `repository` of `registry`, under `tags` (none: the source's tag). */
export function copyRequest(source: string, registry: CopyRegistry, repository: string, tags: string[]): CopyRequest {
  const name = repository.trim();
  if (registry.kind === 'oci') return { source, destination: `${registry.host}/${name}`, tags, to_profile: null, to_region: null };
  if (registry.kind === 'pinned') return { source, destination: name, tags, to_profile: registry.profile, to_region: registry.region };
  return { source, destination: name, tags, to_profile: null, to_region: null };
}
