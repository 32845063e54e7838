/**
 * The perturbation sweeps' measurement: for a size s (token noise ε or weight perturbation δ,
 * as the Compare folder defines them, src/model/kinds/compare.ts), replica 0 of the scenario is
 * the unperturbed flow and replicas 1…P its perturbed copies, all under replica 0's weight noise.
 * At sampled steps (every T/samples, and the chosen times) each copy's distance to the original
 * is taken token by token — max_i |x_i − y_i| and (1/n Σ_i |x_i − y_i|²)^{1/2} (MODEL.md) — and
 * kept at the chosen times and as its maximum over the samples of [0, T].
 *
 * Two ways to run it, the same bits on the float64 engine: on any SimEngine, all copies at once
 * (`runDistanceRun`: the GPU engine, the app's GPU sweep), or one copy per job beside its own
 * copy of the original (`runDistanceJob`: CpuEngine's `replica` option; the parallel CLI and the
 * app's float64 sweep). Pure model code.
 */
import { COMPARE_KINDS, comparePerturbation } from './kinds/compare';
import { SWEEP_OVER, type SweepOver } from './kinds/sweep-over';
import { DIAG_SIZE } from './attention';
import type { SimEngine } from './engine';
import { CpuEngine } from './engine-cpu';
import { NonFiniteError, noRows } from './engine-errors';
import { replicaDistances, type Floats } from './analysis';
import { stepCount, type Scenario } from './scenario';

/** One perturbed copy's distances to the original. */
export interface PathDistances {
  /** Max over the sampled steps of [0, T] of max_i |x_i − y_i| and of the RMS distance. */
  supMax: number;
  supRms: number;
  /** Both at each chosen time (the sweep's `times`, in order). */
  max: number[];
  rms: number[];
}

/** What a perturbation sweep samples: its chosen times and how many intervals [0, T] is cut into. */
export interface DistanceSampling {
  times: number[];
  samples: number;
}

/** Default sampling: 200 intervals of [0, T]; times T/4, T/2 and T. */
export const DEFAULT_SAMPLES = 200;
export const defaultTimes = (T: number): number[] => [T / 4, T / 2, T];

/** The scenario a perturbation sweep runs at `size`: `base` (its replicas are the P copies) plus the original. */
export function distanceScenario(base: Scenario, over: SweepOver, size: number): Scenario {
  const kind = SWEEP_OVER[over].compare;
  if (!kind || !COMPARE_KINDS[kind].size) throw new RangeError(`distanceScenario: "${over}" is not a perturbation`);
  if (!(size > 0 && Number.isFinite(size))) throw new RangeError(`${over}: expected a positive size, got ${size}`);
  return { ...base, ...comparePerturbation(kind, size, base.replicas) };
}

/** The step index of a chosen time (nearest step). */
export const timeStep = (s: Pick<Scenario, 'T' | 'dt'>, t: number): number =>
  Math.min(stepCount(s), Math.max(0, Math.round(t / s.dt)));

/** The sorted distinct steps at which distances are taken: j·K/samples (j = 0…samples) and the chosen times. */
export function sampleSteps(s: Pick<Scenario, 'T' | 'dt'>, sampling: DistanceSampling): number[] {
  const K = stepCount(s);
  const m = Math.max(1, Math.min(K, Math.round(sampling.samples)));
  const steps = new Set<number>();
  for (let j = 0; j <= m; j++) steps.add(Math.round((j * K) / m));
  for (const t of sampling.times) steps.add(timeStep(s, t));
  return [...steps].sort((a, b) => a - b);
}

/** Accumulates one copy's distances at the sampled steps. */
class DistanceTrack {
  supMax = 0;
  supRms = 0;
  readonly max: number[];
  readonly rms: number[];
  constructor(private readonly at: number[]) {
    this.max = at.map(() => Number.NaN);
    this.rms = at.map(() => Number.NaN);
  }
  add(step: number, max: number, rms: number): void {
    this.supMax = Math.max(this.supMax, max);
    this.supRms = Math.max(this.supRms, rms);
    this.at.forEach((k, i) => {
      if (k === step) {
        this.max[i] = max;
        this.rms[i] = rms;
      }
    });
  }
  result(): PathDistances {
    return { supMax: this.supMax, supRms: this.supRms, max: [...this.max], rms: [...this.rms] };
  }
}

