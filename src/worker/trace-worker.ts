/**
 * The trace worker (a module Web Worker, bundled by Vite): a TraceStore behind comlink.
 * Decimated traces go back to the main thread by transfer, not copy.
 */
import * as Comlink from 'comlink';
import type { TraceWorkerApi } from './protocol';
import { TraceStore, traceBuffers } from './traces';

const store = new TraceStore();

const api: TraceWorkerApi = {
  reset: (config) => store.reset(config),
  pushRecords: (batch) => store.pushRecords(batch),
  pushSnapshot: (step, positions) => store.pushSnapshot(step, positions),
  checkpoint: (step) => store.checkpoint(step),
  forget: (steps) => store.forget(steps),
  truncate: (step) => store.truncate(step),
  traces: (maxPoints) => {
    const tr = store.traces(maxPoints);
    return Comlink.transfer(tr, traceBuffers(tr));
  },
  csv: () => store.csv(),
};

Comlink.expose(api);
