import { describe, expect, it } from 'vitest';
import type { CreationTemplate, PullThroughRule } from './bindings';
import {
  templateKeyArn, pullThroughFromRule,
  accountSettingCli, awsCli, crossAccount, destinationPath, emptyPullThrough, emptyTemplate, filterPath, fromReplication, fromScanning,
  fromTemplate, jsonProblem, messagesAt, missingPullThrough, policyCli, pullThroughCli, pullThroughWords, replicationCli,
  replicationPaths, ruleOf, scanningCli, scanningEcr, secretName, shellWord, templateCli, templateField, templateWords, toPullThroughInput,
  toReplication, toScanning, toTemplate, unplaced,
} from './registry';

const ME = '000000000000';

describe('field problems', () => {
  it('land on the input of their path, the rest above the form', () => {
    const rules = [{ destinations: [{ region: 'us-west-2', account: ME }, { region: 'nowhere', account: '12' }], filters: ['API/'] }];
    const problems = [
      { field: 'rules[0].destinations[1].region', message: 'not a region' },
      { field: 'rules[0].destinations[1].registry_id', message: '12 digits' },
      { field: 'rules[0].repository_filters[0].filter', message: 'bad prefix' },
      { field: 'rules', message: 'too many destinations' },
    ];
    expect(messagesAt(problems, destinationPath(0, 1, 'region'))).toEqual(['not a region']);
    expect(messagesAt(problems, destinationPath(0, 1, 'registry_id'))).toEqual(['12 digits']);
    expect(messagesAt(problems, filterPath(0, 0))).toEqual(['bad prefix']);
    expect(messagesAt(problems, destinationPath(0, 0, 'region'))).toEqual([]);
    expect(unplaced(problems, replicationPaths(rules)).map((p) => p.field)).toEqual(['rules']);
  });

  it('of a template show on the input they concern', () => {
    expect(templateField('lifecycle_policy.rules[0].selection.countNumber')).toBe('lifecycle_policy');
    expect(templateField('prefix')).toBe('prefix');
    expect(templateField('scan_on_push')).toBe('scan_on_push');
    expect(ruleOf('rules[1].repository_filters[0]')).toBe(1);
    expect(ruleOf('rules')).toBeNull();
  });
});

describe('the AWS CLI command', () => {
  it('quotes what the shell would split or expand', () => {
    expect(shellWord('us-east-1')).toBe('us-east-1');
    expect(shellWord('{"a":1}')).toBe(`'{"a":1}'`);
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('')).toBe(`''`);
    expect(shellWord('$(rm -rf /)')).toBe(`'$(rm -rf /)'`);
    expect(awsCli('describe-registry', [['skip', null]], 'eu-west-1')).toBe('aws ecr describe-registry --region eu-west-1');
  });

  it('puts the replication configuration ECR reads', () => {
    const config = toReplication([{ destinations: [{ region: ' us-west-2 ', account: ME }], filters: ['api/'] }]);
    expect(replicationCli(config, 'us-east-1')).toBe(
      `aws ecr put-replication-configuration --replication-configuration '{"rules":[{"destinations":[{"region":"us-west-2","registryId":"000000000000"}],"repositoryFilters":[{"filter":"api/","filterType":"PREFIX_MATCH"}]}]}' --region us-east-1`,
    );
  });

  it('never writes a typed token', () => {
    const d = { ...emptyPullThrough(), upstream: 'docker-hub' as const, prefix: 'hub/x', credential: 'typed' as const, username: 'me' };
    const input = toPullThroughInput(d, 's3cr3t');
    expect(input.token).toBe('s3cr3t');
    const cli = pullThroughCli(input, 'us-east-1');
    expect(cli).not.toContain('s3cr3t');
    expect(cli).toContain('--name ecr-pullthroughcache/hub-x');
    expect(cli).toContain('TOKEN');
    expect(cli).toContain('--upstream-registry-url registry-1.docker.io');
    expect(cli).toContain('--credential-arn SECRET_ARN');
  });

  it('creates or updates a template with its settings', () => {
    const d = emptyTemplate();
    d.prefix = 'team-a/';
    d.appliedFor = ['REPLICATION', 'CREATE_ON_PUSH'];
    d.settings.mutability = 'IMMUTABLE_WITH_EXCLUSION';
    d.settings.exclusions = 'latest';
    d.settings.tags = [{ key: 'team', value: 'a b' }];
    const t = toTemplate(d);
    const cli = templateCli(t, 'eu-west-1', false);
    expect(cli).toMatch(/^aws ecr create-repository-creation-template --prefix team-a\/ --applied-for CREATE_ON_PUSH REPLICATION/);
    expect(cli).toContain('--image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=latest');
    expect(cli).toContain(`--resource-tags '[{"Key":"team","Value":"a b"}]'`);
    expect(templateCli(t, 'eu-west-1', true)).toMatch(/^aws ecr update-repository-creation-template/);
  });

  it('sets scanning, the registry policy and account settings', () => {
    const c = toScanning({ type: 'ENHANCED', rules: [{ frequency: 'CONTINUOUS_SCAN', filters: 'prod-*, api/*' }] });
    expect(scanningEcr(c).rules[0]?.repositoryFilters).toEqual([{ filter: 'prod-*', filterType: 'WILDCARD' }, { filter: 'api/*', filterType: 'WILDCARD' }]);
    expect(scanningCli(c, 'us-east-1')).toContain('--scan-type ENHANCED --rules \'[{"scanFrequency":"CONTINUOUS_SCAN"');
    expect(policyCli('{\n  "Version": "2012-10-17"\n}', 'us-east-1')).toBe(`aws ecr put-registry-policy --policy-text '{"Version":"2012-10-17"}' --region us-east-1`);
    expect(accountSettingCli('BLOB_MOUNTING', 'ENABLED', 'us-east-1')).toBe('aws ecr put-account-setting --name BLOB_MOUNTING --value ENABLED --region us-east-1');
  });
});

