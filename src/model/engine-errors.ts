/**
 * The errors every SimEngine rejects with (src/model/engine.ts), shared by the float64, worker
 * and WebGPU engines so callers tell them apart with `instanceof`, never by name or message.
 */
import type { DIAG_FIELDS } from './attention';
import type { StepBatch } from './engine';

/** What became non-finite first: a diagnostic column, the tokens or the weights. */
export type NonFiniteWhat = (typeof DIAG_FIELDS)[number] | 'positions' | 'weights';

/** Where a non-finite value was found, and what is still good. */
export interface NonFiniteInfo {
  /** The step whose state (or record) is non-finite. */
  step: number;
  replica: number;
  what: NonFiniteWhat;
  /**
   * The step of the finite state the engine holds now (it rolled back to the start of the failing
   * batch: `snapshot()` reads that state, and further steps are refused until `restore`); undefined
   * when the engine did not roll back (the caller found the value in what it had already received).
   */
  resumeStep: number | undefined;
  /**
   * The finite rows of the failing batch before `step`, which the error delivers because that
   * batch never resolved (empty when the caller found the value in a batch it received).
   */
  good: StepBatch;
}

/** A step produced NaN or ±∞. Lower dt or β. */
export class NonFiniteError extends Error implements NonFiniteInfo {
  override readonly name = 'NonFiniteError';
  readonly step: number;
  readonly replica: number;
  readonly what: NonFiniteWhat;
  readonly resumeStep: number | undefined;
  readonly good: StepBatch;

  /** `message` defaults to naming the value, the step, the replica and the step restored to. */
  constructor(info: NonFiniteInfo, message?: string) {
    const restored = info.resumeStep === undefined ? '' : `; the state was restored to step ${info.resumeStep}`;
    super(
      message ?? `non-finite ${info.what} at step ${info.step} (replica ${info.replica})${restored}. Lower dt or β.`,
    );
    this.step = info.step;
    this.replica = info.replica;
    this.what = info.what;
    this.resumeStep = info.resumeStep;
    this.good = info.good;
  }
}

/** An empty batch at `firstStep` (the `good` rows of a NonFiniteError found by the caller). */
export function noRows(firstStep: number): StepBatch {
  return { firstStep, steps: 0, records: new Float64Array(0) };
}

/**
 * The engine's GPU device was lost: every pending and later call rejects with this, and
 * `onLost` is called once. `restore(snapshot)` continues on a new device.
 */
export class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
  constructor(readonly reason: string) {
    super(`GPU device lost (${reason})`);
  }
}

/** A call on an engine that was destroyed (or whose worker was terminated) before it ran. */
export class EngineCancelledError extends Error {
  override readonly name = 'EngineCancelledError';
}
