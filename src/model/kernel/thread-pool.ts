/**
 * Worker threads that run row pairs of the WebAssembly kernel on one shared memory, driven
 * synchronously through a shared Int32Array: the caller writes the job, bumps the generation
 * and runs its own share, then waits (Atomics.wait) until every worker has counted itself done.
 * No messages per job, so a step costs a wake-up, not a copy. The caller must be allowed to
 * block: Node's main thread or a worker (a browser page's main thread is not).
 *
 * Workers are started by a spawner: Node's worker_threads by default (found through
 * process.getBuiltinModule, so this file imports nothing from Node and bundles for the browser);
 * the browser's sim worker installs a Web Worker spawner (src/worker/row-thread.ts).
 */

/** Control words of the shared Int32Array. */
export const CTRL = {
  generation: 0,
  done: 1,
  /** Index of the export to run; −1 stops the workers. */
  fn: 2,
  ready: 3,
  failed: 4,
  x: 5,
  u: 6,
  out: 7,
  n: 8,
  nPad: 9,
  /** Then per worker w: p0, p1, scratch at JOBS + 3w. */
  jobs: 10,
} as const;

/** What a worker is started with (structured-cloneable: the module and memory are shared). */
export interface RowWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctrl: SharedArrayBuffer;
  index: number;
  names: string[];
}

/** A started worker, as far as the pool needs it. */
export interface RowThread {
  terminate(): void;
}

export type RowThreadSpawner = (data: RowWorkerData) => RowThread;

/**
 * The worker's whole program; self-contained (no imports, no outer names) because Node runs it
 * from its source text (`new Worker(code, { eval: true })`) and the browser worker calls it.
 */
export function rowWorkerMain(data: RowWorkerData): void {
  const C = { generation: 0, done: 1, fn: 2, ready: 3, failed: 4, x: 5, u: 6, out: 7, n: 8, nPad: 9, jobs: 10 };
  const ctrl = new Int32Array(data.ctrl);
  const instance = new WebAssembly.Instance(data.module, { env: { memory: data.memory } });
  const fns = data.names.map((n) => instance.exports[n] as (...a: number[]) => void);
  let generation = Atomics.load(ctrl, C.generation);
  Atomics.add(ctrl, C.ready, 1);
  Atomics.notify(ctrl, C.ready);
  for (;;) {
    Atomics.wait(ctrl, C.generation, generation);
    generation = Atomics.load(ctrl, C.generation);
    const fn = Atomics.load(ctrl, C.fn);
    if (fn < 0) return;
    const b = C.jobs + 3 * data.index;
    try {
      fns[fn]!(ctrl[b]!, ctrl[b + 1]!, ctrl[b + 2]!, ctrl[C.x]!, ctrl[C.u]!, ctrl[C.out]!, ctrl[C.n]!, ctrl[C.nPad]!);
    } catch {
      Atomics.store(ctrl, C.failed, 1);
    }
    Atomics.add(ctrl, C.done, 1);
    Atomics.notify(ctrl, C.done);
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

let spawner: RowThreadSpawner | undefined;

/** Installs how worker threads are started (the browser's sim worker does; Node needs nothing). */
export function setRowThreadSpawner(s: RowThreadSpawner): void {
  spawner = s;
}

/** Whether this agent can run the pool: shared memory, blocking waits, and a way to start threads. */
export function threadsSupported(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && (spawner ?? nodeSpawner()) !== undefined;
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
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * (CTRL.jobs + 3 * (maxWorkers + 1))));
  }

  get workers(): number {
    return this.threads.length;
  }

  /** Starts workers up to `count` (≤ maxWorkers) and waits until they are ready. */
  ensure(count: number): void {
    const spawn = spawner ?? nodeSpawner();
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
        }),
      );
    }
    this.waitFor(CTRL.ready, this.threads.length, 'start');
  }

  /**
   * Runs export `fn` over pairs [0, pairs): worker w takes range w + 1 of `ranges`, the caller
   * range 0 through `runOwn`. Returns when all ranges are done.
   */
  run(
    fn: number,
    args: { x: number; u: number; out: number; n: number; nPad: number },
    ranges: { p0: number; p1: number; scratch: number }[],
    runOwn: (p0: number, p1: number, scratch: number) => void,
  ): void {
    const { ctrl } = this;
    const workers = ranges.length - 1;
    this.ensure(workers);
    ctrl[CTRL.fn] = fn;
    ctrl[CTRL.x] = args.x;
    ctrl[CTRL.u] = args.u;
    ctrl[CTRL.out] = args.out;
    ctrl[CTRL.n] = args.n;
    ctrl[CTRL.nPad] = args.nPad;
    for (let w = 0; w < this.threads.length; w++) {
      const r = ranges[w + 1] ?? { p0: 0, p1: 0, scratch: 0 };
      ctrl.set([r.p0, r.p1, r.scratch], CTRL.jobs + 3 * w);
    }
    Atomics.store(ctrl, CTRL.done, 0);
    Atomics.add(ctrl, CTRL.generation, 1);
    Atomics.notify(ctrl, CTRL.generation);
    const own = ranges[0]!;
    runOwn(own.p0, own.p1, own.scratch);
    this.waitFor(CTRL.done, this.threads.length, 'finish');
    if (Atomics.exchange(ctrl, CTRL.failed, 0) !== 0) throw new Error('a row worker thread failed');
  }

  private waitFor(slot: number, count: number, what: string): void {
    const { ctrl } = this;
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const v = Atomics.load(ctrl, slot);
      if (v >= count) return;
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
