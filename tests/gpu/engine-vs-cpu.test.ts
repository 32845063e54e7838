/**
 * The WebGPU engine (real WGSL through dawn.node) against the float64 engine over 200 steps:
 * every per-step diagnostic of every replica and the positions, for the scenarios of cases.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createGpuEngine } from '../../src/gpu/index';
import { CpuSimEngine } from '../../src/model/engine';
import { DIAG } from '../../src/model/attention';
import { CASES } from './cases';
import { runAndCompare } from './compare';
import { releaseTestDevice, testDevice } from './device';

afterAll(releaseTestDevice);

describe('GPU engine vs float64 engine, 200 steps', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const device = await testDevice();
      const gpu = await createGpuEngine(c.scenario, { device });
      try {
        const cpu = new CpuSimEngine(c.scenario);
        const result = await runAndCompare(gpu, cpu, 4, 50);
        expect(gpu.stepIndex).toBe(200);
        console.info(
          `${c.name}: worst diag ${Math.max(...result.diag).toExponential(1)}, positions ${result.positions.map((e) => e.toExponential(1)).join(' → ')}`,
        );
        // The final row at t = T (no step after it).
        const [rg, rc] = await Promise.all([gpu.evaluate(), cpu.evaluate()]);
        for (let i = 0; i < rc.length; i++)
          expect(Math.abs(rg[i]! - rc[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(rc[i]!)));
        expect(rg[DIAG.dM]).toBe(0);
        expect(gpu.stepIndex).toBe(200);
      } finally {
        gpu.destroy();
      }
    });
  }

  it('layer schedule: the jump rows are non-zero exactly at the two boundaries', async () => {
    const c = CASES.find((x) => x.scenario.weights.drift.kind === 'layers')!;
    const device = await testDevice();
    const gpu = await createGpuEngine(c.scenario, { device });
    try {
      const batch = await gpu.advance(200);
      const P = c.scenario.replicas;
      const jumpSteps = new Set<number>();
      for (let k = 0; k < 200; k++)
        for (let r = 0; r < P; r++) if (batch.records[(k * P + r) * 6 + DIAG.jump] !== 0) jumpSteps.add(k);
      expect([...jumpSteps]).toEqual([69, 139]);
    } finally {
      gpu.destroy();
    }
  });
});
