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
  dispose(): void;
}

/** Starts the trace worker. */
export function createTraceSink(): TraceSink {
  const client = createTraceClient();
  return {
    reset: (c) => client.reset(c),
    pushRecords: (b) => { void client.pushRecords(b).catch(() => {}); },
    pushSnapshot: (step, x) => { void client.pushSnapshot(step, x).catch(() => {}); },
    traces: (m) => client.traces(m),
    dispose: () => client.dispose(),
  };
}
