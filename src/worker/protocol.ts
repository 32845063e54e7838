/**
 * The contract between the main thread and the trace worker (comlink). The main thread
 * forwards every step's diagnostic records and occasional position snapshots, transferred
 * (not copied); the worker keeps the float64 balances, Monte Carlo statistics, cluster
 * counts and replica distances, and serves decimated traces to the plots.
 */
import type { Scenario } from '../model/scenario';
import type { StepBatch } from '../model/engine';
import type { GrowthFit } from '../model/growth';

/** One decimated series: times and per-time values. */
export interface Series {
  t: Float64Array;
  /** Mean over replicas (or the single replica's value). */
  mean: Float64Array;
  /** Min and max over replicas (equal to mean when P = 1): the Monte Carlo band. */
  lo: Float64Array;
  hi: Float64Array;
}

/** Everything the plots draw, decimated to at most `maxPoints` per series. */
export interface Traces {
  /** Rows received so far and the time of the last one. */
  rows: number;
  lastTime: number;
  energy: Series;
  /** ∂tE (drift + Itô). */
  dEdt: Series;
  /** The paper's metric slope G². */
  G2: Series;
  /** Exact dissipation rate 𝒟. */
  dissipation: Series;
  /** E_K − E_0 (left side of both balances). */
  deltaE: Series;
  /** Right sides of the paper's and the exact balance. */
  rhsPaper: Series;
  rhsExact: Series;
  /** Left minus right side of the two balances. */
  balancePaper: Series;
  balanceExact: Series;
  /** Cluster count at snapshot times (tokens with ⟨x_i,x_j⟩ > 1 − ε joined). */
  clusters: Series;
  /** Mean |⟨x_i,x_j⟩| at snapshot times. */
  meanAbsCos: Series;
  /** Replica r ≥ 1 vs replica 0 at snapshot times: max_i |x_i − y_i| and RMS; empty when P = 1. */
  distanceMax: Series;
  distanceRms: Series;
  /** Fitted exponential growth rate λ of distanceRms ~ e^{λt} (NaN when not enough points): growthFit.rate. */
  growthRate: number;
  /** The fit behind growthRate: its window [t0, t1] (src/model/growth.ts) and quality. */
  growthFit: GrowthFit;
}

/** What the trace worker is told when a run starts or is rebuilt. */
export interface TraceConfig {
  scenario: Scenario;
  /** Cluster threshold ε in ⟨x_i,x_j⟩ > 1 − ε. */
  clusterEpsilon: number;
}

/** The worker's API as seen through comlink (every method is async on the main thread). */
export interface TraceWorkerApi {
  /** Starts afresh (new run, or rebuild): clears all traces. */
  reset(config: TraceConfig): void;
  /** Every step's records (rows batch.firstStep …), in order; transfer batch.records. */
  pushRecords(batch: StepBatch): void;
  /** A position snapshot [P][n][d] at step `step` (transfer it). */
  pushSnapshot(step: number, positions: Float32Array | Float64Array): void;
  /** Keeps the state after the rows before `step` (now or when they arrive), for truncate(step). */
  checkpoint(step: number): void;
  /** Drops checkpoints no longer needed. */
  forget(steps: number[]): void;
  /** Forgets the rows from `step` on (a replay or branch from there pushes its own); needs a checkpoint there. */
  truncate(step: number): void;
  /** Decimated traces for the plots. */
  traces(maxPoints: number): Traces;
  /** Full-resolution rows as CSV (header + one row per step per replica), for export. */
  csv(): string;
}
