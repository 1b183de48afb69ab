// Image storage (archive / restore) and replication status: the commands behind the images
// table's Archive and Restore actions and the image details' Replication section.
import { call } from './index';

export const imagesBackend = {
  /** Where ECR replicated an image (tag or digest): one row per destination; empty when no rule covers the repository. */
  replicationStatus: (repository: string, reference: string) => call('replication_status', { repository, reference }),
  /** Archive (`archive`) or restore images named by tag or digest; one change per image, failures included. */
  setImageStorage: (repository: string, images: string[], archive: boolean) => call('set_image_storage', { repository, images, archive }),
};

export type ImagesBackend = typeof imagesBackend;
