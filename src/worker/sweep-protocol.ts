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

/** Pair interactions (n²·H·P) per engine call: a call takes a few ms, so progress stays smooth. */
const WORK_PER_CALL = 4e5;

/** Steps per engine call of the sweep worker for `s` (1 … 200). */
export function sweepChunk(s: Pick<Scenario, 'n' | 'heads' | 'replicas'>): number {
  return Math.min(200, Math.max(1, Math.round(WORK_PER_CALL / (s.n * s.n * s.heads * s.replicas))));
}
