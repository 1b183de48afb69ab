// The address bar: a reference, a full URI, or two of them for a comparison.

export type Address =
  | { kind: 'repo'; name: string }
  | { kind: 'image'; repository: string; reference: string }
  | { kind: 'compare'; a: string; b: string }
  | { kind: 'invalid'; message: string };

const SEPARATORS = /\s*(?:⇄|↔|<->|<>|\s+vs\.?\s+)\s*/;

/** `123.dkr.ecr.eu-west-1.amazonaws.com/team/api:1` → `team/api:1`; `local:…` stays. */
export function stripHost(ref: string): string {
  const r = ref.trim();
  if (r.startsWith('local:')) return r;
  const slash = r.indexOf('/');
  if (slash > 0) {
    const first = r.slice(0, slash);
    if (first.includes('.') || /:\d+$/.test(first) || first === 'localhost') return r.slice(slash + 1);
  }
  return r;
}

/** `repo:tag`, `repo@sha256:…` or `repo` → its parts. */
export function splitRef(ref: string): { repository: string; reference: string | null } {
  const at = ref.indexOf('@');
  if (at > 0) return { repository: ref.slice(0, at), reference: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > 0 && !ref.slice(colon + 1).includes('/')) return { repository: ref.slice(0, colon), reference: ref.slice(colon + 1) };
  return { repository: ref, reference: null };
}

/** `repo:tag` or `repo@digest` for a reference split by `splitRef`. */
export function joinRef(repository: string, reference: string): string {
  return reference.startsWith('sha256:') ? `${repository}@${reference}` : `${repository}:${reference}`;
}

export function parseAddress(text: string): Address {
  const t = text.trim();
  if (!t) return { kind: 'invalid', message: 'Type a repository, repo:tag, or repo:tagA ⇄ repo:tagB.' };
  const parts = t.split(SEPARATORS).filter(Boolean);
  if (parts.length === 2) {
    const [a, b] = parts.map(stripHost) as [string, string];
    const check = (r: string) => r.startsWith('local:') || splitRef(r).reference !== null;
    if (!check(a) || !check(b)) return { kind: 'invalid', message: 'Compare two images: give each a tag or digest (repo:tag ⇄ repo:tag).' };
    return { kind: 'compare', a, b };
  }
  if (parts.length > 2) return { kind: 'invalid', message: 'Compare two images at a time.' };
  const ref = stripHost(t);
  const { repository, reference } = splitRef(ref);
  if (!/^[a-z0-9][a-z0-9._\-/]*$/.test(repository)) return { kind: 'invalid', message: `“${repository}” is not a repository name (lowercase letters, digits, . _ - /).` };
  return reference ? { kind: 'image', repository, reference } : { kind: 'repo', name: repository };
}
