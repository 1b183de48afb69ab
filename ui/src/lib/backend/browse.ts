// Browsing other registries: their repositories, tags and images (any registry, by full
// reference `HOST/REPOSITORY:TAG`). Like the rest of `backend`, the only way to the commands.
import type { RegistryTarget } from '../bindings';
import { call } from './index';

export const browse = {
  /** The registries named in the user's Docker configuration (`auths`, `credHelpers`), besides those Berth holds. */
  dockerRegistries: () => call('docker_registries'),
  /** What a registry lists, what was opened there before, and why it lists none (no catalog). */
  repositories: (target: RegistryTarget) => call('browse_repositories', { target }),
  /** Every tag of `HOST/REPOSITORY`; the repository is then remembered for its host. */
  tags: (repository: string) => call('browse_tags', { repository }),
  forgetRepository: (host: string, repository: string) => call('forget_repository', { host, repository }),
  /** The digest `HOST/REPOSITORY:TAG` names. */
  digest: (reference: string) => call('registry_digest', { reference }),
  /** An image of any registry: layers, config, history, platforms. */
  image: (reference: string, platform: string | null = null) => call('registry_image', { reference, platform }),
};

export type BrowseBackend = typeof browse;
