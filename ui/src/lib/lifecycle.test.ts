import { describe, expect, it } from 'vitest';
import type { ImageSummary, Rule } from './bindings';
import {
  archiveTemplate, fromText, impact, listOf, moveRule, newRule, ruleAction, sentence, simImage, toText, withAction, withCountType, withStorageClass,
} from './lifecycle';

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

// The archive examples of ECR's documentation (Examples of lifecycle policies; Lifecycle policy
// properties): archive what is not pulled for 90 days, expire what has been archived for 365.
const AWS_ARCHIVE_EXAMPLE = `{
  "rules": [
    {
      "rulePriority": 1,
      "description": "Archive images not pulled in 90 days",
      "selection": { "tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90 },
      "action": { "type": "transition", "targetStorageClass": "archive" }
    },
    {
      "rulePriority": 2,
      "description": "Expire archived images after 365 days",
      "selection": { "tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365 },
      "action": { "type": "expire" }
    }
  ]
}`;

function image(digest: string, extra: Partial<ImageSummary> = {}): ImageSummary {
  return {
    digest, tags: [], size_bytes: 1024, pushed_at: '2026-01-01T00:00:00Z', last_pulled_at: null, manifest_media_type: null, artifact_media_type: null,
    scan_status: null, severity_counts: {}, platforms: [], status: 'ACTIVE', last_archived_at: null, last_activated_at: null, ...extra,
  };
}

describe('archive rules', () => {
  it("read ECR's documented archive example as sentences and keep its JSON", () => {
    const parsed = fromText(AWS_ARCHIVE_EXAMPLE);
    if (!('rules' in parsed)) throw new Error(parsed.error);
    expect(parsed.rules.map(sentence)).toEqual([
      'Archive images not pulled for more than 90 days',
      'Expire images archived more than 365 days ago',
    ]);
    expect(parsed.rules.map(ruleAction)).toEqual(['archive', 'expire']);
    const text = toText(parsed.rules);
    expect(JSON.parse(text)).toEqual(JSON.parse(AWS_ARCHIVE_EXAMPLE));
    // ECR's field order: storageClass before countType, targetStorageClass after type.
    expect(text.indexOf('"storageClass"')).toBeLessThan(text.indexOf('"sinceImageTransitioned"'));
    expect(text.indexOf('"transition"')).toBeLessThan(text.indexOf('"targetStorageClass"'));
  });

  it('build the documented example from the rule builder fields', () => {
    let archive = withAction(newRule(1), 'archive');
    archive = withCountType(archive, 'sinceImagePulled');
    archive = { ...archive, description: 'Archive images not pulled in 90 days', selection: { ...archive.selection, tagStatus: 'any', countNumber: 90 } };
    let expire = withStorageClass(newRule(2), 'archive');
    expire = { ...expire, description: 'Expire archived images after 365 days', selection: { ...expire.selection, tagStatus: 'any', countNumber: 365 } };
    expect(JSON.parse(toText([archive, expire]))).toEqual(JSON.parse(AWS_ARCHIVE_EXAMPLE));
    expect(JSON.parse(toText(archiveTemplate()))).toEqual(JSON.parse(AWS_ARCHIVE_EXAMPLE));
  });

  it('word the other archive rules', () => {
    const keep = withAction({ ...newRule(1), selection: { ...newRule(1).selection, tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countUnit: null, countNumber: 5 } }, 'archive');
    expect(sentence(keep)).toBe('Keep the newest 5 images tagged `v*`; archive the rest');
    expect(sentence(withAction(newRule(1), 'archive'))).toBe('Archive untagged images pushed more than 14 days ago');
    const one = withCountType(newRule(1), 'sinceImagePulled');
    expect(sentence({ ...one, selection: { ...one.selection, countNumber: 1 } })).toBe('Expire untagged images not pulled for more than 1 day');
    expect(sentence(withStorageClass(newRule(1), 'archive'))).toBe('Expire untagged images archived more than 90 days ago');
    // An archive selection with another count type (ECR refuses it) still reads truthfully.
    const odd: Rule = { ...newRule(1), selection: { ...newRule(1).selection, storageClass: 'archive' } };
    expect(sentence(odd)).toBe('Expire archived untagged images pushed more than 14 days ago');
  });

  it('keep the storage fields consistent as the builder changes them', () => {
    const transitioned = withCountType(newRule(1), 'sinceImageTransitioned');
    expect(transitioned.selection).toMatchObject({ storageClass: 'archive', countUnit: 'days', countNumber: 90 });
    expect(transitioned.action).toEqual({ type: 'expire', targetStorageClass: null });
    // Archiving an archived image means nothing: the rule goes back to standard images.
    const back = withAction(transitioned, 'archive');
    expect(back.selection).toMatchObject({ storageClass: null, countType: 'sinceImagePushed' });
    expect(back.action).toEqual({ type: 'transition', targetStorageClass: 'archive' });
    expect(withStorageClass(transitioned, 'standard').selection).toMatchObject({ storageClass: null, countType: 'sinceImagePushed' });
    expect(withCountType(transitioned, 'imageCountMoreThan').selection).toMatchObject({ storageClass: null, countUnit: null });
    // The input rule is not changed.
    expect(newRule(1).selection.storageClass).toBeNull();
  });
});

describe('simulated images', () => {
  it('carry the storage class, the archive time and the pull time ECR counts', () => {
    const archived = simImage(image('sha256:a', { status: 'ARCHIVED', last_archived_at: '2026-03-01T00:00:00Z', last_pulled_at: '2026-02-01T00:00:00Z' }));
    expect(archived).toMatchObject({ storageClass: 'ARCHIVE', lastTransitionedAt: '2026-03-01T00:00:00Z', lastRecordedPullTime: '2026-02-01T00:00:00Z' });
    expect(simImage(image('sha256:b'))).toMatchObject({ storageClass: 'STANDARD', lastTransitionedAt: null, lastRecordedPullTime: null, imagePushedAt: '2026-01-01T00:00:00Z' });
    // Being restored: standard storage; restored after its last pull: counted from the restore.
    const restored = simImage(image('sha256:c', { status: 'ACTIVATING', last_pulled_at: '2026-02-01T00:00:00Z', last_activated_at: '2026-04-01T00:00:00Z' }));
    expect(restored).toMatchObject({ storageClass: 'STANDARD', lastRecordedPullTime: '2026-04-01T00:00:00Z' });
    const pulledSince = simImage(image('sha256:d', { last_pulled_at: '2026-05-01T00:00:00Z', last_activated_at: '2026-04-01T00:00:00Z' }));
    expect(pulledSince.lastRecordedPullTime).toBe('2026-05-01T00:00:00Z');
    expect(simImage(image('sha256:e', { pushed_at: null })).imagePushedAt).toBe(new Date(0).toISOString());
  });

  it('split the impact into expiries and archivals', () => {
    const images = [image('sha256:a', { size_bytes: 100 }), image('sha256:b', { size_bytes: 200 }), image('sha256:c', { size_bytes: null }), image('sha256:d', { size_bytes: 400 })];
    const result = impact(images, [
      { image: 0, action: 'expire' },
      { image: 1, action: 'transition' },
      { image: 2, action: 'transition' },
      { image: 9, action: 'expire' },
      { image: 0, action: 'expire' },
    ]);
    expect(result).toEqual({ expire: { images: 1, bytes: 100 }, archive: { images: 2, bytes: 200 } });
    expect(impact(images, [])).toEqual({ expire: { images: 0, bytes: 0 }, archive: { images: 0, bytes: 0 } });
  });
});
