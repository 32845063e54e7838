/**
 * The float64 engine on a Node worker thread (src/cli/engine-thread.ts is the main side): each
 * message is one SimEngine call, answered in order; arrays go back by transfer; a
 * NonFiniteError goes back as its fields (the main side rebuilds it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CpuSimEngine, NonFiniteError } from '../model/engine';
import { setDefaultThreads, setRowProgress } from '../model/kernel/row-kernel';
import type { ThreadData, ThreadReply, ThreadRequest } from './engine-thread';

const data = workerData as ThreadData;
setDefaultThreads(data.threads);
const pairs = new BigInt64Array(data.progress);
setRowProgress(pairs);
const engine = new CpuSimEngine(data.scenario);
const port = parentPort!;

port.on('message', async (req: ThreadRequest) => {
  try {
    let value: unknown;
    let transfer: ArrayBuffer[] = [];
    switch (req.op) {
      case 'advance': {
        const b = await engine.advance(req.k);
        value = b;
        transfer = [b.records.buffer as ArrayBuffer];
        break;
      }
      case 'evaluate':
      case 'readPositions':
      case 'readWeights': {
        const a = await engine[req.op]();
        value = a;
        transfer = [a.buffer as ArrayBuffer];
        break;
      }
      case 'setDrift':
        engine.setDrift(req.drift);
        break;
      case 'snapshot': {
        const s = await engine.snapshot();
        value = s;
        transfer = [s.positions.buffer as ArrayBuffer, s.weights.buffer as ArrayBuffer];
        break;
      }
      case 'restore':
        await engine.restore(req.snapshot);
        break;
    }
    const done = { pairs: Number(Atomics.load(pairs, 0)), step: engine.stepIndex };
    port.postMessage({ id: req.id, ok: true, value, ...done } satisfies ThreadReply, transfer);
  } catch (e) {
    const reply: ThreadReply =
      e instanceof NonFiniteError
        ? {
            id: req.id,
            ok: false,
            nonFinite: { step: e.step, replica: e.replica, what: e.what, resumeStep: e.resumeStep, good: e.good },
          }
        : {
            id: req.id,
            ok: false,
            message: e instanceof Error ? e.message : String(e),
            range: e instanceof RangeError,
          };
    port.postMessage(reply);
  }
});
