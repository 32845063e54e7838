/**
 * The SimEngine contract on the WebGPU engine: snapshot/restore continues a run bit for bit on
 * the same device and in a fresh engine, the restored run still matches float64 (the tolerances
 * of compare.ts), a float64 snapshot runs on the GPU, restore clears a non-finite halt and
 * continues on a new device after a loss, a snapshot of another shape is refused, stepIndex
 * counts the steps requested, and `gpu` exposes the state buffers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createGpuEngine, type GpuEngine, NonFiniteError } from '../../src/gpu/index';
import { nodeGpu } from '../../src/gpu/node-env';
import { DIAG, DIAG_SIZE } from '../../src/model/attention';
import { CpuSimEngine } from '../../src/model/engine';
import { CASES, gpuScenario } from './cases';
import { runAndCompare } from './compare';
import { releaseTestDevice, testDevice } from './device';
import { rejection, runThenLoseDevice, withGpuEngine } from './engine-helpers';
import { advanceAndRead } from '../unit/helpers';

afterAll(releaseTestDevice);

function caseNamed(prefix: string) {
  const c = CASES.find((x) => x.name.startsWith(prefix));
  if (!c) throw new Error(`no GPU case ${prefix}`);
  return c;
}

/** Noise with P = 3 independent paths; a layer schedule whose boundary (step 70) lies in the continued steps. */
const SNAPSHOT_CASES = [
  { ...caseNamed('ou σ²=2 d2 H4 P3'), k: 20, m: 20 },
  { ...caseNamed('layers (3 layers'), k: 60, m: 20 },
];

describe('GPU engine snapshot/restore', () => {
  for (const c of SNAPSHOT_CASES) {
    it(`restores bit for bit, in place and in a fresh engine, and still matches float64 (${c.name})`, async () => {
      const device = await testDevice();
      const gpu = await createGpuEngine(c.scenario, { device });
      let fresh: GpuEngine | undefined;
      try {
        const cpu = new CpuSimEngine(c.scenario);
        await runAndCompare(gpu, cpu, 2, c.k / 2);
        const [gs, cs] = [await gpu.snapshot(), await cpu.snapshot()];
        expect(gs.stepIndex).toBe(c.k);
        expect(gs.positions).toBeInstanceOf(Float32Array);

        const first = await advanceAndRead(gpu, c.m);
        if (c.scenario.weights.drift.kind === 'layers')
          expect(first.rows.some((v, i) => i % DIAG_SIZE === DIAG.jump && v !== 0)).toBe(true);
        await gpu.restore(gs);
        expect(gpu.stepIndex).toBe(c.k);
        expect(await advanceAndRead(gpu, c.m)).toEqual(first);

        fresh = await createGpuEngine(c.scenario, { device });
        await fresh.restore(gs);
        expect(fresh.stepIndex).toBe(c.k);
        expect(await advanceAndRead(fresh, c.m)).toEqual(first);

        // The restored GPU run against the float64 run restored to the same step.
        await gpu.restore(gs);
        await cpu.restore(cs);
        await runAndCompare(gpu, cpu, 2, c.m / 2);

        // A float64 snapshot (rounded to float32 on upload) continues on the GPU like the float64 engine.
        await gpu.restore(cs);
        await cpu.restore(cs);
        await runAndCompare(gpu, cpu, 2, c.m / 2);
      } finally {
        fresh?.destroy();
        gpu.destroy();
      }
    });
  }

  it('refuses a snapshot of another shape, counts steps at the call, and exposes its buffers', async () => {
    const device = await testDevice();
    const s = gpuScenario({ n: 16, d: 3, heads: 2, replicas: 2 });
    const engine = await withGpuEngine(s, { device }, async (gpu) => {
      const other = await new CpuSimEngine(gpuScenario({ n: 12, d: 4, heads: 2, replicas: 2 })).snapshot();
      await expect(gpu.restore(other)).rejects.toThrow(/n = 12, d = 4.*n = 16, d = 3/);

      const pending = gpu.advance(3);
      expect(gpu.stepIndex).toBe(3);
      expect((await pending).firstStep).toBe(0);

      const res = gpu.gpu!;
      expect(res.device).toBe(device);
      expect(res.positions).toBe(gpu.positionsBuffer);
      expect(res.positionsLayout).toEqual(gpu.positionsLayout);
      expect(res.weightsLayout).toEqual({ format: 'float32', replicas: 2, heads: 2, d: 3, byteLength: 2 * 2 * 9 * 4 });
      expect(res.weights.size).toBeGreaterThanOrEqual(res.weightsLayout.byteLength);
    });
    expect(engine.gpu).toBeUndefined();
  });

  it('clears a non-finite halt on restore (absurd dt)', async () => {
    await withGpuEngine(gpuScenario({ n: 16, dt: 1e20 }), { device: await testDevice() }, async (gpu) => {
      const start = await gpu.snapshot();
      const e = await rejection(gpu.advance(6));
      expect(e).toBeInstanceOf(NonFiniteError);
      expect(gpu.stepIndex).toBe((e as NonFiniteError).resumeStep);
      await expect(gpu.evaluate()).rejects.toBe(e);
      await gpu.restore(start);
      expect(gpu.stepIndex).toBe(0);
      expect(Array.from(await gpu.readPositions())).toEqual(Array.from(start.positions));
      const row = await gpu.evaluate();
      expect(Number.isFinite(row[DIAG.energy]!)).toBe(true);
    });
  });

  it('continues on a new device after a loss through restore(snapshot), matching float64', async () => {
    const s = gpuScenario({ n: 16, heads: 2 });
    await withGpuEngine(s, { gpu: await nodeGpu() }, async (gpu) => {
      const cpu = new CpuSimEngine(s);
      const { snapshot, lostDevice } = await runThenLoseDevice(gpu, cpu);
      await gpu.restore(snapshot);
      expect(gpu.gpu!.device).not.toBe(lostDevice);
      expect(gpu.stepIndex).toBe(20);
      await runAndCompare(gpu, cpu, 2, 10);
    });
  });
});
