/**
 * The run history (src/model/history.ts): the byte budget holds over a long run at n = 4,096,
 * thinning keeps the first and the newest snapshot and spaces the rest roughly in proportion to
 * their age, the bytes reported are the arrays' bytes exactly, and lookups / truncation work.
 */
import { describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../src/model/engine';
import { HISTORY_BUDGET_BYTES, History, snapshotBytes } from '../../src/model/history';

/** A snapshot of P = 1, n tokens in d = 3, H heads at `step`, as views of shared buffers (cheap to make). */
function fake(step: number, n = 4096, heads = 4, f32 = true): EngineSnapshot {
  const d = 3;
  const A = f32 ? Float32Array : Float64Array;
  return {
    shape: { replicas: 1, n, d, heads },
    stepIndex: step,
    positions: new A(POOL, 0, n * d),
    weights: new A(POOL, 0, heads * d * d),
    drift: { kind: 'frozen' },
  };
}
const POOL = new ArrayBuffer(8 * 4096 * 3);

describe('History', () => {
  it('a long run at n = 4,096 stays under the default 256 MiB budget, keeping step 0 and the newest', () => {
    const h = new History();
    expect(h.budgetBytes).toBe(HISTORY_BUDGET_BYTES);
    const each = snapshotBytes(fake(0));
    expect(each).toBe(4096 * 3 * 4 + 4 * 9 * 4);
    let maxBytes = 0;
    const steps = 20_000;
    for (let k = 0; k <= steps; k++) {
      h.add(fake(k * 10));
      maxBytes = Math.max(maxBytes, h.bytesKept);
      expect(h.bytesKept).toBe(h.size * each);
    }
    expect(maxBytes).toBeLessThanOrEqual(HISTORY_BUDGET_BYTES);
    // Full: within one snapshot of the budget.
    expect(h.bytesKept).toBeGreaterThan(HISTORY_BUDGET_BYTES - each);
    const kept = h.steps();
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(steps * 10);
    expect(h.range()).toEqual({ first: 0, last: steps * 10 });
  });

  it('thins geometrically: gaps grow with age, recent history stays dense', () => {
    const h = new History(snapshotBytes(fake(0, 64)) * 40);
    for (let k = 0; k <= 5000; k++) h.add(fake(k, 64));
    const s = h.steps();
    expect(s.length).toBe(40);
    expect(s[0]).toBe(0);
    expect(s[s.length - 1]).toBe(5000);
    const gaps = s.slice(1).map((v, i) => v - s[i]!);
    // The newest gaps are single steps; the oldest are hundreds.
    expect(gaps[gaps.length - 1]).toBe(1);
    expect(Math.max(...gaps.slice(0, 5))).toBeGreaterThan(200);
    // Gap / age stays within a small band over the interior (geometric spacing), and gaps never shrink with age much.
    const newest = s[s.length - 1]!;
    const ratios = s.slice(1, -1).map((v, i) => gaps[i]! / (newest - v));
    const inner = ratios.slice(2, -2);
    expect(Math.max(...inner) / Math.min(...inner)).toBeLessThan(6);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeLessThanOrEqual(gaps[i - 1]! * 3);
  });

  it('reports bytes exactly for float64 and float32 snapshots and after replace, truncate, setBudget', () => {
    const h = new History();
    const a = fake(0, 10, 2, false),
      b = fake(5, 10, 2, true),
      c = fake(5, 10, 2, false);
    h.add(a);
    h.add(b);
    expect(h.bytesKept).toBe(10 * 3 * 8 + 2 * 9 * 8 + 10 * 3 * 4 + 2 * 9 * 4);
    h.add(c); // same step: replaces
    expect(h.size).toBe(2);
    expect(h.bytesKept).toBe(2 * (10 * 3 * 8 + 2 * 9 * 8));
    for (const k of [9, 20, 31]) h.add(fake(k, 10, 2, false));
    expect(h.atOrBefore(4)!.stepIndex).toBe(0);
    expect(h.atOrBefore(20)!.stepIndex).toBe(20);
    expect(h.atOrBefore(30)!.stepIndex).toBe(20);
    expect(h.atOrBefore(1e9)!.stepIndex).toBe(31);
    expect(h.atOrBefore(-1)).toBeUndefined();
    expect(h.truncateAfter(9)).toEqual([20, 31]);
    expect(h.steps()).toEqual([0, 5, 9]);
    expect(h.bytesKept).toBe(3 * (10 * 3 * 8 + 2 * 9 * 8));
    expect(h.setBudget(1)).toEqual([5]);
    expect(h.steps()).toEqual([0, 9]);
    expect(() => h.add(fake(3, 10, 2, false))).toThrow(/step 3 is before the newest kept one \(9\)/);
    expect(() => h.setBudget(0)).toThrow(/positive number of bytes/);
    h.clear();
    expect([h.size, h.bytesKept, h.range()]).toEqual([0, 0, undefined]);
  });
});
