import { describe, expect, it } from 'vitest';
import { enhancedFacts, hasEnhanced, scoreText, type FindingLike } from './findings';

const basic: FindingLike = { name: 'CVE-2024-1', package: 'openssl', version: '3.0.1', fixed_in: null };
const enhanced: FindingLike = {
  ...basic,
  fixed_in: '3.0.2',
  title: 'CVE-2024-1 - openssl',
  score: 9.8,
  score_source: 'NVD CVSS 3.1',
  scoring_vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  fix_available: 'YES',
  exploit_available: 'NO',
  file_path: '/usr/lib/libssl.so.3',
  remediation: 'Upgrade openssl to 3.0.2.',
  first_observed: '2026-01-01T00:00:00Z',
  last_observed: '2026-02-01T00:00:00Z',
};

describe('enhanced findings', () => {
  it('list what ECR gave, in order', () => {
    expect(enhancedFacts(enhanced).map((f) => `${f.label}: ${f.value}`)).toEqual([
      'Title: CVE-2024-1 - openssl',
      'Score: 9.8 (NVD CVSS 3.1)',
      'Vector: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'Fix available: yes (in 3.0.2)',
      'Exploit available: no',
      'Package: openssl 3.0.1',
      'File: /usr/lib/libssl.so.3',
      'Remediation: Upgrade openssl to 3.0.2.',
      'First observed: 2026-01-01T00:00:00Z',
      'Last observed: 2026-02-01T00:00:00Z',
    ]);
    expect(enhancedFacts(enhanced).find((f) => f.key === 'first')?.kind).toBe('time');
    expect(hasEnhanced(enhanced)).toBe(true);
  });

  it('leave a basic finding as its row', () => {
    expect(hasEnhanced(basic)).toBe(false);
    expect(hasEnhanced({ ...basic, score: null, title: null, fix_available: null })).toBe(false);
    expect(scoreText(basic)).toBeNull();
  });

  it('flag an available exploit and word partial fixes', () => {
    const facts = enhancedFacts({ ...basic, exploit_available: 'YES', fix_available: 'PARTIAL', score: 5, score_source: null });
    expect(facts.find((f) => f.key === 'exploit')).toMatchObject({ value: 'yes', tone: 'warn' });
    expect(facts.find((f) => f.key === 'fix')?.value).toBe('partially');
    expect(scoreText({ ...basic, score: 5 })).toBe('5.0');
    // A title that only repeats the id is left out.
    expect(enhancedFacts({ ...basic, title: 'CVE-2024-1', score: 1 }).map((f) => f.key)).toEqual(['score', 'package']);
  });
});
