/**
 * Worker threads that run row pairs of the WebAssembly kernel on one shared memory, driven
 * synchronously through a shared Int32Array: the caller writes the job, bumps the generation,
 * and then it and the workers take chunks of row pairs from one atomic counter until none is
 * left; the caller waits (Atomics.wait) only for chunks still being run. No messages per job,
 * so a call costs a wake-up, not a copy, and a worker that is slow to wake costs nothing. The caller must be allowed to
 * block: Node's main thread or a worker (a browser page's main thread is not).
 *
 * Workers are Node's worker_threads (found through process.getBuiltinModule, so this file imports
 * nothing from Node and bundles for the browser), or what `setRowThreadSpawner` starts: the
 * browser's CPU-fallback worker starts Web Workers (src/worker/row-threads.ts) where the page is
 * cross-origin isolated. Without shared memory the browser splits rows by message instead
 * (row-split.ts).
 */

/** Control words of the shared Int32Array. */
export const CTRL = {
  generation: 0,
  /** Chunks finished in this call. */
  finished: 1,
  /** Index of the export to run; −1 stops the workers. */
  fn: 2,
  ready: 3,
  failed: 4,
  x: 5,
  u: 6,
  out: 7,
  n: 8,
  nPad: 9,
  /** The next chunk to take (Atomics.add); CLOSED between calls. */
  next: 10,
  pairs: 11,
  /** Row pairs per chunk. */
  chunk: 12,
  /** Byte address of thread 0's scratch, and bytes between threads' scratch. */
  scratch: 13,
  scratchStride: 14,
  size: 15,
} as const;

/** `next` between calls: above any chunk count, so a late worker takes nothing. */
export const CLOSED = 1 << 30;

/** What a worker is started with (structured-cloneable: the module and memory are shared). */
export interface RowWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctrl: SharedArrayBuffer;
  index: number;
  names: string[];
  /** CTRL itself: the worker's program can name nothing outside it, so the table travels with the data. */
  slots: typeof CTRL;
}

/** A started worker, as far as the pool needs it. */
export interface RowThread {
  terminate(): void;
}

export type RowThreadSpawner = (data: RowWorkerData) => RowThread;

/**
 * The worker's whole program; self-contained (no imports, no outer names) because Node runs it
 * from its source text (`new Worker(code, { eval: true })`) and the browser worker calls it. No
 * named inner functions either: a transpiler that keeps names (tsx) would wrap them in a helper
 * the worker does not have.
 */
export function rowWorkerMain(data: RowWorkerData): void {
  const C = data.slots;
  const ctrl = new Int32Array(data.ctrl);
  const instance = new WebAssembly.Instance(data.module, { env: { memory: data.memory } });
  const fns = data.names.map((n) => instance.exports[n] as (...a: number[]) => void);
  let generation = Atomics.load(ctrl, C.generation);
  Atomics.add(ctrl, C.ready, 1);
  Atomics.notify(ctrl, C.ready);
  for (;;) {
    Atomics.wait(ctrl, C.generation, generation);
    generation = Atomics.load(ctrl, C.generation);
    if (Atomics.load(ctrl, C.fn) < 0) return;
    // Take chunks until none is left; the parameters are read after each take, so they are
    // those of the call the chunk belongs to (the caller writes them before opening `next`).
    for (;;) {
      const c = Atomics.add(ctrl, C.next, 1);
      const pairs = Atomics.load(ctrl, C.pairs);
      const chunk = Atomics.load(ctrl, C.chunk);
      if (c * chunk >= pairs) break;
      try {
        const p0 = c * chunk;
        const p1 = Math.min(pairs, p0 + chunk);
        const scratch = ctrl[C.scratch]! + (data.index + 1) * ctrl[C.scratchStride]!;
        fns[ctrl[C.fn]!]!(p0, p1, scratch, ctrl[C.x]!, ctrl[C.u]!, ctrl[C.out]!, ctrl[C.n]!, ctrl[C.nPad]!);
      } catch {
        Atomics.store(ctrl, C.failed, 1);
      }
      Atomics.add(ctrl, C.finished, 1);
      Atomics.notify(ctrl, C.finished);
    }
  }
}

interface NodeWorker extends RowThread {
  unref(): void;
}
interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}

/** Node's worker_threads, started from rowWorkerMain's source; unref'd so they never hold the process. */
function nodeSpawner(): RowThreadSpawner | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
  if (!wt) return undefined;
  const code = `(${rowWorkerMain.toString()})(require('node:worker_threads').workerData)`;
  return (data) => {
    const w = new wt.Worker(code, { eval: true, workerData: data });
    w.unref();
    return w;
  };
}

let customSpawner: RowThreadSpawner | undefined;

/**
 * Sets how this agent starts row threads where Node's worker_threads are missing (a browser
 * worker passes one that starts Web Workers running rowWorkerMain), or clears it. Set it before
 * the first field evaluation: the arena decides at creation whether its memory is shared.
 */
export function setRowThreadSpawner(spawn: RowThreadSpawner | undefined): void {
  customSpawner = spawn;
}

function spawner(): RowThreadSpawner | undefined {
  return customSpawner ?? nodeSpawner();
}

/** Whether this agent can run the pool: shared memory, blocking waits, and a way to start threads. */
export function threadsSupported(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && spawner() !== undefined;
}

