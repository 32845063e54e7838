/**
 * Rewind and replay on the float64 engine, as the playground does it: a run keeps snapshots
 * (History) and trace checkpoints (TraceStore); restoring a kept snapshot mid-way, truncating
 * the traces there and running on gives the original rows and CSV exactly — with noise and
 * replicas, with another batch size, and after the trace columns have halved their resolution.
 */
import { describe, expect, it } from 'vitest';
import { CpuSimEngine } from '../../src/model/engine';
import { snapshotBytes } from '../../src/model/history';
import { BalanceTracker } from '../../src/model/balance';
import { DIAG_SIZE } from '../../src/model/attention';
import { TraceStore } from '../../src/worker/traces';
import { ouWeights, smallScenario } from './helpers';
import { rewind, runToEnd, startHistoryRun } from './history-run';

const NOISY = smallScenario({
  replicas: 2,
  heads: 2,
  T: 0.6,
  perturbation: { tokens: 0.05, weights: 0.1, sharedNoise: false },
  weights: ouWeights(2),
});

describe('rewind and replay (float64 engine)', () => {
  it('replays from a kept snapshot: the CSV and traces equal the original exactly (noise, P = 2)', async () => {
    const run = await startHistoryRun(new CpuSimEngine(NOISY));
    await runToEnd(run, 3, 10);
    const csv = run.store.csv();
    const traces = run.store.traces(1e9);
    expect(run.history.steps()[0]).toBe(0);
    expect(run.history.steps().at(-1)).toBe(60);
    for (const target of [35, 0, 59]) {
      const at = await rewind(run, target);
      expect(at).toBeLessThanOrEqual(target);
      expect(run.engine.stepIndex).toBe(at);
      expect(run.store.traces(1e9).rows).toBe(at);
      await runToEnd(run, 7, 10);
      expect(run.store.csv()).toBe(csv);
      expect(run.store.traces(1e9)).toEqual(traces);
    }
  });

  it('replays exactly after the trace columns halved their resolution', async () => {
    const s = { ...NOISY, T: 2 };
    const run = await startHistoryRun(new CpuSimEngine(s), undefined, 64);
    await runToEnd(run, 5, 20);
    const csv = run.store.csv();
    expect(csv.split('\n').length).toBeLessThan(2 * 201);
    await rewind(run, 150);
    await runToEnd(run, 5, 20);
    expect(run.store.csv()).toBe(csv);
  });

  it('a different start differs after the rewind step only (the test can fail)', async () => {
    const run = await startHistoryRun(new CpuSimEngine(NOISY));
    await runToEnd(run, 3, 10);
    const before = run.store.csv().split('\n');
    const at = await rewind(run, 30);
    const snap = await run.engine.snapshot();
    const x = snap.positions.slice();
    x[0] = x[0]! + 1e-3;
    await run.engine.restore({ ...snap, positions: x });
    await runToEnd(run, 3, 10);
    const after = run.store.csv().split('\n');
    const firstDiff = after.findIndex((l, i) => l !== before[i]);
    // Rows 0 … at−1 of both replicas (plus the header) are the same; row `at` differs.
    expect(firstDiff).toBe(1 + 2 * at);
  });

  it('truncate needs a checkpoint and says which steps it has; bytes kept are the arrays', async () => {
    const run = await startHistoryRun(
      new CpuSimEngine(NOISY),
      4 * snapshotBytes(await new CpuSimEngine(NOISY).snapshot()),
    );
    await runToEnd(run, 3, 10);
    expect(run.history.size).toBe(4);
    expect(run.history.bytesKept).toBe(4 * (2 * 16 * 3 * 8 + 2 * 2 * 9 * 8));
    expect(run.store.checkpointSteps()).toEqual(run.history.steps());
    expect(() => run.store.truncate(13)).toThrow(/no checkpoint at step 13 .*kept: 0, /);
    expect(() => new TraceStore().truncate(0)).toThrow(/call reset/);
  });

  it('BalanceTracker save/load resumes the compensated sums exactly', () => {
    const a = new BalanceTracker(1, 0.1, -1, 'trapezoid');
    const rec = (k: number) => Float64Array.from({ length: DIAG_SIZE }, (_, f) => Math.sin(k * 7 + f) * 1e3 + 1e-9 * k);
    for (let k = 0; k < 50; k++) a.push(rec(k));
    const saved = a.save();
    const ref = Array.from({ length: 50 }, (_, k) => Array.from(a.push(rec(50 + k))));
    a.load(saved);
    expect(Array.from({ length: 50 }, (_, k) => Array.from(a.push(rec(50 + k))))).toEqual(ref);
  });
});
