/**
 * Drives an engine, a History and a TraceStore the way the playground's session does (batches,
 * a snapshot every `every` steps with a trace checkpoint at its step, the final evaluate() row),
 * and replays from a kept snapshot: for the float64 and the GPU engine's replay tests.
 */
import type { SimEngine } from '../../src/model/engine';
import { History } from '../../src/model/history';
import { stepCount } from '../../src/model/scenario';
import { TraceStore } from '../../src/worker/traces';

export interface HistoryRun {
  engine: SimEngine;
  history: History;
  store: TraceStore;
}

/** A fresh store and history for `engine` (at step 0), with the step-0 snapshot kept. */
export async function startHistoryRun(
  engine: SimEngine,
  budget?: number,
  maxRowReplicas?: number,
): Promise<HistoryRun> {
  const store = new TraceStore(maxRowReplicas ? { maxRowReplicas } : {});
  store.reset({ scenario: engine.scenario, clusterEpsilon: 0.01 });
  const history = new History(budget);
  const snap = await engine.snapshot();
  store.checkpoint(snap.stepIndex);
  store.forget(history.add(snap));
  return { engine, history, store };
}

/** Runs from the engine's step to T in batches of `chunk`, snapshotting every `every` steps; pushes the final row. */
export async function runToEnd(run: HistoryRun, chunk: number, every: number): Promise<void> {
  const { engine, history, store } = run;
  const total = stepCount(engine.scenario);
  let lastSnap = engine.stepIndex;
  while (engine.stepIndex < total) {
    const b = engine.advance(Math.min(chunk, total - engine.stepIndex));
    const snap = engine.stepIndex - lastSnap >= every ? engine.snapshot() : undefined;
    store.pushRecords(await b);
    if (snap) {
      const s = await snap;
      lastSnap = s.stepIndex;
      store.checkpoint(s.stepIndex);
      store.forget(history.add(s));
    }
  }
  const row = await engine.evaluate();
  store.pushRecords({ firstStep: total, steps: 1, records: row });
}

/** Restores the kept snapshot at or before `step` and truncates the history and traces there; its step. */
export async function rewind(run: HistoryRun, step: number): Promise<number> {
  const snap = run.history.atOrBefore(step);
  if (!snap) throw new Error(`no kept snapshot at or before step ${step}`);
  await run.engine.restore(snap);
  run.store.truncate(snap.stepIndex);
  run.store.forget(run.history.truncateAfter(snap.stepIndex));
  return snap.stepIndex;
}
