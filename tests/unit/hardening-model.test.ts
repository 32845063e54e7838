/**
 * The model-side rules behind the CLI and app hardening: the float64 engine halts on a
 * non-finite value like the GPU engine (rolled back, good rows delivered, further steps refused
 * until restore); the validator bounds explicit weight entries, refuses a β·λ_min(D(0)) that
 * overflows for certain and JSON nested past 16 levels (fast); the cost estimate and the pace
 * count d; the sweep's arguments are checked before any work.
 */
import { describe, expect, it } from 'vitest';
import { planSweep, parseSweepArgs } from '../../src/cli/sweep-args';
import { DIAG, DIAG_SIZE } from '../../src/model/attention';
import { COST_LIMITS, costWarnings, estimateCost } from '../../src/model/cost';
import { CpuSimEngine, NonFiniteError } from '../../src/model/engine';
import { LN_FLOAT64_MAX, MATRIX_ENTRY_MAX, parseScenarioJson, validateScenario } from '../../src/model/validate';
import { suggestedStepsPerFrame } from '../../src/ui/params';
import { parseScenarioOffThread } from '../../src/worker/scenario-parse-client';

const base = {
  d: 2,
  n: 6,
  heads: 1,
  dt: 0.01,
  T: 1,
  seed: 3,
  tokens: { kind: 'uniform' },
  weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
};
const explicit = (m: number[][]) => ({
  ...base,
  weights: { init: { kind: 'explicit', matrices: [m] }, drift: { kind: 'frozen' }, noiseVariance: 0 },
});

