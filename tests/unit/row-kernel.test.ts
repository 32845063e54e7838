/**
 * The WebAssembly SIMD rows (vectorised fdlibm exp, two rows per pass) against the JavaScript
 * rows (Math.exp) bit for bit, over the whole range of exp's branches; and the float64 engine on
 * 1, 2 and 3 threads: every diagnostic row and the final state the same bits.
 */
import { describe, expect, it } from 'vitest';
import { DIAG_SIZE } from '../../src/model/attention';
import { CpuEngine } from '../../src/model/engine-cpu';
import { kernelIsWasm, kernelWorkerThreads, RowKernel, THREAD_MIN_PAIR_HEADS } from '../../src/model/kernel/row-kernel';
import { runRowsJs } from '../../src/model/kernel/row-kernel-js';
import { Philox } from '../../src/model/rng';
import { PAPER_OSCILLATION, type Scenario } from '../../src/model/scenario';
import { ouWeights, smallScenario } from './helpers';

function uniforms(seed: number, count: number): Float64Array {
  const g = new Float64Array(count);
  new Philox(seed).normals(0, 0, 0, 0, g, count);
  return g;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('row kernel', () => {
  it('runs WebAssembly SIMD in Node', () => {
    expect(kernelIsWasm()).toBe(true);
  });

  // Scales of u reach ℓ − m from 0 down past −745 (exp underflows), through |ℓ − m| < 2⁻²⁸, the
  // k = ±1 band and the general reduction; odd n exercises the padding row and lane.
  it.each([
    [3, 37, 2, 1, false],
    [3, 37, 2, 1, true],
    [3, 64, 3, 400, false],
    [2, 21, 2, 1e-10, true],
    [5, 18, 2, 30, true],
    [16, 9, 1, 3, false],
    [1, 11, 3, 200, true],
  ])('d = %i, n = %i, H = %i, |u| ~ %f, Itô %s: the same bits as the JavaScript rows', (d, n, H, scale, ito) => {
    const kernel = new RowKernel(n, d, H, 1);
    const { mem, layout: L } = kernel.prepare(H);
    const x = uniforms(1, n * d);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let c = 0; c < d; c++) norm += x[i * d + c]! ** 2;
      for (let c = 0; c < d; c++) mem[L.x + i * d + c] = x[i * d + c]! / Math.sqrt(norm);
    }
    const u = uniforms(2, H * kernel.nPad * d);
    for (let r = 0; r < H * kernel.nPad; r++)
      for (let c = 0; c < d; c++) mem[L.u + r * d + c] = r % kernel.nPad < n ? scale * u[r * d + c]! : 0;
    kernel.run(ito);
    const outLen = H * kernel.nPad * kernel.stride;
    const wasm = mem.slice(L.out, L.out + outLen);
    const copy = mem.slice();
    runRowsJs(copy, L, 0, H * kernel.nPad, ito, new Float64Array(n));
    const js = copy.subarray(L.out, L.out + outLen);
    expect(sameBits(wasm, js)).toBe(-1);
    // The branches of exp are reached: underflow for the large scales, the 1 + a branch for the tiny one.
    let widest = 0;
    for (let r = 0; r < H * kernel.nPad; r++) {
      const l = Array.from({ length: n }, (_, j) => {
        let acc = 0;
        for (let c = 0; c < d; c++) acc += mem[L.u + r * d + c]! * mem[L.x + j * d + c]!;
        return acc;
      });
      widest = Math.max(widest, Math.max(...l) - Math.min(...l));
    }
    if (scale >= 200) expect(widest).toBeGreaterThan(745.2);
    if (scale < 1e-6) expect(widest).toBeLessThan(2 ** -28);
  });
});

describe('float64 engine on several threads', () => {
  const cases: [string, Scenario][] = [
    [
      'oscillating, Euler, 2 replicas',
      smallScenario({
        n: 151,
        heads: 8,
        replicas: 2,
        weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 0 },
      }),
    ],
    [
      'OU σ² = 2 (Itô rows), Heun',
      smallScenario({ n: 130, d: 3, heads: 9, weights: ouWeights(2), integrator: 'heun' }),
    ],
    ['d = 5, RK4', smallScenario({ n: 90, d: 5, heads: 20, integrator: 'rk4' })],
  ];
  it.each(cases)('%s: threads 1, 2, 3 give the same bits for every row and the final state', (_, s) => {
    expect(s.n * s.n * s.heads).toBeGreaterThanOrEqual(THREAD_MIN_PAIR_HEADS);
    const run = (threads: number) => {
      const e = new CpuEngine(s, { threads });
      const rows = new Float64Array(6 * s.replicas * DIAG_SIZE);
      for (let k = 0; k < 5; k++) e.step(rows.subarray(k * s.replicas * DIAG_SIZE, (k + 1) * s.replicas * DIAG_SIZE));
      e.evaluate(rows.subarray(5 * s.replicas * DIAG_SIZE));
      return { rows, x: e.x.slice(), D: e.D.slice() };
    };
    const one = run(1);
    for (const threads of [2, 3]) {
      const many = run(threads);
      expect(sameBits(many.rows, one.rows)).toBe(-1);
      expect(sameBits(many.x, one.x)).toBe(-1);
      expect(sameBits(many.D, one.D)).toBe(-1);
    }
    expect(kernelWorkerThreads()).toBeGreaterThanOrEqual(2);
    expect(one.rows.every(Number.isFinite)).toBe(true);
  });
});
