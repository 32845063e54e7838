/**
 * Variants: one start run under 2–4 settings of one field, side by side. A variant is the base
 * scenario with that field changed and nothing else — the same seed, so the same initial tokens
 * (they depend on the seed, n and d only) and, where the shapes allow, the same initial weights
 * and noise (head h's D_h(0) and Brownian increments depend on (seed, h), not on H).
 */
import { INTEGRATOR_LIST } from './kinds/choices';
import { DRIFT_KIND_LIST, DRIFT_KINDS, type Drift, type DriftKind } from './kinds/drift';
import { numberDefaults, numberFields } from './kinds/field';
import type { Integrator, Scenario } from './scenario';
import { validateScenario } from './validate';

/**
 * The fields a variant can change: H, β, the integrator, σ², the weight schedule's kind
 * (`driftKind`) or one numeric parameter of a schedule kind (`drift.<kind>.<field>`, the names of
 * the Params binding, e.g. `drift.oscillating.frequency`).
 */
export type VariantField = 'heads' | 'beta' | 'integrator' | 'noiseVariance' | 'driftKind' | `drift.${string}`;

interface FieldSpec {
  /** The panel's name of the field. */
  label: string;
  /** The value in a scenario. */
  get(s: Scenario): number | string;
  /** `s` with the field set to `v` (parsed). */
  set(s: Scenario, v: string): Scenario;
  /** What the values should be, for error messages. */
  expected: string;
  /** The values the panel suggests when the field is chosen. */
  suggested: string;
}

const num = (field: string, v: string): number => {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x))
    throw new RangeError(`variants: ${field} value "${v.slice(0, 20)}" is not a number`);
  return x;
};

/**
 * The schedule kinds a variant can switch to: those whose numeric fields all have defaults in
 * their descriptor (a kind with required data, the layer schedule, has no sensible default).
 */
export const VARIANT_DRIFT_KINDS: readonly DriftKind[] = DRIFT_KIND_LIST.filter((k) =>
  numberFields(DRIFT_KINDS[k]).every(([, f]) => f.default !== undefined),
);

/**
 * A drift of `kind` for a variant of `s`: the run's own drift when it is of that kind, else the
 * kind's defaults (data fields left to the validator's defaults, e.g. the OU target I).
 */
function driftOfKind(s: Scenario, kind: DriftKind): Drift {
  if (s.weights.drift.kind === kind) return s.weights.drift;
  return { kind, ...numberDefaults(DRIFT_KINDS[kind]) } as Drift;
}

const withDrift = (s: Scenario, drift: Drift): Scenario => ({ ...s, weights: { ...s.weights, drift } });

/** "0.5, 1, 2" around a default x (x/2, x, 2x), "0, 1, 2" around 0. */
function around(x: number): string {
  return (x === 0 ? [0, 1, 2] : [x / 2, x, 2 * x]).join(', ');
}

/** The variant field of one schedule kind's numeric parameter (`drift.<kind>.<field>`). */
function driftParam(kind: DriftKind, field: string): FieldSpec {
  const desc = DRIFT_KINDS[kind];
  const f = numberFields(desc).find(([k]) => k === field)![1];
  return {
    label: f.label,
    get: (s) => (s.weights.drift as unknown as Record<string, number>)[field] ?? Number.NaN,
    // A run of another kind switches to this one, its other parameters at the kind's defaults.
    set: (s, v) => withDrift(s, { ...driftOfKind(s, kind), [field]: num(f.label, v) } as Drift),
    expected: `numbers (the ${desc.noun}'s ${field})`,
    suggested: around(f.default ?? 1),
  };
}

const driftParams: Record<`drift.${string}`, FieldSpec> = {};
for (const kind of VARIANT_DRIFT_KINDS)
  for (const [field, f] of numberFields(DRIFT_KINDS[kind]))
    if (!f.hidden) driftParams[`drift.${kind}.${field}`] = driftParam(kind, field);

