import { describe, expect, it } from 'vitest';
import {
  emptyDraft, lifecycleTemplate, namespaces, nameTaken, permissionTemplate, problemsOf, stepsFor, toCatalog, toSpec, words,
} from './wizard';

describe('repository wizard', () => {
  it('turns a draft into the spec Rust validates', () => {
    const d = emptyDraft(' team/api ');
    d.exclusions = 'latest, dev-*';
    d.encryption = 'KMS';
    d.kmsKey = ' alias/x ';
    d.tags = [{ key: ' team ', value: 'platform' }, { key: '', value: '' }];
    const spec = toSpec(d);
    expect(spec.name).toBe('team/api');
    expect(spec.mutability_exclusions).toEqual([]);
    expect(spec.kms_key).toBe('alias/x');
    expect(spec.tags).toEqual([{ key: 'team', value: 'platform' }]);
    expect(spec.lifecycle_policy).toBeNull();
    d.mutability = 'IMMUTABLE_WITH_EXCLUSION';
    expect(toSpec(d).mutability_exclusions).toEqual(['latest', 'dev-*']);
    d.encryption = 'AES256';
    expect(toSpec(d).kms_key).toBeNull();
  });

  it('maps templates and problems to their steps', () => {
    const d = emptyDraft();
    d.lifecycle.kind = 'keep_release_tags';
    expect(lifecycleTemplate(d.lifecycle)).toEqual({ template: 'keep_release_tags', pattern: 'release-*', count: 10, untagged_days: 14 });
    d.permissions = { ...d.permissions, kind: 'allow_pull_from_accounts', accounts: '111122223333 444455556666' };
    expect(permissionTemplate(d.permissions)).toEqual({ template: 'allow_pull_from_accounts', accounts: ['111122223333', '444455556666'] });
    d.permissions.kind = 'custom';
    expect(permissionTemplate(d.permissions)).toBeNull();
    const problems = [
      { field: 'name', message: 'n' },
      { field: 'kms_key', message: 'k' },
      { field: 'tags', message: 't' },
    ];
    expect(problemsOf('name', problems).map((p) => p.field)).toEqual(['name']);
    expect(problemsOf('settings', problems).map((p) => p.field)).toEqual(['kms_key']);
    expect(problemsOf('review', problems)).toHaveLength(3);
  });

  it('maps a lifecycle rule problem to the lifecycle step', () => {
    const problems = [
      { field: 'lifecycle_policy', message: 'not JSON' },
      { field: 'lifecycle_policy.rules[0].selection.countNumber', message: 'Rule 1: the count must be 1 or more.' },
      { field: 'lifecycle_policy_x', message: 'another field' },
      { field: 'repository_policy', message: 'r' },
    ];
    expect(problemsOf('lifecycle', problems).map((p) => p.field)).toEqual(['lifecycle_policy', 'lifecycle_policy.rules[0].selection.countNumber']);
    expect(problemsOf('permissions', problems).map((p) => p.field)).toEqual(['repository_policy']);
  });

  it('helps with names', () => {
    expect(nameTaken('web ', ['web', 'api/orders'])).toBe(true);
    expect(namespaces(['web', 'api/orders', 'api/payments', 'a/b/c'])).toEqual(['a/b/', 'api/']);
    expect(words(' a,b  c ')).toEqual(['a', 'b', 'c']);
  });

  it('the public path takes catalog data instead of the private settings', () => {
    expect(stepsFor('private')).toEqual(['name', 'settings', 'lifecycle', 'permissions', 'tags', 'review']);
    expect(stepsFor('public')).toEqual(['name', 'catalog', 'review']);
    const d = emptyDraft('tools', 'public');
    expect(d.visibility).toBe('public');
    d.catalog = { description: ' Small tools ', about: '', usage: 'docker pull it', architectures: ['x86-64', 'ARM 64'], systems: ['Linux'] };
    expect(toCatalog(d)).toEqual({
      description: 'Small tools',
      about_text: null,
      usage_text: 'docker pull it',
      architectures: ['ARM 64', 'x86-64'],
      operating_systems: ['Linux'],
    });
    expect(problemsOf('catalog', [{ field: 'name', message: 'x' }])).toEqual([]);
  });
});
