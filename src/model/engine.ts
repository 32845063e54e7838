/**
 * The contract every engine (float64 CPU, float64 in a worker, WebGPU) fulfils, so the CLI, the
 * workers and the playground drive any of them the same way, with no casts and no knowledge of
 * which one runs.
 *
 * Calls are ordered: each acts on the state left by the calls made before it, whether or not
 * their promises have settled (an engine may run several at once, but resolves them in call
 * order). `stepIndex` follows the calls, not the replies.
 */
import { DIAG_FIELDS, DIAG_SIZE } from './attention';
import { CpuEngine } from './engine-cpu';
import { drainRows, type RowJob } from './kernel/row-kernel';
import { drainRowsSplit, type RowSplitter } from './kernel/row-split';
import { type DeviceLostError, NonFiniteError, noRows, type NonFiniteWhat } from './engine-errors';
import type { Drift, Scenario } from './scenario';

export {
  DeviceLostError,
  EngineCancelledError,
  NonFiniteError,
  type NonFiniteInfo,
  type NonFiniteWhat,
} from './engine-errors';

/** Diagnostics of consecutive steps: rows firstStep … firstStep+steps−1. */
export interface StepBatch {
  /** Index k of the first row (the state at t_k = k·dt, before step k). */
  firstStep: number;
  /** Number of rows in the batch. */
  steps: number;
  /** [steps][P][DIAG_SIZE] in DIAG_FIELDS order, float64. */
  records: Float64Array;
}

/** The array sizes of a scenario's state: P replicas of n tokens in d dimensions under H heads. */
export interface EngineShape {
  replicas: number;
  n: number;
  d: number;
  heads: number;
}

/**
 * The whole state of a run, enough to continue it exactly: `restore(snapshot)` followed by the
 * same calls gives the same rows (bit for bit on the same engine). The noise stream needs no
 * state of its own: the Brownian increment of step k is a pure function of (seed, k, replica,
 * head, entry) through Philox (src/model/rng.ts), so the step index is all it takes.
 */
export interface EngineSnapshot {
  shape: EngineShape;
  /** The step the state is at (t = stepIndex·dt). */
  stepIndex: number;
  /** Tokens [P][n][d] (Float32Array from the GPU engine, Float64Array from the float64 ones). */
  positions: Float64Array | Float32Array;
  /** Weights [P][H][d][d]. */
  weights: Float64Array | Float32Array;
  /** The weight drift in force (the scenario's, or the last setDrift). */
  drift: Drift;
}

/** How the positions buffer is laid out: f32, [P][n][d], d floats per token, no padding. */
export interface PositionsLayout {
  format: 'float32';
  replicas: number;
  tokens: number;
  /** Floats per token (= d: tightly packed). */
  stride: number;
  byteLength: number;
}

/** How the weights buffer is laid out: f32, [P][H][d][d] row-major, no padding. */
export interface WeightsLayout {
  format: 'float32';
  replicas: number;
  heads: number;
  /** Matrix side d. */
  d: number;
  byteLength: number;
}

/**
 * The GPU buffers of the current state, for a view that draws from them on the same device
 * (STORAGE | COPY_SRC | COPY_DST). They hold the state once the queue has run the submitted
 * steps, and are replaced by `restore` on a new device: read `gpu` again after `onLost`.
 */
export interface EngineGpuResources {
  device: GPUDevice;
  positions: GPUBuffer;
  positionsLayout: PositionsLayout;
  weights: GPUBuffer;
  weightsLayout: WeightsLayout;
}

export interface SimEngine {
  readonly kind: 'cpu' | 'gpu';
  readonly scenario: Scenario;
  /**
   * Steps requested so far: the step of the state the next call acts on (t = stepIndex·dt).
   * `advance(k)` adds k as it is called, before its promise settles; a read called now sees the
   * state at this step. After a NonFiniteError it is the error's `resumeStep` (where the engine
   * rolled back to); after `restore` the snapshot's step.
   */
  readonly stepIndex: number;
  /**
   * The GPU buffers a view may draw from (undefined on the float64 engines, and once destroyed).
   */
  readonly gpu: EngineGpuResources | undefined;
  /**
   * Called once when the engine's device is lost (never on the float64 engines, nor after
   * destroy()); pending and later calls reject with the same DeviceLostError until `restore`.
   */
  onLost: ((error: DeviceLostError) => void) | undefined;
  /** Advances k steps; resolves with the diagnostics of each step at its pre-step state. */
  advance(k: number): Promise<StepBatch>;
  /** Diagnostics at the current state with no step after it (dM = jump = 0): the row at t = T. */
  evaluate(): Promise<Float64Array>;
  /** Current tokens [P][n][d]. */
  readPositions(): Promise<Float64Array | Float32Array>;
  /** Current weights [P][H][d][d]. */
  readWeights(): Promise<Float64Array | Float32Array>;
  /** Live edit of the weight drift from the next step on (same kind of buffers: no rebuild). */
  setDrift(drift: Drift): void;
  /** The state after the calls made so far (copies: later steps do not change it). */
  snapshot(): Promise<EngineSnapshot>;
  /**
   * Replaces the state with `snapshot` (of this engine, or of another engine of the same shape),
   * clears a NonFiniteError halt and, on a lost device, continues on a new one. Throws a
   * RangeError when the snapshot's shape is not the scenario's. Await it before the next call.
   */
  restore(snapshot: EngineSnapshot): Promise<void>;
  /**
   * How far the engine has got, in steps and fractional: the steps finished plus the counted
   * share of the step in progress (≤ stepIndex). Only an engine that can count inside a step has
   * it (the CLI's float64 engine thread), so a step longer than a second still shows progress.
   */
  stepsDone?(): number;
  destroy(): void;
}

