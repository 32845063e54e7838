/**
 * The trace store fed by real float64 runs: balances (H = 1 closes like dt; H = 3 leaves the
 * paper's O(1) gap while the exact balance closes), Monte Carlo statistics, decimation, row
 * order, memory cap, snapshots and the CSV.
 */
import { describe, expect, it } from 'vitest';
import { DIAG, DIAG_SIZE } from '../../src/model/attention';
import { BalanceTracker } from '../../src/model/balance';
import { CpuSimEngine } from '../../src/model/engine';
import { stepCount, type Scenario } from '../../src/model/scenario';
import { selectIndices } from '../../src/worker/decimate';
import { CSV_HEADER, TraceStore, type TraceStoreOptions } from '../../src/worker/traces';
import { ouWeights, smallScenario } from './helpers';

const last = (a: Float64Array): number => a[a.length - 1]!;

/** Runs `s` to T through a store in batches of `chunk`, plus the final evaluate() row; returns all records too. */
async function feed(
  s: Scenario,
  chunk = 7,
  options?: TraceStoreOptions,
  snapshotEvery = 0,
): Promise<{ store: TraceStore; records: Float64Array[] }> {
  const engine = new CpuSimEngine(s);
  const store = new TraceStore(options);
  store.reset({ scenario: s, clusterEpsilon: 0.01 });
  const records: Float64Array[] = [];
  const total = stepCount(s);
  while (engine.stepIndex < total) {
    if (snapshotEvery > 0 && engine.stepIndex % snapshotEvery === 0)
      store.pushSnapshot(engine.stepIndex, await engine.readPositions());
    const b = await engine.advance(Math.min(chunk, total - engine.stepIndex));
    records.push(b.records.slice());
    store.pushRecords(b);
  }
  const row = await engine.evaluate();
  records.push(row.slice());
  store.pushRecords({ firstStep: total, steps: 1, records: row });
  if (snapshotEvery > 0) store.pushSnapshot(total, await engine.readPositions());
  return { store, records };
}

async function finalBalances(s: Scenario): Promise<{ paper: number; exact: number }> {
  const tr = (await feed(s)).store.traces(100);
  return { paper: last(tr.balancePaper.mean), exact: last(tr.balanceExact.mean) };
}

