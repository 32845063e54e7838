/**
 * The H sweep in a module Web Worker: runHeadSweep (src/model/sweep.ts) runs the scenario once
 * per head count on the float64 engine (CpuSimEngine: the numbers of the `npm run sweep` CLI,
 * and the live run's GPU queue never waits on it) or on the WebGPU engine with the worker's own
 * device (float32; much faster on a real GPU; shares the GPU with the live run).
 * Progress is posted at most every PROGRESS_MS and at the end of every head count. A float64
 * sweep is sent as (H, path) jobs instead, one per message, spread by the client over several
 * of these workers (src/worker/sweep-client.ts); each job gives the same bits as in the CLI.
 */
import { CpuSimEngine, type SimEngine } from '../model/engine';
import { errorMessage } from '../model/format';
import type { Scenario } from '../model/scenario';
import { runSweep, runSweepJob } from '../model/sweep';
import {
  requestSpec,
  sweepChunk,
  type SweepEngine,
  type SweepMessage,
  type SweepPathRequest,
  type SweepRequest,
} from './sweep-protocol';

const PROGRESS_MS = 100;
const post = (m: SweepMessage): void => postMessage(m);

/** The engine factory for `kind` (the GPU engine module is loaded only when asked for). */
async function engines(kind: SweepEngine): Promise<(s: Scenario) => SimEngine | Promise<SimEngine>> {
  if (kind === 'cpu') return (s) => new CpuSimEngine(s);
  if (!('gpu' in navigator) || !navigator.gpu)
    throw new Error("WebGPU is not available in this browser's workers: choose the float64 engine");
  const { createGpuEngine } = await import('../gpu/index');
  return (s) => createGpuEngine(s, { gpu: navigator.gpu });
}

/** One path job on the float64 engine (the client runs several such workers at once). */
function runPath({ scenario, job, spec }: SweepPathRequest): void {
  let last = 0;
  try {
    const g2 = runSweepJob(spec ?? { base: scenario, heads: [job.heads] }, job, {
      threads: 1,
      onProgress: (done, total) => {
        const now = performance.now();
        if (done < total && now - last < PROGRESS_MS) return;
        last = now;
        post({ type: 'progress', index: -1, done, total });
      },
    });
    post({ type: 'path', job, g2 });
  } catch (err) {
    post({ type: 'error', message: errorMessage(err) });
  }
}

self.onmessage = (e: MessageEvent<SweepRequest | SweepPathRequest>) => {
  if ('job' in e.data) {
    runPath(e.data);
    return;
  }
  const request = e.data;
  const { engine } = request;
  let last = 0;
  engines(engine)
    .then((makeEngine) =>
      runSweep(requestSpec(request), {
        makeEngine,
        chunk: (s) => sweepChunk(s, engine),
        onProgress: (index, done, total) => {
          const now = performance.now();
          if (done < total && now - last < PROGRESS_MS) return;
          last = now;
          post({ type: 'progress', index, done, total });
        },
      }),
    )
    .then(
      (result) => post({ type: 'done', result }),
      (err: unknown) => post({ type: 'error', message: errorMessage(err) }),
    );
};
