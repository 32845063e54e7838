/** The GUI's params object and its one mapping to a Scenario (src/ui/params.ts). */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/model/presets';
import { validateScenario, ScenarioError } from '../../src/model/validate';
import {
  changeKind,
  continueFrom,
  paramsFromPreset,
  paramsToScenario,
  suggestedStepsPerFrame,
} from '../../src/ui/params';
import { parseUrl } from '../../src/app/url';

describe('params ↔ scenario', () => {
  it.each(PRESETS.map((p) => p.id))('preset %s round-trips through the params unchanged', (id) => {
    expect(paramsToScenario(paramsFromPreset(id))).toEqual(validateScenario(PRESETS.find((p) => p.id === id)!.build()));
  });

  it('an invalid value throws a ScenarioError naming the field', () => {
    const p = paramsFromPreset('s2-oscillating');
    p.dt = 0.0123;
    expect(() => paramsToScenario(p)).toThrow(ScenarioError);
    try {
      paramsToScenario(p);
    } catch (e) {
      expect((e as ScenarioError).field).toBe('T');
    }
    p.dt = 0.005;
    p.n = 0;
    try {
      paramsToScenario(p);
    } catch (e) {
      expect((e as ScenarioError).field).toBe('n');
    }
  });

  it('sorts fields into live view, live drift, rebuild from state and full rebuild', () => {
    expect(changeKind('colouring')).toBe('view');
    expect(changeKind('drift.oscillating.frequency')).toBe('drift');
    expect(changeKind('beta')).toBe('state');
    expect(changeKind('n')).toBe('rebuild');
    expect(changeKind('noiseVariance')).toBe('state');
  });

  it('continueFrom makes the given state the initial one', () => {
    const s = paramsToScenario(paramsFromPreset('s1-oscillating'));
    const x = new Float64Array(s.n * s.d).map((_, i) => (i % 2 === 0 ? 1 : 0));
    const w = new Float64Array(s.heads * s.d * s.d).fill(0.5);
    const c = continueFrom(s, x, w);
    expect(c.tokens).toEqual({ kind: 'explicit', points: Array.from({ length: s.n }, () => [1, 0]) });
    expect(c.weights.init).toEqual({
      kind: 'explicit',
      matrices: [
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      ],
    });
  });
});

describe('URL query', () => {
  it('reads preset, heads and n; reports what it ignores', () => {
    const a = parseUrl('?preset=one-vs-many&heads=4&n=64');
    expect([a.params.preset, a.params.heads, a.params.n, a.warnings]).toEqual(['one-vs-many', 4, 64, []]);
    const b = parseUrl('?preset=nope&n=-3&heads=1e400');
    expect(b.warnings).toHaveLength(3);
    expect(b.params.n).toBeGreaterThan(0);
  });

  it("threads sets the CPU fallback's row threads; a bad value is named with the range and the default runs", () => {
    const fallback = parseUrl('').params.cpuThreads;
    expect(fallback).toBeGreaterThanOrEqual(1);
    expect(fallback).toBeLessThanOrEqual(8);
    const a = parseUrl('?threads=3');
    expect([a.params.cpuThreads, a.warnings]).toEqual([3, []]);
    for (const bad of ['0', '2.5', '17', 'x', '']) {
      const b = parseUrl(`?threads=${bad}`);
      expect(b.params.cpuThreads).toBe(fallback);
      expect(b.warnings).toEqual([
        `URL parameter threads: expected an integer from 1 to 16 (CPU threads for the float64 fallback), got "${bad}"; using the default`,
      ]);
    }
  });
});

describe('suggestedStepsPerFrame', () => {
  it('keeps small runs at the cap and gives heavy runs fewer steps, never fewer than one', () => {
    expect(suggestedStepsPerFrame({ n: 200, heads: 3, replicas: 1 })).toBe(10);
    // 3e7 / (1024²·8) = 3.6 → 4; 3e7 / (2048²·8) = 0.9 → 1.
    expect(suggestedStepsPerFrame({ n: 1024, heads: 8, replicas: 1 })).toBe(4);
    expect(suggestedStepsPerFrame({ n: 2048, heads: 8, replicas: 1 })).toBe(1);
    expect(suggestedStepsPerFrame({ n: 65536, heads: 8, replicas: 4 })).toBe(1);
  });
});
