/**
 * The SimEngine contract on the float64 engine: snapshot/restore continues a run exactly (noise,
 * layer schedules, replicas, drift edits), into the same or a fresh engine; a snapshot of another
 * shape is refused; stepIndex counts the steps requested; the errors are the shared classes.
 */
import { describe, expect, it } from 'vitest';
import {
  CpuSimEngine,
  DeviceLostError,
  EngineCancelledError,
  type EngineSnapshot,
  NonFiniteError,
} from '../../src/model/engine';
import * as gpuErrors from '../../src/gpu/errors';
import { PAPER_OSCILLATION, type Scenario } from '../../src/model/scenario';
import { layers } from '../gpu/cases';
import { advanceAndRead, expectSameRun, ouWeights, smallScenario } from './helpers';

const CASES: { name: string; scenario: Scenario; k: number; m: number }[] = [
  {
    name: 'OU with σ² = 2 noise, P = 3 with independent noise',
    scenario: smallScenario({
      replicas: 3,
      heads: 2,
      perturbation: { tokens: 0.05, weights: 0.1, sharedNoise: false },
      weights: ouWeights(2),
    }),
    k: 7,
    m: 12,
  },
  {
    name: 'oscillating with noise, RK4, P = 2 with shared noise',
    scenario: smallScenario({
      replicas: 2,
      integrator: 'rk4',
      perturbation: { tokens: 0.05, weights: 0, sharedNoise: true },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 0.5 },
    }),
    k: 5,
    m: 10,
  },
  {
    // Layers of 0.07 at dt = 0.01: the m steps after k = 5 cross the boundaries at steps 7, 14 and 21.
    name: 'layer schedule (boundaries inside the continued steps), Heun, P = 2',
    scenario: smallScenario({
      replicas: 2,
      heads: 2,
      integrator: 'heun',
      perturbation: { tokens: 0.01, weights: 0.1, sharedNoise: false },
      weights: { init: { kind: 'identity', scale: 1 }, drift: layers(3, 2, 4, 0.07), noiseVariance: 0 },
    }),
    k: 5,
    m: 20,
  },
];

