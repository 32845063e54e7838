/**
 * Variant scenarios (src/model/variants.ts): each is the base with one field changed, validated
 * and labelled; the same initial tokens across H; bad values name the field; links round-trip.
 */
import { describe, expect, it } from 'vitest';
import { initialTokens, initialWeights } from '../../src/model/init';
import { DRIFT_KINDS, numberDefaults } from '../../src/model/kinds';
import {
  decodeVariants,
  encodeVariants,
  splitValues,
  VARIANT_DRIFT_KINDS,
  VARIANT_FIELD_LIST,
  VARIANT_FIELDS,
  variantScenarios,
} from '../../src/model/variants';
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
    expect(() => decodeVariants('colour:1,2')).toThrow(
      /field one of heads, beta, integrator, noiseVariance, driftKind/,
    );
    for (const field of ['driftKind', 'drift.oscillating.frequency'] as const) {
      const values = splitValues(VARIANT_FIELDS[field].suggested);
      const back = decodeVariants(encodeVariants(field, values));
      expect(back).toEqual({ field, values });
      // The decoded link builds the same variants.
      expect(variantScenarios(BASE, back.field, back.values)).toEqual(variantScenarios(BASE, field, values));
    }
    expect(() => decodeVariants('drift.layers.layerDuration:1,2')).toThrow(/URL parameter v/);
    expect(() => decodeVariants('drift.oscillating.nope:1,2')).toThrow(/URL parameter v/);
  });

  it('schedule kind: the kinds with defaults for every number; another kind starts at its defaults', () => {
    // The layer schedule needs its own matrices and duration: no default, not a variant kind.
    expect(VARIANT_DRIFT_KINDS).not.toContain('layers');
    expect(VARIANT_DRIFT_KINDS).toEqual(expect.arrayContaining(['frozen', 'ou', 'oscillating', 'rotating']));
    const osc = smallScenario({ heads: 2 });
    osc.weights.drift = { kind: 'oscillating', rate: 2, frequency: 3, center: 2, amplitude: 1, offAmplitude: 1 };
    const v = variantScenarios(osc, 'driftKind', ['oscillating', 'ou', 'rotating']);
    expect(v.map((x) => x.label)).toEqual(['schedule = oscillating', 'schedule = ou', 'schedule = rotating']);
    // The run's own kind keeps its parameters; the others take their descriptor's defaults.
    expect(v[0]!.scenario).toEqual(osc);
    expect(v[1]!.scenario.weights.drift).toEqual({ kind: 'ou', ...numberDefaults(DRIFT_KINDS.ou), target: 'identity' });
    expect(v[2]!.scenario.weights.drift).toEqual({ kind: 'rotating', ...numberDefaults(DRIFT_KINDS.rotating) });
    // Nothing but the schedule differs, so the same initial tokens and weights.
    for (const x of v)
      expect({ ...x.scenario, weights: { ...x.scenario.weights, drift: osc.weights.drift } }).toEqual(osc);
    expect(() => variantScenarios(osc, 'driftKind', ['ou', 'layers'])).toThrow(
      /schedule "layers" is not one of frozen, ou, oscillating, rotating/,
    );
    expect(() => variantScenarios(osc, 'driftKind', ['ou', 'ou'])).toThrow(/values of schedule must differ/);
  });

  it("a schedule parameter: one field per kind's number; the run's schedule, or the kind's defaults", () => {
    // Every visible number of every variant kind is a field, labelled as in the Weights folder.
    for (const kind of VARIANT_DRIFT_KINDS)
      for (const [f, spec] of Object.entries(DRIFT_KINDS[kind].numbers)) {
        const key = `drift.${kind}.${f}` as const;
        expect(VARIANT_FIELD_LIST.includes(key), key).toBe(!(spec as { hidden?: boolean }).hidden);
        if (!(spec as { hidden?: boolean }).hidden) expect(VARIANT_FIELDS[key].label).toBe(spec.label);
      }
    const osc = smallScenario({ heads: 2 });
    osc.weights.drift = { kind: 'oscillating', rate: 2, frequency: 3, center: 2, amplitude: 1, offAmplitude: 1 };
    const v = variantScenarios(osc, 'drift.oscillating.frequency', ['0.5', '3', '6']);
    expect(v.map((x) => x.label)).toEqual(['osc. frequency = 0.5', 'osc. frequency = 3', 'osc. frequency = 6']);
    expect(v.map((x) => x.scenario.weights.drift)).toEqual(
      [0.5, 3, 6].map((frequency) => ({ ...osc.weights.drift, frequency })),
    );
    // On a run of another kind the variants switch to that kind, its other numbers at the defaults.
    const theta = variantScenarios(BASE, 'drift.ou.theta', ['0.5', '2']);
    expect(theta.map((x) => x.scenario.weights.drift)).toEqual([
      { kind: 'ou', theta: 0.5, target: 'identity' },
      { kind: 'ou', theta: 2, target: 'identity' },
    ]);
    // Bad values name the field and the value.
    expect(() => variantScenarios(osc, 'drift.oscillating.frequency', ['1', 'fast'])).toThrow(
      /osc\. frequency value "fast" is not a number/,
    );
    expect(() => variantScenarios(osc, 'drift.ou.theta', ['1', '-1'])).toThrow(/drift\.theta.*got -1/);
    expect(() => variantScenarios(osc, 'drift.rotating.omega', ['1', '1e9'])).toThrow(/drift\.omega.*1000000000/);
  });
});
