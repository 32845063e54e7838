/**
 * Where the frame loop sends diagnostics: the trace worker (src/worker/client.ts, comlink).
 * Records and snapshots are transferred, not copied: callers pass arrays they no longer use.
 */
import type { StepBatch } from '../model/engine';
import { createTraceClient } from '../worker/client';
import type { TraceConfig, Traces } from '../worker/protocol';

/** The trace worker as the app uses it. */
export interface TraceSink {
  reset(config: TraceConfig): Promise<void>;
  pushRecords(batch: StepBatch): void;
  pushSnapshot(step: number, positions: Float32Array | Float64Array): void;
  traces(maxPoints: number): Promise<Traces>;
  /** History support (src/worker/traces.ts): checkpoints at kept steps, truncation back to one. */
  checkpoint(step: number): void;
  forget(steps: number[]): void;
  truncate(step: number): Promise<void>;
  /** Full-resolution rows as CSV (one row per step per replica), for export. */
  csv(): Promise<string>;
  dispose(): void;
}

/**
 * Starts the trace worker. A rejected push (rows out of order, a worker fault) is not
 * swallowed: it goes to `onError` once per reset, so the app can say the traces are incomplete.
 */
export function createTraceSink(onError: (e: unknown) => void = (e) => console.error('trace worker:', e)): TraceSink {
  const client = createTraceClient();
  let reported = false;
  const fail = (e: unknown): void => {
    if (reported) return;
    reported = true;
    onError(e);
  };
  return {
    reset: (c) => {
      reported = false;
      return client.reset(c);
    },
    pushRecords: (b) => {
      client.pushRecords(b).catch(fail);
    },
    pushSnapshot: (step, x) => {
      client.pushSnapshot(step, x).catch(fail);
    },
    checkpoint: (step) => {
      client.checkpoint(step).catch(fail);
    },
    forget: (steps) => {
      client.forget(steps).catch(fail);
    },
    truncate: (step) => client.truncate(step),
    traces: (m) => client.traces(m),
    csv: () => client.csv(),
    dispose: () => client.dispose(),
  };
}
