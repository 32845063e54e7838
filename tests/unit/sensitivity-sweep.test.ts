/**
 * Perturbation (ε, δ) sweeps: the distances a sweep records equal those of separately run
 * perturbed runs on CpuSimEngine (every sampled step read back and measured with
 * replicaDistances), whether the sweep runs all copies on one engine or one copy per job (the
 * CLI's and the app's float64 path); the slope fit returns the exponent of a synthetic power law.
 */
import { describe, expect, it } from 'vitest';
import { fitPowerLaw, replicaDistances } from '../../src/model/analysis';
import { CpuSimEngine } from '../../src/model/engine';
import type { SweepOver } from '../../src/model/kinds/sweep-over';
import { preset } from '../../src/model/presets';
import {
  assembleSweep,
  distancePoint,
  runSweep,
  runSweepJob,
  sweepJobs,
  jobKey,
  sweepResult,
  type JobValue,
  type SweepSpec,
} from '../../src/model/sweep';
import { distanceScenario, sampleSteps, timeStep } from '../../src/model/sweep-distance';
import type { Scenario } from '../../src/model/scenario';

/** The reference: one perturbed run on CpuSimEngine, measured at the sampled steps. */
async function separateRun(base: Scenario, over: SweepOver, size: number, times: number[], samples: number) {
  const s = distanceScenario(base, over, size);
  const engine = new CpuSimEngine(s);
  const P = base.replicas;
  const sup = { max: new Array<number>(P).fill(0), rms: new Array<number>(P).fill(0) };
  const at = { max: times.map(() => new Array<number>(P)), rms: times.map(() => new Array<number>(P)) };
  for (const k of sampleSteps(s, { times, samples })) {
    if (k > engine.stepIndex) await engine.advance(k - engine.stepIndex);
    const d = replicaDistances(await engine.readPositions(), s.replicas, s.n, s.d);
    for (let r = 0; r < P; r++) {
      sup.max[r] = Math.max(sup.max[r]!, d.max[r]!);
      sup.rms[r] = Math.max(sup.rms[r]!, d.rms[r]!);
      times.forEach((t, i) => {
        if (timeStep(s, t) === k) {
          at.max[i]![r] = d.max[r]!;
          at.rms[i]![r] = d.rms[r]!;
        }
      });
    }
  }
  engine.destroy();
  return Array.from({ length: P }, (_, r) => ({
    supMax: sup.max[r]!,
    supRms: sup.rms[r]!,
    max: times.map((_, i) => at.max[i]![r]!),
    rms: times.map((_, i) => at.rms[i]![r]!),
  }));
}

describe('perturbation sweeps', () => {
  for (const over of ['epsilon', 'delta'] as const) {
    it(`the ${over} sweep's distances equal those of the separate perturbed runs (float64)`, async () => {
      // σ² = 2: the copies share the original's weight noise, which the per-copy jobs must reproduce.
      const base = { ...preset('s2-ou').build(2), n: 16, T: 0.2, replicas: 2 };
      const sizes = over === 'epsilon' ? [1e-3, 3e-2] : [1e-2, 0.3];
      const times = [0.05, 0.2];
      const spec: SweepSpec = { heads: [2], base, over, sizes, times, samples: 8 };
      const whole = await runSweep(spec, { makeEngine: (s) => new CpuSimEngine(s), chunk: 7 });
      const values = new Map<string, JobValue>();
      for (const job of sweepJobs([spec])) values.set(jobKey(job), runSweepJob(spec, job, { threads: 1 }));
      const jobs = assembleSweep([spec], values)[0]!;
      expect(JSON.stringify(jobs)).toBe(JSON.stringify(whole));
      expect(whole.over).toBe(over);
      for (const [k, size] of sizes.entries()) {
        const ref = await separateRun(base, over, size, times, 8);
        expect(whole.points[k]!.size).toBe(size);
        expect(whole.points[k]!.distances).toEqual(ref);
        expect(whole.points[k]!.perPath).toEqual(ref.map((r) => r.supRms));
        // The copies moved: every distance is positive and below the sphere's diameter.
        for (const r of ref) for (const v of [r.supMax, r.supRms, ...r.max, ...r.rms]) expect(v).toBeGreaterThan(0);
        for (const r of ref) expect(r.supMax).toBeLessThan(2);
        if (over === 'epsilon') for (const r of ref) expect(r.supMax).toBeGreaterThanOrEqual(size * 0.999);
      }
    });
  }

  it('the slope fit of a synthetic power law returns its exponent', () => {
    const sizes = [1e-4, 1e-3, 1e-2, 1e-1];
    for (const b of [1, 0.5, 1.7]) {
      const fit = fitPowerLaw(
        sizes,
        sizes.map((x) => 3 * x ** b),
      );
      expect(fit.b).toBeCloseTo(b, 10);
      expect(fit.a).toBeCloseTo(3, 8);
      const base = { ...preset('s2-ou').build(1), replicas: 2 };
      const pts = sizes.map((x) =>
        distancePoint(
          x,
          1,
          [0.9, 1.1].map((m) => ({ supMax: m * 2 * x ** b, supRms: m * x ** b, max: [], rms: [] })),
        ),
      );
      const r = sweepResult(base, pts, { heads: [1], base, over: 'epsilon', sizes, times: [], samples: 10 });
      expect(r.fit.b).toBeCloseTo(b, 10);
    }
  });

  it('refuses a non-positive size, naming the sweep', () => {
    const base = { ...preset('s2-ou').build(1), replicas: 2 };
    expect(() => distanceScenario(base, 'epsilon', 0)).toThrow(/epsilon: expected a positive size/);
    expect(() => distanceScenario(base, 'heads', 1)).toThrow(/not a perturbation/);
  });
});
