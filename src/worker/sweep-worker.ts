/**
 * The H sweep in a module Web Worker: the float64 engine (CpuSimEngine) runs the scenario once
 * per head count through runHeadSweep (src/model/sweep.ts), so the numbers are those of the
 * `npm run sweep` CLI, and neither the page nor the live run's GPU queue waits on it.
 * Progress is posted at most every PROGRESS_MS and at the end of every head count.
 */
import { CpuSimEngine } from '../model/engine';
import type { Scenario } from '../model/scenario';
import { runHeadSweep } from '../model/sweep';
import type { SweepMessage, SweepRequest } from './sweep-protocol';

const PROGRESS_MS = 100;
/** Pair interactions (n²·H·P) per engine call: a call takes a few ms, so progress stays smooth. */
const WORK_PER_CALL = 4e5;

/** Steps per engine call for `s`. */
export function sweepChunk(s: Scenario): number {
  return Math.min(200, Math.max(1, Math.round(WORK_PER_CALL / (s.n * s.n * s.heads * s.replicas))));
}

const post = (m: SweepMessage): void => postMessage(m);

onmessage = (e: MessageEvent<SweepRequest>) => {
  const { scenario, heads } = e.data;
  let last = 0;
  runHeadSweep(scenario, heads, {
    makeEngine: (s) => new CpuSimEngine(s),
    chunk: sweepChunk,
    onProgress: (index, done, total) => {
      const now = performance.now();
      if (done < total && now - last < PROGRESS_MS) return;
      last = now;
      post({ type: 'progress', index, done, total });
    },
  }).then((result) => post({ type: 'done', result }), (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