describe('the forms become ECR configuration', () => {
  it('replication round-trips, index for index', () => {
    const config = {
      rules: [{ destinations: [{ region: 'us-west-2', registryId: ME }, { region: 'eu-west-1', registryId: '111122223333' }], repositoryFilters: [{ filter: 'api/', filterType: 'PREFIX_MATCH' }] }],
    };
    expect(toReplication(fromReplication(config))).toEqual(config);
    // An empty filter stays, so that its problem lands on its input.
    const withEmpty = toReplication([{ destinations: [], filters: ['', 'a'] }]);
    expect(withEmpty.rules[0]?.repositoryFilters.map((f) => f.filter)).toEqual(['', 'a']);
    expect(crossAccount(config, ME)).toEqual([{ region: 'eu-west-1', registryId: '111122223333' }]);
  });

  it('scanning round-trips', () => {
    const c = { scan_type: 'BASIC' as const, rules: [{ scan_frequency: 'SCAN_ON_PUSH' as const, repository_filters: ['*', 'prod-*'] }] };
    expect(toScanning(fromScanning(c))).toEqual(c);
  });

  it('a pull-through draft sends only what its upstream takes', () => {
    const d = { ...emptyPullThrough(), upstream: 'ecr-public' as const, prefix: ' ecr-public ', username: 'left over', secretArn: 'arn:x' };
    expect(toPullThroughInput(d, 'tok')).toEqual({
      ecr_repository_prefix: 'ecr-public', upstream_registry_url: 'public.ecr.aws', upstream_repository_prefix: null,
      credential_arn: null, username: null, token: null, custom_role_arn: null,
    });
    const ecr = { ...emptyPullThrough(), upstream: 'ecr' as const, url: 'https://111122223333.dkr.ecr.us-west-2.amazonaws.com/', prefix: 'other', customRoleArn: 'arn:aws:iam::1:role/r' };
    expect(toPullThroughInput(ecr, '').upstream_registry_url).toBe('111122223333.dkr.ecr.us-west-2.amazonaws.com');
    expect(toPullThroughInput(ecr, '').custom_role_arn).toBe('arn:aws:iam::1:role/r');
    const hub = { ...emptyPullThrough(), upstream: 'docker-hub' as const, prefix: 'hub', secretArn: 'arn:aws:secretsmanager:r:1:secret:ecr-pullthroughcache/hub' };
    expect(toPullThroughInput(hub, 'typed but unused').token).toBeNull();
    expect(toPullThroughInput(hub, '').credential_arn).toBe(hub.secretArn);
  });

  it('says what a pull-through form lacks, on its input', () => {
    const d = { ...emptyPullThrough(), upstream: 'docker-hub' as const, credential: 'typed' as const };
    expect(missingPullThrough(d, false).map((p) => p.field)).toEqual(['ecr_repository_prefix', 'username', 'token']);
    expect(missingPullThrough({ ...d, prefix: 'hub', username: 'me' }, true)).toEqual([]);
    expect(missingPullThrough({ ...emptyPullThrough(), upstream: 'ecr' as const, prefix: 'x' }, false).map((p) => p.field)).toEqual([
      'upstream_registry_url', 'custom_role_arn',
    ]);
  });

  it('a template keeps its settings both ways, without scan on push', () => {
    const t: CreationTemplate = {
      prefix: 'ROOT', description: 'defaults', applied_for: ['PULL_THROUGH_CACHE'], custom_role_arn: null, created_at: null, updated_at: null,
      settings: {
        name: 'ROOT', tag_mutability: 'MUTABLE_WITH_EXCLUSION', mutability_exclusions: ['release-*'], scan_on_push: false, encryption: 'KMS', kms_key: 'alias/x',
        lifecycle_policy: '{"rules":[]}', repository_policy: null, tags: [{ key: 'k', value: 'v' }],
      },
    };
    expect(toTemplate(fromTemplate(t))).toEqual(t);
    const d = emptyTemplate();
    d.settings.scanOnPush = true;
    expect(toTemplate(d).settings.scan_on_push).toBe(false);
    expect(templateWords(t)).toBe('tags mutable except release-*, KMS alias/x, lifecycle policy, 1 resource tag');
  });
});

