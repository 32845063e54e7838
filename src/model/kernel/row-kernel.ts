/**
 * Runs the attention rows of one field evaluation: on the WebAssembly SIMD kernel when this
 * agent has WebAssembly (row-module.ts), split over worker threads when asked and the work is
 * large enough, else in JavaScript (row-kernel-js.ts). Every path gives the same bits: a row is
 * always summed by the same code in the same order, whichever thread runs it.
 *
 * All field evaluations of one agent (thread) share one arena: a WebAssembly memory (shared
 * when threads are possible) holding X, U, OUT and the per-thread scratch of the current call.
 * Calls run one at a time, so the arena only grows to the largest case seen.
 */
import { KERNEL_D_MAX, outStride, PAIRS_PER_PASS, ROW_EXPORTS, rowModuleBytes } from './row-module';
import { type RowLayout, runRowsJs } from './row-kernel-js';
import { RowThreadPool, threadsSupported } from './thread-pool';

/**
 * A prepared row load of one field evaluation: `kernel.prepare` has filled X and U; running it
 * (sync: `kernel.run(ito)`, or split over row workers by row-split.ts) fills OUT.
 */
export interface RowJob {
  readonly kernel: RowKernel;
  readonly ito: boolean;
}

/** Runs every row job of `jobs` on this agent (and its shared-memory threads); returns the generator's result. */
export function drainRows<T>(jobs: Generator<RowJob, T, void>): T {
  for (;;) {
    const r = jobs.next();
    if (r.done) return r.value;
    r.value.kernel.run(r.value.ito);
  }
}

const PAGE = 65536;
/** Largest arena (bytes); bigger evaluations are split by heads (see `headsPerCall`). */
export const ARENA_MAX_BYTES = 1 << 30;
/**
 * Below this many pair-heads (n²·H) per evaluation one thread is faster than waking others
 * (bench/threads.ts measures the crossover).
 */
export const THREAD_MIN_PAIR_HEADS = 40_000;
let threadMinPairHeads = THREAD_MIN_PAIR_HEADS;

/** Overrides the crossover (bench/threads.ts measures it with 0); undefined restores the default. */
export function setThreadMinPairHeads(pairHeads: number | undefined): void {
  threadMinPairHeads = pairHeads ?? THREAD_MIN_PAIR_HEADS;
}

let defaultThreads: number | undefined;

/**
 * Where this agent counts the row pairs it has finished (slot 0, monotonic over every
 * evaluation), or undefined. Another thread reads it while a long step runs (the CLI's engine
 * thread: progress inside a step). Counting changes no result: a row pair is summed by the same
 * code whichever call or thread runs it.
 */
let rowProgress: BigInt64Array | undefined;

/** Called after each count (on the counting thread, between row chunks: keep it cheap). */
let onRowProgress: (() => void) | undefined;

/**
 * Sets (or clears) the counter of finished row pairs (shared, for a reader on another thread), and
 * `onCount`, called after each count (a browser worker posts its progress from it: its thread is
 * busy with the step, so no timer of its own would run).
 */
export function setRowProgress(counter: BigInt64Array | undefined, onCount?: () => void): void {
  rowProgress = counter;
  onRowProgress = counter ? onCount : undefined;
}

/** Row pairs one field evaluation of n tokens and H heads counts (rows are run in pairs; odd n pads one). */
export function rowPairsPerEvaluation(n: number, H: number): number {
  return (H * (n + (n & 1))) / 2;
}

/** Adds `pairs` finished row pairs to the counter, when there is one (row-split.ts counts its workers' replies). */
export function countPairs(pairs: number): void {
  if (!rowProgress || pairs <= 0) return;
  Atomics.add(rowProgress, 0, BigInt(pairs));
  onRowProgress?.();
}

/**
 * Row pairs of one call on this thread when progress is counted: ~2²² pair-rows·j (a few ms), so
 * the counter moves many times a second however long the evaluation is.
 */
