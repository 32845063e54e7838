/**
 * The paper's H sweep: run one scenario for several head counts, average G² over the second
 * half of each run (t ≥ T/2) per replica, take the mean over replicas (Monte Carlo paths), and
 * fit G ≈ a·H^b on log–log axes. Engine-agnostic: the CLI passes the float64 or GPU engine,
 * the playground the GPU engine.
 */
import { DIAG, DIAG_SIZE } from './attention';
import type { SimEngine } from './engine';
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

/** Runs the sweep over `heads` and fits the exponent. */
export async function runHeadSweep(base: Scenario, heads: number[], opts: SweepOptions): Promise<SweepResult> {
  const points: SweepPoint[] = [];
  for (let index = 0; index < heads.length; index++) {
    const engine = await opts.makeEngine({ ...base, heads: heads[index]! });
    try {
      const perPath = await secondHalfG2(engine, { ...opts, index });
      const mean = perPath.reduce((p, q) => p + q, 0) / perPath.length;
      const spread =
        perPath.length > 1 ? Math.sqrt(perPath.reduce((p, q) => p + (q - mean) ** 2, 0) / (perPath.length - 1)) : 0;
      points.push({ heads: heads[index]!, perPath, mean, spread });
    } finally {
      engine.destroy();
    }
  }
  return {
    scenario: base,
    points,
    fit: fitPowerLaw(
      points.map((p) => p.heads),
      points.map((p) => p.mean),
    ),
  };
}
