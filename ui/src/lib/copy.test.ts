import { describe, expect, it } from 'vitest';
import { copyRegistries, copyRequest, registryKey, registryOf, registryWords } from './copy';

describe('copy requests', () => {
  it('name the destination as the backend reads it', () => {
    expect(copyRequest('api/orders:1.1.0', { kind: 'active' }, ' web ', [])).toEqual({
      source: 'api/orders:1.1.0', destination: 'web', tags: [], to_profile: null, to_region: null,
    });
    expect(copyRequest('web:1', { kind: 'pinned', profile: 'aws:prod', region: 'us-west-2' }, 'web', ['1', 'latest'])).toEqual({
      source: 'web:1', destination: 'web', tags: ['1', 'latest'], to_profile: 'aws:prod', to_region: 'us-west-2',
    });
    expect(copyRequest('web:1', { kind: 'oci', host: '127.0.0.1:5000' }, 'team/web', []).destination).toBe('127.0.0.1:5000/team/web');
    expect(copyRequest('web:1', { kind: 'public', alias: 'berth' }, 'tools', []).destination).toBe('public.ecr.aws/berth/tools');
  });

  it('list the active registry first, then pinned pairs and hosts, each with its own key', () => {
    const all = copyRegistries({ pinned: [{ profile: 'aws:prod', region: 'eu-west-1' }], held: [{ host: 'ghcr.io', username: 'me' }] });
    expect(all.map(registryKey)).toEqual(['active', 'pinned|aws:prod|eu-west-1', 'oci|ghcr.io']);
    expect(copyRegistries(null, 'berth').map(registryKey)).toEqual(['active', 'public|berth']);
    // The Docker configuration's hosts follow, without the held ones again.
    const docker = copyRegistries({ pinned: [], held: [{ host: 'ghcr.io', username: 'me' }] }, null, ['ghcr.io', 'quay.io', 'quay.io']);
    expect(docker.map(registryKey)).toEqual(['active', 'oci|ghcr.io', 'oci|quay.io']);
    expect(registryWords(all[1]!, 'dev · us-east-1', [{ id: 'aws:prod', label: 'prod' } as never])).toBe('prod · eu-west-1');
    expect(registryWords(all[0]!, 'dev · us-east-1')).toBe('dev · us-east-1 (this registry)');
    expect(registryOf({ kind: 'oci', host: 'ghcr.io', repository: 'x' })).toEqual({ kind: 'oci', host: 'ghcr.io' });
  });
});
