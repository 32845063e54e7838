/**
 * The paper's H sweep: run one scenario for several head counts, average G² over the second
 * half of each run (t ≥ T/2) per replica, take the mean over replicas (Monte Carlo paths), and
 * fit G ≈ a·H^b on log–log axes. Engine-agnostic: the CLI passes the float64 or GPU engine,
 * the playground the GPU engine.
 */
import { DIAG, DIAG_FIELDS, DIAG_SIZE } from './attention';
import type { SimEngine } from './engine';
import { CpuEngine } from './engine-cpu';
import { NonFiniteError, noRows } from './engine-errors';
import { stepCount, type Scenario } from './scenario';
import { fitPowerLaw } from './analysis';

export interface SweepPoint {
  heads: number;
  /** Time average of G² over t ∈ [T/2, T], one per replica. */
  perPath: number[];
  /** Mean over replicas. */
  mean: number;
  /** Sample standard deviation over replicas (0 for one path). */
  spread: number;
}

export interface SweepResult {
  scenario: Scenario;
  points: SweepPoint[];
  /** G ≈ a·H^b fitted to the means on log–log axes. */
  fit: { a: number; b: number; r2: number };
}

export interface SweepOptions {
  makeEngine: (s: Scenario) => SimEngine | Promise<SimEngine>;
  /** Steps per engine call, or a function of each head count's scenario (default 100). */
  chunk?: number | ((s: Scenario) => number);
  /** Called with (head count index, steps done, steps total). */
  onProgress?: (index: number, done: number, total: number) => void;
  /** Polled between chunks; returning true stops the sweep with an Error('cancelled'). */
  cancelled?: () => boolean;
}

/** Time-averaged G² over the second half of one run, per replica. */
async function secondHalfG2(
  engine: SimEngine,
  opts: Omit<SweepOptions, 'makeEngine'> & { index?: number } = {},
): Promise<number[]> {
  const s = engine.scenario;
  const total = stepCount(s);
  const from = Math.ceil(total / 2);
  const P = s.replicas;
  const sums = new Float64Array(P);
  let rows = 0;
  const add = (rec: Float64Array, at: number) => {
    for (let r = 0; r < P; r++) sums[r] = sums[r]! + rec[at + r * DIAG_SIZE + DIAG.G2]!;
    rows++;
  };
  const chunk = Math.max(1, Math.round(typeof opts.chunk === 'function' ? opts.chunk(s) : (opts.chunk ?? 100)));
  while (engine.stepIndex < total) {
    if (opts.cancelled?.()) throw new Error('cancelled');
    const batch = await engine.advance(Math.min(chunk, total - engine.stepIndex));
    for (let i = 0; i < batch.steps; i++) if (batch.firstStep + i >= from) add(batch.records, i * P * DIAG_SIZE);
    opts.onProgress?.(opts.index ?? 0, engine.stepIndex, total);
  }
  add(await engine.evaluate(), 0);
  return Array.from(sums, (v) => v / rows);
}

/** One head count's point from its per-path averages. */
export function sweepPoint(heads: number, perPath: number[]): SweepPoint {
  const mean = perPath.reduce((p, q) => p + q, 0) / perPath.length;
  const spread =
    perPath.length > 1 ? Math.sqrt(perPath.reduce((p, q) => p + (q - mean) ** 2, 0) / (perPath.length - 1)) : 0;
  return { heads, perPath, mean, spread };
}

/** The sweep's result from its points (in head-count order): the points and the fit. */
export function sweepResult(base: Scenario, points: SweepPoint[]): SweepResult {
  return {
    scenario: base,
    points,
    fit: fitPowerLaw(
      points.map((p) => p.heads),
      points.map((p) => p.mean),
    ),
  };
}

/** Runs the sweep over `heads` and fits the exponent. */
export async function runHeadSweep(base: Scenario, heads: number[], opts: SweepOptions): Promise<SweepResult> {
  const points: SweepPoint[] = [];
  for (let index = 0; index < heads.length; index++) {
    const engine = await opts.makeEngine({ ...base, heads: heads[index]! });
    try {
      points.push(sweepPoint(heads[index]!, await secondHalfG2(engine, { ...opts, index })));
    } finally {
      engine.destroy();
    }
  }
  return sweepResult(base, points);
}

/**
 * One (H, path) run of a sweep: the unit that the parallel runner and the shards split a sweep
 * into. `item` indexes the sweep's list of base scenarios (one per preset).
 */
export interface SweepJob {
  item: number;
  heads: number;
  path: number;
}

/** Every job of a sweep, in a fixed order: item, then head count, then path. */
export function sweepJobs(items: { heads: number[]; base: Scenario }[]): SweepJob[] {
  return items.flatMap((it, item) =>
    it.heads.flatMap((heads) => Array.from({ length: it.base.replicas }, (_, path) => ({ item, heads, path }))),
  );
}

/** A job's relative cost (pair-heads over the run), for scheduling the biggest first. */
export function jobWork(base: Scenario, job: SweepJob): number {
  return base.n * base.n * job.heads * stepCount(base);
}

/**
 * The time-averaged G² over t ∈ [T/2, T] of one path alone, on the float64 engine: the same
 * bits as that path's entry of `runHeadSweep` on CpuSimEngine (the rows of a replica do not
 * depend on the others; the sum runs over the same rows in the same order). A non-finite row,
 * token or weight throws a NonFiniteError, as the engine would.
 */
export function runPathJob(
  base: Scenario,
  job: SweepJob,
  opts: { threads?: number; onProgress?: (done: number, total: number) => void } = {},
): number {
  const s = { ...base, heads: job.heads };
  const engine = new CpuEngine(s, { threads: opts.threads, replica: job.path });
  const total = stepCount(s);
  const from = Math.ceil(total / 2);
  const rec = new Float64Array(DIAG_SIZE);
  let sum = 0,
    rows = 0;
  const check = (step: number) => {
    const bad = rec.findIndex((v) => !Number.isFinite(v));
    const what =
      bad >= 0
        ? DIAG_FIELDS[bad]!
        : !engine.x.every(Number.isFinite)
          ? 'positions'
          : !engine.D.every(Number.isFinite)
            ? 'weights'
            : undefined;
    if (what) throw new NonFiniteError({ step, replica: job.path, what, resumeStep: step, good: noRows(step) });
  };
  const every = Math.max(1, Math.round(4e6 / (s.n * s.n * s.heads)));
  for (let k = 0; k < total; k++) {
    engine.step(rec);
    check(k);
    if (k >= from) {
      sum = sum + rec[DIAG.G2]!;
      rows++;
    }
    if ((k + 1) % every === 0 || k + 1 === total) opts.onProgress?.(k + 1, total);
  }
  engine.evaluate(rec);
  check(total);
  return (sum + rec[DIAG.G2]!) / (rows + 1);
}

/** The per-path results of jobs, keyed for `assembleSweep`. */
export const jobKey = (j: SweepJob): string => `${j.item}/${j.heads}/${j.path}`;

/** The sweep results of every item from the G² of all its jobs (throws naming a missing job). */
export function assembleSweep(items: { heads: number[]; base: Scenario }[], g2: Map<string, number>): SweepResult[] {
  return items.map((it, item) =>
    sweepResult(
      it.base,
      it.heads.map((heads) =>
        sweepPoint(
          heads,
          Array.from({ length: it.base.replicas }, (_, path) => {
            const v = g2.get(jobKey({ item, heads, path }));
            if (v === undefined) throw new Error(`sweep: no result for item ${item}, H = ${heads}, path ${path}`);
            return v;
          }),
        ),
      ),
    ),
  );
}
