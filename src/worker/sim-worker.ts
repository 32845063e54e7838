/**
 * The float64 engine in a module Web Worker (the CPU fallback where WebGPU is absent), behind
 * comlink. Calls run one at a time in arrival order (chained: a step split over row workers
 * awaits their replies), so replies arrive in call order too; arrays go back by transfer. The
 * main thread's WorkerCpuEngine keeps the step count (calls are ordered, so it knows it without
 * asking). The rows run on `threads` threads: this worker and nested row workers
 * (row-threads.ts: shared memory where the page is cross-origin isolated, else transferred copies).
 */
import * as Comlink from 'comlink';
import { CpuSimEngine, type EngineSnapshot, type StepBatch } from '../model/engine';
import { TABLEAUX } from '../model/integrators';
import { kernelIsWasm, rowPairsPerEvaluation, setRowProgress } from '../model/kernel/row-kernel';
import type { RowSplitter } from '../model/kernel/row-split';
import type { Drift, Scenario } from '../model/scenario';
import { type RowMode, startRowWorkers, useSharedRowWorkers } from './row-threads';

/** Set before any field evaluation: the kernel's arena is created shared or not once. */
const sharedRows = useSharedRowWorkers();

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
  const finished = engine.engine.stepIndex;
  const counted = call.step + (Number(pairs[0]) - call.pairs) / pairsPerStep;
  const stepsDone = Math.max(finished, Math.min(counted, finished + 0.999));
  self.postMessage({ kind: 'row-progress', stepsDone } satisfies RowProgressMessage);
});

/** What the worker exposes (as seen from the worker; comlink makes each call async). */
export interface SimWorkerApi {
  /**
   * Builds the engine for `scenario` with its rows on `threads` threads (once per worker: the
   * row workers are started for its d); returns its step index, how the rows run and whether
   * they run in WebAssembly (false: the JavaScript rows, about half the speed).
   */
  init(scenario: Scenario, threads: number): { step: number; rows: RowMode; wasm: boolean };
  advance(k: number): StepBatch;
  evaluate(): Float64Array;
  readPositions(): Float64Array;
  readWeights(): Float64Array;
  setDrift(drift: Drift): Promise<void>;
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

let chain: Promise<unknown> = Promise.resolve();

/** Runs `run` after every call that arrived before it (comlink starts each call on arrival). */
function serial<T>(run: () => Promise<T> | T): Promise<T> {
  const p = chain.then(run);
  chain = p.catch(() => {});
  return p;
}

let rowMode: { mode: RowMode; splitter?: RowSplitter; d: number; threads: number } | undefined;

const api = {
  init(scenario: Scenario, threads: number) {
    return serial(async () => {
      if (!Number.isInteger(threads) || threads < 1)
        throw new RangeError(`threads: expected a positive integer, got ${threads}`);
      if (rowMode && (rowMode.d !== scenario.d || rowMode.threads !== threads))
        throw new Error(
          'sim worker: init runs once per worker (its row workers are set up for one d and thread count)',
        );
      rowMode ??= { ...(await startRowWorkers(scenario.d, threads, sharedRows)), d: scenario.d, threads };
      // The session checks every row and readback itself (an error thrown here would reach it without its fields).
      engine = new CpuSimEngine(scenario, { haltOnNonFinite: false, threads, rows: rowMode.splitter });
      pairsPerStep =
        TABLEAUX[scenario.integrator].b.length * scenario.replicas * rowPairsPerEvaluation(scenario.n, scenario.heads);
      return { step: engine.stepIndex, rows: rowMode.mode, wasm: kernelIsWasm() };
    });
  },
  advance(k: number): Promise<StepBatch> {
    return serial(async () => {
      call = { step: current().stepIndex, pairs: Number(pairs[0]) };
      lastPost = performance.now();
      const batch = await current().advance(k);
      return transfer(batch, batch.records);
    });
  },
  evaluate(): Promise<Float64Array> {
    return serial(async () => {
      const row = await current().evaluate();
      return transfer(row, row);
    });
  },
  readPositions(): Promise<Float64Array> {
    return serial(async () => {
      const x = await current().readPositions();
      return transfer(x, x);
    });
  },
  readWeights(): Promise<Float64Array> {
    return serial(async () => {
      const w = await current().readWeights();
      return transfer(w, w);
    });
  },
  setDrift(drift: Drift): Promise<void> {
    return serial(() => current().setDrift(drift));
  },
  snapshot(): Promise<EngineSnapshot> {
    return serial(async () => {
      const s = await current().snapshot();
      return transfer(s, s.positions, s.weights);
    });
  },
  restore(snapshot: EngineSnapshot): Promise<void> {
    return serial(() => current().restore(snapshot));
  },
};

Comlink.expose(api);