const PROGRESS_PAIR_ROWS = 1 << 22;

/** The cores this agent may use (Node: os.availableParallelism; browser: hardwareConcurrency). */
export function availableCores(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  const n =
    os?.availableParallelism?.() ??
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, Math.floor(n ?? 1));
}

/** Sets the thread count of engines built without an explicit `threads` (CLI --threads). */
export function setDefaultThreads(threads: number | undefined): void {
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1))
    throw new RangeError(`threads: expected a positive integer, got ${threads}`);
  defaultThreads = threads;
}

/** Threads an engine uses when not told: the last setDefaultThreads, else the available cores. */
export function defaultThreadCount(): number {
  return defaultThreads ?? availableCores();
}

/** The agent's arena: memory, module instance, views, and the thread pool when there is one. */
/** One dimension's compiled rows: the module (shared with worker threads), its exports, its pool. */
interface DimKernel {
  module: WebAssembly.Module;
  fns: ((...a: number[]) => void)[];
  pool?: RowThreadPool;
}

class Arena {
  readonly memory: WebAssembly.Memory | undefined;
  readonly shared: boolean;
  private readonly kernels = new Map<number, DimKernel>();
  private plain: Float64Array | undefined;
  private view: Float64Array | undefined;

  /** False on the private arena: its rows are counted by whoever asked for them (row-split.ts). */
  private readonly counts: boolean;

