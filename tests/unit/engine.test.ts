/**
 * Properties of the float64 engine that would fail if the mathematics were wrong:
 * norms, monotone energy, convergence order of the exact balance, the paper balance's
 * documented gap for H > 1, and a hand-computed two-token case.
 */
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/model/engine-cpu';
import { AttentionField, DIAG, DIAG_SIZE } from '../../src/model/attention';
import { BalanceTracker } from '../../src/model/balance';
import { TABLEAUX } from '../../src/model/integrators';
import { driftInto, noiseIncrements } from '../../src/model/schedule';
import { Philox } from '../../src/model/rng';
import { PAPER_OSCILLATION, type Scenario } from '../../src/model/scenario';
import { ouWeights, smallScenario } from './helpers';

/** Runs a scenario to T; returns the final balances (paper, exact) of replica 0 and all records. */
function run(s: Scenario): { paper: number; exact: number; energy: number[]; engine: CpuEngine } {
  const engine = new CpuEngine(s);
  const bal = new BalanceTracker(s.replicas, s.dt, s.flowSign, TABLEAUX[s.integrator].quadrature);
  const rec = new Float64Array(s.replicas * DIAG_SIZE);
  const energy: number[] = [];
  for (let k = 0; k <= engine.totalSteps; k++) {
    if (k < engine.totalSteps) engine.step(rec);
    else engine.evaluate(rec);
    bal.push(rec);
    energy.push(rec[DIAG.energy]!);
  }
  return { paper: bal.current[0]!, exact: bal.current[1]!, energy, engine };
}

