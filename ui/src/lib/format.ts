// Formatting rules from DESIGN.md: binary units, relative times with the exact time on
// hover, digests shortened to 12 hex characters.

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function shortDigest(digest: string): string {
  const i = digest.indexOf(':');
  if (i < 0) return digest;
  const hex = digest.slice(i + 1);
  return hex.length > 12 ? `${digest.slice(0, i + 1)}${hex.slice(0, 12)}` : digest;
}

const DIVISIONS: [number, Intl.RelativeTimeFormatUnit][] = [
  [60, 'second'],
  [60, 'minute'],
  [24, 'hour'],
  [7, 'day'],
  [4.34524, 'week'],
  [12, 'month'],
  [Number.POSITIVE_INFINITY, 'year'],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const relativeShort = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });

/** "3 minutes ago", "yesterday"; `now` for tests. */
export function relativeTime(iso: string | null | undefined, now: Date = new Date(), short = false): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '—';
  const format = short ? relativeShort : relative;
  let duration = (t.getTime() - now.getTime()) / 1000;
  for (const [amount, unit] of DIVISIONS) {
    if (Math.round(Math.abs(duration)) < amount) return format.format(Math.round(duration), unit);
    duration /= amount;
  }
  return format.format(Math.round(duration), 'year');
}

/** The same, abbreviated for a table's narrow column: "31 sec. ago", "12 min. ago". */
export const shortRelativeTime = (iso: string | null | undefined, now: Date = new Date()): string => relativeTime(iso, now, true);

/** The exact time, for a tooltip: "2026-11-24 04:33:40 UTC". */
export function exactTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  return `${t.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** An endpoint URL's `host:port` (`http://127.0.0.1:4566/` → `127.0.0.1:4566`); a bare host as it is. */
export function endpointHost(endpoint: string): string {
  const text = endpoint.trim();
  try {
    return new URL(text.includes('://') ? text : `https://${text}`).host || text;
  } catch {
    return text;
  }
}

/** The endpoint overrides in use, whole, for the top bar's tooltip. */
export function endpointTitle(api: string | null, registry: string | null): string {
  const parts = [api ? `API ${api}` : null, registry ? `registry ${registry}` : null].filter(Boolean);
  return `Endpoint overrides in use: ${parts.join(' · ')}`;
}

/** An index's platforms for a narrow column: `amd64, arm64` when all are Linux (the usual
 *  case), else each whole; `—` for none. The cell's title keeps them whole. */
export function platformWords(platforms: string[]): string {
  if (platforms.length === 0) return '—';
  if (platforms.every((p) => p.startsWith('linux/'))) return platforms.map((p) => p.slice('linux/'.length)).join(', ');
  return platforms.join(', ');
}
