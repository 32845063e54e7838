/**
 * The paper's H sweep: run one scenario for several head counts, average G² over the second
 * half of each run (t ≥ T/2) per replica, take the mean over replicas (Monte Carlo paths), and
 * fit G ≈ a·H^b on log–log axes. Engine-agnostic: the CLI passes the float64 or GPU engine,
 * the playground the GPU engine.
 *
 * The same sweep runs over a perturbation size instead (`over`: token noise ε or weight
 * perturbation δ, src/model/kinds/sweep-over.ts): per size, P perturbed copies against the
 * unperturbed flow, each path's value the max over [0, T] of its RMS distance to the original
 * (src/model/sweep-distance.ts), fitted as distance ≈ a·size^b. One spec, one job list, one
 * assembly, one result type for all three.
 */
import { DIAG, DIAG_FIELDS, DIAG_SIZE } from './attention';
import type { SimEngine } from './engine';
import { CpuEngine } from './engine-cpu';
import { NonFiniteError, noRows } from './engine-errors';
import { stepCount, type Scenario } from './scenario';
import { fitPowerLaw } from './analysis';
import type { SweepOver } from './kinds/sweep-over';
import {
  DEFAULT_SAMPLES,
  type PathDistances,
  runDistanceJob,
  runDistanceRun,
  type DistanceSampling,
} from './sweep-distance';

export interface SweepPoint {
  heads: number;
  /** The perturbation size of a perturbation sweep's point (absent in an H sweep). */
  size?: number;
  /**
   * H sweep: time average of G² over t ∈ [T/2, T], one per replica. Perturbation sweep: the
   * max over [0, T] of each copy's RMS distance to the original (its `distances` say more).
   */
  perPath: number[];
  /** Mean over replicas. */
  mean: number;
  /** Sample standard deviation over replicas (0 for one path). */
  spread: number;
  /** Each copy's distances (perturbation sweeps). */
  distances?: PathDistances[];
}

export interface SweepResult {
  scenario: Scenario;
  points: SweepPoint[];
  /** G ≈ a·H^b (or distance ≈ a·size^b) fitted to the means on log–log axes. */
  fit: { a: number; b: number; r2: number };
  /** What was swept (absent: heads). */
  over?: SweepOver;
  /** A perturbation sweep's chosen times (its `distances` hold the values there) and sample count. */
  times?: number[];
  samples?: number;
}

/**
 * What a sweep runs: a base scenario and the head counts (over H), or (over ε or δ) the sizes,
 * the chosen times and the sample count, the base's `replicas` being the P perturbed copies and
 * `heads` the one H. The CLI's plan items and the shard files hold these.
 */
export interface SweepSpec {
  heads: number[];
  base: Scenario;
  over?: SweepOver;
  sizes?: number[];
  times?: number[];
  samples?: number;
}

/** Whether a spec sweeps a perturbation size. */
export const isDistanceSpec = (it: Pick<SweepSpec, 'over'>): boolean => it.over === 'epsilon' || it.over === 'delta';

/** A spec's sampling (its times, or none; DEFAULT_SAMPLES). */
export const specSampling = (it: SweepSpec): DistanceSampling => ({
  times: it.times ?? [],
  samples: it.samples ?? DEFAULT_SAMPLES,
});

/** The value a point stands at on the x axis: its size, or its head count. */
export const sweepX = (p: SweepPoint): number => p.size ?? p.heads;

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
export function sweepResult(base: Scenario, points: SweepPoint[], spec?: SweepSpec): SweepResult {
  const r: SweepResult = {
    scenario: base,
    points,
    fit: fitPowerLaw(
      points.map(sweepX),
      points.map((p) => p.mean),
    ),
  };
  if (spec && isDistanceSpec(spec)) Object.assign(r, { over: spec.over, ...specSampling(spec) });
  return r;
}

/** A perturbation sweep's point at `size` from its copies' distances. */
export function distancePoint(size: number, heads: number, distances: PathDistances[]): SweepPoint {
  return {
    ...sweepPoint(
      heads,
      distances.map((d) => d.supRms),
    ),
    size,
    distances,
  };
}

/**
 * Runs a whole sweep on engines of `opts.makeEngine`, size by size or head count by head count
 * (`onProgress`'s index is that of the size or head count).
 */