export function engineShape(s: Scenario): EngineShape {
  return { replicas: s.replicas, n: s.n, d: s.d, heads: s.heads };
}

function describeShape(s: EngineShape): string {
  return `P = ${s.replicas}, n = ${s.n}, d = ${s.d}, H = ${s.heads}`;
}

/** Throws a RangeError naming both shapes unless `snapshot` fits `scenario`'s arrays and schedule. */
export function assertRestorable(scenario: Scenario, snapshot: EngineSnapshot): void {
  const want = engineShape(scenario);
  const got = snapshot.shape;
  const same = (Object.keys(want) as (keyof EngineShape)[]).every((k) => want[k] === got[k]);
  if (!same)
    throw new RangeError(
      `restore: the snapshot is of ${describeShape(got)} but the engine runs ${describeShape(want)}`,
    );
  const { replicas: P, n, d, heads: H } = want;
  if (snapshot.positions.length !== P * n * d || snapshot.weights.length !== P * H * d * d)
    throw new RangeError(
      `restore: the snapshot holds ${snapshot.positions.length} position and ${snapshot.weights.length} weight entries; ${describeShape(want)} needs ${P * n * d} and ${P * H * d * d}`,
    );
  if (snapshot.drift.kind === 'layers' && scenario.weights.noiseVariance > 0)
    throw new RangeError('restore: the snapshot runs a layer schedule, which needs σ² = 0, but the engine has σ² > 0');
}

/** Options of the float64 engine. */
export interface CpuEngineOptions {
  /**
   * Stop on a non-finite value (default true): an `advance` whose step k records a non-finite
   * diagnostic, or leaves non-finite tokens or weights, rejects with a NonFiniteError, rolls the
   * state back to step k (the finite state before that step: `resumeStep` = k), and refuses
   * further steps until `restore`, like the GPU engine. The rows before step k come in `good`.
   * False: steps run on whatever they produce (a caller that checks the rows itself).
   */
  haltOnNonFinite?: boolean;
  /** Threads for the attention rows (CpuEngine's `threads`; default: the cores available). */
  threads?: number;
  /**
   * Split each row load over row workers by message (the browser fallback without shared
   * memory); the steps then run asynchronously, and the same bits come out.
   */
  rows?: RowSplitter;
}

