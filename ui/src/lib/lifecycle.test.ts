import { describe, expect, it } from 'vitest';
import type { Rule } from './bindings';
import { fromText, listOf, moveRule, newRule, sentence, toText } from './lifecycle';

const keepProd: Rule = {
  rulePriority: 1,
  description: 'prod',
  selection: { tagStatus: 'tagged', tagPrefixList: null, tagPatternList: ['prod-*'], storageClass: null, countType: 'imageCountMoreThan', countUnit: null, countNumber: 10 },
  action: { type: 'expire', targetStorageClass: null },
};

describe('lifecycle rules', () => {
  it('read as sentences', () => {
    expect(sentence(keepProd)).toBe('Keep the newest 10 images tagged `prod-*`');
    expect(sentence(newRule(2))).toBe('Expire untagged images pushed more than 14 days ago');
    const prefixes = { ...keepProd, selection: { ...keepProd.selection, tagPatternList: null, tagPrefixList: ['a', 'b'] } };
    expect(sentence(prefixes)).toBe('Keep the newest 10 images tagged `a*` and `b*`');
    const one = { ...keepProd, selection: { ...keepProd.selection, countNumber: 1 } };
    expect(sentence(one)).toBe('Keep the newest image tagged `prod-*`');
  });

  it('go to JSON and back in ECR field order', () => {
    const text = toText([keepProd, newRule(2)]);
    expect(text.indexOf('rulePriority')).toBeLessThan(text.indexOf('selection'));
    expect(text).not.toContain('tagPrefixList');
    expect(text).not.toContain('"countUnit": null');
    const back = fromText(text);
    expect('rules' in back && toText(back.rules)).toBe(text);
    expect(fromText('{"rules": [').toString()).toBeTruthy();
    expect('error' in fromText('{"rules": [')).toBe(true);
    expect('error' in fromText('{"x": 1}')).toBe(true);
  });

  it('reorder and renumber', () => {
    const rules = [keepProd, newRule(2), { ...newRule(3), description: 'third' }];
    const moved = moveRule(rules, 2, 0);
    expect(moved.map((r) => r.description)).toEqual(['third', 'prod', null]);
    expect(moved.map((r) => r.rulePriority)).toEqual([1, 2, 3]);
    expect(listOf('prod-, release-  rc')).toEqual(['prod-', 'release-', 'rc']);
  });
});
