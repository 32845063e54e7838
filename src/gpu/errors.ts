/** Errors of the WebGPU engine, each with a message that says what to do. */

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

/** The engine contract's errors, the same classes on every engine (src/model/engine-errors.ts). */
export { DeviceLostError, EngineCancelledError, NonFiniteError, type NonFiniteWhat } from '../model/engine-errors';
