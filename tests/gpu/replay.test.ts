/**
 * Rewind and replay on the WebGPU engine (real WGSL on dawn.node), as the playground does it:
 * the run keeps its snapshots in a History and trace checkpoints in a TraceStore; restoring a
 * kept snapshot mid-way, truncating the traces and running on in batches of another size gives
 * the original rows and CSV bit for bit (OU weights with σ² = 2 noise, P = 3 independent paths),
 * and the replayed float32 rows still match float64 started from the same snapshot.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CpuSimEngine } from '../../src/model/engine';
import { CASES } from './cases';
import { runAndCompare } from './compare';
import { releaseTestDevice, testDevice } from './device';
import { withGpuEngine } from './engine-helpers';
import { rewind, runToEnd, startHistoryRun } from '../unit/history-run';

afterAll(releaseTestDevice);

const NOISY = CASES.find((c) => c.name.startsWith('ou σ²=2 d2 H4 P3'))!;

describe('GPU engine: rewind and replay', () => {
  it('replays from kept snapshots bit for bit, whatever the batch size, and matches float64 from there', async () => {
    const s = { ...NOISY.scenario, T: 0.4 };
    await withGpuEngine(s, { device: await testDevice() }, async (gpu) => {
      const run = await startHistoryRun(gpu);
      await runToEnd(run, 4, 10);
      const csv = run.store.csv();
      expect(run.history.steps()).toEqual([0, 12, 24, 36]);
      for (const target of [30, 5]) {
        const at = await rewind(run, target);
        expect(at).toBe(target === 30 ? 24 : 0);
        expect(gpu.stepIndex).toBe(at);
        await runToEnd(run, 3, 10);
        expect(run.store.csv()).toBe(csv);
      }
      // From the snapshot at step 24: the float64 engine started there agrees within the GPU tolerances.
      const snap = run.history.atOrBefore(24)!;
      await gpu.restore(snap);
      const cpu = new CpuSimEngine(s);
      await cpu.restore(snap);
      await runAndCompare(gpu, cpu, 2, 8);
    });
  });
});