export async function runSweep(spec: SweepSpec, opts: SweepOptions): Promise<SweepResult> {
  if (!isDistanceSpec(spec)) return runHeadSweep(spec.base, spec.heads, opts);
  const points: SweepPoint[] = [];
  const sizes = spec.sizes ?? [];
  for (let index = 0; index < sizes.length; index++) {
    const size = sizes[index]!;
    const chunk =
      typeof opts.chunk === 'function' ? opts.chunk({ ...spec.base, replicas: spec.base.replicas + 1 }) : opts.chunk;
    const distances = await runDistanceRun(spec.base, spec.over!, size, specSampling(spec), opts.makeEngine, {
      chunk,
      cancelled: opts.cancelled,
      onProgress: (done, total) => opts.onProgress?.(index, done, total),
    });
    points.push(distancePoint(size, spec.base.heads, distances));
  }
  return sweepResult(spec.base, points, spec);
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
  /** A perturbation sweep's size (the job runs copy `path` and the original). */
  size?: number;
}

/** Every job of a sweep, in a fixed order: item, then head count (or size), then path. */
export function sweepJobs(items: SweepSpec[]): SweepJob[] {
  return items.flatMap((it, item) =>
    isDistanceSpec(it)
      ? (it.sizes ?? []).flatMap((size) =>
          Array.from({ length: it.base.replicas }, (_, path) => ({ item, heads: it.base.heads, path, size })),
        )
      : it.heads.flatMap((heads) => Array.from({ length: it.base.replicas }, (_, path) => ({ item, heads, path }))),
  );
}

/** A job's relative cost (pair-heads over the run; a distance job runs two replicas), for scheduling the biggest first. */
export function jobWork(base: Scenario, job: SweepJob): number {
  return base.n * base.n * job.heads * stepCount(base) * (job.size === undefined ? 1 : 2);
}

/** What one job gives: a path's time-averaged G², or a copy's distances. */
export type JobValue = number | PathDistances;

/** Runs one job of `spec` on the float64 engine (runPathJob or runDistanceJob). */
export function runSweepJob(
  spec: SweepSpec,
  job: SweepJob,
  opts: { threads?: number; onProgress?: (done: number, total: number) => void } = {},
): JobValue {
  if (!isDistanceSpec(spec)) return runPathJob(spec.base, job, opts);
  if (job.size === undefined) throw new Error('sweep: a perturbation job needs its size');
  return runDistanceJob(spec.base, spec.over!, job.size, job.path, specSampling(spec), opts);
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
export const jobKey = (j: SweepJob): string =>
  j.size === undefined ? `${j.item}/${j.heads}/${j.path}` : `${j.item}/${j.heads}/${j.path}/${j.size}`;

/** The sweep results of every item from the values of all its jobs (throws naming a missing job). */
export function assembleSweep(items: SweepSpec[], g2: Map<string, JobValue>): SweepResult[] {
  return items.map((it, item) =>
    isDistanceSpec(it)
      ? assembleDistance(it, item, g2)
      : sweepResult(
          it.base,
          it.heads.map((heads) =>
            sweepPoint(
              heads,
              Array.from({ length: it.base.replicas }, (_, path) => {
                const v = g2.get(jobKey({ item, heads, path }));
                if (typeof v !== 'number')
                  throw new Error(`sweep: no result for item ${item}, H = ${heads}, path ${path}`);
                return v;
              }),
            ),
          ),
        ),
  );
}

function assembleDistance(it: SweepSpec, item: number, values: Map<string, JobValue>): SweepResult {
  const heads = it.base.heads;
  const points = (it.sizes ?? []).map((size) =>
    distancePoint(
      size,
      heads,
      Array.from({ length: it.base.replicas }, (_, path) => {
        const v = values.get(jobKey({ item, heads, path, size }));
        if (v === undefined || typeof v === 'number')
          throw new Error(`sweep: no result for item ${item}, ${it.over} = ${size}, path ${path}`);
        return v;
      }),
    ),
  );
  return sweepResult(it.base, points, it);
}

/**
 * A perturbation sweep's result read through another distance: 'max' puts each copy's max over
 * [0, T] of max_i |x_i − y_i| in perPath (and refits); 'rms' (what perPath holds) returns it as is.
 */
export function distanceResult(r: SweepResult, metric: 'max' | 'rms'): SweepResult {
  if (metric === 'rms' || !r.over) return r;
  const points = r.points.map((p) => ({
    ...sweepPoint(
      p.heads,
      (p.distances ?? []).map((d) => d.supMax),
    ),
    size: p.size,
    distances: p.distances,
  }));
  return {
    ...r,
    points,
    fit: fitPowerLaw(
      points.map(sweepX),
      points.map((p) => p.mean),
    ),
  };
}