/** The index of the first non-finite entry of `a` from `from` to `to`, or −1. */
function firstNonFinite(a: Float64Array, from = 0, to = a.length): number {
  for (let i = from; i < to; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/** The float64 engine behind the SimEngine contract (runs each call to completion when called). */
export class CpuSimEngine implements SimEngine {
  readonly kind = 'cpu';
  readonly engine: CpuEngine;
  /** No GPU buffers: the state lives in `engine.x` and `engine.D`. */
  readonly gpu = undefined;
  /** Never called: there is no device to lose. */
  onLost: ((error: DeviceLostError) => void) | undefined;
  private readonly halt: boolean;
  /** The state before the step being taken (the roll-back point), when halting. */
  private readonly prevX: Float64Array | undefined;
  private readonly prevD: Float64Array | undefined;
  private failure: NonFiniteError | undefined;
  private readonly rows: RowSplitter | undefined;
  /** With `rows`: calls run one after another on this chain, and the steps requested so far. */
  private queue: Promise<unknown> = Promise.resolve();
  private requested = 0;

  constructor(
    readonly scenario: Scenario,
    options: CpuEngineOptions = {},
  ) {
    this.rows = options.rows;
    this.engine = new CpuEngine(scenario, { threads: options.threads ?? this.rows?.threads });
    this.halt = options.haltOnNonFinite ?? true;
    if (this.halt) {
      this.prevX = new Float64Array(this.engine.x.length);
      this.prevD = new Float64Array(this.engine.D.length);
    }
  }

  get stepIndex(): number {
    return this.rows ? this.requested : this.engine.stepIndex;
  }

  /**
   * Runs `run` after every call before it. Without `rows` each call runs to completion when it is
   * made (nothing in it awaits), which orders them already; with `rows` they await their row
   * workers, so they are chained.
   */
  private ordered<T>(run: () => Promise<T>): Promise<T> {
    if (!this.rows) return run();
    const p = this.queue.then(run);
    this.queue = p.catch(() => {});
    return p;
  }

  /** Runs the row loads of `jobs`: here, synchronously, or through `rows` (a promise). */
  private drain(jobs: Generator<RowJob, void, void>): void | Promise<void> {
    return this.rows ? drainRowsSplit(jobs, this.rows) : drainRows(jobs);
  }

  advance(k: number): Promise<StepBatch> {
    if (!Number.isInteger(k) || k < 1)
      return Promise.reject(new RangeError(`advance: k must be a positive integer, got ${k}`));
    this.requested += k;
    return this.ordered(() =>
      this.advanceNow(k).catch((e: unknown) => {
        this.requested = this.engine.stepIndex;
        throw e;
      }),
    );
  }

  private async advanceNow(k: number): Promise<StepBatch> {
    if (this.failure) throw this.failure;
    const P = this.scenario.replicas;
    const records = new Float64Array(k * P * DIAG_SIZE);
    const firstStep = this.engine.stepIndex;
    for (let i = 0; i < k; i++) {
      const row = records.subarray(i * P * DIAG_SIZE, (i + 1) * P * DIAG_SIZE);
      if (!this.halt) {
        const pending = this.drain(this.engine.stepping(row));
        if (pending) await pending;
        continue;
      }
      const { x, D } = this.engine;
      this.prevX!.set(x);
      this.prevD!.set(D);
      const pending = this.drain(this.engine.stepping(row));
      if (pending) await pending;
      const badRow = firstNonFinite(row);
      const badX = badRow < 0 ? firstNonFinite(x) : -1;
      const badD = badRow < 0 && badX < 0 ? firstNonFinite(D) : -1;
      if (badRow >= 0 || badX >= 0 || badD >= 0) {
        const { n, d, heads: H } = this.scenario;
        const step = firstStep + i;
        let what: NonFiniteWhat, replica: number;
        if (badRow >= 0) {
          replica = Math.floor(badRow / DIAG_SIZE);
          what = DIAG_FIELDS[badRow % DIAG_SIZE]!;
        } else {
          replica = badX >= 0 ? Math.floor(badX / (n * d)) : Math.floor(badD / (H * d * d));
          what = badX >= 0 ? 'positions' : 'weights';
        }
        this.engine.restoreState(this.prevX!, this.prevD!, step, this.engine.currentDrift);
        const good = { firstStep, steps: i, records: records.slice(0, i * P * DIAG_SIZE) };
        this.failure = new NonFiniteError({
          step: badRow >= 0 ? step : step + 1,
          replica,
          what,
          resumeStep: step,
          good,
        });
        throw this.failure;
      }
    }
    return { firstStep, steps: k, records };
  }

  evaluate(): Promise<Float64Array> {
    return this.ordered(() => this.evaluateNow());
  }

  private async evaluateNow(): Promise<Float64Array> {
    const out = new Float64Array(this.scenario.replicas * DIAG_SIZE);
    const pending = this.drain(this.engine.evaluation(out));
    if (pending) await pending;
    const bad = this.halt ? firstNonFinite(out) : -1;
    if (bad >= 0) {
      const step = this.engine.stepIndex;
      throw new NonFiniteError({
        step,
        replica: Math.floor(bad / DIAG_SIZE),
        what: DIAG_FIELDS[bad % DIAG_SIZE]!,
        resumeStep: step,
        good: noRows(step),
      });
    }
    return out;
  }

  readPositions(): Promise<Float64Array> {
    return this.ordered(async () => this.engine.x.slice());
  }

  readWeights(): Promise<Float64Array> {
    return this.ordered(async () => this.engine.D.slice());
  }

  setDrift(drift: Drift): void {
    if (!this.rows) this.engine.setDrift(drift);
    else void this.ordered(async () => this.engine.setDrift(drift));
  }

  snapshot(): Promise<EngineSnapshot> {
    return this.ordered(async () => {
      const { engine } = this;
      return {
        shape: engineShape(this.scenario),
        stepIndex: engine.stepIndex,
        positions: engine.x.slice(),
        weights: engine.D.slice(),
        drift: structuredClone(engine.currentDrift),
      };
    });
  }

  restore(snapshot: EngineSnapshot): Promise<void> {
    try {
      assertRestorable(this.scenario, snapshot);
    } catch (e) {
      return Promise.reject(e);
    }
    this.requested = snapshot.stepIndex;
    return this.ordered(async () => {
      this.engine.restoreState(
        snapshot.positions,
        snapshot.weights,
        snapshot.stepIndex,
        structuredClone(snapshot.drift),
      );
      this.failure = undefined;
    });
  }

  /** Nothing to release (the arrays go with the object). */
  destroy(): void {}
}