/** Distance between the tokens x[xOff..] and y[yOff..] (n×d), computed exactly as replicaDistances does. */
function pairDistance(x: Floats, xOff: number, y: Floats, yOff: number, n: number, d: number): [number, number] {
  let worst = 0,
    sum = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let c = 0; c < d; c++) {
      const e = y[yOff + i * d + c]! - x[xOff + i * d + c]!;
      sq += e * e;
    }
    sum += sq;
    if (sq > worst) worst = sq;
  }
  return [Math.sqrt(worst), Math.sqrt(sum / n)];
}

export interface DistanceRunOptions {
  /** Steps per engine call at most (default 100). */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
  cancelled?: () => boolean;
}

/**
 * All P copies at `size` on one engine (made by `makeEngine` for distanceScenario): advances
 * from sample step to sample step and reads the tokens there.
 */
export async function runDistanceRun(
  base: Scenario,
  over: SweepOver,
  size: number,
  sampling: DistanceSampling,
  makeEngine: (s: Scenario) => SimEngine | Promise<SimEngine>,
  opts: DistanceRunOptions = {},
): Promise<PathDistances[]> {
  const s = distanceScenario(base, over, size);
  const steps = sampleSteps(s, sampling);
  const at = sampling.times.map((t) => timeStep(s, t));
  const tracks = Array.from({ length: base.replicas }, () => new DistanceTrack(at));
  const total = stepCount(s);
  const chunk = Math.max(1, Math.round(opts.chunk ?? 100));
  const engine = await makeEngine(s);
  try {
    for (const k of steps) {
      while (engine.stepIndex < k) {
        if (opts.cancelled?.()) throw new Error('cancelled');
        await engine.advance(Math.min(chunk, k - engine.stepIndex));
        opts.onProgress?.(engine.stepIndex, total);
      }
      const x = await engine.readPositions();
      const dist = replicaDistances(x, s.replicas, s.n, s.d);
      for (const [r, tr] of tracks.entries()) tr.add(k, dist.max[r]!, dist.rms[r]!);
    }
  } finally {
    engine.destroy();
  }
  return tracks.map((t) => t.result());
}

/**
 * Copy `path` (0…P−1) at `size` alone, beside its own run of the original, on the float64
 * engine: the same bits as that copy's entry of runDistanceRun on CpuSimEngine (each replica's
 * state does not depend on the others). A non-finite token or weight throws a NonFiniteError.
 */
export function runDistanceJob(
  base: Scenario,
  over: SweepOver,
  size: number,
  path: number,
  sampling: DistanceSampling,
  opts: { threads?: number; onProgress?: (done: number, total: number) => void } = {},
): PathDistances {
  const s = distanceScenario(base, over, size);
  const original = new CpuEngine(s, { threads: opts.threads, replica: 0 });
  const copy = new CpuEngine(s, { threads: opts.threads, replica: path + 1 });
  const steps = sampleSteps(s, sampling);
  const track = new DistanceTrack(sampling.times.map((t) => timeStep(s, t)));
  const total = stepCount(s);
  const rec = new Float64Array(DIAG_SIZE);
  const check = (step: number) => {
    for (const [e, replica] of [
      [original, 0],
      [copy, path + 1],
    ] as const) {
      const what = !e.x.every(Number.isFinite) ? 'positions' : !e.D.every(Number.isFinite) ? 'weights' : undefined;
      if (what) throw new NonFiniteError({ step, replica, what, resumeStep: step, good: noRows(step) });
    }
  };
  const every = Math.max(1, Math.round(2e6 / (s.n * s.n * s.heads)));
  let next = 0;
  for (let k = 0; ; k++) {
    if (k === steps[next]) {
      check(k);
      const [max, rms] = pairDistance(original.x, 0, copy.x, 0, s.n, s.d);
      track.add(k, max, rms);
      next++;
    }
    if (k === total) break;
    original.step(rec);
    copy.step(rec);
    if ((k + 1) % every === 0 || k + 1 === total) opts.onProgress?.(k + 1, total);
  }
  return track.result();
}

/** Whether `v` has the shape of PathDistances (for files read back). */
export function isPathDistances(v: unknown): v is PathDistances {
  const p = v as PathDistances;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.supMax === 'number' &&
    typeof p.supRms === 'number' &&
    Array.isArray(p.max) &&
    Array.isArray(p.rms) &&
    [...p.max, ...p.rms].every((x) => typeof x === 'number' || x === null)
  );
}