describe('TraceStore balances from a real run', () => {
  /** Frozen random weights (scale 0.5), 12 tokens, T = 1. */
  const frozen = (heads: number, dt: number): Scenario =>
    smallScenario({
      heads,
      dt,
      T: 1,
      n: 12,
      weights: { init: { kind: 'random-symmetric', scale: 0.5 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    });

  it('H = 1, frozen weights: both balances agree and shrink like dt', async () => {
    const coarse = await finalBalances(frozen(1, 0.01));
    const fine = await finalBalances(frozen(1, 0.005));
    expect(Math.abs(coarse.paper - coarse.exact)).toBeLessThan(1e-12);
    expect(Math.abs(fine.exact)).toBeGreaterThan(1e-5);
    expect(Math.abs(fine.exact)).toBeLessThan(1e-3);
    expect(coarse.exact / fine.exact).toBeGreaterThan(1.8);
    expect(coarse.exact / fine.exact).toBeLessThan(2.2);
  });

  it('H = 3: the paper balance keeps an O(1) gap while the exact one shrinks like dt', async () => {
    const coarse = await finalBalances(frozen(3, 0.01));
    const fine = await finalBalances(frozen(3, 0.005));
    expect(Math.abs(fine.paper)).toBeGreaterThan(1e-2);
    expect(Math.abs(fine.paper)).toBeGreaterThan(40 * Math.abs(fine.exact));
    expect(coarse.paper / fine.paper).toBeGreaterThan(0.95);
    expect(coarse.paper / fine.paper).toBeLessThan(1.05);
    expect(coarse.exact / fine.exact).toBeGreaterThan(1.8);
    expect(coarse.exact / fine.exact).toBeLessThan(2.2);
  });

  it('matches a direct BalanceTracker, with Monte Carlo mean/min/max and consistent sides', async () => {
    const s = smallScenario({
      replicas: 3,
      heads: 2,
      weights: ouWeights(),
    });
    const { store, records } = await feed(s);
    const rows = stepCount(s) + 1;
    const tr = store.traces(10_000);
    expect(tr.rows).toBe(rows);
    expect(tr.energy.t.length).toBe(rows);
    expect(tr.lastTime).toBeCloseTo(s.T, 12);
    const tracker = new BalanceTracker(3, s.dt, s.flowSign, 'left');
    const all = new Float64Array(records.reduce((a, r) => a + r.length, 0));
    let at = 0;
    for (const r of records) {
      all.set(r, at);
      at += r.length;
    }
    const e0 = [0, 1, 2].map((r) => all[r * DIAG_SIZE + DIAG.energy]!);
    let spread = 0;
    for (let k = 0; k < rows; k++) {
      const bal = tracker.push(all, k * 3 * DIAG_SIZE);
      const g = [0, 1, 2].map((r) => all[(k * 3 + r) * DIAG_SIZE + DIAG.G2]!);
      expect(tr.G2.mean[k]).toBeCloseTo((g[0]! + g[1]! + g[2]!) / 3, 14);
      expect(tr.G2.lo[k]).toBe(Math.min(...g));
      expect(tr.G2.hi[k]).toBe(Math.max(...g));
      spread = Math.max(spread, tr.G2.hi[k]! - tr.G2.lo[k]!);
      expect(tr.balanceExact.mean[k]).toBeCloseTo((bal[1]! + bal[3]! + bal[5]!) / 3, 14);
      expect(tr.balancePaper.mean[k]).toBeCloseTo((bal[0]! + bal[2]! + bal[4]!) / 3, 14);
      const dE = [0, 1, 2].reduce((a, r) => a + all[(k * 3 + r) * DIAG_SIZE + DIAG.energy]! - e0[r]!, 0) / 3;
      expect(tr.deltaE.mean[k]).toBeCloseTo(dE, 14);
      expect(tr.rhsExact.mean[k]! + tr.balanceExact.mean[k]!).toBeCloseTo(dE, 14);
      expect(tr.rhsPaper.mean[k]! + tr.balancePaper.mean[k]!).toBeCloseTo(dE, 14);
    }
    expect(spread).toBeGreaterThan(0);
    expect(tr.deltaE.mean[0]).toBe(0);
  });
});

describe('TraceStore decimation, order, memory, CSV', () => {
  it('decimates to at most maxPoints, keeps the last point and the spikes', async () => {
    const s = smallScenario({ T: 2 });
    const { store } = await feed(s);
    const full = store.traces(1e9);
    for (const maxPoints of [2, 3, 10, 51]) {
      const tr = store.traces(maxPoints);
      expect(tr.energy.t.length).toBeLessThanOrEqual(maxPoints);
      expect(last(tr.energy.t)).toBeCloseTo(s.T, 12);
      expect(last(tr.G2.mean)).toBe(last(full.G2.mean));
      for (let k = 1; k < tr.G2.t.length; k++) expect(tr.G2.t[k]!).toBeGreaterThan(tr.G2.t[k - 1]!);
    }
    const spike = new Float64Array(1000).fill(1);
    spike[537] = 50;
    spike[123] = -4;
    const keep = Array.from(selectIndices(spike, 21));
    expect(keep.length).toBeLessThanOrEqual(21);
    expect(keep).toContain(537);
    expect(keep).toContain(123);
    expect(keep[keep.length - 1]).toBe(999);
  });

  it('throws a clear error on a gap or a repeated batch', async () => {
    const s = smallScenario();
    const engine = new CpuSimEngine(s);
    const store = new TraceStore();
    expect(() => store.pushRecords({ firstStep: 0, steps: 1, records: new Float64Array(DIAG_SIZE) })).toThrow(/reset/);
    store.reset({ scenario: s, clusterEpsilon: 0.01 });
    store.pushRecords(await engine.advance(10));
    await engine.advance(1);
    const later = await engine.advance(3);
    expect(() => store.pushRecords(later)).toThrow(/expected row 10, got rows 11…13 \(a gap\)/);
    expect(() => store.pushRecords({ firstStep: 5, steps: 2, records: new Float64Array(2 * DIAG_SIZE) })).toThrow(
      /sent twice/,
    );
    expect(store.rowCount).toBe(10);
  });

  it('writes one CSV line per row and replica, at full resolution', async () => {
    const s = smallScenario({ replicas: 2 });
    const { store, records } = await feed(s);
    const lines = store.csv().trimEnd().split('\n');
    const rows = stepCount(s) + 1;
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.length).toBe(rows * 2 + 1);
    const cells = lines[2 * 7 + 1 + 1]!.split(',').map(Number); // step 7, replica 1
    expect(cells.slice(0, 3)).toEqual([1, 7, 0.07]);
    const rec = records[1]!; // steps 7…13
    expect(cells.slice(3, 9)).toEqual(Array.from(rec.subarray(DIAG_SIZE, 2 * DIAG_SIZE)));
    expect(lines[lines.length - 1]!.startsWith(`1,${rows - 1},${s.T},`)).toBe(true);
  });

  it('halves the stored resolution past the cap, keeping the last row and exact balances', async () => {
    const s = smallScenario({ replicas: 2, T: 2 });
    const capped = await feed(s, 7, { maxRowReplicas: 64 });
    const exact = await feed(s, 7);
    const lines = capped.store.csv().trimEnd().split('\n').slice(1);
    expect(lines.length).toBeLessThanOrEqual((32 + 1) * 2);
    expect(lines.length).toBeGreaterThanOrEqual(16 * 2);
    const steps = lines.filter((_, i) => i % 2 === 0).map((l) => Number(l.split(',')[1]));
    const stride = steps[1]!;
    expect(stride).toBe(8);
    expect(steps.slice(0, -1).every((k, i) => k === i * stride)).toBe(true);
    expect(steps[steps.length - 1]).toBe(stepCount(s));
    const a = capped.store.traces(1e9),
      b = exact.store.traces(1e9);
    expect(last(a.balanceExact.mean)).toBe(last(b.balanceExact.mean));
    expect(a.rows).toBe(b.rows);
  });
});

describe('TraceStore snapshots', () => {
  it('counts clusters, |cos| and replica distances of hand-made states', () => {
    const store = new TraceStore();
    store.reset({ scenario: smallScenario({ d: 2, n: 3, replicas: 2 }), clusterEpsilon: 0.01 });
    // Replica 0: e1, e1, e2 (2 clusters; |cos| pairs 1, 0, 0). Replica 1: e1, e2, e2 → distances 0, √2, 0.
    store.pushSnapshot(4, new Float64Array([1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1]));
    store.pushSnapshot(2, new Float32Array([1, 0, 0, 1, -1, 0, 1, 0, 0, 1, -1, 0]));
    store.pushSnapshot(4, new Float64Array([1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1]));
    const tr = store.traces(100);
    expect(Array.from(tr.clusters.t)).toEqual([0.02, 0.04]);
    expect(Array.from(tr.clusters.mean)).toEqual([3, 2]);
    expect(tr.meanAbsCos.mean[1]).toBeCloseTo(1 / 3, 14);
    expect(tr.distanceMax.mean[0]).toBe(0);
    expect(tr.distanceMax.mean[1]).toBeCloseTo(Math.SQRT2, 14);
    expect(tr.distanceRms.mean[1]).toBeCloseTo(Math.sqrt(2 / 3), 14);
    expect(() => store.pushSnapshot(5, new Float64Array(5))).toThrow(/P·n·d = 12/);
  });

  it('tracks perturbed replicas of a real run and fits a growth rate; none for P = 1', async () => {
    const s = smallScenario({ replicas: 3, T: 1, perturbation: { tokens: 1e-3, weights: 0, sharedNoise: false } });
    const tr = (await feed(s, 5, undefined, 10)).store.traces(100);
    expect(tr.distanceRms.t.length).toBe(stepCount(s) / 10 + 1);
    expect(tr.distanceRms.mean[0]).toBeGreaterThan(1e-4);
    expect(tr.distanceRms.mean[0]).toBeLessThan(2e-3);
    expect(Number.isFinite(tr.growthRate)).toBe(true);
    expect(tr.clusters.mean[0]).toBeGreaterThanOrEqual(1);
    const single = (await feed(smallScenario(), 5, undefined, 10)).store.traces(100);
    expect(single.distanceRms.t.length).toBe(0);
    expect(single.growthRate).toBeNaN();
  });

  it('analyses a seeded token subset when n is large, finding tight clusters', () => {
    const n = 5000,
      d = 3;
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) x[i * d + (i % 3)] = 1; // three exact clusters, interleaved
    const store = new TraceStore();
    store.reset({ scenario: smallScenario({ n, d }), clusterEpsilon: 1e-6 });
    store.pushSnapshot(0, x);
    const tr = store.traces(10);
    expect(tr.clusters.mean[0]).toBe(3);
    expect(tr.meanAbsCos.mean[0]).toBeCloseTo(1 / 3, 2);
  });
});
