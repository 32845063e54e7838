import { describe, expect, it } from 'vitest';
import { fitGrowthWindow, SATURATION } from '../../src/model/growth';

describe('fitGrowthWindow', () => {
  it('fits the rate after the transient and before saturation', () => {
    const t: number[] = [],
      y: number[] = [];
    for (let k = 0; k <= 80; k++) {
      const tk = 0.1 * k;
      t.push(tk);
      // Flat transient on [0, 1], then e^{2(t−1)} growth from 1e-4, saturating at 0.5.
      y.push(Math.min(0.5, 1e-4 * Math.exp(2 * Math.max(0, tk - 1))));
    }
    const f = fitGrowthWindow(t, y);
    // Saturation at 0.1: 1e-4·e^{2(t−1)} = 0.1 → t ≈ 4.45; the window starts a quarter in.
    expect(f.saturated).toBe(true);
    expect(f.t1).toBeCloseTo(4.4, 9);
    expect(f.t0).toBeCloseTo(1.1, 9);
    expect(f.rate).toBeCloseTo(2, 9);
    expect(f.r2).toBeCloseTo(1, 9);
    expect(y[t.indexOf(f.t1) + 1]!).toBeGreaterThanOrEqual(SATURATION);
  });

  it('reports decay as a negative rate and skips zeros', () => {
    const t = [0, 1, 2, 3, 4, 5],
      y = [0, 1e-3, 1e-3 * Math.exp(-1), 1e-3 * Math.exp(-2), 1e-3 * Math.exp(-3), 1e-3 * Math.exp(-4)];
    const f = fitGrowthWindow(t, y);
    expect(f.saturated).toBe(false);
    expect(f.rate).toBeCloseTo(-1, 9);
    expect(f.points).toBeGreaterThanOrEqual(3);
  });

  it('gives NaN with fewer than three usable samples', () => {
    expect(fitGrowthWindow([0, 1], [1e-4, 2e-4]).rate).toBeNaN();
    expect(fitGrowthWindow([0, 1, 2, 3], [1e-4, 0.2, 0.3, 0.4]).rate).toBeNaN();
  });
});
