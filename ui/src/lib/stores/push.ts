// A push as a job of the tray: per-layer bars, overall bytes, throughput and ETA.
import type { Backend } from '../backend';
import { toBackendError } from '../backend';
import type { CopyRequest, CopySummary, LayerProgress, PushCheck, PushEvent, PushSummary } from '../bindings';
import { bytes, count, shortDigest } from '../format';
import type { JobsTray } from './jobs.svelte';

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "62% · 38.0 MiB/s · 0:12 left"; once every byte is sent and the job still runs (the
 *  registry verifies, the manifest and tags follow), "finishing" instead of "100% · 0:00 left". */
export function progressText(done: number, total: number, speed: number, eta: number | null): string {
  if (total > 0 && done >= total) return `${bytes(total)} sent · finishing`;
  const pct = total > 0 ? Math.min(99, Math.floor((done / total) * 100)) : 0;
  const parts = [`${pct}%`, `${bytes(done)} of ${bytes(total)}`];
  if (speed > 0) parts.push(`${bytes(Math.round(speed))}/s`);
  if (eta !== null) parts.push(`${duration(eta)} left`);
  return parts.join(' · ');
}

/** A layer's line in the tray: its state and its bytes ("pushing 12.0 MiB of 30.0 MiB",
 *  "pushed 30.0 MiB", "already exists"). */
export function layerWords(layer: Pick<LayerProgress, 'state' | 'current' | 'total'>): string {
  const state = layer.state.replace('_', ' ');
  if (!layer.total) return state;
  if (layer.current > 0 && layer.current < layer.total) return `${state} ${bytes(layer.current)} of ${bytes(layer.total)}`;
  return `${state} ${bytes(layer.total)}`;
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

/** One transfer job in the tray (a push or a copy): the same layer and progress events. */
interface Transfer {
  tray: JobsTray;
  cancelJob: (job: string) => Promise<unknown>;
  title: string;
  /** Start the job; events arrive on `onEvent`; resolves to the job id. */
  start: (onEvent: (e: PushEvent) => void) => Promise<string>;
  /** The tray's last line when it ended well. */
  done: (e: Extract<PushEvent, { event: 'finished' | 'copied' }>) => string;
  onDone: (e: Extract<PushEvent, { event: 'finished' | 'copied' }>) => void;
  /** The same work as a new job (Retry of a failed one: what arrived is skipped). */
  again: () => void;
}

function track(t: Transfer): void {
  const trayId = `${t.title}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  let job: string | null = null;
  t.tray.add({
    id: trayId,
    title: t.title,
    detail: 'starting…',
    progress: 0,
    layers: [],
    cancel: () => {
      if (job) void t.cancelJob(job);
    },
  });
  const apply = (e: PushEvent) => {
    const current = t.tray.jobs.find((j) => j.id === trayId);
    switch (e.event) {
      case 'started':
        job = e.job;
        break;
      case 'layer': {
        const layers = [...(current?.layers ?? [])];
        const i = layers.findIndex((l) => l.id === e.layer.id);
        if (i >= 0) layers[i] = e.layer;
        else layers.push(e.layer);
        t.tray.update(trayId, { layers });
        break;
      }
      case 'progress':
        t.tray.update(trayId, {
          progress: e.bytes_total > 0 ? e.bytes_done / e.bytes_total : null,
          detail: progressText(e.bytes_done, e.bytes_total, e.bytes_per_second, e.eta_seconds),
        });
        break;
      case 'retrying':
        t.tray.update(trayId, { detail: `${e.message}…` });
        break;
      case 'finished':
      case 'copied':
        t.tray.update(trayId, { progress: 1 });
        t.tray.finish(trayId, 'done', t.done(e), 8000);
        t.onDone(e);
        break;
      case 'cancelled':
        t.tray.finish(trayId, 'cancelled', e.message);
        break;
      case 'failed':
        fail(e.error.message);
        break;
    }
  };
  const fail = (message: string) => {
    t.tray.finish(trayId, 'failed', message);
    t.tray.update(trayId, {
      retry: () => {
        t.tray.dismiss(trayId);
        t.again();
      },
    });
  };
  t.start(apply).then(
    (id) => {
      job = id;
    },
    (e: unknown) => fail(toBackendError(e).message),
  );
}

/** "pushed sha256:0123… in 1.2 s · 4.3 MiB sent · 2 layers already there" */
export function pushedText(s: PushSummary): string {
  return `pushed ${shortDigest(s.digest)} in ${s.seconds.toFixed(1)} s · ${bytes(s.bytes_pushed)} sent · ${count(s.layers_skipped, 'layer')} already there`;
}

/** Where a push goes: a repository of the active registry, or of the account's ECR Public. */
export type PushDestination = { kind: 'private' } | { kind: 'public'; alias: string };

export async function startPush(
  backend: Pick<Backend, 'pushImage' | 'pushPublicImage' | 'cancelJob'>,
  tray: JobsTray,
  source: string,
  repository: string,
  tags: string[],
  onDone: (summary: PushSummary) => void,
  destination: PushDestination = { kind: 'private' },
): Promise<void> {
  const target = destination.kind === 'public' ? `public.ecr.aws/${destination.alias}/${repository}` : repository;
  // A failed push offers Retry: the same push as a new job (the engine skips layers already sent).
  track({
    tray,
    cancelJob: (job) => backend.cancelJob(job),
    title: `push ${source} → ${target}:${tags.join(', ')}`,
    start: (onEvent) =>
      destination.kind === 'public'
        ? backend.pushPublicImage(source, repository, tags, onEvent)
        : backend.pushImage(source, repository, tags, onEvent),
    done: (e) => (e.event === 'finished' ? pushedText(e.summary) : ''),
    onDone: (e) => {
      if (e.event === 'finished') onDone(e.summary);
    },
    again: () => void startPush(backend, tray, source, repository, tags, onDone, destination),
  });
}

/** "copied sha256:0123… in 1.2 s · 4.3 MiB sent · 2 blobs mounted · 1 already there" */
export function copiedText(s: CopySummary): string {
  const parts = [`copied ${shortDigest(s.digest)} in ${s.seconds.toFixed(1)} s`, `${bytes(s.bytes_copied)} sent`];
  if (s.blobs_mounted) parts.push(`${count(s.blobs_mounted, 'blob')} mounted`);
  if (s.blobs_skipped) parts.push(`${s.blobs_skipped} already there`);
  if (s.foreign_layers.length) parts.push(`${count(s.foreign_layers.length, 'foreign layer')} not copied`);
  return parts.join(' · ');
}

/** Copy registry to registry as a job of the tray; `title` names both ends (accounts and
 *  regions for ECR), as the dialog did. */
export function startCopy(
  backend: Pick<Backend, 'copyImage' | 'cancelJob'>,
  tray: JobsTray,
  request: CopyRequest,
  title: string,
  onDone: (summary: CopySummary) => void,
): void {
  track({
    tray,
    cancelJob: (job) => backend.cancelJob(job),
    title,
    start: (onEvent) => backend.copyImage(request, onEvent),
    done: (e) => (e.event === 'copied' ? copiedText(e.summary) : ''),
    onDone: (e) => {
      if (e.event === 'copied') onDone(e.summary);
    },
    again: () => startCopy(backend, tray, request, title, onDone),
  });
}
