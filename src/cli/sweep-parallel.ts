/**
 * Runs the (H, path) jobs of a float64 sweep on all cores: worker threads (sweep-job-worker.ts)
 * each take the biggest job left, run it on its own engine (src/model/sweep.ts runSweepJob) and
 * send back the path's time-averaged G² (or, in a perturbation sweep, the (size, copy) job's
 * distances). Each job gives the same bits wherever it
 * runs, so the result does not depend on the number of workers, their order, or the shard.
 */
import { Worker } from 'node:worker_threads';
import { availableCores } from '../model/kernel/row-kernel';
import { NonFiniteError, noRows, type NonFiniteWhat } from '../model/engine-errors';
import type { Scenario } from '../model/scenario';
import { type JobValue, jobKey, jobWork, runSweepJob, type SweepJob, type SweepSpec } from '../model/sweep';

export interface SweepItem extends SweepSpec {
  id: string;
  heads: number[];
  base: Scenario;
}

export interface ParallelOptions {
  /** Worker threads running jobs (default: the cores available; 1 runs them in this thread). */
  jobs?: number;
  /** Threads of each job's engine (default: the cores divided among the workers, at least 1). */
  threads?: number;
  /** Called as jobs progress: steps done and total over all jobs given. */
  onProgress?: (done: number, total: number) => void;
}

/** What a job worker is sent and sends back. */
export type JobRequest = { id: number; spec: SweepSpec; job: SweepJob; threads: number };
export type JobReply =
  | { type: 'progress'; id: number; done: number }
  | { type: 'done'; id: number; value: JobValue }
  | { type: 'error'; id: number; message: string; nonFinite?: { step: number; replica: number; what: NonFiniteWhat } };

/**
 * A job worker: the compiled module beside the bundle (npm run sweep), or, when this file runs
 * as TypeScript (tsx, vitest), the source loaded through tsx's loader registered in the worker.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sweep-job-worker.js', import.meta.url));
  const source = new URL('./sweep-job-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true });
}

/** Runs `jobs` of `items`; resolves with each job's G² (or distances) by jobKey. */
export async function runSweepJobs(
  items: SweepSpec[],
  jobs: SweepJob[],
  opts: ParallelOptions = {},
): Promise<Map<string, JobValue>> {
  const cores = availableCores();
  const workers = Math.max(1, Math.min(opts.jobs ?? cores, jobs.length));
  const threads = opts.threads ?? Math.max(1, Math.floor(cores / workers));
  const steps = (j: SweepJob) => Math.round(items[j.item]!.base.T / items[j.item]!.base.dt);
  const total = jobs.reduce((p, j) => p + steps(j), 0);
  const results = new Map<string, JobValue>();
  // Biggest first, so the last job to finish is a small one.
  const queue = [...jobs].sort((a, b) => jobWork(items[b.item]!.base, b) - jobWork(items[a.item]!.base, a));
  if (workers === 1) {
    let before = 0;
    for (const job of queue) {
      const g2 = runSweepJob(items[job.item]!, job, {
        threads,
        onProgress: (done) => opts.onProgress?.(before + done, total),
      });
      before += steps(job);
      results.set(jobKey(job), g2);
    }
    return results;
  }
  const done = new Map<number, number>();
  const report = () =>
    opts.onProgress?.(
      [...done.values()].reduce((p, q) => p + q, 0),
      total,
    );
  const pool = Array.from({ length: workers }, startWorker);
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let running = 0;
      const give = (w: Worker) => {
        if (next >= queue.length) {
          if (running === 0) resolve();
          return;
        }
        const id = next++;
        const job = queue[id]!;
        running++;
        w.postMessage({ id, spec: items[job.item]!, job, threads } satisfies JobRequest);
      };
      for (const w of pool) {
        w.on('message', (m: JobReply) => {
          if (m.type === 'progress') {
            done.set(m.id, m.done);
            report();
            return;
          }
          if (m.type === 'error') {
            reject(
              m.nonFinite
                ? new NonFiniteError({ ...m.nonFinite, resumeStep: m.nonFinite.step, good: noRows(m.nonFinite.step) })
                : new Error(m.message),
            );
            return;
          }
          const job = queue[m.id]!;
          results.set(jobKey(job), m.value);
          done.set(m.id, steps(job));
          report();
          running--;
          give(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0) reject(new Error(`a sweep worker exited with code ${code}`));
        });
      }
      for (const w of pool) give(w);
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
