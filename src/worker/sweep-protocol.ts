/**
 * Messages between the playground and the H-sweep worker (src/worker/sweep-worker.ts), plain
 * structured-clone postMessage: one request per worker, progress while it runs, then one
 * result or one error. Cancelling terminates the worker (the float64 engine never yields).
 */
import type { Scenario } from '../model/scenario';
import type { SweepResult } from '../model/sweep';

/** Run `scenario` (its replicas are the Monte Carlo paths) once per head count. */
export interface SweepRequest {
  scenario: Scenario;
  heads: number[];
}

export type SweepMessage =
  /** Head count `index` (heads[index]) has run `done` of `total` steps. */
  | { type: 'progress'; index: number; done: number; total: number }
  | { type: 'done'; result: SweepResult }
  | { type: 'error'; message: string };
