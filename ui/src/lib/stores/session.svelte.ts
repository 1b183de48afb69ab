// The active connection (profile and region) and the profile list, with switching.
import type { Backend } from '../backend';
import { BackendError, toBackendError } from '../backend';
import type { Connection, ProfileList, RegionInfo } from '../bindings';
import { type Query, QueryCache, key } from './query.svelte';

type SessionBackend = Pick<Backend, 'connection' | 'profiles' | 'regions' | 'selectProfile' | 'setRegion' | 'provideMfaCode'>;

/** Queries that depend on the active connection: dropped when it changes. */
export const CONNECTION_SCOPED = ['get_connection', 'list_repositories', 'public_registry'];

export class Session {
  readonly connection: Query<Connection>;
  readonly profiles: Query<ProfileList>;
  readonly regions: Query<RegionInfo[]>;
  /** A switch in progress, or the error of the last one. */
  switching = $state(false);
  switchError = $state.raw<BackendError | undefined>(undefined);
  #backend: SessionBackend;
  #cache: QueryCache;

  constructor(backend: SessionBackend, cache: QueryCache) {
    this.#backend = backend;
    this.#cache = cache;
    this.connection = cache.get(key('get_connection'), backend.connection);
    this.profiles = cache.get(key('list_profiles'), backend.profiles);
    this.regions = cache.get(key('list_regions'), backend.regions);
  }

  async #switch(action: () => Promise<Connection>): Promise<boolean> {
    this.switching = true;
    this.switchError = undefined;
    try {
      await action();
      await this.#cache.invalidate(CONNECTION_SCOPED, true);
      return true;
    } catch (e) {
      this.switchError = toBackendError(e);
      return false;
    } finally {
      this.switching = false;
    }
  }

  selectProfile(id: string): Promise<boolean> {
    return this.#switch(() => this.#backend.selectProfile(id));
  }

  setRegion(region: string): Promise<boolean> {
    return this.#switch(() => this.#backend.setRegion(region));
  }

  provideMfaCode(code: string): Promise<boolean> {
    return this.#switch(() => this.#backend.provideMfaCode(code));
  }

  /** After profiles were added, edited or removed. */
  async profilesChanged(): Promise<void> {
    await this.#cache.invalidate(['list_profiles']);
    await this.#cache.invalidate(CONNECTION_SCOPED, true);
  }
}