/** The table of variant fields (one place: the panel and the links read it). */
export const VARIANT_FIELDS: { readonly [K in VariantField]: FieldSpec } = {
  heads: {
    label: 'H',
    get: (s) => s.heads,
    set: (s, v) => ({ ...s, heads: num('H', v) }),
    expected: 'whole numbers of heads',
    suggested: '1, 10, 100',
  },
  beta: {
    label: 'β',
    get: (s) => s.beta,
    set: (s, v) => ({ ...s, beta: num('β', v) }),
    expected: 'numbers β > 0',
    suggested: '1, 4, 9',
  },
  integrator: {
    label: 'integrator',
    get: (s) => s.integrator,
    set: (s, v) => {
      if (!(INTEGRATOR_LIST as readonly string[]).includes(v))
        throw new RangeError(`variants: integrator "${v.slice(0, 20)}" is not one of ${INTEGRATOR_LIST.join(', ')}`);
      return { ...s, integrator: v as Integrator };
    },
    expected: `integrators (${INTEGRATOR_LIST.join(', ')})`,
    suggested: INTEGRATOR_LIST.join(', '),
  },
  noiseVariance: {
    label: 'σ²',
    get: (s) => s.weights.noiseVariance,
    set: (s, v) => ({ ...s, weights: { ...s.weights, noiseVariance: num('σ²', v) } }),
    expected: 'numbers σ² ≥ 0',
    suggested: '0, 0.5, 2',
  },
  driftKind: {
    label: 'schedule',
    get: (s) => DRIFT_KINDS[s.weights.drift.kind].label,
    set: (s, v) => {
      const kind = VARIANT_DRIFT_KINDS.find((k) => k === v || DRIFT_KINDS[k].label === v);
      if (kind === undefined)
        throw new RangeError(
          `variants: schedule "${v.slice(0, 20)}" is not one of ${VARIANT_DRIFT_KINDS.map((k) => DRIFT_KINDS[k].label).join(', ')}`,
        );
      return withDrift(s, driftOfKind(s, kind));
    },
    expected: `schedule kinds (${VARIANT_DRIFT_KINDS.map((k) => DRIFT_KINDS[k].label).join(', ')})`,
    suggested: VARIANT_DRIFT_KINDS.slice(0, 3)
      .map((k) => DRIFT_KINDS[k].label)
      .join(', '),
  },
  ...driftParams,
};
export const VARIANT_FIELD_LIST = Object.keys(VARIANT_FIELDS) as VariantField[];

/** Fewest and most variants. */
export const VARIANTS_MIN = 2;
export const VARIANTS_MAX = 4;

/** One variant: its label ("H = 10") and scenario. */
export interface Variant {
  label: string;
  scenario: Scenario;
}

/** Splits "1, 10, 100" (commas or spaces) into the values. */
export function splitValues(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * The variants of `base` with `field` set to each of `values` (2–4, distinct), each validated:
 * a RangeError or ScenarioError naming the field and value otherwise.
 */
export function variantScenarios(base: Scenario, field: VariantField, values: readonly string[]): Variant[] {
  const spec = VARIANT_FIELDS[field];
  if (values.length < VARIANTS_MIN || values.length > VARIANTS_MAX)
    throw new RangeError(
      `variants: give ${VARIANTS_MIN}–${VARIANTS_MAX} values of ${spec.label} (${spec.expected}), got ${values.length}`,
    );
  const out = values.map((v) => {
    const s = validateScenario(spec.set(base, v));
    return { label: `${spec.label} = ${spec.get(s)}`, scenario: s };
  });
  const labels = new Set(out.map((v) => v.label));
  if (labels.size !== out.length) throw new RangeError(`variants: the values of ${spec.label} must differ`);
  return out;
}

/** The `v` URL parameter of a variants link: "<field>:<value>,<value>…" (e.g. "heads:1,10,100"). */
export function encodeVariants(field: VariantField, values: readonly string[]): string {
  return `${field}:${values.join(',')}`;
}

/** Reads a `v` parameter: the field and values, or a RangeError naming what is wrong. */
export function decodeVariants(param: string): { field: VariantField; values: string[] } {
  const colon = param.indexOf(':');
  const field = param.slice(0, colon) as VariantField;
  if (colon < 1 || !Object.hasOwn(VARIANT_FIELDS, field))
    throw new RangeError(
      `URL parameter v should be "<field>:<values>" with field one of ${VARIANT_FIELD_LIST.join(', ')}, got "${param.slice(0, 24)}"`,
    );
  return { field, values: splitValues(param.slice(colon + 1)) };
}