describe('CpuSimEngine non-finite halt', () => {
  it('rejects with NonFiniteError at the first non-finite row, rolled back, good rows delivered', async () => {
    // D(0) = I (β = 300: every diagnostic finite at t = 0), pulled hard toward 1000·I: the energy overflows after a step or two.
    const target = [
      [1000, 0],
      [0, 1000],
    ];
    const s = validateScenario({
      ...base,
      beta: 300,
      weights: { init: { kind: 'identity', scale: 1 }, drift: { kind: 'ou', theta: 10, target }, noiseVariance: 0 },
    });
    const engine = new CpuSimEngine(s);
    let error: NonFiniteError | undefined;
    try {
      await engine.advance(100);
    } catch (e) {
      error = e as NonFiniteError;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    const e = error!;
    expect(e.resumeStep).toBe(engine.stepIndex);
    expect(e.good.firstStep).toBe(0);
    expect(e.good.steps).toBe(e.step);
    expect(e.step).toBeGreaterThan(0);
    for (let k = 0; k < e.good.steps; k++)
      expect(Number.isFinite(e.good.records[k * DIAG_SIZE + DIAG.energy]!)).toBe(true);
    const x = await engine.readPositions();
    const D = await engine.readWeights();
    expect([...x, ...D].every(Number.isFinite)).toBe(true);
    await expect(engine.advance(1)).rejects.toBe(e);
    // restore clears the halt.
    const fresh = await new CpuSimEngine(s).snapshot();
    await engine.restore(fresh);
    await expect(engine.advance(1)).resolves.toMatchObject({ firstStep: 0, steps: 1 });
  });

  it('with haltOnNonFinite: false steps on (the worker engine, whose session checks rows itself)', async () => {
    const s = validateScenario({
      ...base,
      beta: 1000,
      weights: { init: { kind: 'random-symmetric', scale: 1000 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    });
    const batch = await new CpuSimEngine(s, { haltOnNonFinite: false }).advance(3);
    expect(batch.steps).toBe(3);
    await expect(new CpuSimEngine(s).advance(3)).rejects.toBeInstanceOf(NonFiniteError);
  });
});

describe('validator bounds', () => {
  it('bounds explicit weight entries like scale, naming the entry', () => {
    expect(() =>
      validateScenario(
        explicit([
          [MATRIX_ENTRY_MAX!, 0],
          [0, 1],
        ]),
      ),
    ).not.toThrow();
    expect(() =>
      validateScenario(
        explicit([
          [1e308, 0],
          [0, 1],
        ]),
      ),
    ).toThrow(/weights\.init\.matrices\[0\]\[0\]\[0\]: expected a finite number with \|x\| ≤ 1000, got 1e\+308/);
    const target = {
      ...base,
      weights: {
        init: { kind: 'identity' },
        drift: {
          kind: 'ou',
          target: [
            [2e3, 0],
            [0, 1],
          ],
        },
        noiseVariance: 0,
      },
    };
    expect(() => validateScenario(target)).toThrow(/weights\.drift\.target\[0\]\[0\]/);
  });

  it('refuses β·λ_min(D(0)) past ln(float64 max): identity scale and explicit (Gershgorin) matrices', () => {
    expect(LN_FLOAT64_MAX).toBeCloseTo(709.78, 2);
    expect(() =>
      validateScenario({ ...base, beta: 709, weights: { ...base.weights, init: { kind: 'identity', scale: 1 } } }),
    ).not.toThrow();
    expect(() =>
      validateScenario({ ...base, beta: 710, weights: { ...base.weights, init: { kind: 'identity', scale: 1 } } }),
    ).toThrow(/beta: β·λ_min\(D\(0\)\).*overflows at t = 0\. Lower β or the weights/);
    expect(() =>
      validateScenario({
        ...explicit([
          [900, 10],
          [10, 900],
        ]),
        beta: 1,
      }),
    ).toThrow(/beta/);
    // Gershgorin cannot prove overflow here (λ_min may be small): accepted, stopped at run time if it happens.
    expect(() =>
      validateScenario({
        ...explicit([
          [900, 899],
          [899, 900],
        ]),
        beta: 1,
      }),
    ).not.toThrow();
  });

  it('refuses JSON nested past 16 levels before parsing it, in milliseconds', () => {
    const deep = `${'['.repeat(5_000_000)}${']'.repeat(5_000_000)}`;
    const t = performance.now();
    expect(() => parseScenarioJson(deep)).toThrow(/json: nested deeper than 16 levels/);
    expect(performance.now() - t).toBeLessThan(2000);
    // Brackets inside strings do not count.
    expect(() => parseScenarioJson(JSON.stringify({ ...base, name: '['.repeat(100) }))).not.toThrow();
  });

  it('parseScenarioOffThread runs inline without Worker and throws the same ScenarioError', async () => {
    await expect(parseScenarioOffThread('text', '{')).rejects.toMatchObject({ field: 'json' });
    await expect(parseScenarioOffThread('link', 'nope')).rejects.toMatchObject({ field: 'url' });
    await expect(parseScenarioOffThread('text', JSON.stringify(base))).resolves.toMatchObject({ n: 6 });
  });
});

describe('cost and pace', () => {
  it('counts P·n²·H, the stages, d and the steps; warns past the limits', () => {
    const s = validateScenario({ ...base, n: 1000, heads: 10, d: 3, T: 1, dt: 0.01 });
    const c = estimateCost(s, 'cpu');
    expect(c.pairHeadsPerStep).toBe(1e7);
    expect(c.steps).toBe(100);
    // One thread of the SIMD float64 rows: 17.5–18.2 steps/s measured here (docs/BENCHMARKS.md).
    expect(c.secondsPerStep).toBeGreaterThan(0.04);
    expect(c.secondsPerStep).toBeLessThan(0.08);
    // Two threads halve it past the threading threshold; below it they change nothing.
    expect(estimateCost(s, 'cpu', 1, 2).secondsPerStep).toBeCloseTo(c.secondsPerStep / 2, 10);
    const small = validateScenario({ ...base, n: 32, heads: 2 });
    expect(estimateCost(small, 'cpu', 1, 2).secondsPerStep).toBe(estimateCost(small, 'cpu').secondsPerStep);
    expect(estimateCost({ ...s, integrator: 'rk4' }, 'cpu').secondsPerStep).toBeCloseTo(4 * c.secondsPerStep, 5);
    expect(estimateCost({ ...s, d: 12 }, 'cpu').secondsPerStep).toBeGreaterThan(3.9 * c.secondsPerStep);
    expect(costWarnings(c)).toEqual([]);
    const big = estimateCost(validateScenario({ ...base, n: 1 << 20, heads: 256, d: 16 }), 'cpu');
    expect(big.secondsPerStep).toBeGreaterThan(COST_LIMITS.secondsPerStep);
    expect(costWarnings(big).join(' ')).toMatch(/per step/);
  });

  it('the pace counts d, with d = 3 the neutral case', () => {
    expect(suggestedStepsPerFrame({ n: 1024, heads: 8, replicas: 1, d: 3 })).toBe(4);
    expect(suggestedStepsPerFrame({ n: 1024, heads: 8, replicas: 1, d: 12 })).toBe(1);
    expect(suggestedStepsPerFrame({ n: 512, heads: 8, replicas: 1, d: 16 })).toBeLessThan(
      suggestedStepsPerFrame({ n: 512, heads: 8, replicas: 1, d: 2 }),
    );
  });
});

describe('sweep arguments', () => {
  const refused = (argv: string[]): string => {
    try {
      planSweep(parseSweepArgs(argv));
    } catch (e) {
      expect((e as { code: number }).code).toBe(2);
      return (e as Error).message;
    }
    throw new Error(`accepted: ${argv.join(' ')}`);
  };

  it('checks every H, at least two distinct H, presets, repeated and malformed flags, before any work', () => {
    expect(refused(['--heads', '1,300'])).toMatch(/^--heads: preset s2-ou with H = 300 .*\[1, 256\]/);
    expect(refused(['--heads', '4,4'])).toMatch(/^--heads: a sweep needs at least two distinct/);
    expect(refused(['--heads', '5'])).toMatch(/at least two distinct/);
    expect(refused(['--preset', 'layers', '--heads', '1,2'])).toMatch(/^--heads: preset layers with H = 1/);
    expect(refused(['--preset', 's2-ou,nope'])).toMatch(/^--preset: unknown preset "nope"/);
    expect(refused(['--paths', '2', '--paths', '3'])).toMatch(/^--paths given twice/);
    expect(refused(['--heads', '1,,2'])).toMatch(/^--heads: expected comma-separated/);
    expect(refused(['--T', '-1'])).toMatch(/^--T: expected a positive number/);
    expect(refused(['--heads=1,2'])).toMatch(/^unknown flag --heads=1,2/);
    expect(refused(['stray'])).toMatch(/^unexpected argument "stray"/);
    expect(refused(['--out', ''])).toMatch(/^--out: expected a folder path/);
    expect(refused(['--heads', '1,256', '--n', '100000'])).toMatch(/estimated past the limits.*--yes/);
  });

  it('accepts a sound sweep and returns every run validated', () => {
    const plan = planSweep(parseSweepArgs(['--preset', 's1-ou', '--heads', '1,2', '--paths', '1', '--T', '0.1']));
    expect(plan).toHaveLength(1);
    expect(plan[0]!.heads).toEqual([1, 2]);
    expect(plan[0]!.base.T).toBe(0.1);
  });
});
