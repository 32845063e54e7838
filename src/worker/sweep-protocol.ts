/**
 * Messages between the playground and the H-sweep worker (src/worker/sweep-worker.ts), plain
 * structured-clone postMessage: one request per worker, progress while it runs, then one
 * result or one error. Cancelling terminates the worker (the float64 engine never yields).
 */
import type { Scenario } from '../model/scenario';
import type { SweepOver } from '../model/kinds/sweep-over';
import type { JobValue, SweepJob, SweepResult, SweepSpec } from '../model/sweep';

/** Which engine runs a sweep: the float64 CpuSimEngine, or the WebGPU engine on the worker's own device. */
export type SweepEngine = 'cpu' | 'gpu';

/** Run `scenario` (its replicas are the Monte Carlo paths) once per head count. */
export interface SweepRequest {
  scenario: Scenario;
  heads: number[];
  engine: SweepEngine;
  /** A perturbation sweep (src/model/sweep.ts SweepSpec): what, the sizes, chosen times and samples. */
  over?: SweepOver;
  sizes?: number[];
  times?: number[];
  samples?: number;
}

/** The model's spec of a request. */
export function requestSpec(r: SweepRequest): SweepSpec {
  const { scenario: base, heads, over, sizes, times, samples } = r;
  return over && over !== 'heads' ? { base, heads, over, sizes, times, samples } : { base, heads };
}

/**
 * One (H, path) job of a float64 sweep (src/model/sweep.ts runPathJob): the client spreads a
 * sweep's jobs over several workers, one job per request, and assembles the result.
 */
export interface SweepPathRequest {
  scenario: Scenario;
  job: SweepJob;
  /** The sweep's spec (a perturbation job needs its sampling); absent: an H sweep of `scenario`. */
  spec?: SweepSpec;
}

export type SweepMessage =
  /** Head count `index` (heads[index]) has run `done` of `total` steps. */
  | { type: 'progress'; index: number; done: number; total: number }
  | { type: 'done'; result: SweepResult }
  /** A path job's time-averaged G² (or, in a perturbation sweep, the copy's distances). */
  | { type: 'path'; job: SweepJob; g2: JobValue }
  | { type: 'error'; message: string };

/**
 * Pair interactions (n²·H·P) per engine call: a float64 call takes a few ms, so progress stays
 * smooth. A GPU call is one submit and one mapAsync, whose round trip alone costs ~40–170 ms in
 * headless Chromium on SwiftShader (docs/BENCHMARKS.md), so it gets far more work per call
 * (~0.3 s there at 2.7e8 pair-heads/s; a few ms on a real GPU).
 */
const WORK_PER_CALL: Record<SweepEngine, number> = { cpu: 4e5, gpu: 1e8 };
/** Most steps per engine call. */
const MAX_CHUNK: Record<SweepEngine, number> = { cpu: 200, gpu: 500 };

/** Steps per engine call of the sweep worker for `s` on `engine` (1 … MAX_CHUNK). */
export function sweepChunk(s: Pick<Scenario, 'n' | 'heads' | 'replicas'>, engine: SweepEngine = 'cpu'): number {
  return Math.min(
    MAX_CHUNK[engine],
    Math.max(1, Math.round(WORK_PER_CALL[engine] / (s.n * s.n * s.heads * s.replicas))),
  );
}
