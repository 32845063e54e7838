/** Errors of the WebGPU engine, each with a message that says what to do. */
import type { DIAG_FIELDS } from '../model/attention';
import type { StepBatch } from '../model/engine';

/** WebGPU is missing (no navigator.gpu) or offers no adapter. */
export class WebGpuUnavailableError extends Error {
  override readonly name = 'WebGpuUnavailableError';
}

/** A scenario exceeds a limit of the adapter; `largestN` tokens per replica would fit. */
export class GpuCapacityError extends Error {
  override readonly name = 'GpuCapacityError';
  constructor(
    readonly limit: string,
    readonly needed: number,
    readonly available: number,
    readonly largestN: number,
  ) {
    super(
      `The scenario needs ${limit} ≥ ${needed} but this adapter allows ${available}; at the same P, H and d the largest n that fits is ${largestN}.`,
    );
  }
}

/** What became non-finite first in a batch. */
export type NonFiniteWhat = (typeof DIAG_FIELDS)[number] | 'positions';

/**
 * A step produced NaN or ±∞. The engine has rolled its state back to the start of the failing
 * batch (`resumeStep`, a finite state) and refuses further steps; `good` holds the finite
 * records of the batch before `step`. Lower dt or β.
 */
export class NonFiniteError extends Error {
  override readonly name = 'NonFiniteError';
  readonly nonFinite = true;
  constructor(
    readonly step: number,
    readonly replica: number,
    readonly what: NonFiniteWhat,
    readonly resumeStep: number,
    readonly good: StepBatch,
  ) {
    super(
      `non-finite ${what} at step ${step} (replica ${replica}); the state was restored to step ${resumeStep}. Lower dt or β.`,
    );
  }
}

/** The GPU device was lost; rebuild from the last snapshot (GpuEngine.rebuildFrom). */
export class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
  constructor(readonly reason: string) {
    super(`GPU device lost (${reason})`);
  }
}
