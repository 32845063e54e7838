/**
 * The main thread's handle on one H sweep: starts a sweep worker, turns its progress into a
 * fraction of the work and an estimated time left, and cancels by terminating the worker.
 * The work of a head count is taken ∝ (H + 1) per step (attention costs ∝ H; the +1 stands
 * for the per-step work that does not grow with H), which keeps the estimate honest when
 * H = 100 follows H = 1.
 */
import type { SweepResult } from '../model/sweep';
import type { SweepMessage, SweepRequest } from './sweep-protocol';

/** Where a sweep is. */
export interface SweepProgress {
  /** Index of the head count running, and that head count. */
  index: number;
  heads: number;
  /** Steps done and total of this head count's run. */
  done: number;
  total: number;
  /** Fraction of the whole sweep's work done, in [0, 1]. */
  fraction: number;
  elapsedS: number;
  /** Estimated seconds left (NaN until there is enough to go on). */
  etaS: number;
}

/** Raised by `result` when the sweep was cancelled. */
export class SweepCancelled extends Error {
  override readonly name = 'SweepCancelled';
  constructor() {
    super('sweep cancelled');
  }
}

/** Fraction of the work done at (index, done/total) with per-step weights ∝ H + 1. */
export function sweepFraction(heads: readonly number[], index: number, done: number, total: number): number {
  const w = heads.map((h) => h + 1);
  const all = w.reduce((a, b) => a + b, 0);
  const before = w.slice(0, index).reduce((a, b) => a + b, 0);
  return Math.min(1, (before + w[index]! * (total > 0 ? done / total : 0)) / all);
}

/** One sweep running in its own worker. */
export class SweepJob {
  readonly result: Promise<SweepResult>;
  /** performance.now() at the start. */
  readonly started = performance.now();
  private readonly worker: Worker;
  private reject: ((e: Error) => void) | undefined;
  private finished = false;

  constructor(request: SweepRequest, onProgress: (p: SweepProgress) => void) {
    this.worker = new Worker(new URL('./sweep-worker.ts', import.meta.url), { type: 'module', name: 'sweep' });
    this.result = new Promise<SweepResult>((resolve, reject) => {
      this.reject = reject;
      this.worker.onmessage = (e: MessageEvent<SweepMessage>) => {
        const m = e.data;
        if (m.type === 'progress') {
          const fraction = sweepFraction(request.heads, m.index, m.done, m.total);
          const elapsedS = (performance.now() - this.started) / 1000;
          const etaS = fraction > 0.01 && elapsedS > 0.5 ? (elapsedS * (1 - fraction)) / fraction : NaN;
          onProgress({
            index: m.index,
            heads: request.heads[m.index]!,
            done: m.done,
            total: m.total,
            fraction,
            elapsedS,
            etaS,
          });
          return;
        }
        this.stop();
        if (m.type === 'done') resolve(m.result);
        else reject(new Error(m.message));
      };
      this.worker.onerror = (e) => {
        this.stop();
        reject(new Error(e.message || 'the sweep worker failed'));
      };
    });
    this.worker.postMessage(request);
  }

  /** Stops the sweep now (`result` rejects with SweepCancelled). */
  cancel(): void {
    if (this.finished) return;
    this.stop();
    this.reject?.(new SweepCancelled());
  }

  private stop(): void {
    this.finished = true;
    this.worker.terminate();
  }
}
