/** Hand-computed cases for the analysis helpers (clusters, |cos|, replica distances, fits). */
import { describe, expect, it } from 'vitest';
import {
  MEAN_ABS_COS_EXACT_MAX,
  clusterCount,
  fitExponential,
  fitExponentialRate,
  fitPowerLaw,
  meanAbsCos,
  replicaDistances,
  timeAverageSecondHalf,
} from '../../src/model/analysis';

/** Unit vectors on the circle at the given angles, flattened [n][2], after `pad` leading junk values. */
function circle(angles: number[], pad = 0): Float64Array {
  const x = new Float64Array(pad + 2 * angles.length).fill(7);
  angles.forEach((a, i) => {
    x[pad + 2 * i] = Math.cos(a);
    x[pad + 2 * i + 1] = Math.sin(a);
  });
  return x;
}

describe('clusterCount', () => {
  it('joins chains of close tokens and keeps far ones apart (reads from the offset)', () => {
    // 1 − cos 0.1 ≈ 0.0050 < eps = 0.006 < 1 − cos 0.2 ≈ 0.0199: 0–0.1–0.2 is one chain.
    const x = circle([0, 0.1, 0.2, Math.PI, Math.PI + 0.05, Math.PI / 2], 5);
    expect(clusterCount(x, 5, 6, 2, 0.006)).toBe(3);
    // Smaller eps splits every pair except (π, π + 0.05): 1 − cos 0.05 ≈ 0.00125.
    expect(clusterCount(x, 5, 6, 2, 0.002)).toBe(5);
    expect(clusterCount(x, 5, 6, 2, 2.5)).toBe(1);
    expect(clusterCount(x, 5, 3, 2, 0.006)).toBe(1);
  });

  it('uses a strict threshold ⟨x_i,x_j⟩ > 1 − eps', () => {
    // Exact dot products: ⟨x0,x1⟩ = 1, ⟨x0,x2⟩ = ⟨x1,x2⟩ = 0.6.
    const x = new Float64Array([1, 0, 1, 0, 0.6, 0.8]);
    expect(clusterCount(x, 0, 3, 2, 0)).toBe(3);
    expect(clusterCount(x, 0, 3, 2, 1e-9)).toBe(2);
    expect(clusterCount(x, 0, 3, 2, 0.4)).toBe(2);
    expect(clusterCount(x, 0, 3, 2, 0.4 + 1e-9)).toBe(1);
  });

  it('counts the six octahedron vertices in 3-D', () => {
    const x = new Float64Array([1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1]);
    expect(clusterCount(x, 0, 6, 3, 0.5)).toBe(6);
    expect(clusterCount(x, 0, 6, 3, 1.01)).toBe(1);
  });
});

describe('meanAbsCos', () => {
  it('is the exact mean over pairs i < j for small n', () => {
    // Pairs: (e1,e2) 0, (e1,−e1) 1, (e2,−e1) 0 → 1/3.
    expect(meanAbsCos(circle([0, Math.PI / 2, Math.PI]), 0, 3, 2)).toBeCloseTo(1 / 3, 15);
    expect(meanAbsCos(circle([0.3, 0.3]), 0, 2, 2)).toBeCloseTo(1, 15);
    expect(meanAbsCos(circle([0.3]), 0, 1, 2)).toBeNaN();
  });

  it('samples pairs deterministically above the exact limit, close to the exact mean', () => {
    const n = MEAN_ABS_COS_EXACT_MAX + 1000;
    const angles = Array.from({ length: n }, (_, i) => (Math.PI * i * i) / n + Math.sin(i));
    const x = circle(angles, 3);
    let exact = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) exact += Math.abs(Math.cos(angles[i]! - angles[j]!));
    exact /= (n * (n - 1)) / 2;
    const a = meanAbsCos(x, 3, n, 2);
    expect(a).toBe(meanAbsCos(x, 3, n, 2));
    expect(meanAbsCos(x, 3, n, 2, 1 << 18, 99)).not.toBe(a);
    expect(Math.abs(a - exact)).toBeLessThan(5e-3);
    expect(Math.abs(meanAbsCos(x, 3, n, 2, 64) - exact)).toBeGreaterThan(1e-6);
  });
});

describe('replicaDistances', () => {
  it('measures max and RMS token distance of each replica to replica 0', () => {
    // Replica 0: e1, e2. Replica 1: e2, e2 → |·| = √2, 0. Replica 2: −e1, −e2 → 2, 2.
    const x = new Float64Array([1, 0, 0, 1, 0, 1, 0, 1, -1, 0, 0, -1]);
    const { max, rms } = replicaDistances(x, 3, 2, 2);
    expect(Array.from(max)).toEqual([Math.SQRT2, 2]);
    expect(rms[0]).toBeCloseTo(1, 15);
    expect(rms[1]).toBeCloseTo(2, 15);
    expect(replicaDistances(x, 1, 2, 2).max.length).toBe(0);
  });

  it('accepts float32 positions', () => {
    const { max } = replicaDistances(new Float32Array([0, 1, 0.6, 0.8]), 2, 1, 2);
    expect(max[0]).toBeCloseTo(Math.sqrt(0.36 + 0.04), 6);
  });
});

describe('fits', () => {
  it('fitExponentialRate recovers y = 3 e^{0.5 t} and ignores y ≤ 0', () => {
    const t = [0, 1, 2, 3, 4, 5];
    const y = t.map((s) => 3 * Math.exp(0.5 * s));
    y[1] = 0;
    y[4] = -2;
    const f = fitExponential(t, y);
    expect(f.rate).toBeCloseTo(0.5, 12);
    expect(f.a).toBeCloseTo(3, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(fitExponentialRate(t, y)).toBeCloseTo(0.5, 12);
    expect(fitExponentialRate([1, 2], [1, -1])).toBeNaN();
  });

  it('fitPowerLaw recovers G = 2/H exactly, and a flat fit with r² = 0', () => {
    const f = fitPowerLaw([1, 10, 100, 5], [2, 0.2, 0.02, 0]);
    expect(f.b).toBeCloseTo(-1, 12);
    expect(f.a).toBeCloseTo(2, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    // log H = 0, 1, 2 and log G = 0, 1, 0: slope 0, intercept 1/3, r² = 1 − 2/3 / (2/3) = 0.
    const g = fitPowerLaw([1, Math.E, Math.E ** 2], [1, Math.E, 1]);
    expect(g.b).toBeCloseTo(0, 12);
    expect(g.a).toBeCloseTo(Math.exp(1 / 3), 12);
    expect(g.r2).toBeCloseTo(0, 12);
    // log H = 0, 1, 2, log G = 0, 2, 2: slope 1, intercept 1/3; residuals −1/3, 2/3, −1/3 → r² = 1 − (2/3)/(8/3) = 3/4.
    expect(fitPowerLaw([1, Math.E, Math.E ** 2], [1, Math.E ** 2, Math.E ** 2]).r2).toBeCloseTo(0.75, 12);
    expect(fitPowerLaw([3, 3], [1, 2]).b).toBeNaN();
  });

  it('timeAverageSecondHalf averages the samples with t ≥ (t₀ + t_end)/2', () => {
    expect(timeAverageSecondHalf([0, 1, 2, 3, 4], [10, 10, 1, 2, 3])).toBe(2);
    expect(timeAverageSecondHalf([0, 1, 2, 3], [1, 2, 3, 4])).toBe(3.5);
    expect(timeAverageSecondHalf([2, 3, 4], [5, 6, 7])).toBe(6.5);
    expect(timeAverageSecondHalf([], [])).toBeNaN();
  });
});
