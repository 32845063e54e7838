/**
 * A row worker of the CPU fallback (started by the sim worker, src/worker/row-threads.ts). Its
 * first message says which way it works:
 * - `shared`: the page is cross-origin isolated; it runs rowWorkerMain on the sim worker's shared
 *   WebAssembly memory (chunks taken from one atomic counter, as Node's worker_threads do) and
 *   never reads another message;
 * - `rows`: no shared memory; each message is a RowRequest (copies of X and of its u rows),
 *   answered with the OUT rows by transfer (row-split.ts serveRows).
 */
import { type RowRequest, serveRows } from '../model/kernel/row-split';
import { type RowWorkerData, rowWorkerMain } from '../model/kernel/thread-pool';
import { errorMessage } from '../model/format';

export type RowWorkerMessage =
  | { kind: 'shared'; data: RowWorkerData }
  | { kind: 'rows'; id: number; request: RowRequest };
export type RowWorkerReply = { id: number; out: Float64Array } | { id: number; error: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<RowWorkerMessage>) => void) | null;
  postMessage(m: RowWorkerReply, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  const m = e.data;
  if (m.kind === 'shared') {
    scope.onmessage = null;
    rowWorkerMain(m.data);
    return;
  }
  try {
    const out = serveRows(m.request);
    scope.postMessage({ id: m.id, out }, [out.buffer]);
  } catch (err) {
    scope.postMessage({ id: m.id, error: errorMessage(err) });
  }
};
