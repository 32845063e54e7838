/**
 * The main thread's handle on the trace worker. Records and snapshots are transferred to the
 * worker (pass arrays you no longer use; a view into a larger buffer is copied first), the
 * decimated traces come back by transfer. Every method returns a promise, as comlink does.
 */
import * as Comlink from 'comlink';
import type { StepBatch } from '../model/engine';
import type { TraceWorkerApi } from './protocol';
import { transferable, withTransfer } from './transfer';

/** Every method of T, returning a promise (what a comlink proxy of T offers). */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** The trace worker's API (async) plus `dispose()`, which terminates the worker. */
export type TraceClient = Async<TraceWorkerApi> & { dispose(): void };

/** Starts a trace worker (src/worker/trace-worker.ts) and returns its client. */
export function createTraceClient(): TraceClient {
  const worker = new Worker(new URL('./trace-worker.ts', import.meta.url), { type: 'module', name: 'traces' });
  const remote = Comlink.wrap<TraceWorkerApi>(worker);
  let disposed = false;
  return {
    reset: (config) => remote.reset(config),
    pushRecords: (batch: StepBatch) => {
      const records = transferable(batch.records);
      return remote.pushRecords(withTransfer({ firstStep: batch.firstStep, steps: batch.steps, records }, records));
    },
    pushSnapshot: (step: number, positions: Float32Array | Float64Array) => {
      const x = transferable(positions);
      return remote.pushSnapshot(step, withTransfer(x, x));
    },
    checkpoint: (step) => remote.checkpoint(step),
    forget: (steps) => remote.forget(steps),
    truncate: (step) => remote.truncate(step),
    traces: (maxPoints) => remote.traces(maxPoints),
    csv: () => remote.csv(),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