describe('SimEngine contract (float64 engine)', () => {
  for (const c of CASES) {
    it(`snapshot at step k, m steps, restore, m steps again: the same rows bit for bit (${c.name})`, async () => {
      const engine = new CpuSimEngine(c.scenario);
      await engine.advance(c.k);
      const snap = await engine.snapshot();
      expect(snap.stepIndex).toBe(c.k);
      const first = await advanceAndRead(engine, c.m);
      await engine.restore(snap);
      expect(engine.stepIndex).toBe(c.k);
      const again = await advanceAndRead(engine, c.m);
      expectSameRun(again, first);
      if (c.scenario.weights.drift.kind === 'layers') {
        // The continued steps cross layer boundaries: some rows carry a jump energy.
        expect(first.rows.some((v, i) => i % 6 === 5 && v !== 0)).toBe(true);
      }
    });

    it(`restoring into a fresh engine of the same scenario continues the same run (${c.name})`, async () => {
      const straight = new CpuSimEngine(c.scenario);
      await straight.advance(c.k);
      const snap = await straight.snapshot();
      const expected = await advanceAndRead(straight, c.m);

      const fresh = new CpuSimEngine(c.scenario);
      await fresh.restore(snap);
      expect(fresh.stepIndex).toBe(c.k);
      const continued = await advanceAndRead(fresh, c.m);
      expectSameRun(continued, expected);
    });
  }

  it('needs nothing but the step for the noise stream: the rows after restore depend on the step restored to', async () => {
    // The Philox counters are keyed by (seed, step, replica, head): the same state restored at
    // another step draws other increments, so stepIndex is the whole noise state.
    const s = CASES[0]!.scenario;
    const engine = new CpuSimEngine(s);
    await engine.advance(3);
    const snap = await engine.snapshot();
    const atThree = await advanceAndRead(engine, 4);
    await engine.restore({ ...snap, stepIndex: 40 });
    const atForty = await advanceAndRead(engine, 4);
    expect(atForty.rows).not.toEqual(atThree.rows);
    await engine.restore(snap);
    expect((await advanceAndRead(engine, 4)).rows).toEqual(atThree.rows);
  });

  it('carries the drift in force: a snapshot after setDrift continues under the edited drift', async () => {
    const s = smallScenario({
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    });
    const edited = new CpuSimEngine(s);
    await edited.advance(4);
    edited.setDrift({ ...PAPER_OSCILLATION, frequency: 3 });
    const snap = await edited.snapshot();
    const expected = await advanceAndRead(edited, 6);
    const fresh = new CpuSimEngine(s);
    await fresh.restore(snap);
    expect(await advanceAndRead(fresh, 6)).toEqual(expected);
    // Frozen weights would not move: the edited drift is the one that ran.
    expect(expected.w).not.toEqual(Array.from(snap.weights));
  });

  it('takes copies: later steps do not change a snapshot, and restoring does not alias it', async () => {
    const engine = new CpuSimEngine(CASES[0]!.scenario);
    const snap = await engine.snapshot();
    const x0 = Array.from(snap.positions);
    await engine.advance(3);
    expect(Array.from(snap.positions)).toEqual(x0);
    await engine.restore(snap);
    await engine.advance(3);
    expect(Array.from(snap.positions)).toEqual(x0);
  });

  it('refuses a snapshot of another shape with an error naming both shapes', async () => {
    const s = smallScenario({ n: 16, d: 3 });
    const other = new CpuSimEngine(smallScenario({ n: 12, d: 4 }));
    const snap = await other.snapshot();
    // n·d agree (48 floats per replica): only the shape tells them apart.
    expect(snap.positions.length).toBe(16 * 3);
    const engine = new CpuSimEngine(s);
    await expect(engine.restore(snap)).rejects.toThrow(RangeError);
    await expect(engine.restore(snap)).rejects.toThrow(/n = 12, d = 4.*n = 16, d = 3/);
    const replicas = await new CpuSimEngine(smallScenario({ replicas: 2 })).snapshot();
    await expect(engine.restore(replicas)).rejects.toThrow(/P = 2/);
    const short: EngineSnapshot = { ...(await engine.snapshot()), positions: new Float64Array(5) };
    await expect(engine.restore(short)).rejects.toThrow(/5 position/);
    expect(engine.stepIndex).toBe(0);
  });

  it('counts steps requested: stepIndex moves at the call, before the batch resolves', async () => {
    const engine = new CpuSimEngine(smallScenario());
    const pending = engine.advance(4);
    expect(engine.stepIndex).toBe(4);
    const batch = await pending;
    expect(batch.firstStep).toBe(0);
    expect(engine.stepIndex).toBe(batch.firstStep + batch.steps);
  });

  it('declares no GPU resources and never calls onLost on the float64 engine', () => {
    const engine = new CpuSimEngine(smallScenario());
    expect(engine.gpu).toBeUndefined();
    expect(engine.onLost).toBeUndefined();
  });

  it('has one class per engine error, shared by the GPU engine', () => {
    expect(gpuErrors.NonFiniteError).toBe(NonFiniteError);
    expect(gpuErrors.DeviceLostError).toBe(DeviceLostError);
    expect(gpuErrors.EngineCancelledError).toBe(EngineCancelledError);
    const good = { firstStep: 2, steps: 1, records: new Float64Array(6) };
    const e = new NonFiniteError({ step: 3, replica: 1, what: 'G2', resumeStep: 2, good });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('NonFiniteError');
    expect(e.message).toBe('non-finite G2 at step 3 (replica 1); the state was restored to step 2. Lower dt or β.');
    expect(new DeviceLostError('destroyed').message).toBe('GPU device lost (destroyed)');
  });
});
