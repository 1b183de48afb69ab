// Other registries browsed from the sidebar: full references and what the views show of them.

/** `HOST/REPOSITORY` of a registry's repository. */
export const repositoryAddress = (host: string, repository: string) => `${host}/${repository}`;

/** `HOST/REPOSITORY:TAG`, or `HOST/REPOSITORY@DIGEST`. */
export function fullReference(address: string, reference: string): string {
  return reference.startsWith('sha256:') ? `${address}@${reference}` : `${address}:${reference}`;
}

/** The pull command of a full reference. */
export const pullCommand = (reference: string) => `docker pull ${reference}`;

/** The host of a full reference: its first component when it names a registry (a `.` or `:`, or `localhost`). */
export function hostOf(reference: string): string | null {
  const r = reference.trim();
  if (r.startsWith('local:')) return null;
  const slash = r.indexOf('/');
  if (slash <= 0) return null;
  const first = r.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.toLowerCase() : null;
}

/** A reference of another registry than the active one (read by the browse view). */
export const isForeign = (reference: string) => hostOf(reference) !== null;

/** `HOST/REPOSITORY[:TAG|@DIGEST]` → its parts; null when it names no host. */
export function splitFull(reference: string): { host: string; repository: string; reference: string | null } | null {
  const host = hostOf(reference);
  if (!host) return null;
  const rest = reference.trim().slice(host.length + 1);
  const at = rest.indexOf('@');
  if (at > 0) return { host, repository: rest.slice(0, at), reference: rest.slice(at + 1) };
  const colon = rest.lastIndexOf(':');
  if (colon > 0 && !rest.slice(colon + 1).includes('/')) return { host, repository: rest.slice(0, colon), reference: rest.slice(colon + 1) };
  return { host, repository: rest, reference: null };
}

/** A repository name as typed into "Open repository…": trimmed, without the host or a tag; null when it is not one. */
export function typedRepository(text: string, host: string): string | null {
  let t = text.trim().replace(/^\/+|\/+$/g, '');
  if (t.toLowerCase().startsWith(`${host.toLowerCase()}/`)) t = t.slice(host.length + 1);
  const at = t.indexOf('@');
  if (at > 0) t = t.slice(0, at);
  const colon = t.lastIndexOf(':');
  if (colon > 0 && !t.slice(colon + 1).includes('/')) t = t.slice(0, colon);
  return /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(t) ? t : null;
}

/** Tags matching the filter (every word, anywhere), newest-looking first: versions descending, then the rest. */
export function filterTags(tags: string[], filter: string): string[] {
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const kept = tags.filter((t) => words.every((w) => t.toLowerCase().includes(w)));
  return [...kept].sort(compareTags);
}

/** `latest` first, then tags by version (numbers compared as numbers), highest first. */
export function compareTags(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'latest') return -1;
  if (b === 'latest') return 1;
  return b.localeCompare(a, undefined, { numeric: true, sensitivity: 'base' });
}
