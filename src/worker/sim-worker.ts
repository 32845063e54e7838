/**
 * The float64 engine in a module Web Worker (the CPU fallback where WebGPU is absent), behind
 * comlink. Every reply carries the engine's step index after the call; arrays go back by
 * transfer. Calls run one at a time in arrival order, so replies arrive in call order too.
 */
import * as Comlink from 'comlink';
import { CpuSimEngine, type StepBatch } from '../model/engine';
import type { Drift, Scenario } from '../model/scenario';

/** A reply and the engine's step index once the call has run. */
export interface SimReply<T> {
  stepIndex: number;
  value: T;
}

/** What the worker exposes (as seen from the worker; comlink makes each call async). */
export interface SimWorkerApi {
  /** Builds the engine for `scenario` (replacing any previous one); returns its step index. */
  init(scenario: Scenario): number;
  advance(k: number): SimReply<StepBatch>;
  evaluate(): SimReply<Float64Array>;
  readPositions(): SimReply<Float64Array>;
  readWeights(): SimReply<Float64Array>;
  setDrift(drift: Drift): void;
}

let engine: CpuSimEngine | undefined;

function current(): CpuSimEngine {
  if (!engine) throw new Error('sim worker: init(scenario) has not run');
  return engine;
}

/** Wraps `value` with the step index, transferring `array`'s buffer. */
function reply<T>(value: T, array: Float64Array): SimReply<T> {
  return Comlink.transfer({ stepIndex: current().stepIndex, value }, [array.buffer as ArrayBuffer]);
}

/**
 * CpuSimEngine's methods are async in signature but run to completion synchronously, so each
 * reply is built right after the work (awaiting only a resolved promise).
 */
const api = {
  init(scenario: Scenario): number {
    engine = new CpuSimEngine(scenario);
    return engine.stepIndex;
  },
  async advance(k: number): Promise<SimReply<StepBatch>> {
    const batch = await current().advance(k);
    return reply(batch, batch.records);
  },
  async evaluate(): Promise<SimReply<Float64Array>> {
    const row = await current().evaluate();
    return reply(row, row);
  },
  async readPositions(): Promise<SimReply<Float64Array>> {
    const x = await current().readPositions();
    return reply(x, x);
  },
  async readWeights(): Promise<SimReply<Float64Array>> {
    const w = await current().readWeights();
    return reply(w, w);
  },
  setDrift(drift: Drift): void {
    current().setDrift(drift);
  },
};

Comlink.expose(api);
