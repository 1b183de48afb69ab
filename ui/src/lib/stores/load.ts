// Loading a dropped image archive into the engine, as a job of the tray.
import type { Backend } from '../backend';
import { toBackendError } from '../backend';
import type { LoadEvent } from '../bindings';
import { bytes } from '../format';
import type { JobsTray } from './jobs.svelte';

/** "app.tar" from "/home/me/app.tar" (or a Windows path). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

export async function startLoad(
  backend: Pick<Backend, 'loadArchive' | 'cancelJob'>,
  tray: JobsTray,
  path: string,
  onLoaded: (images: string[], file: string) => void,
): Promise<void> {
  const file = fileName(path);
  const trayId = `load-${path}-${Date.now()}`;
  let job: string | null = null;
  tray.add({
    id: trayId,
    title: `load ${file}`,
    detail: 'reading…',
    progress: 0,
    cancel: () => {
      if (job) void backend.cancelJob(job);
    },
  });
  const fail = (message: string) => {
    tray.finish(trayId, 'failed', message);
    tray.update(trayId, {
      retry: () => {
        tray.dismiss(trayId);
        void startLoad(backend, tray, path, onLoaded);
      },
    });
  };
  const apply = (e: LoadEvent) => {
    switch (e.event) {
      case 'started':
        job = e.job;
        break;
      case 'progress':
        tray.update(trayId, {
          progress: e.bytes_total > 0 ? e.bytes_done / e.bytes_total : null,
          detail: `${bytes(e.bytes_done)} of ${bytes(e.bytes_total)} into the engine`,
        });
        break;
      case 'finished':
        tray.update(trayId, { progress: 1 });
        tray.finish(trayId, 'done', `loaded ${e.images.join(', ')}`, 8000);
        onLoaded(e.images, file);
        break;
      case 'cancelled':
        tray.finish(trayId, 'cancelled', 'cancelled');
        break;
      case 'failed':
        fail(e.error.message);
        break;
    }
  };
  try {
    job = await backend.loadArchive(path, apply);
  } catch (e) {
    fail(toBackendError(e).message);
  }
}