describe('float64 engine', () => {
  it('keeps every token on the unit sphere (all integrators, noisy OU weights)', () => {
    for (const integrator of ['euler', 'heun', 'rk4'] as const) {
      const s = smallScenario({
        integrator,
        replicas: 2,
        weights: ouWeights(2),
      });
      const { engine } = run(s);
      for (let i = 0; i < s.replicas * s.n; i++) {
        let norm = 0;
        for (let c = 0; c < s.d; c++) norm += engine.x[i * s.d + c]! ** 2;
        expect(Math.abs(Math.sqrt(norm) - 1)).toBeLessThan(1e-14);
      }
    }
  });

  it('never raises the energy with frozen weights under the paper sign (H = 1 and H = 4)', () => {
    for (const heads of [1, 4]) {
      const { energy } = run(smallScenario({ heads, T: 2, dt: 0.01, n: 24 }));
      for (let k = 1; k < energy.length; k++) expect(energy[k]!).toBeLessThanOrEqual(energy[k - 1]! + 1e-15);
      expect(energy[energy.length - 1]!).toBeLessThan(energy[0]! - 1e-4);
    }
  });

  it('raises the energy with frozen weights under the residual sign +1', () => {
    const { energy } = run(
      smallScenario({
        flowSign: 1,
        T: 1,
        weights: { init: { kind: 'identity', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
      }),
    );
    for (let k = 1; k < energy.length; k++) expect(energy[k]!).toBeGreaterThanOrEqual(energy[k - 1]! - 1e-15);
  });

  const oscillating = (heads: number, integrator: 'euler' | 'heun', dt: number) =>
    smallScenario({
      heads,
      integrator,
      dt,
      T: 1,
      n: 12,
      weights: { init: { kind: 'random-symmetric', scale: 0.5 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 0 },
    });

  /** |r(dt)/r(dt/2)| and |r(dt/2)/r(dt/4)| of the exact balance residual r: ~2 for a first-order method, ~4 for second. */
  const residualRatios = (heads: number, integrator: 'euler' | 'heun', dt: number): [number, number] => {
    const r = [dt, dt / 2, dt / 4].map((h) => run(oscillating(heads, integrator, h)).exact);
    return [Math.abs(r[0]! / r[1]!), Math.abs(r[1]! / r[2]!)];
  };

  for (const heads of [1, 3]) {
    it(`exact balance residual halves with dt for Euler and falls ~4× for Heun (H = ${heads})`, () => {
      const euler = residualRatios(heads, 'euler', 0.01);
      expect(euler[0]).toBeGreaterThan(1.8);
      expect(euler[0]).toBeLessThan(2.2);
      expect(euler[1]).toBeGreaterThan(1.85);
      expect(euler[1]).toBeLessThan(2.15);
      const heun = residualRatios(heads, 'heun', 0.02);
      expect(heun[0]).toBeGreaterThan(3.4);
      expect(heun[1]).toBeGreaterThan(3.6);
      expect(heun[1]).toBeLessThan(4.4);
    });
  }

  it('RK4 exact balance is second order (trapezoid quadrature of the rates) and far below Euler', () => {
    const r1 = run(oscillating(2, 'euler', 0.01)).exact;
    const k1 = run({ ...oscillating(2, 'euler', 0.02), integrator: 'rk4' }).exact;
    const k2 = run({ ...oscillating(2, 'euler', 0.01), integrator: 'rk4' }).exact;
    expect(Math.abs(k1 / k2)).toBeGreaterThan(3.5);
    expect(Math.abs(k2)).toBeLessThan(Math.abs(r1) / 20);
  });

  it('the paper balance closes for H = 1 (G² = 𝒟) but leaves an O(1) gap for H > 1 that does not shrink with dt', () => {
    const one = run(oscillating(1, 'euler', 0.005));
    expect(Math.abs(one.paper - one.exact)).toBeLessThan(1e-12);
    const a = run(oscillating(4, 'euler', 0.002));
    const b = run(oscillating(4, 'euler', 0.001));
    // paper − exact = Σ (G² − 𝒟)·dt → −∫(𝒟 − G²) dt ≠ 0: it stays put as dt halves, while the exact residual halves.
    const gapA = a.paper - a.exact,
      gapB = b.paper - b.exact;
    expect(gapB).toBeLessThan(0);
    expect(gapA / gapB).toBeGreaterThan(0.9);
    expect(gapA / gapB).toBeLessThan(1.1);
    expect(Math.abs(gapB)).toBeGreaterThan(3 * Math.abs(b.exact));
    expect(Math.abs(a.exact / b.exact)).toBeGreaterThan(1.8);
  });

  it('G² ≤ 𝒟 for H > 1 (Cauchy–Schwarz) and G² = 𝒟 for H = 1, at random states', () => {
    for (const heads of [1, 5]) {
      const s = smallScenario({ heads, n: 20 });
      const e = new CpuEngine(s);
      const rec = new Float64Array(DIAG_SIZE);
      e.evaluate(rec);
      if (heads === 1) expect(Math.abs(rec[DIAG.G2]! - rec[DIAG.dissipation]!)).toBeLessThan(1e-14);
      else expect(rec[DIAG.G2]!).toBeLessThan(rec[DIAG.dissipation]!);
    }
  });

  it('matches the closed form for two tokens on the circle with D = I', () => {
    const theta = 0.3;
    const x = new Float64Array([Math.cos(theta), Math.sin(theta), Math.cos(theta), -Math.sin(theta)]);
    const D = new Float64Array([1, 0, 0, 1]);
    const f = new AttentionField(2, 2, 1);
    const v = new Float64Array(4);
    const out = new Float64Array(DIAG_SIZE);
    f.evaluate(
      x,
      0,
      D,
      0,
      { beta: 1, unnormalized: false },
      v,
      { drift: new Float64Array(4), noise: new Float64Array(4), noiseVariance: 0 },
      out,
    );
    const c = Math.cos(2 * theta);
    const N = Math.E + Math.exp(c);
    // v_1 = (e^c/N)(x_2 − c x_1), E = (e + e^c)/4, G² = e^{2c} sin²(2θ)/(2N).
    const v1 = [(Math.exp(c) / N) * (x[2]! - c * x[0]!), (Math.exp(c) / N) * (x[3]! - c * x[1]!)];
    expect(v[0]!).toBeCloseTo(v1[0]!, 14);
    expect(v[1]!).toBeCloseTo(v1[1]!, 14);
    expect(out[DIAG.energy]!).toBeCloseTo(N / 4, 14);
    expect(out[DIAG.G2]!).toBeCloseTo((Math.exp(2 * c) * Math.sin(2 * theta) ** 2) / (2 * N), 14);
    expect(out[DIAG.dissipation]!).toBeCloseTo(out[DIAG.G2]!, 14);
  });

  it('unnormalised attention divides by n: its velocity is N_i/n times the softmax velocity for H = 1', () => {
    const s = smallScenario({ n: 10 });
    const e = new CpuEngine(s);
    const f = new AttentionField(s.n, s.d, 1);
    const vs = new Float64Array(s.n * s.d),
      vu = new Float64Array(s.n * s.d);
    f.evaluate(e.x, 0, e.D, 0, { beta: 1, unnormalized: false }, vs);
    f.evaluate(e.x, 0, e.D, 0, { beta: 1, unnormalized: true }, vu);
    for (let i = 0; i < s.n; i++) {
      let N = 0;
      for (let j = 0; j < s.n; j++) {
        let l = 0;
        for (let a = 0; a < 3; a++)
          for (let b = 0; b < 3; b++) l += e.x[i * 3 + a]! * e.D[a * 3 + b]! * e.x[j * 3 + b]!;
        N += Math.exp(l);
      }
      for (let c = 0; c < 3; c++) expect(vu[i * 3 + c]!).toBeCloseTo((vs[i * 3 + c]! * N) / s.n, 12);
    }
  });

  it('∂tE carries the right Itô correction: the mean energy change from noisy weights matches it', () => {
    // Fixed tokens and weights; many independent increments D → D + f·dt + σΔW. The energy change
    // minus the linear noise term ΔM averages to ∂tE·dt up to O(dt²); a wrong Itô coefficient
    // (e.g. a missing factor 1/2 or the ⟨x_i,x_j⟩² term) misses by far more than the sampling error.
    const s = smallScenario({
      n: 8,
      heads: 2,
      weights: {
        init: { kind: 'random-symmetric', scale: 0.7 },
        drift: { kind: 'ou', theta: 1, target: 'identity' },
        noiseVariance: 2,
      },
    });
    const e = new CpuEngine(s);
    const { n, d, heads: H } = s;
    const field = new AttentionField(n, d, H);
    const v = new Float64Array(n * d),
      rec = new Float64Array(DIAG_SIZE),
      recDrift = new Float64Array(DIAG_SIZE);
    const dt = 0.01,
      sigma = Math.sqrt(2);
    const drift = new Float64Array(H * d * d),
      noise = new Float64Array(H * d * d),
      z = new Float64Array(d * d),
      scratch = new Float64Array(d * d);
    for (let h = 0; h < H; h++) driftInto(s.weights.drift, e.D, h * d * d, d, h, H, 0, drift, h * d * d, scratch);
    field.evaluate(e.x, 0, e.D, 0, { beta: 1, unnormalized: false }, v, { drift, noise, noiseVariance: 0 }, recDrift);
    const E0 = recDrift[DIAG.energy]!;
    const rng = new Philox(99);
    const Dn = new Float64Array(H * d * d);
    let second = 0;
    const samples = 4000;
    for (let k = 0; k < samples; k++) {
      noiseIncrements(rng, k, 0, H, d, sigma, dt, noise, z);
      field.evaluate(e.x, 0, e.D, 0, { beta: 1, unnormalized: false }, v, { drift, noise, noiseVariance: 2 }, rec);
      for (let i = 0; i < Dn.length; i++) Dn[i] = e.D[i]! + dt * drift[i]! + noise[i]!;
      second += field.energy(e.x, 0, Dn, 0, 1) - E0 - rec[DIAG.dM]! - recDrift[DIAG.dEdt]! * dt;
    }
    const ito = (rec[DIAG.dEdt]! - recDrift[DIAG.dEdt]!) * dt;
    expect(ito).toBeGreaterThan(0);
    expect(Math.abs(second / samples - ito) / ito).toBeLessThan(0.06);
  });

  it('a layer schedule jump enters the balance: the exact residual still halves with dt across boundaries', () => {
    const layers = [
      [
        [
          [1, 0.5, 0],
          [0.5, -1, 0],
          [0, 0, 2],
        ],
      ],
      [
        [
          [3, 0, 0],
          [0, 1, 0],
          [0, 0, -2],
        ],
      ],
      [
        [
          [0, 1, 1],
          [1, 0, 1],
          [1, 1, 0],
        ],
      ],
    ];
    const sc = (dt: number) =>
      smallScenario({
        T: 0.9,
        dt,
        weights: {
          init: { kind: 'identity', scale: 1 },
          drift: { kind: 'layers', layerDuration: 0.3, layers },
          noiseVariance: 0,
        },
      });
    const a = run(sc(0.005)),
      b = run(sc(0.0025));
    const totalJump = Math.abs(a.energy[a.energy.length - 1]! - a.energy[0]!);
    expect(totalJump).toBeGreaterThan(0.01);
    expect(Math.abs(a.exact / b.exact)).toBeGreaterThan(1.8);
    expect(Math.abs(a.exact / b.exact)).toBeLessThan(2.2);
  });

  it('replicas with no perturbation and no noise follow identical paths; shared noise keeps them identical', () => {
    const s = smallScenario({
      replicas: 3,
      perturbation: { tokens: 0, weights: 0, sharedNoise: true },
      weights: ouWeights(2),
    });
    const { engine } = run(s);
    const block = s.n * s.d;
    for (let e = 0; e < block; e++) expect(engine.x[block + e]).toBe(engine.x[e]);
    const indep = run({ ...s, perturbation: { tokens: 0, weights: 0, sharedNoise: false } }).engine;
    let diff = 0;
    for (let e = 0; e < block; e++) diff = Math.max(diff, Math.abs(indep.x[block + e]! - indep.x[e]!));
    expect(diff).toBeGreaterThan(1e-6);
  });
});
