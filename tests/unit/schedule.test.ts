/** Weight schedules: oscillating targets equal the MODEL.md formulas, drifts, layers, noise. */
import { describe, expect, it } from 'vitest';
import { driftInto, layerIndex, noiseIncrements, oscillatingTarget } from '../../src/model/schedule';
import { PAPER_OSCILLATION } from '../../src/model/scenario';
import { Philox } from '../../src/model/rng';

const osc = { ...PAPER_OSCILLATION };

describe('oscillating targets (MODEL.md)', () => {
  it('d = 2: [[2 + 1.5 cos τ, sin 2τ], [sin 2τ, 2 − 1.5 cos τ]], τ = t + 2πh/H', () => {
    const out = new Float64Array(4);
    for (const [t, h, H] of [
      [0, 0, 1],
      [0.7, 1, 3],
      [5.3, 4, 5],
    ] as const) {
      oscillatingTarget(osc, 2, h, H, t, out);
      const tau = t + (2 * Math.PI * h) / H;
      expect([...out]).toEqual([
        2 + 1.5 * Math.cos(tau),
        Math.sin(2 * tau),
        Math.sin(2 * tau),
        2 - 1.5 * Math.cos(tau),
      ]);
    }
  });

  it('d = 3: diagonal 2 + 1.5·(cos τ, sin τ, cos(τ + π/4)); T01 = sin 2τ, T02 = sin τ, T12 = cos 2τ', () => {
    const out = new Float64Array(9);
    const t = 1.234,
      h = 2,
      H = 7;
    oscillatingTarget(osc, 3, h, H, t, out);
    const tau = t + (2 * Math.PI * h) / H;
    const T = [
      [2 + 1.5 * Math.cos(tau), Math.sin(2 * tau), Math.sin(tau)],
      [Math.sin(2 * tau), 2 + 1.5 * Math.sin(tau), Math.cos(2 * tau)],
      [Math.sin(tau), Math.cos(2 * tau), 2 + 1.5 * Math.cos(tau + Math.PI / 4)],
    ];
    expect([...out]).toEqual(T.flat());
  });

  it('d ≥ 4: T_kk = 2 + 1.5 cos(τ + 2πk/d); p-th upper pair sin(2τ + 2πp/(d(d−1)/2))', () => {
    const d = 5,
      out = new Float64Array(d * d),
      t = 0.4,
      h = 1,
      H = 3;
    oscillatingTarget(osc, d, h, H, t, out);
    const tau = t + (2 * Math.PI * h) / H;
    let p = 0;
    for (let k = 0; k < d; k++) {
      expect(out[k * d + k]).toBeCloseTo(2 + 1.5 * Math.cos(tau + (2 * Math.PI * k) / d), 15);
      for (let l = k + 1; l < d; l++, p++) {
        const v = Math.sin(2 * tau + (2 * Math.PI * p) / 10);
        expect(out[k * d + l]).toBeCloseTo(v, 15);
        expect(out[l * d + k]).toBe(out[k * d + l]);
      }
    }
    expect(p).toBe(10);
  });
});

describe('drifts and noise', () => {
  it('OU drift is θ(M − D); oscillating drift is rate·(T(t) − D)', () => {
    const D = new Float64Array([1, 2, 2, 5]);
    const out = new Float64Array(4),
      scratch = new Float64Array(4);
    driftInto({ kind: 'ou', theta: 0.5, target: 'identity' }, D, 0, 2, 0, 1, 0, out, 0, scratch);
    expect([...out]).toEqual([0, -1, -1, -2]);
    driftInto(
      {
        kind: 'ou',
        theta: 2,
        target: [
          [1, 1],
          [1, 1],
        ],
      },
      D,
      0,
      2,
      0,
      1,
      0,
      out,
      0,
      scratch,
    );
    expect([...out]).toEqual([0, -2, -2, -8]);
    driftInto({ ...osc, rate: 3 }, D, 0, 2, 0, 1, 0, out, 0, scratch);
    expect([...out]).toEqual([3 * (3.5 - 1), 3 * (0 - 2), 3 * (0 - 2), 3 * (0.5 - 5)]);
  });

  it('layer index: layer k holds on [kΔ, (k+1)Δ), the last holds afterwards', () => {
    const drift = { kind: 'layers' as const, layerDuration: 0.5, layers: [[[[1]]], [[[2]]], [[[3]]]] };
    expect(layerIndex(drift, 0)).toBe(0);
    expect(layerIndex(drift, 0.4999)).toBe(0);
    expect(layerIndex(drift, 100 * 0.005)).toBe(1);
    expect(layerIndex(drift, 1.2)).toBe(2);
    expect(layerIndex(drift, 99)).toBe(2);
  });

  it('noise increments are symmetric with entry variance σ²dt/2 off the diagonal and σ²dt on it', () => {
    const rng = new Philox(1),
      d = 3,
      out = new Float64Array(d * d),
      z = new Float64Array(d * d);
    const sigma = Math.sqrt(2),
      dt = 0.01;
    let diag = 0,
      off = 0;
    const N = 20000;
    for (let k = 0; k < N; k++) {
      noiseIncrements(rng, k, 0, 1, d, sigma, dt, out, z);
      expect(out[1]).toBe(out[3]);
      diag += out[0]! ** 2;
      off += out[1]! ** 2;
    }
    expect(diag / N / (sigma ** 2 * dt)).toBeCloseTo(1, 1);
    expect(off / N / ((sigma ** 2 * dt) / 2)).toBeCloseTo(1, 1);
  });
});
