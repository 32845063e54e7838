/**
 * The float64 engine in a module Web Worker (the CPU fallback where WebGPU is absent), behind
 * comlink. Calls run one at a time in arrival order, so replies arrive in call order too; arrays
 * go back by transfer. The main thread's WorkerCpuEngine keeps the step count (calls are
 * ordered, so it knows it without asking).
 */
import * as Comlink from 'comlink';
import { CpuSimEngine, type EngineSnapshot, type StepBatch } from '../model/engine';
import { TABLEAUX } from '../model/integrators';
import { rowPairsPerEvaluation, setRowProgress } from '../model/kernel/row-kernel';
import type { Drift, Scenario } from '../model/scenario';

/** A message beside comlink's (which ignores it): how far a long call has got, in steps. */
export interface RowProgressMessage {
  kind: 'row-progress';
  /** Steps finished plus the share of the step in progress. */
  stepsDone: number;
}

/** Posts progress at most this often while a call runs. */
const PROGRESS_EVERY_MS = 250;
const pairs = new BigInt64Array(1);
let pairsPerStep = 1;
/** The call in progress: its first step and the pair count when it began. */
let call = { step: 0, pairs: 0 };
let lastPost = 0;

setRowProgress(pairs, () => {
  const now = performance.now();
  if (now - lastPost < PROGRESS_EVERY_MS || !engine) return;
  lastPost = now;
  const finished = engine.stepIndex;
  const counted = call.step + (Number(pairs[0]) - call.pairs) / pairsPerStep;
  const stepsDone = Math.max(finished, Math.min(counted, finished + 0.999));
  self.postMessage({ kind: 'row-progress', stepsDone } satisfies RowProgressMessage);
});

/** What the worker exposes (as seen from the worker; comlink makes each call async). */
export interface SimWorkerApi {
  /** Builds the engine for `scenario` (replacing any previous one); returns its step index. */
  init(scenario: Scenario): number;
  advance(k: number): StepBatch;
  evaluate(): Float64Array;
  readPositions(): Float64Array;
  readWeights(): Float64Array;
  setDrift(drift: Drift): void;
  snapshot(): EngineSnapshot;
  restore(snapshot: EngineSnapshot): void;
}

let engine: CpuSimEngine | undefined;

function current(): CpuSimEngine {
  if (!engine) throw new Error('sim worker: init(scenario) has not run');
  return engine;
}

/** `value`, with `arrays`' buffers transferred rather than copied. */
function transfer<T>(value: T, ...arrays: (Float64Array | Float32Array)[]): T {
  return Comlink.transfer(
    value,
    arrays.map((a) => a.buffer as ArrayBuffer),
  );
}

/**
 * CpuSimEngine's methods are async in signature but run to completion synchronously, so each
 * reply is built right after the work (awaiting only a resolved promise).
 */
const api = {
  init(scenario: Scenario): number {
    // The session checks every row and readback itself (an error thrown here would reach it without its fields).
    engine = new CpuSimEngine(scenario, { haltOnNonFinite: false });
    pairsPerStep =
      TABLEAUX[scenario.integrator].b.length * scenario.replicas * rowPairsPerEvaluation(scenario.n, scenario.heads);
    return engine.stepIndex;
  },
  async advance(k: number): Promise<StepBatch> {
    call = { step: current().stepIndex, pairs: Number(pairs[0]) };
    lastPost = performance.now();
    const batch = await current().advance(k);
    return transfer(batch, batch.records);
  },
  async evaluate(): Promise<Float64Array> {
    const row = await current().evaluate();
    return transfer(row, row);
  },
  async readPositions(): Promise<Float64Array> {
    const x = await current().readPositions();
    return transfer(x, x);
  },
  async readWeights(): Promise<Float64Array> {
    const w = await current().readWeights();
    return transfer(w, w);
  },
  setDrift(drift: Drift): void {
    current().setDrift(drift);
  },
  async snapshot(): Promise<EngineSnapshot> {
    const s = await current().snapshot();
    return transfer(s, s.positions, s.weights);
  },
  async restore(snapshot: EngineSnapshot): Promise<void> {
    await current().restore(snapshot);
  },
};

Comlink.expose(api);
