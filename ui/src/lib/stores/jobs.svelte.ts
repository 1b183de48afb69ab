// The jobs tray: every long job the app runs, with its progress and a way to cancel it.

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

import type { LayerProgress } from '../bindings';

export interface TrayJob {
  id: string;
  title: string;
  /** "1,000 images", "62% · 38 MiB/s" */
  detail: string;
  /** 0..1, or null when the total is unknown. */
  progress: number | null;
  state: JobState;
  cancel?: () => void;
  /** Start the same work again (failed jobs): layers already sent are skipped. */
  retry?: () => void;
  /** Per-layer progress, for jobs that have layers (push). */
  layers?: LayerProgress[];
}

export class JobsTray {
  jobs = $state<TrayJob[]>([]);

  add(job: Omit<TrayJob, 'state'>): void {
    this.jobs.push({ ...job, state: 'running' });
  }

  update(id: string, patch: Partial<Omit<TrayJob, 'id'>>): void {
    const job = this.jobs.find((j) => j.id === id);
    if (job) Object.assign(job, patch);
  }

  /** Finished jobs leave the tray after `ms` (failed ones stay until dismissed). */
  finish(id: string, state: Exclude<JobState, 'running'>, detail?: string, ms = 4000): void {
    this.update(id, { state, ...(detail === undefined ? {} : { detail }), cancel: undefined });
    if (state !== 'failed') setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: string): void {
    const i = this.jobs.findIndex((j) => j.id === id);
    if (i >= 0) this.jobs.splice(i, 1);
  }

  get running(): TrayJob[] {
    return this.jobs.filter((j) => j.state === 'running');
  }
}
