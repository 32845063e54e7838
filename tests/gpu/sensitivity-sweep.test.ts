/**
 * A perturbation sweep on the WebGPU engine (dawn.node; SwiftShader without a GPU) against the
 * same sweep on the float64 engine: the same noise stream, so every copy's distances agree to
 * float32 accuracy (relative to the distance, which is ~ε here), and so does the slope.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createGpuEngine } from '../../src/gpu/index';
import { CpuSimEngine } from '../../src/model/engine';
import { preset } from '../../src/model/presets';
import { runSweep, type SweepSpec } from '../../src/model/sweep';
import { releaseTestDevice, testDevice } from './device';

afterAll(releaseTestDevice);

describe('perturbation sweep on the GPU engine', () => {
  it('gives the float64 distances to float32 accuracy', async () => {
    const device = await testDevice();
    const base = { ...preset('s2-ou').build(2), n: 16, T: 0.1, replicas: 2 };
    const spec: SweepSpec = { heads: [2], base, over: 'epsilon', sizes: [1e-3, 1e-2], times: [0.05], samples: 4 };
    const cpu = await runSweep(spec, { makeEngine: (s) => new CpuSimEngine(s) });
    const gpu = await runSweep(spec, { makeEngine: (s) => createGpuEngine(s, { device }) });
    for (const [k, p] of cpu.points.entries()) {
      const q = gpu.points[k]!;
      for (const [r, d] of p.distances!.entries()) {
        const e = q.distances![r]!;
        for (const [a, b] of [
          [d.supRms, e.supRms],
          [d.supMax, e.supMax],
          [d.rms[0]!, e.rms[0]!],
        ])
          expect(Math.abs(a! - b!) / a!).toBeLessThan(1e-3);
      }
    }
    expect(gpu.fit.b).toBeCloseTo(cpu.fit.b, 3);
  }, 120_000);
});
