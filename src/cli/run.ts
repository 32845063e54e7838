/**
 * Runs a scenario to t = T on any SimEngine, recording step 0, every K-th step and the last
 * step, with both balances accumulated in float64 on every step. Shared by the CLI and tests.
 */
import { DIAG_SIZE } from '../model/attention';
import { BalanceTracker } from '../model/balance';
import type { SimEngine } from '../model/engine';
import { TABLEAUX } from '../model/integrators';
import { stepCount } from '../model/scenario';

export { TRACE_COLUMNS } from '../model/balance';

export interface RunOptions {
  every: number;
  /** Steps per engine call (a GPU submit); progress is reported between chunks. */
  chunk?: number;
  onRow?: (row: number[]) => void;
  onProgress?: (done: number, total: number) => void;
}

/** Steps the engine to the end of its scenario; calls onRow for each recorded row of each replica. */
export async function runToEnd(engine: SimEngine, opts: RunOptions): Promise<void> {
  const s = engine.scenario;
  const total = stepCount(s);
  const P = s.replicas;
  const balance = new BalanceTracker(P, s.dt, s.flowSign, TABLEAUX[s.integrator].quadrature);
  const chunk = Math.max(1, opts.chunk ?? 64);
  const emit = (k: number, rec: Float64Array, at: number, bal: Float64Array) => {
    if (!opts.onRow || !(k % opts.every === 0 || k === total)) return;
    for (let r = 0; r < P; r++) {
      const row = [r, k, k * s.dt];
      for (let f = 0; f < DIAG_SIZE; f++) row.push(rec[at + r * DIAG_SIZE + f]!);
      row.push(bal[2 * r]!, bal[2 * r + 1]!);
      opts.onRow(row);
    }
  };
  while (engine.stepIndex < total) {
    const batch = await engine.advance(Math.min(chunk, total - engine.stepIndex));
    for (let i = 0; i < batch.steps; i++) {
      const at = i * P * DIAG_SIZE;
      emit(batch.firstStep + i, batch.records, at, balance.push(batch.records, at));
    }
    opts.onProgress?.(engine.stepIndex, total);
  }
  const last = await engine.evaluate();
  emit(total, last, 0, balance.push(last));
}
