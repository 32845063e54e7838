/**
 * The contract every engine (float64 CPU, WebGPU) fulfils, so the CLI, the worker and the
 * playground drive either one the same way.
 */
import { DIAG_SIZE } from './attention';
import { CpuEngine } from './engine-cpu';
import type { Drift, Scenario } from './scenario';

/** Diagnostics of consecutive steps: rows firstStep … firstStep+steps−1. */
export interface StepBatch {
  /** Index k of the first row (the state at t_k = k·dt, before step k). */
  firstStep: number;
  /** Number of rows in the batch. */
  steps: number;
  /** [steps][P][DIAG_SIZE] in DIAG_FIELDS order, float64. */
  records: Float64Array;
}

export interface SimEngine {
  readonly kind: 'cpu' | 'gpu';
  readonly scenario: Scenario;
  /** Completed steps: the state is at t = stepIndex·dt. */
  readonly stepIndex: number;
  /** Advances k steps; resolves with the diagnostics of each step at its pre-step state. */
  advance(k: number): Promise<StepBatch>;
  /** Diagnostics at the current state with no step after it (dM = jump = 0): the row at t = T. */
  evaluate(): Promise<Float64Array>;
  /** Current tokens [P][n][d]. */
  readPositions(): Promise<Float64Array | Float32Array>;
  /** Current weights [P][H][d][d]. */
  readWeights(): Promise<Float64Array | Float32Array>;
  /** Live edit of the weight drift (same kind of buffers: no rebuild). */
  setDrift(drift: Drift): void;
  destroy(): void;
}

/** The float64 engine behind the SimEngine contract. */
export class CpuSimEngine implements SimEngine {
  readonly kind = 'cpu';
  readonly engine: CpuEngine;

  constructor(readonly scenario: Scenario) {
    this.engine = new CpuEngine(scenario);
  }

  get stepIndex(): number {
    return this.engine.stepIndex;
  }

  async advance(k: number): Promise<StepBatch> {
    const P = this.scenario.replicas;
    const records = new Float64Array(k * P * DIAG_SIZE);
    const firstStep = this.engine.stepIndex;
    for (let i = 0; i < k; i++) this.engine.step(records.subarray(i * P * DIAG_SIZE, (i + 1) * P * DIAG_SIZE));
    return { firstStep, steps: k, records };
  }

  async evaluate(): Promise<Float64Array> {
    const out = new Float64Array(this.scenario.replicas * DIAG_SIZE);
    this.engine.evaluate(out);
    return out;
  }

  async readPositions(): Promise<Float64Array> {
    return this.engine.x.slice();
  }

  async readWeights(): Promise<Float64Array> {
    return this.engine.D.slice();
  }

  setDrift(drift: Drift): void {
    this.engine.setDrift(drift);
  }

  destroy(): void {}
}
