/**
 * The float64 engine for the CLI, on a worker thread: the main thread stays free while a step
 * runs, so Ctrl-C is seen at once (the run stops after the call in progress, and tsx's signal
 * relay, which kills a child that does not answer within ~60 ms, gets its answer) and progress
 * and writes go on. Same SimEngine contract and numbers as CpuSimEngine (it runs one inside).
 */
import { Worker } from 'node:worker_threads';
import type { EngineSnapshot, SimEngine, StepBatch } from '../model/engine';
import { type DeviceLostError, EngineCancelledError, NonFiniteError, type NonFiniteInfo } from '../model/engine-errors';
import { TABLEAUX } from '../model/integrators';
import { defaultThreadCount, rowPairsPerEvaluation } from '../model/kernel/row-kernel';
import type { Drift, Scenario } from '../model/scenario';

/** What the engine thread starts with. */
export interface ThreadData {
  scenario: Scenario;
  threads: number;
  /** Slot 0: row pairs the thread's kernel has finished (row-kernel.ts setRowProgress). */
  progress: SharedArrayBuffer;
}

type ThreadCall =
  | { op: 'advance'; k: number }
  | { op: 'evaluate' | 'readPositions' | 'readWeights' | 'snapshot' }
  | { op: 'setDrift'; drift: Drift }
  | { op: 'restore'; snapshot: EngineSnapshot };
export type ThreadRequest = { id: number } & ThreadCall;

export type ThreadReply =
  | { id: number; ok: true; value: unknown; pairs: number; step: number }
  | { id: number; ok: false; nonFinite: NonFiniteInfo }
  | { id: number; ok: false; message: string; range: boolean };

/** Starts the worker module (through tsx's API when this file runs as TypeScript). */
function startWorker(data: ThreadData): Worker {
  const url = new URL(
    import.meta.url.endsWith('.ts') ? './engine-thread-worker.ts' : './engine-thread-worker.js',
    import.meta.url,
  );
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: data });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}));`;
  return new Worker(boot, { eval: true, workerData: data });
}

export class ThreadCpuEngine implements SimEngine {
  readonly kind = 'cpu';
  readonly gpu = undefined;
  onLost: ((error: DeviceLostError) => void) | undefined;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private nextId = 0;
  private step = 0;
  private failure: Error | undefined;
  private destroyed = false;
  /** Row pairs the thread has finished (read while a step runs). */
  private readonly pairs: BigInt64Array;
  /** Row pairs of one step: every stage of every replica is one field evaluation. */
  private readonly pairsPerStep: number;
  /** The step the thread was at, and its pair count then, as of its last reply. */
  private synced = { step: 0, pairs: 0 };

  constructor(readonly scenario: Scenario) {
    const progress = new SharedArrayBuffer(8);
    this.pairs = new BigInt64Array(progress);
    this.pairsPerStep =
      TABLEAUX[scenario.integrator].b.length * scenario.replicas * rowPairsPerEvaluation(scenario.n, scenario.heads);
    this.worker = startWorker({ scenario, threads: defaultThreadCount(), progress });
    this.worker.on('message', (r: ThreadReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) this.synced = { step: r.step, pairs: r.pairs };
      if (r.ok) p.resolve(r.value);
      else if ('nonFinite' in r) {
        if (r.nonFinite.resumeStep !== undefined) this.step = r.nonFinite.resumeStep;
        p.reject(new NonFiniteError(r.nonFinite));
      } else p.reject(r.range ? new RangeError(r.message) : new Error(r.message));
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new EngineCancelledError('the engine thread exited')));
  }

  private failAll(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  private call<T>(req: ThreadCall): Promise<T> {
    if (this.destroyed) return Promise.reject(new EngineCancelledError('ThreadCpuEngine: the engine was destroyed'));
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id } as ThreadRequest);
    });
  }

  get stepIndex(): number {
    return this.step;
  }

  /** The steps finished plus the counted share of the step in progress (never past stepIndex). */
  stepsDone(): number {
    const counted = Number(Atomics.load(this.pairs, 0)) - this.synced.pairs;
    // Below the next whole step: a step's last pairs are counted a moment before it is finished.
    const inStep = Math.min(counted / this.pairsPerStep, 0.999);
    return Math.min(this.step, this.synced.step + Math.max(0, inStep));
  }

  advance(k: number): Promise<StepBatch> {
    if (!Number.isInteger(k) || k < 1)
      return Promise.reject(new RangeError(`advance: k must be a positive integer, got ${k}`));
    this.step += k;
    return this.call({ op: 'advance', k });
  }
  evaluate(): Promise<Float64Array> {
    return this.call({ op: 'evaluate' });
  }
  readPositions(): Promise<Float64Array> {
    return this.call({ op: 'readPositions' });
  }
  readWeights(): Promise<Float64Array> {
    return this.call({ op: 'readWeights' });
  }
  setDrift(drift: Drift): void {
    void this.call({ op: 'setDrift', drift }).catch(() => {});
  }
  snapshot(): Promise<EngineSnapshot> {
    return this.call({ op: 'snapshot' });
  }
  async restore(snapshot: EngineSnapshot): Promise<void> {
    await this.call({ op: 'restore', snapshot });
    this.step = snapshot.stepIndex;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    void this.worker.terminate();
  }
}
