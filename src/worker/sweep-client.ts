/**
 * The main thread's handle on one H sweep: starts its sweep workers (one per core for the
 * float64 engine), turns their progress into a fraction of the work and an estimated time left,
 * and cancels by terminating them.
 * The work of a head count is taken ∝ (H + 1) per step (attention costs ∝ H; the +1 stands
 * for the per-step work that does not grow with H), which keeps the estimate honest when
 * H = 100 follows H = 1.
 */
import {
  assembleSweep,
  type JobValue,
  jobKey,
  type SweepJob as PathJob,
  type SweepResult,
  sweepJobs,
} from '../model/sweep';
import { requestSpec, type SweepMessage, type SweepPathRequest, type SweepRequest } from './sweep-protocol';

/** Where a sweep is. */
export interface SweepProgress {
  /** Index of the head count (or size) running, and that head count. */
  index: number;
  heads: number;
  /** The swept value running: the head count, or a perturbation sweep's size. */
  value: number;
  /** Steps done and total of this head count's run. */
  done: number;
  total: number;
  /** Fraction of the whole sweep's work done, in [0, 1]. */
  fraction: number;
  elapsedS: number;
  /** Estimated seconds left (NaN until there is enough to go on). */
  etaS: number;
}

/** Raised by `result` when the sweep was cancelled. */
export class SweepCancelled extends Error {
  override readonly name = 'SweepCancelled';
  constructor() {
    super('sweep cancelled');
  }
}

/** Fraction of the work done at (index, done/total) with per-step weights ∝ H + 1. */
export function sweepFraction(heads: readonly number[], index: number, done: number, total: number): number {
  const w = heads.map((h) => h + 1);
  const all = w.reduce((a, b) => a + b, 0);
  const before = w.slice(0, index).reduce((a, b) => a + b, 0);
  return Math.min(1, (before + w[index]! * (total > 0 ? done / total : 0)) / all);
}

/** The values a request sweeps (head counts, or sizes) and the per-step weight of each (∝ H + 1; sizes alike). */
function sweptValues(r: SweepRequest): { values: number[]; weights: number[] } {
  if (r.over && r.over !== 'heads' && r.sizes) return { values: r.sizes, weights: r.sizes.map(() => 0) };
  return { values: r.heads, weights: r.heads };
}

/** Workers for a float64 sweep: one per core (the sweep is the page's heavy work while it runs), at most one per job. */
function sweepWorkers(jobs: number): number {
  return Math.max(1, Math.min(jobs, navigator.hardwareConcurrency || 2));
}

const startWorker = (): Worker =>
  new Worker(new URL('./sweep-worker.ts', import.meta.url), { type: 'module', name: 'sweep' });

/** What a sweep's runner reports progress to and settles `result` through. */
interface SweepEnds {
  report: (index: number, done: number, total: number, fraction: number) => void;
  resolve: (r: SweepResult) => void;
  fail: (m: string) => void;
}

/**
 * One sweep: on the float64 engine its (H, path) jobs spread over several workers (the result
 * assembled in order, the same bits as one worker or the CLI); on the GPU
 * engine one worker runs it head count by head count.
 */
export class SweepJob {
  readonly result: Promise<SweepResult>;
  /** performance.now() at the start. */
  readonly started = performance.now();
  private readonly workers: Worker[] = [];
  private reject: ((e: Error) => void) | undefined;
  private finished = false;

  constructor(request: SweepRequest, onProgress: (p: SweepProgress) => void) {
    const report = (index: number, done: number, total: number, fraction: number) => {
      const elapsedS = (performance.now() - this.started) / 1000;
      const etaS = fraction > 0.01 && elapsedS > 0.5 ? (elapsedS * (1 - fraction)) / fraction : NaN;
      const { values } = sweptValues(request);
      const heads = request.over && request.over !== 'heads' ? request.scenario.heads : request.heads[index]!;
      onProgress({ index, heads, value: values[index]!, done, total, fraction, elapsedS, etaS });
    };
    this.result = new Promise<SweepResult>((resolve, reject) => {
      this.reject = reject;
      const fail = (message: string) => {
        this.stop();
        reject(new Error(message));
      };
      const ends = { report, resolve, fail };
      if (request.engine === 'cpu') this.runPaths(request, ends);
      else this.runWhole(request, ends);
    });
  }

  private runWhole(request: SweepRequest, { report, resolve, fail }: SweepEnds): void {
    const worker = startWorker();
    this.workers.push(worker);
    worker.onmessage = (e: MessageEvent<SweepMessage>) => {
      const m = e.data;
      if (m.type === 'progress')
        report(m.index, m.done, m.total, sweepFraction(sweptValues(request).weights, m.index, m.done, m.total));
      else if (m.type === 'done') {
        this.stop();
        resolve(m.result);
      } else if (m.type === 'error') fail(m.message);
    };
    worker.onerror = (e) => fail(e.message || 'the sweep worker failed');
    worker.postMessage(request);
  }

  private runPaths(request: SweepRequest, { report, resolve, fail }: SweepEnds): void {
    const spec = requestSpec(request);
    const items = [spec];
    const { values } = sweptValues(request);
    // In the CLI's order (H ascending, then path): with as many workers as paths, the paths of one
    // head count run together and finish together, and the progress reads H by H.
    const jobs = sweepJobs(items);
    // Work of a job ∝ (H + 1) per step, as sweepFraction weighs it.
    const weight = (j: PathJob) => j.heads + 1;
    const indexOf = (j: PathJob) => values.indexOf(j.size ?? j.heads);
    const all = jobs.reduce((p, j) => p + weight(j), 0);
    const part = new Map<string, number>(); // job → weight × fraction done
    const g2 = new Map<string, JobValue>();
    let next = 0;
    const give = (w: Worker) => {
      const job = jobs[next++];
      if (job) {
        (w as Worker & { job?: PathJob }).job = job;
        w.postMessage({ scenario: request.scenario, job, spec } satisfies SweepPathRequest);
      }
    };
    for (let k = 0; k < sweepWorkers(jobs.length); k++) {
      const w = startWorker() as Worker & { job?: PathJob };
      this.workers.push(w);
      w.onmessage = (e: MessageEvent<SweepMessage>) => {
        const m = e.data;
        const job = w.job!;
        if (m.type === 'progress' || m.type === 'path') {
          part.set(jobKey(job), weight(job) * (m.type === 'path' ? 1 : m.total > 0 ? m.done / m.total : 0));
          const fraction = [...part.values()].reduce((p, q) => p + q, 0) / all;
          const index = indexOf(job);
          if (m.type === 'progress') report(index, m.done, m.total, Math.min(1, fraction));
        }
        if (m.type === 'path') {
          g2.set(jobKey(m.job), m.g2);
          if (g2.size === jobs.length) {
            this.stop();
            resolve(assembleSweep(items, g2)[0]!);
          } else give(w);
        } else if (m.type === 'error') fail(m.message);
      };
      w.onerror = (e) => fail(e.message || 'the sweep worker failed');
      give(w);
    }
  }

  /** Stops the sweep now (`result` rejects with SweepCancelled). */
  cancel(): void {
    if (this.finished) return;
    this.stop();
    this.reject?.(new SweepCancelled());
  }

  private stop(): void {
    this.finished = true;
    for (const w of this.workers) w.terminate();
  }
}
