/**
 * The GPU engine's failure and edge behaviour: non-finite steps reported (not propagated),
 * β‖D‖ ≈ 80 energies, live drift edits, memory at n = 65,536, capacity errors, device loss.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createGpuEngine, GpuCapacityError, NonFiniteError } from '../../src/gpu/index';
import { nodeGpu } from '../../src/gpu/node-env';
import { CpuSimEngine } from '../../src/model/engine';
import { DIAG, DIAG_SIZE } from '../../src/model/attention';
import { PAPER_OSCILLATION, type Drift } from '../../src/model/scenario';
import { gpuScenario } from './cases';
import { runAndCompare } from './compare';
import { releaseTestDevice, testDevice } from './device';
import { rejection, runThenLoseDevice, withGpuEngine } from './engine-helpers';
import { ouWeights } from '../unit/helpers';

afterAll(releaseTestDevice);

describe('GPU engine robustness', () => {
  it('reports a non-finite step (absurd β) with its step, rolls back and halts', async () => {
    // Unnormalised attention with β‖D‖ = 400: e^m overflows float32 in the first step.
    const s = gpuScenario({
      n: 16,
      beta: 100,
      attention: 'unnormalized',
      weights: { init: { kind: 'identity', scale: 4 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    });
    await withGpuEngine(s, { device: await testDevice() }, async (gpu) => {
      const before = await gpu.readPositions();
      const error = await rejection(gpu.advance(5));
      expect(error).toBeInstanceOf(NonFiniteError);
      const e = error as NonFiniteError;
      expect(e.name).toBe('NonFiniteError');
      expect(e.step).toBe(0);
      expect(e.resumeStep).toBe(0);
      expect(e.good.steps).toBe(0);
      expect(['G2', 'dissipation', 'positions']).toContain(e.what);
      expect(gpu.stepIndex).toBe(0);
      expect(Array.from(await gpu.readPositions())).toEqual(Array.from(before));
      await expect(gpu.advance(1)).rejects.toBeInstanceOf(NonFiniteError);
    });
  });

  it('reports the first bad step of a batch after good rows (absurd dt)', async () => {
    const s = gpuScenario({ n: 16, dt: 1e20 });
    await withGpuEngine(s, { device: await testDevice() }, async (gpu) => {
      const e = await rejection<NonFiniteError>(gpu.advance(6));
      expect(e).toBeInstanceOf(NonFiniteError);
      expect(e!.step).toBeGreaterThan(0);
      expect(e!.good.steps).toBe(e!.step);
      for (const v of e!.good.records) expect(Number.isFinite(v)).toBe(true);
      for (const v of await gpu.readPositions()) expect(Number.isFinite(v)).toBe(true);
    });
  });

  it('keeps the energy finite and accurate at β‖D‖ = 80', async () => {
    for (const weights of [
      { init: { kind: 'identity', scale: 80 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
      { init: { kind: 'identity', scale: -40 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    ] as const) {
      const s = gpuScenario({ n: 32, beta: weights.init.scale > 0 ? 1 : 2, dt: 0.001, weights: { ...weights } });
      await withGpuEngine(s, { device: await testDevice() }, async (gpu) => {
        const cpu = new CpuSimEngine(s);
        const [g, c] = await Promise.all([gpu.advance(20), cpu.advance(20)]);
        for (let k = 0; k < 20; k++) {
          const eg = g.records[k * DIAG_SIZE + DIAG.energy]!;
          const ec = c.records[k * DIAG_SIZE + DIAG.energy]!;
          expect(Number.isFinite(eg)).toBe(true);
          expect(Math.abs(eg / ec - 1)).toBeLessThan(1e-4);
        }
        expect(c.records[DIAG.energy]! > 1e30 || c.records[DIAG.energy]! < 1e-30).toBe(true);
      });
    }
  });

  for (const d of [3, 5]) {
    it(`matches the float64 engine when the fixed softmax shift needs its second sweep (d = ${d})`, async () => {
      // Tokens in one tight cluster, β D = −80 I: ℓ_ij ≈ −80 for all j while ‖u_i‖ = 80, so the
      // d ≤ 8 kernels' shift max(ℓ_ii, ‖u_i‖ − 60) = 20 sits ~100 above every ℓ_ij: without the
      // second sweep every term would flush to zero (Ñ = 0). n = 300: several workgroups, one of
      // them partly live; H = 2 with the second head benign (mixed lanes in the same dispatch).
      const eye = (v: number) =>
        Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a === b ? v : 0)));
      const benign = Array.from({ length: d }, (_, a) =>
        Array.from({ length: d }, (_, b) => (a === b ? 0.5 + 0.2 * a : 0.1 * Math.cos(a + b))),
      );
      const s = gpuScenario({
        d,
        n: 300,
        heads: 2,
        beta: 2,
        dt: 0.001,
        tokens: { kind: 'vmf', clusters: 1, kappa: 400 },
        weights: {
          init: { kind: 'explicit', matrices: [eye(-40), benign] },
          drift: { kind: 'frozen' },
          noiseVariance: 0,
        },
      });
      await withGpuEngine(s, { device: await testDevice() }, async (gpu) => {
        await runAndCompare(gpu, new CpuSimEngine(s), 2, 10);
      });
    });
  }

  it('follows live drift edits like the CPU engine (same kind: buffer write; new kind: rebuild, state kept)', async () => {
    const s = gpuScenario({
      n: 24,
      heads: 4,
      weights: ouWeights(0),
    });
    await withGpuEngine(s, { device: await testDevice() }, async (gpu) => {
      const cpu = new CpuSimEngine(s);
      await runAndCompare(gpu, cpu, 2, 25);
      const edits: Drift[] = [
        {
          kind: 'ou',
          theta: 3,
          target: [
            [2, 0, 0.5],
            [0, 1, 0],
            [0.5, 0, -1],
          ],
        },
        { ...PAPER_OSCILLATION, frequency: 3, amplitude: 2 },
        { kind: 'frozen' },
      ];
      for (const drift of edits) {
        gpu.setDrift(drift);
        cpu.setDrift(drift);
        await runAndCompare(gpu, cpu, 2, 25);
      }
      const [wg, wc] = await Promise.all([gpu.readWeights(), cpu.readWeights()]);
      for (let i = 0; i < wc.length; i++) expect(Math.abs(wg[i]! - wc[i]!)).toBeLessThan(1e-4);
    });
  });

  it('holds n = 65,536, H = 8, P = 1 in under 64 MB of buffers', async () => {
    const s = gpuScenario({ n: 65_536, heads: 8, T: 1 });
    const engine = await withGpuEngine(s, { device: await testDevice() }, async (gpu) => {
      console.info(
        `n = 65,536, H = 8, P = 1, d = 3: ${(gpu.totalBufferBytes / 2 ** 20).toFixed(1)} MiB of GPU buffers`,
      );
      expect(gpu.totalBufferBytes).toBeLessThan(64 * 2 ** 20);
      expect(gpu.positionsLayout.byteLength).toBe(65_536 * 3 * 4);
      expect(gpu.positionsBuffer.size).toBeGreaterThanOrEqual(gpu.positionsLayout.byteLength);
    });
    expect(engine.totalBufferBytes).toBe(0);
  });

  it('refuses a scenario beyond the adapter limits, naming the limit and the largest n', async () => {
    const device = await testDevice();
    const s = gpuScenario({ n: 1 << 20, heads: 256, d: 16 });
    const error = await rejection<GpuCapacityError>(createGpuEngine(s, { device }));
    expect(error).toBeInstanceOf(GpuCapacityError);
    expect(error!.message).toMatch(/maxStorageBufferBindingSize/);
    expect(error!.largestN).toBeGreaterThan(0);
    expect(error!.largestN).toBeLessThan(s.n);
  });

  it('calls onLost when the device is lost and continues after rebuildFrom(snapshot)', async () => {
    const s = gpuScenario({ n: 16, heads: 2 });
    await withGpuEngine(s, { gpu: await nodeGpu() }, async (gpu) => {
      const cpu = new CpuSimEngine(s);
      const { snapshot } = await runThenLoseDevice(gpu, cpu);
      await gpu.rebuildFrom(snapshot);
      expect(gpu.stepIndex).toBe(20);
      await runAndCompare(gpu, cpu, 2, 10);
    });
  });
});
