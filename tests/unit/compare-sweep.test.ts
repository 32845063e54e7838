/** Pure parts of the comparison and the in-app H sweep (no DOM, no worker). */
import { describe, expect, it } from 'vitest';
import { compareKind, setCompare } from '../../src/ui/compare-gui';
import { compareSentence } from '../../src/ui/compare-caption';
import { formatExponent, parseHeads, sweepScenario } from '../../src/app/sweep-panel';
import { paramsFromPreset, paramsToScenario } from '../../src/ui/params';
import { sweepFraction } from '../../src/worker/sweep-client';
import { sweepChunk } from '../../src/worker/sweep-protocol';
import { CpuSimEngine } from '../../src/model/engine';
import { runHeadSweep } from '../../src/model/sweep';

describe('compare folder', () => {
  it("maps each kind onto the scenario's replicas and perturbation, and back", () => {
    const p = paramsFromPreset('clustering-beta9');
    expect(compareKind(p)).toBe('off');
    setCompare(p, 'token noise ε', 0, 2);
    expect(paramsToScenario(p)).toMatchObject({
      replicas: 3,
      perturbation: { tokens: 1e-4, weights: 0, sharedNoise: true },
    });
    expect(compareKind(p)).toBe('token noise ε');
    setCompare(p, 'weights D(0) + δ', 0.02, 1);
    expect(paramsToScenario(p)).toMatchObject({
      replicas: 2,
      perturbation: { tokens: 0, weights: 0.02, sharedNoise: true },
    });
    expect(compareKind(p)).toBe('weights D(0) + δ');
    setCompare(p, 'own noise path', 0, 4);
    expect(paramsToScenario(p)).toMatchObject({
      replicas: 5,
      perturbation: { tokens: 0, weights: 0, sharedNoise: false },
    });
    expect(compareKind(p)).toBe('own noise path');
    // σ² = 0 here: the caption says the noise-path copies stay identical.
    expect(compareSentence(p)).toMatch(/stay identical at σ² = 0/);
    setCompare(p, 'off', 0, 4);
    expect(paramsToScenario(p)).toMatchObject({ replicas: 1 });
    expect(compareSentence(p)).toBe('');
  });

  it("the OU presets' Monte Carlo paths read as noise paths", () => {
    const p = paramsFromPreset('s2-ou');
    expect(compareKind(p)).toBe('own noise path');
    expect(compareSentence(p)).toMatch(/^10 Monte Carlo paths/);
  });
});

describe('in-app H sweep', () => {
  it('parses the head list: sorted, distinct, at least two, within the limits', () => {
    expect(parseHeads('100, 1 10;10')).toEqual([1, 10, 100]);
    expect(() => parseHeads('4')).toThrow(/at least two/);
    expect(() => parseHeads('1, 2.5')).toThrow(/"2\.5"/);
    expect(() => parseHeads('1, 1000')).toThrow(/1 to 256/);
  });

  it("builds independent paths of the params' scenario with n, T and P replaced", () => {
    const p = paramsFromPreset('clustering-beta9');
    setCompare(p, 'token noise ε', 1e-3, 1);
    const s = sweepScenario(p, [1, 4], { n: 32, T: 0.5, paths: 3 });
    expect(s).toMatchObject({
      n: 32,
      T: 0.5,
      replicas: 3,
      heads: 1,
      perturbation: { tokens: 0, weights: 0, sharedNoise: false },
    });
    expect(() => sweepScenario(p, [1, 4], { n: 32, T: 0.503, paths: 1 })).toThrow(/T/);
  });

  it('weighs the work of each head count ∝ H + 1, and sizes engine calls ∝ 1/(n²HP)', () => {
    expect(sweepFraction([1, 10, 100], 0, 0, 100)).toBe(0);
    expect(sweepFraction([1, 10, 100], 1, 50, 100)).toBeCloseTo((2 + 5.5) / 114, 12);
    expect(sweepFraction([1, 10, 100], 2, 100, 100)).toBe(1);
    const s = paramsToScenario(paramsFromPreset('s2-ou'));
    expect(sweepChunk({ ...s, n: 200, heads: 100, replicas: 2 })).toBe(1);
    expect(sweepChunk({ ...s, n: 32, heads: 1, replicas: 1 })).toBe(200);
    // The GPU engine gets ~1e8 pair-heads per call (one submit + one map each), at most 500 steps.
    expect(sweepChunk({ ...s, n: 200, heads: 100, replicas: 2 }, 'gpu')).toBe(13);
    expect(sweepChunk({ ...s, n: 200, heads: 1, replicas: 2 }, 'gpu')).toBe(500);
    expect(sweepChunk({ ...s, n: 65536, heads: 8, replicas: 1 }, 'gpu')).toBe(1);
  });

  it("the worker's chunking gives the same sweep as fixed chunks (the CLI's numbers)", async () => {
    const p = paramsFromPreset('s2-ou');
    const s = sweepScenario(p, [1, 3], { n: 12, T: 0.2, paths: 2 });
    const make = (x: typeof s) => new CpuSimEngine(x);
    const a = await runHeadSweep(s, [1, 3], { makeEngine: make });
    const b = await runHeadSweep(s, [1, 3], { makeEngine: make, chunk: (x) => 1 + (x.heads % 7) });
    expect(b.points.map((q) => q.perPath)).toEqual(a.points.map((q) => q.perPath));
    expect(b.fit.b).toBe(a.fit.b);
  });

  it('prints b with three decimals and a true minus sign', () => {
    expect(formatExponent(-0.9071)).toBe('−0.907');
    expect(formatExponent(NaN)).toBe('—');
  });
});
