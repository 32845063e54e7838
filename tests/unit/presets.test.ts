/** Presets: every one validates, and the paper's six match the MODEL.md Section 6 table. */
import { describe, expect, it } from 'vitest';
import { PRESETS, preset, DEFAULT_PRESET_ID } from '../../src/model/presets';
import { validateScenario } from '../../src/model/validate';

describe('presets', () => {
  it('every preset validates unchanged, for each of its sweep head counts', () => {
    for (const p of PRESETS) {
      for (const H of p.sweepHeads ?? [undefined]) expect(validateScenario(p.build(H))).toEqual(p.build(H));
      expect(p.lookFor.length).toBeGreaterThan(20);
    }
    expect(() => preset(DEFAULT_PRESET_ID)).not.toThrow();
    expect(() => preset('nope')).toThrow(/known: s1-oscillating/);
  });

  it('the paper experiments use the paper settings (MODEL.md table)', () => {
    const table: [string, number, number, number[], string, number, number][] = [
      ['s1-oscillating', 2, 100, [1, 5, 20], 'oscillating', 0, 1],
      ['s1-ou', 2, 100, [1, 5, 20], 'ou', 2, 10],
      ['s2-oscillating', 3, 200, [1, 10, 100], 'oscillating', 0, 1],
      ['s2-ou', 3, 200, [1, 10, 100], 'ou', 2, 10],
      ['s4-oscillating', 5, 200, [1, 10, 100], 'oscillating', 0, 1],
      ['s4-ou', 5, 200, [1, 10, 100], 'ou', 2, 20],
    ];
    for (const [id, d, n, heads, drift, sigma2, paths] of table) {
      const p = preset(id);
      const s = p.build();
      expect([
        s.d,
        s.n,
        s.weights.drift.kind,
        s.weights.noiseVariance,
        s.replicas,
        s.T,
        s.dt,
        s.beta,
        s.flowSign,
      ]).toEqual([d, n, drift, sigma2, paths, 20, 5e-3, 1, -1]);
      expect(p.sweepHeads).toEqual(heads);
      expect(s.weights.init).toEqual({ kind: 'random-symmetric', scale: 1 });
      if (drift === 'ou') expect(s.weights.drift).toEqual({ kind: 'ou', theta: 1, target: 'identity' });
      expect(s.tokens.kind).toBe(d === 2 ? 'circle-clusters' : d === 3 ? 'octahedral' : 'cross-polytope');
    }
  });
});