  /** `shareable`: false for the arena that never lends its memory to threads (a row worker's). */
  constructor(shareable = true) {
    this.counts = shareable;
    this.shared = shareable && threadsSupported();
    try {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: ARENA_MAX_BYTES / PAGE, shared: this.shared });
      this.memory = memory;
      this.kernel(1); // compiles the smallest module now: no SIMD (or a policy against it) shows here
    } catch {
      // No WebAssembly SIMD (or a policy forbids compiling it): the JavaScript rows.
      this.memory = undefined;
      this.shared = false;
    }
  }

  /** The compiled rows for dimension d (emitted and compiled on first use: a few ms). */
  private kernel(d: number): DimKernel {
    let k = this.kernels.get(d);
    if (!k) {
      const limits = { initial: 1, maximum: ARENA_MAX_BYTES / PAGE, shared: this.shared };
      const module = new WebAssembly.Module(rowModuleBytes(d, limits) as BufferSource);
      const instance = new WebAssembly.Instance(module, { env: { memory: this.memory! } });
      k = { module, fns: ROW_EXPORTS.map((n) => instance.exports[n] as (...a: number[]) => void) };
      this.kernels.set(d, k);
    }
    return k;
  }

  /** Worker threads started so far, over every dimension's pool. */
  get workers(): number {
    let w = 0;
    for (const k of this.kernels.values()) w += k.pool?.workers ?? 0;
    return w;
  }

  get wasm(): boolean {
    return this.memory !== undefined;
  }

  /** The arena as doubles, at least `bytes` long. */
  f64(bytes: number): Float64Array {
    if (!this.memory) {
      if (!this.plain || this.plain.byteLength < bytes) this.plain = new Float64Array(Math.ceil(bytes / 8));
      return this.plain;
    }
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (!this.view || this.view.byteLength !== this.memory.buffer.byteLength)
      this.view = new Float64Array(this.memory.buffer);
    return this.view;
  }

  /**
   * Runs row pairs [p0, p1) of layout L (offsets in doubles) on this thread alone, counting them
   * (setRowProgress) in chunks of a few ms when a counter is set.
   */
  rowsRange(L: RowLayout, p0: number, p1: number, ito: boolean, scratch: number): void {
    const counting = rowProgress !== undefined && this.counts;
    const count = counting ? countPairs : () => {};
    const chunk = counting ? Math.max(1, Math.floor(PROGRESS_PAIR_ROWS / L.n)) : p1 - p0;
    if (!this.memory) {
      const mem = this.f64(0);
      const rowScratch = mem.subarray(scratch, scratch + L.n);
      for (let a = p0; a < p1; a += chunk) {
        const b = Math.min(p1, a + chunk);
        runRowsJs(mem, L, 2 * a, 2 * b, ito, rowScratch);
        count(b - a);
      }
      return;
    }
    const call = this.caller(L, ito);
    for (let a = p0; a < p1; a += chunk) {
      const b = Math.min(p1, a + chunk);
      call(a, b, 8 * scratch);
      count(b - a);
    }
  }

  /** The WebAssembly row function of layout L: (p0, p1, scratch byte address). */
  private caller(L: RowLayout, ito: boolean): (p0: number, p1: number, s: number) => void {
    const kernel = this.kernel(L.d);
    const fn = kernel.fns[ito ? 1 : 0]!;
    const x = 8 * L.x,
      u = 8 * L.u,
      out = 8 * L.out;
    return (p0, p1, s) => fn(p0, p1, s, x, u, out, L.n, L.nPad);
  }

  /**
   * Starts `workers` shared-memory row threads for dimension d and resolves when they are ready,
   * without blocking this thread (a browser worker's nested workers may not start while their
   * parent blocks); later runs then find them started. False when this arena cannot share.
   */
  async startThreads(d: number, workers: number): Promise<boolean> {
    if (!this.memory || !this.shared || workers < 1) return false;
    const kernel = this.kernel(d);
    kernel.pool ??= new RowThreadPool(kernel.module, this.memory, [...ROW_EXPORTS], availableCores() * 4);
    await kernel.pool.start(workers);
    return true;
  }

  /** Runs the rows of `heads` heads of layout L (offsets in doubles) over `threads` (1: this thread only). */
  rows(L: RowLayout, heads: number, ito: boolean, threads: number, scratch: number): void {
    const totalPairs = (heads * L.nPad) / 2;
    if (!this.memory) {
      this.rowsRange(L, 0, totalPairs, ito, scratch);
      return;
    }
    const kernel = this.kernel(L.d);
    const fn = ito ? 1 : 0;
    const args = { x: 8 * L.x, u: 8 * L.u, out: 8 * L.out, n: L.n, nPad: L.nPad };
    const call = this.caller(L, ito);
    const T = Math.min(threads, totalPairs);
    if (T <= 1 || !this.shared) {
      this.rowsRange(L, 0, totalPairs, ito, scratch);
      return;
    }
    kernel.pool ??= new RowThreadPool(kernel.module, this.memory, [...ROW_EXPORTS], availableCores() * 4);
    // Chunks of ~4,096 pair-rows·j (a few tens of µs): small enough to balance, big enough for the atomics.
    const chunk = Math.max(1, Math.round(4096 / L.n));
    const job = {
      pairs: totalPairs,
      chunk,
      scratch: 8 * scratch,
      scratchStride: 16 * PAIRS_PER_PASS * L.n,
      workers: T - 1,
    };
    kernel.pool.run(fn, args, job, call, rowProgress ? countPairs : undefined);
  }
}

let arena: Arena | undefined;

function theArena(): Arena {
  arena ??= new Arena();
  return arena;
}

let second: Arena | undefined;

function privateArena(): Arena {
  second ??= new Arena(false);
  return second;
}

/**
 * Starts `workers` shared-memory row threads for dimension d (the spawner set with
 * setRowThreadSpawner, or Node's worker_threads) and resolves when they are running; false when
 * this agent cannot share memory (no SharedArrayBuffer: a page that is not cross-origin isolated).
 */
export function startRowThreads(d: number, workers: number): Promise<boolean> {
  return theArena().startThreads(d, workers);
}

/** Whether this agent's arena is shared memory that row threads can work on. */
export function kernelIsShared(): boolean {
  return theArena().shared;
}

