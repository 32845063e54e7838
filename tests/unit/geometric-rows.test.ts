/** Geometric thinning of trace rows: first and last rows kept, a bounded count, spacing even in log k. */
import { describe, expect, it } from 'vitest';
import { DIAG, DIAG_SIZE } from '../../src/model/attention';
import { preset } from '../../src/model/presets';
import { RowColumns } from '../../src/worker/columns';
import { GeometricRows, unionRows } from '../../src/worker/geometric-rows';
import { TraceStore } from '../../src/worker/traces';

describe('GeometricRows', () => {
  it('keeps the first and the last row and at most its bound, spaced evenly in log k', () => {
    const P = 2,
      F = 3;
    for (const K of [1, 2, 7, 1000, 2_000_000]) {
      const g = new GeometricRows(P, F, 50);
      const row = new Float64Array(P * F);
      for (let k = 0; k < K; k++) {
        for (let e = 0; e < P * F; e++) row[e] = k * 10 + e;
        g.push(row);
      }
      const m = g.count;
      expect(g.rowIndex(0)).toBe(0);
      expect(g.rowIndex(m - 1)).toBe(K - 1);
      expect(m).toBeLessThanOrEqual(GeometricRows.bound(K, 50));
      if (K === 2_000_000) expect(m).toBeLessThan(400);
      // Values are those pushed for the kept rows; indices strictly increase.
      for (let j = 0; j < m; j++) {
        const k = g.rowIndex(j);
        if (j > 0) expect(k).toBeGreaterThan(g.rowIndex(j - 1));
        for (let r = 0; r < P; r++) for (let f = 0; f < F; f++) expect(g.value(j, r, f)).toBe(k * 10 + r * F + f);
      }
      // Every early row is kept; later ones at most a factor 10^(1/R) (+ one step) apart.
      if (K >= 1000) {
        for (let j = 0; j <= 20; j++) expect(g.rowIndex(j)).toBe(j);
        for (let j = 2; j < m - 1; j++) {
          const a = g.rowIndex(j - 1),
            b = g.rowIndex(j);
          expect(b).toBeLessThanOrEqual(Math.ceil(a * 10 ** (1 / 50)) + 1);
        }
      }
    }
  });

  it('holds nothing before the first row and refuses a bad density', () => {
    expect(new GeometricRows(1, 1).count).toBe(0);
    expect(() => new GeometricRows(1, 1, 0)).toThrow(/perDecade must be ≥ 1/);
  });
});

describe('traces of a long run', () => {
  it('union of uniform and geometric rows: each row once, in order, with its values', () => {
    const u = new RowColumns(1, 1, 8);
    const g = new GeometricRows(1, 1, 10);
    for (let k = 0; k < 100; k++) {
      u.push([k]);
      g.push([k]);
    }
    const both = unionRows(u, g);
    const ks = Array.from({ length: both.count }, (_, j) => both.rowIndex(j));
    expect(ks).toEqual([...new Set(ks)].sort((a, b) => a - b));
    for (let j = 0; j < both.count; j++) expect(both.value(j, 0, 0)).toBe(ks[j]);
    // Uniform alone has stride 16 by now; the union also has rows 1, 2, 3 (geometric) and the last.
    expect(u.stride).toBe(16);
    expect(ks.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(ks[ks.length - 1]).toBe(99);
  });

  it('a TraceStore past its row cap still plots the early times (log-t axis)', () => {
    const s = { ...preset('s2-ou').build(1), n: 8, T: 50, replicas: 1 };
    const store = new TraceStore({ maxRowReplicas: 256 });
    store.reset({ scenario: s, clusterEpsilon: 0.01 });
    const K = 10_000;
    const records = new Float64Array(K * DIAG_SIZE);
    for (let k = 0; k < K; k++) records[k * DIAG_SIZE + DIAG.energy] = Math.log1p(k);
    store.pushRecords({ firstStep: 0, steps: K, records });
    const e = store.traces(1e9).energy;
    const t = Array.from(e.t);
    expect(t.slice(0, 4)).toEqual([0, 1, 2, 3].map((k) => k * s.dt));
    expect(t[t.length - 1]).toBeCloseTo((K - 1) * s.dt, 12);
    expect(t.length).toBeLessThan(256 + GeometricRows.bound(K));
    for (let j = 0; j < t.length; j++) expect(e.mean[j]).toBe(Math.log1p(Math.round(t[j]! / s.dt)));
  });

  it('truncateTo a mark and pushing the same rows again gives the rows of the straight run (a replay)', () => {
    const row = (k: number) => [k, Math.sin(k)];
    const straight = new GeometricRows(1, 2, 20);
    for (let k = 0; k < 5000; k++) straight.push(row(k));
    const replayed = new GeometricRows(1, 2, 20);
    let mark = replayed.mark();
    for (let k = 0; k < 5000; k++) {
      if (k === 1234) mark = replayed.mark();
      replayed.push(row(k));
    }
    replayed.truncateTo(mark);
    expect(replayed.rowIndex(replayed.count - 1)).toBe(1233);
    for (let k = 1234; k < 5000; k++) replayed.push(row(k));
    const dump = (g: GeometricRows) =>
      Array.from({ length: g.count }, (_, j) => [g.rowIndex(j), g.value(j, 0, 0), g.value(j, 0, 1)]);
    expect(dump(replayed)).toEqual(dump(straight));
  });
});
