/**
 * The H sweep in a module Web Worker: the float64 engine (CpuSimEngine) runs the scenario once
 * per head count through runHeadSweep (src/model/sweep.ts), so the numbers are those of the
 * `npm run sweep` CLI, and neither the page nor the live run's GPU queue waits on it.
 * Progress is posted at most every PROGRESS_MS and at the end of every head count.
 */
import { CpuSimEngine } from '../model/engine';
import { runHeadSweep } from '../model/sweep';
import { sweepChunk, type SweepMessage, type SweepRequest } from './sweep-protocol';

const PROGRESS_MS = 100;
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