/** How long the caller waits for workers before it reports them stuck (ms). */
const START_TIMEOUT_MS = 20_000;

export class RowThreadPool {
  readonly ctrl: Int32Array;
  private readonly threads: RowThread[] = [];

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly names: string[],
    readonly maxWorkers: number,
  ) {
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL.size));
    this.ctrl[CTRL.next] = CLOSED;
  }

  get workers(): number {
    return this.threads.length;
  }

  /** Starts workers up to `count` (≤ maxWorkers) and waits until they are ready. */
  ensure(count: number): void {
    this.spawn(count);
    this.waitFor(CTRL.ready, this.threads.length, 'start');
  }

  /**
   * Starts workers up to `count` and resolves when they are ready, without blocking (a browser
   * worker's nested workers may only start once their parent returns to its event loop).
   */
  async start(count: number): Promise<void> {
    this.spawn(count);
    const deadline = performance.now() + START_TIMEOUT_MS;
    while (Atomics.load(this.ctrl, CTRL.ready) < this.threads.length) {
      if (performance.now() > deadline)
        throw new Error(`row worker threads did not start within ${START_TIMEOUT_MS / 1000} s`);
      await new Promise((ok) => setTimeout(ok, 5));
    }
  }

  private spawn(count: number): void {
    const spawn = spawner();
    if (!spawn) throw new Error('worker threads are not available here');
    while (this.threads.length < Math.min(count, this.maxWorkers)) {
      const index = this.threads.length;
      this.threads.push(
        spawn({
          module: this.module,
          memory: this.memory,
          ctrl: this.ctrl.buffer as SharedArrayBuffer,
          index,
          names: this.names,
          slots: CTRL,
        }),
      );
    }
  }

  /**
   * Runs export `fn` over row pairs [0, pairs) in chunks of `chunk` pairs, taken in turn by the
   * caller (through `runOwn`, with thread 0's scratch) and up to `workers` workers: a worker the
   * system has not scheduled takes nothing, so a busy machine costs at most the chunks in
   * flight. Returns when every chunk is done. `onPairs`, when given, is told the row pairs
   * finished since its last call (by any thread) while the caller runs and waits, and in all
   * exactly `pairs` by the time run returns.
   */
  run(
    fn: number,
    args: { x: number; u: number; out: number; n: number; nPad: number },
    job: { pairs: number; chunk: number; scratch: number; scratchStride: number; workers: number },
    runOwn: (p0: number, p1: number, scratch: number) => void,
    onPairs?: (pairs: number) => void,
  ): void {
    const { ctrl } = this;
    this.ensure(job.workers);
    ctrl[CTRL.fn] = fn;
    ctrl[CTRL.x] = args.x;
    ctrl[CTRL.u] = args.u;
    ctrl[CTRL.out] = args.out;
    ctrl[CTRL.n] = args.n;
    ctrl[CTRL.nPad] = args.nPad;
    ctrl[CTRL.scratch] = job.scratch;
    ctrl[CTRL.scratchStride] = job.scratchStride;
    Atomics.store(ctrl, CTRL.pairs, job.pairs);
    Atomics.store(ctrl, CTRL.chunk, job.chunk);
    Atomics.store(ctrl, CTRL.finished, 0);
    Atomics.store(ctrl, CTRL.next, 0);
    Atomics.add(ctrl, CTRL.generation, 1);
    Atomics.notify(ctrl, CTRL.generation);
    const chunks = Math.ceil(job.pairs / job.chunk);
    // Progress in whole chunks finished (the last chunk may be short: the total is exact at the end).
    let told = 0;
    const tell = (finished: number): void => {
      if (!onPairs) return;
      const pairs = Math.min(job.pairs, finished * job.chunk);
      if (pairs > told) onPairs(pairs - told);
      told = Math.max(told, pairs);
    };
    let mine = 0;
    for (;;) {
      const c = Atomics.add(ctrl, CTRL.next, 1);
      if (c >= chunks) break;
      runOwn(c * job.chunk, Math.min(job.pairs, (c + 1) * job.chunk), job.scratch);
      mine++;
      if (onPairs && (mine & 63) === 0) tell(Atomics.load(ctrl, CTRL.finished) + mine);
    }
    Atomics.add(ctrl, CTRL.finished, mine);
    this.waitFor(CTRL.finished, chunks, 'finish', onPairs && tell);
    if (onPairs && told < job.pairs) onPairs(job.pairs - told);
    Atomics.store(ctrl, CTRL.next, CLOSED);
    if (Atomics.exchange(ctrl, CTRL.failed, 0) !== 0) throw new Error('a row worker thread failed');
  }

  private waitFor(slot: number, count: number, what: string, seen?: (v: number) => void): void {
    const { ctrl } = this;
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const v = Atomics.load(ctrl, slot);
      if (v >= count) return;
      seen?.(v);
      if (what === 'start' && performance.now() > deadline)
        throw new Error(`row worker threads did not ${what} within ${START_TIMEOUT_MS / 1000} s`);
      Atomics.wait(ctrl, slot, v, 1000);
    }
  }

  /** Stops and releases every worker. */
  destroy(): void {
    Atomics.store(this.ctrl, CTRL.fn, -1);
    Atomics.add(this.ctrl, CTRL.generation, 1);
    Atomics.notify(this.ctrl, CTRL.generation);
    for (const t of this.threads) t.terminate();
    this.threads.length = 0;
  }
}
