import { describe, expect, it, vi } from 'vitest';
import type { Connection, ProfileInfo } from '../bindings';
import { QueryCache, key } from './query.svelte';
import { Session } from './session.svelte';

const profile = (id: string): ProfileInfo => ({
  id, label: id, source: { kind: 'environment' }, kind: 'default_chain', region: null,
  ecr_endpoint: null, registry_endpoint: null, app: null, edit_in: null,
});

function backend(fail = false) {
  let active = 'env';
  const connection = async (): Promise<Connection> => ({ profile: profile(active), region: 'us-east-1' });
  return {
    connection: vi.fn(connection),
    profiles: vi.fn(async () => ({ profiles: [profile('env'), profile('app:x')], problems: [], keychain_available: true })),
    regions: vi.fn(async () => []),
    selectProfile: vi.fn(async (id: string) => {
      if (fail) throw { code: 'no_credentials', message: 'No keys.' };
      active = id;
      return connection();
    }),
    setRegion: vi.fn(connection),
    provideMfaCode: vi.fn(connection),
  };
}

describe('Session', () => {
  it('switches profile and refetches what depends on the connection', async () => {
    const cache = new QueryCache();
    const b = backend();
    const session = new Session(b, cache);
    let repoFetches = 0;
    const repos = cache.get(key('list_repositories'), async () => ++repoFetches);
    await session.connection.refresh();
    await repos.refresh();
    expect(await session.selectProfile('app:x')).toBe(true);
    expect(session.connection.data?.profile.id).toBe('app:x');
    expect(repoFetches).toBe(3);
    expect(session.switching).toBe(false);
  });

  it('keeps the error of a failed switch and the old connection', async () => {
    const cache = new QueryCache();
    const session = new Session(backend(true), cache);
    await session.connection.refresh();
    expect(await session.selectProfile('app:x')).toBe(false);
    expect(session.switchError?.code).toBe('no_credentials');
    expect(session.connection.data?.profile.id).toBe('env');
  });
});
