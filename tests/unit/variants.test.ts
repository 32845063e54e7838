/**
 * Variant scenarios (src/model/variants.ts): each is the base with one field changed, validated
 * and labelled; the same initial tokens across H; bad values name the field; links round-trip.
 */
import { describe, expect, it } from 'vitest';
import { initialTokens, initialWeights } from '../../src/model/init';
import { decodeVariants, encodeVariants, splitValues, variantScenarios } from '../../src/model/variants';
import { smallScenario } from './helpers';

const BASE = smallScenario({ heads: 2 });

describe('variants', () => {
  it('H = 1 / 10 / 100: only H differs; the tokens and the shared heads are the same', () => {
    const v = variantScenarios(BASE, 'heads', splitValues('1, 10 100'));
    expect(v.map((x) => x.label)).toEqual(['H = 1', 'H = 10', 'H = 100']);
    for (const x of v) expect({ ...x.scenario, heads: BASE.heads }).toEqual(BASE);
    const t = v.map((x) => Array.from(initialTokens(x.scenario)));
    expect(t[1]).toEqual(t[0]);
    expect(t[2]).toEqual(t[0]);
    // Head 0's D(0) is the same whatever H (3 × 3 entries).
    const w = v.map((x) => Array.from(initialWeights(x.scenario).subarray(0, 9)));
    expect(w[1]).toEqual(w[0]);
    expect(w[2]).toEqual(w[0]);
  });

  it('β, integrator and σ² variants; errors name the field', () => {
    expect(variantScenarios(BASE, 'beta', ['1', '4']).map((x) => x.scenario.beta)).toEqual([1, 4]);
    expect(variantScenarios(BASE, 'integrator', ['euler', 'rk4']).map((x) => x.label)).toEqual([
      'integrator = euler',
      'integrator = rk4',
    ]);
    expect(variantScenarios(BASE, 'noiseVariance', ['0', '2'])[1]!.scenario.weights.noiseVariance).toBe(2);
    expect(() => variantScenarios(BASE, 'heads', ['1'])).toThrow(/give 2–4 values of H/);
    expect(() => variantScenarios(BASE, 'heads', ['1', '2', '3', '4', '5'])).toThrow(/got 5/);
    expect(() => variantScenarios(BASE, 'beta', ['1', 'x'])).toThrow(/β value "x" is not a number/);
    expect(() => variantScenarios(BASE, 'integrator', ['euler', 'leapfrog'])).toThrow(/not one of euler/);
    expect(() => variantScenarios(BASE, 'heads', ['2', '2'])).toThrow(/must differ/);
    expect(() => variantScenarios(BASE, 'heads', ['1', '0'])).toThrow(/heads/);
  });

  it('links: v=<field>:<values> round-trips; a bad one is refused with the fields allowed', () => {
    expect(decodeVariants(encodeVariants('heads', ['1', '10', '100']))).toEqual({
      field: 'heads',
      values: ['1', '10', '100'],
    });
    expect(() => decodeVariants('colour:1,2')).toThrow(/field one of heads, beta, integrator, noiseVariance/);
  });
});
