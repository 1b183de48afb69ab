// A push as a job of the tray: per-layer bars, overall bytes, throughput and ETA.
import type { Backend } from '../backend';
import { toBackendError } from '../backend';
import type { PushCheck, PushEvent, PushSummary } from '../bindings';
import { bytes, count, shortDigest } from '../format';
import type { JobsTray } from './jobs.svelte';

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "62% · 38.0 MiB/s · 0:12 left" */
export function progressText(done: number, total: number, speed: number, eta: number | null): string {
  const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
  const parts = [`${pct}%`, `${bytes(done)} of ${bytes(total)}`];
  if (speed > 0) parts.push(`${bytes(Math.round(speed))}/s`);
  if (eta !== null) parts.push(`${duration(eta)} left`);
  return parts.join(' · ');
}

/** What the push dialog says about one tag of the target. */
export type TagVerdict = { tag: string; tone: 'ok' | 'warn' | 'bad'; text: string };

/**
 * One line a tag, from the backend's check: the refusal it carries (ECR's mutability rule,
 * exclusion filters included, is applied there, never here), else new or moving.
 */
export function tagVerdicts(check: PushCheck): TagVerdict[] {
  return check.tags.map((t): TagVerdict => {
    if (t.refusal) return { tag: t.tag, tone: 'bad', text: t.refusal };
    if (!t.digest) return { tag: t.tag, tone: 'ok', text: t.immutable ? `${t.tag}: new tag (immutable once pushed)` : `${t.tag}: new tag` };
    return { tag: t.tag, tone: 'warn', text: `${t.tag}: exists (${shortDigest(t.digest)}); it will move to this image.` };
  });
}

/** True when the push must not start: no check yet, no repository, or a tag ECR would refuse. */
export function pushBlocked(check: PushCheck | null): boolean {
  return !check || !check.repository_exists || check.tags.some((t) => t.refusal !== null);
}

export async function startPush(
  backend: Pick<Backend, 'pushImage' | 'cancelJob'>,
  tray: JobsTray,
  source: string,
  repository: string,
  tags: string[],
  onDone: (summary: PushSummary) => void,
): Promise<void> {
  const trayId = `push-${source}-${repository}-${Date.now()}`;
  let job: string | null = null;
  tray.add({
    id: trayId,
    title: `push ${source} → ${repository}:${tags.join(', ')}`,
    detail: 'starting…',
    progress: 0,
    layers: [],
    cancel: () => {
      if (job) void backend.cancelJob(job);
    },
  });
  const apply = (e: PushEvent) => {
    const current = tray.jobs.find((j) => j.id === trayId);
    switch (e.event) {
      case 'started':
        job = e.job;
        break;
      case 'layer': {
        const layers = [...(current?.layers ?? [])];
        const i = layers.findIndex((l) => l.id === e.layer.id);
        if (i >= 0) layers[i] = e.layer;
        else layers.push(e.layer);
        tray.update(trayId, { layers });
        break;
      }
      case 'progress':
        tray.update(trayId, {
          progress: e.bytes_total > 0 ? e.bytes_done / e.bytes_total : null,
          detail: progressText(e.bytes_done, e.bytes_total, e.bytes_per_second, e.eta_seconds),
        });
        break;
      case 'retrying':
        tray.update(trayId, { detail: `${e.message}…` });
        break;
      case 'finished':
        tray.update(trayId, { progress: 1 });
        tray.finish(
          trayId,
          'done',
          `pushed ${shortDigest(e.summary.digest)} in ${e.summary.seconds.toFixed(1)} s · ${bytes(e.summary.bytes_pushed)} sent · ${count(e.summary.layers_skipped, 'layer')} already there`,
          8000,
        );
        onDone(e.summary);
        break;
      case 'cancelled':
        tray.finish(trayId, 'cancelled', e.message);
        break;
      case 'failed':
        fail(e.error.message);
        break;
    }
  };
  // A failed push offers Retry: the same push as a new job (the engine skips layers already sent).
  const fail = (message: string) => {
    tray.finish(trayId, 'failed', message);
    tray.update(trayId, {
      retry: () => {
        tray.dismiss(trayId);
        void startPush(backend, tray, source, repository, tags, onDone);
      },
    });
  };
  try {
    job = await backend.pushImage(source, repository, tags, apply);
  } catch (e) {
    fail(toBackendError(e).message);
  }
}
