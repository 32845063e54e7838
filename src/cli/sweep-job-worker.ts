/**
 * A sweep job worker (started by sweep-parallel.ts): runs each job it is sent on the float64
 * engine and replies with the path's time-averaged G² (or a perturbation job's distances), or the error.
 */
import { parentPort } from 'node:worker_threads';
import { NonFiniteError } from '../model/engine-errors';
import { runSweepJob } from '../model/sweep';
import type { JobReply, JobRequest } from './sweep-parallel';

const port = parentPort;
if (!port) throw new Error('sweep-job-worker runs as a worker thread');
port.on('message', ({ id, spec, job, threads }: JobRequest) => {
  const reply = (m: JobReply) => port.postMessage(m);
  try {
    const value = runSweepJob(spec, job, { threads, onProgress: (done) => reply({ type: 'progress', id, done }) });
    reply({ type: 'done', id, value });
  } catch (e) {
    const nonFinite = e instanceof NonFiniteError ? { step: e.step, replica: e.replica, what: e.what } : undefined;
    reply({ type: 'error', id, message: (e as Error).message ?? String(e), nonFinite });
  }
});