describe('words', () => {
  it('say a rule of the pull-through cache and name its secret', () => {
    const rule: PullThroughRule = {
      ecr_repository_prefix: 'hub', upstream_registry_url: 'registry-1.docker.io', upstream: 'docker-hub', upstream_repository_prefix: null,
      credential_arn: 'arn:aws:secretsmanager:us-east-1:1:secret:ecr-pullthroughcache/hub-AbC', custom_role_arn: null, created_at: null, updated_at: null,
      pull_command: 'docker pull host/hub/library/alpine:3',
    };
    expect(pullThroughWords([rule])).toEqual(['Images pulled under “hub/” are fetched from Docker Hub on first pull and kept here, signing in with the secret ecr-pullthroughcache/hub-AbC.']);
    expect(pullThroughWords([])[0]).toMatch(/No pull-through cache rule/);
    expect(secretName('plain')).toBe('plain');
  });

  it('check that a policy is a JSON object before asking Rust', () => {
    expect(jsonProblem('')).toMatch(/template/);
    expect(jsonProblem('[1]')).toMatch(/JSON object/);
    expect(jsonProblem('{')).toMatch(/^Not JSON/);
    expect(jsonProblem('{"Version":"2012-10-17"}')).toBeNull();
  });
});

describe('template keys', () => {
  it('offer the key an alias points to, by its ARN', () => {
    expect(templateKeyArn({ arn: 'arn:aws:kms:us-east-1:000000000000:alias/berth-payments', target_key_id: '1234-ab' }))
      .toBe('arn:aws:kms:us-east-1:000000000000:key/1234-ab');
    expect(templateKeyArn({ arn: 'arn:aws:kms:us-east-1:000000000000:alias/none', target_key_id: null })).toBeNull();
  });
});

describe('changing a rule', () => {
  it('starts from the rule as it is, and shows the update command', () => {
    const rule: PullThroughRule = {
      ecr_repository_prefix: 'hub', upstream_registry_url: 'registry-1.docker.io', upstream: 'docker-hub', upstream_repository_prefix: 'ROOT',
      credential_arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/hub-AbC', custom_role_arn: null,
      created_at: null, updated_at: null, pull_command: 'docker pull h/hub/library/alpine:3',
    };
    const draft = pullThroughFromRule(rule);
    expect(draft).toMatchObject({ upstream: 'docker-hub', prefix: 'hub', upstreamPrefix: '', credential: 'secret', secretArn: rule.credential_arn });
    const cli = pullThroughCli(toPullThroughInput(draft, ''), 'us-east-1', true);
    expect(cli).toContain('aws ecr update-pull-through-cache-rule');
    expect(cli).not.toContain('upstream-registry-url');
  });
});
