// The enhanced-scanning facts of a finding (Amazon Inspector through ECR), as the image
// details' expandable finding row lists them. Basic scanning findings have none of them.
import type { Finding } from '../../bindings';

/** The enhanced fields of a finding; all optional, so a basic finding reads as it is. */
export type EnhancedFields = {
  score: number | null;
  score_source: string | null;
  scoring_vector: string | null;
  fix_available: string | null;
  exploit_available: string | null;
  file_path: string | null;
  remediation: string | null;
  first_observed: string | null;
  last_observed: string | null;
  title: string | null;
};

export type FindingLike = Pick<Finding, 'name' | 'package' | 'version' | 'fixed_in'> & Partial<EnhancedFields>;

/** One line of the expanded row: a time is shown relative, with the exact time on hover. */
export type Fact = { key: string; label: string; value: string; kind?: 'mono' | 'time' | 'text'; tone?: 'warn' | 'ok' };

const YES_NO: Record<string, string> = { YES: 'yes', NO: 'no', PARTIAL: 'partially' };
const word = (v: string) => YES_NO[v.toUpperCase()] ?? v.toLowerCase();

/** "9.8 (NVD CVSS 3.1)". */
export function scoreText(f: FindingLike): string | null {
  if (f.score === null || f.score === undefined || !Number.isFinite(f.score)) return null;
  return `${f.score.toFixed(1)}${f.score_source ? ` (${f.score_source})` : ''}`;
}

/** True when the finding has something beyond the row itself (an enhanced finding). */
export function hasEnhanced(f: FindingLike): boolean {
  return enhancedFacts(f).some((x) => x.key !== 'package');
}

/** The facts to list, in reading order, leaving out what ECR did not give. */
export function enhancedFacts(f: FindingLike): Fact[] {
  const out: Fact[] = [];
  const add = (fact: Fact | null | false | undefined) => fact && out.push(fact);
  add(!!f.title && f.title !== f.name && { key: 'title', label: 'Title', value: f.title, kind: 'text' });
  const score = scoreText(f);
  add(score !== null && { key: 'score', label: 'Score', value: score });
  add(!!f.scoring_vector && { key: 'vector', label: 'Vector', value: f.scoring_vector, kind: 'mono' });
  add(!!f.fix_available && {
    key: 'fix', label: 'Fix available', value: `${word(f.fix_available)}${f.fixed_in ? ` (in ${f.fixed_in})` : ''}`,
    tone: f.fix_available.toUpperCase() === 'NO' ? undefined : 'ok',
  });
  add(!!f.exploit_available && {
    key: 'exploit', label: 'Exploit available', value: word(f.exploit_available),
    tone: f.exploit_available.toUpperCase() === 'YES' ? 'warn' : undefined,
  });
  add(!!f.package && { key: 'package', label: 'Package', value: `${f.package}${f.version ? ` ${f.version}` : ''}`, kind: 'mono' });
  add(!!f.file_path && { key: 'file', label: 'File', value: f.file_path, kind: 'mono' });
  add(!!f.remediation && { key: 'remediation', label: 'Remediation', value: f.remediation, kind: 'text' });
  add(!!f.first_observed && { key: 'first', label: 'First observed', value: f.first_observed, kind: 'time' });
  add(!!f.last_observed && { key: 'last', label: 'Last observed', value: f.last_observed, kind: 'time' });
  return out;
}
