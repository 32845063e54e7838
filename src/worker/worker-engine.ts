/**
 * The CPU fallback engine for the playground: the float64 CpuSimEngine running in a module Web
 * Worker (src/worker/sim-worker.ts), so stepping never blocks rendering. Same SimEngine contract
 * as the GPU engine. Arrays cross by transfer; positions and weights stay Float64Array (the
 * engine's own precision: the view converts for drawing, the trace analyses use them as is).
 * The worker runs calls in arrival order, so the step count is kept here, at each call.
 */
import * as Comlink from 'comlink';
import { assertRestorable, type EngineSnapshot, type SimEngine, type StepBatch } from '../model/engine';
import { EngineCancelledError, type DeviceLostError } from '../model/engine-errors';
import type { Drift, Scenario } from '../model/scenario';
import { defaultFallbackThreads, fallbackThreadsError } from './fallback-threads';
import type { RowMode } from './row-threads';
import type { RowProgressMessage, SimWorkerApi } from './sim-worker';

/** Largest n·P the CPU fallback accepts. */
export const CPU_FALLBACK_MAX_N = 2048;
/** Why CPU_FALLBACK_MAX_N exists, for the UI's notice. */
export const CPU_FALLBACK_REASON =
  'The CPU fallback steps in float64 on the CPU cores: each step costs O(n²·d·H) per replica, so beyond ' +
  `n·P = ${CPU_FALLBACK_MAX_N} tokens it runs far below interactive frame rates. Use a WebGPU browser for larger runs.`;

/** SimEngine (kind 'cpu') proxying a CpuSimEngine in a worker (its rows over `threads` threads: row-threads.ts). */
export class WorkerCpuEngine implements SimEngine {
  readonly kind = 'cpu';
  /** No GPU buffers: the state lives in the worker. */
  readonly gpu = undefined;
  /** Never called: there is no device to lose. */
  onLost: ((error: DeviceLostError) => void) | undefined;
  /** Resolves once the worker has built the engine; rejects with the engine's error. */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly remote: Comlink.Remote<SimWorkerApi>;
  private step = 0;
  private destroyed = false;
  /** Steps of resolved calls, and the worker's last progress report inside a call. */
  private finished = 0;
  private reported = 0;

  /** How the rows run, and whether in WebAssembly (known once `ready` resolves). */
  rowMode: RowMode = 'one thread';
  wasmRows = true;

  /**
   * Creates the engine and waits until it is built (errors reject here, the worker is then
   * gone). `threads`: threads for the rows (default defaultFallbackThreads()).
   */
  static async create(scenario: Scenario, threads = defaultFallbackThreads()): Promise<WorkerCpuEngine> {
    const engine = new WorkerCpuEngine(scenario, threads);
    try {
      await engine.ready;
    } catch (e) {
      engine.destroy();
      throw e;
    }
    return engine;
  }

  /** Starts the worker; calls made before `ready` queue behind the engine's construction. */
  constructor(
    readonly scenario: Scenario,
    readonly threads = defaultFallbackThreads(),
  ) {
    const total = scenario.n * scenario.replicas;
    if (total > CPU_FALLBACK_MAX_N)
      throw new RangeError(`n·P = ${total} exceeds the CPU fallback's ${CPU_FALLBACK_MAX_N}. ${CPU_FALLBACK_REASON}`);
    const bad = fallbackThreadsError(threads);
    if (bad) throw new RangeError(bad);
    this.worker = new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module', name: 'cpu-engine' });
    this.remote = Comlink.wrap<SimWorkerApi>(this.worker);
    this.worker.addEventListener('message', (e: MessageEvent<unknown>) => {
      const m = e.data as Partial<RowProgressMessage> | undefined;
      if (m?.kind === 'row-progress' && typeof m.stepsDone === 'number') this.reported = m.stepsDone;
    });
    this.ready = this.remote.init(scenario, threads).then(({ step: k, rows, wasm }) => {
      this.rowMode = rows;
      this.wasmRows = wasm;
      this.step = k;
      this.finished = k;
      this.reported = k;
    });
    this.ready.catch(() => {});
  }

  /** Steps requested so far (the worker runs them in call order): the step a read called now sees. */
  get stepIndex(): number {
    return this.step;
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    if (this.destroyed) throw new EngineCancelledError('WorkerCpuEngine: the engine was destroyed');
    return run();
  }

  advance(k: number): Promise<StepBatch> {
    if (!this.destroyed) this.step += k;
    return this.call(() => this.remote.advance(k)).then((b) => {
      this.finished = Math.max(this.finished, b.firstStep + b.steps);
      return b;
    });
  }

  /** Steps finished plus the share of the step in progress, as the worker last reported it. */
  stepsDone(): number {
    return Math.min(this.step, Math.max(this.finished, this.reported));
  }

  evaluate(): Promise<Float64Array> {
    return this.call(() => this.remote.evaluate());
  }

  readPositions(): Promise<Float64Array> {
    return this.call(() => this.remote.readPositions());
  }

  readWeights(): Promise<Float64Array> {
    return this.call(() => this.remote.readWeights());
  }

  setDrift(drift: Drift): void {
    if (!this.destroyed) void this.remote.setDrift(drift).catch(() => {});
  }

  snapshot(): Promise<EngineSnapshot> {
    return this.call(() => this.remote.snapshot());
  }

  async restore(snapshot: EngineSnapshot): Promise<void> {
    assertRestorable(this.scenario, snapshot);
    await this.call(() => this.remote.restore(snapshot));
    this.step = snapshot.stepIndex;
    this.finished = snapshot.stepIndex;
    this.reported = snapshot.stepIndex;
  }

  /** Terminates the worker; calls still pending then never settle (await them first). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
