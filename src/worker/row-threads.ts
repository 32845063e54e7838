/**
 * The CPU fallback's row workers, from inside the sim worker: Web Workers running
 * src/worker/row-worker.ts. Where the page is cross-origin isolated (SharedArrayBuffer exists)
 * they share the kernel's WebAssembly memory and are driven like Node's worker_threads
 * (thread-pool.ts, through setRowThreadSpawner); otherwise each row load is split by message
 * over them (row-split.ts: transferred copies of the tokens and u rows, the OUT rows back).
 * Either way the rows are the same bits as on one thread.
 */
import { kernelIsShared, startRowThreads } from '../model/kernel/row-kernel';
import { type RowPort, type RowRequest, RowSplitter } from '../model/kernel/row-split';
import { setRowThreadSpawner, type RowThread } from '../model/kernel/thread-pool';
import type { RowWorkerMessage, RowWorkerReply } from './row-worker';

/** How the rows of a fallback engine run. */
export type RowMode = 'one thread' | 'shared memory' | 'transferred copies';

function startWorker(): Worker {
  return new Worker(new URL('./row-worker.ts', import.meta.url), { type: 'module', name: 'cpu-rows' });
}

/** Shared memory exists here (a cross-origin isolated page's workers): row threads start as Web Workers. */
export function useSharedRowWorkers(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated || typeof SharedArrayBuffer === 'undefined') return false;
  setRowThreadSpawner((data): RowThread => {
    const w = startWorker();
    w.postMessage({ kind: 'shared', data } satisfies RowWorkerMessage);
    return w;
  });
  return true;
}

/** A row worker reached by postMessage; requests are answered in any order, matched by id. */
class WorkerRowPort implements RowPort {
  private readonly worker = startWorker();
  private next = 0;
  private readonly pending = new Map<number, { ok: (out: Float64Array) => void; ko: (e: Error) => void }>();

  constructor() {
    this.worker.onmessage = (e: MessageEvent<RowWorkerReply>) => {
      const r = e.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if ('out' in r) p.ok(r.out);
      else p.ko(new Error(`a row worker failed: ${r.error}`));
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      for (const p of this.pending.values()) p.ko(new Error(`a row worker failed: ${e.message}`));
      this.pending.clear();
    };
  }

  request(request: RowRequest): Promise<Float64Array> {
    const id = this.next++;
    return new Promise((ok, ko) => {
      this.pending.set(id, { ok, ko });
      this.worker.postMessage({ kind: 'rows', id, request } satisfies RowWorkerMessage, [
        request.x.buffer as ArrayBuffer,
        request.u.buffer as ArrayBuffer,
      ]);
    });
  }
}

/**
 * Starts the row workers of an engine of dimension d on `threads` threads (this one and
 * threads − 1 workers): shared-memory threads when `shared` (useSharedRowWorkers) and the
 * kernel's arena is shared, else ports for a RowSplitter. Nested workers end with this worker.
 */
export async function startRowWorkers(
  d: number,
  threads: number,
  shared: boolean,
): Promise<{ mode: RowMode; splitter?: RowSplitter }> {
  if (threads <= 1) return { mode: 'one thread' };
  if (shared && kernelIsShared() && (await startRowThreads(d, threads - 1))) return { mode: 'shared memory' };
  const ports = Array.from({ length: threads - 1 }, () => new WorkerRowPort());
  return { mode: 'transferred copies', splitter: new RowSplitter(ports) };
}