/** Worker threads this agent has started for the rows so far (0 before any threaded run). */
export function kernelWorkerThreads(): number {
  return theArena().workers;
}

/** Whether this agent runs the WebAssembly kernel (false: the JavaScript rows). */
export function kernelIsWasm(): boolean {
  return theArena().wasm;
}

const align2 = (v: number) => v + (v & 1);

/**
 * One field's view of the arena for (n, d, H): fill `x()` and `u()`, call `run`, read `out()`.
 * The views are valid until the next `prepare` of any field in this agent.
 */
export class RowKernel {
  readonly nPad: number;
  readonly stride: number;
  /** Heads per arena load (all of them unless the arena would pass ARENA_MAX_BYTES). */
  readonly headsPerCall: number;
  private layout: RowLayout;
  private mem: Float64Array = new Float64Array(0);
  private heads = 0;
  private readonly arena: () => Arena;

  /**
   * `own`: run on the agent's second arena, which never shares its memory (a row worker's, so
   * that a worker served in the caller's own agent, as in tests, leaves the caller's load alone).
   */
  constructor(
    readonly n: number,
    readonly d: number,
    readonly H: number,
    readonly threads: number,
    own = false,
  ) {
    this.arena = own ? privateArena : theArena;
    if (d < 1 || d > KERNEL_D_MAX) throw new RangeError(`row kernel: d must be 1…${KERNEL_D_MAX}, got ${d}`);
    this.nPad = align2(n);
    this.stride = outStride(d);
    const perHead = 8 * this.nPad * (d + this.stride);
    const fixed = 8 * (align2((n + 1) * d) + 2 * PAIRS_PER_PASS * n * Math.max(1, threads, availableCores() * 4));
    this.headsPerCall = Math.max(1, Math.min(H, Math.floor((ARENA_MAX_BYTES - fixed) / perHead)));
    this.layout = { n, nPad: this.nPad, d, x: 0, u: 0, out: 0 };
  }

  /** Sizes the arena for `heads` heads and returns it with the layout (offsets in doubles). */
  prepare(heads: number): { mem: Float64Array; layout: RowLayout } {
    const { n, d, nPad } = this;
    const x = 0;
    const u = align2((n + 1) * d);
    const out = u + heads * nPad * d;
    const scratch = out + heads * nPad * this.stride;
    // A scratch row pair for every thread that may take a chunk: this kernel's, and every worker
    // the agent's pool already has (all of them take chunks).
    const end = scratch + 2 * PAIRS_PER_PASS * n * Math.max(1, this.threads, this.arena().workers + 1);
    this.mem = this.arena().f64(8 * end);
    this.layout = { n, nPad, d, x, u, out };
    this.heads = heads;
    this.mem.fill(0, x + n * d, u);
    return { mem: this.mem, layout: this.layout };
  }

  /** The prepared load: the arena view, its layout and the heads it holds (valid until the next prepare). */
  get prepared(): { mem: Float64Array; layout: RowLayout; heads: number; pairs: number } {
    return { mem: this.mem, layout: this.layout, heads: this.heads, pairs: (this.heads * this.nPad) / 2 };
  }

  /** Threads worth using for the prepared load: `threads` past the crossover, else 1. */
  get threadsForLoad(): number {
    return this.n * this.n * this.heads >= threadMinPairHeads ? this.threads : 1;
  }

  private get scratch(): number {
    return this.layout.out + this.heads * this.nPad * this.stride;
  }

  /** Runs the prepared rows (over shared-memory threads when the work is worth it). */
  run(ito: boolean): void {
    this.arena().rows(this.layout, this.heads, ito, this.threadsForLoad, this.scratch);
  }

  /** Runs row pairs [p0, p1) of the prepared load on this thread alone. */
  runPairs(ito: boolean, p0: number, p1: number): void {
    this.arena().rowsRange(this.layout, p0, p1, ito, this.scratch);
  }
}
