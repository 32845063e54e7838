/**
 * Validation of untrusted scenarios (saved files, URLs, scripts, the UI) into the typed
 * `Scenario` of scenario.ts. The validator is total: it returns a fully populated,
 * freshly allocated Scenario or throws a `ScenarioError` listing what is wrong, and it
 * throws nothing else, whatever the input (getters, proxies, class instances, holes,
 * 10⁹-length arrays). It reads only own enumerable data properties of plain objects and
 * plain arrays, checks every array length before walking it, and never recurses beyond
 * the fixed depth of the schema.
 *
 * Behaviour worth knowing (documented, not silent):
 * - explicit token points are renormalised to unit length (a zero row is rejected; rows
 *   already unit to within 4e-15 are kept as given, so validation is idempotent);
 * - explicit symmetric matrices may be asymmetric by at most 1e-9·max(1, |entries|);
 *   the output mirrors the upper triangle so it is exactly symmetric;
 * - −0 is read as 0.
 */
import { ATTENTION_LIST, FLOW_SIGN_LIST, INTEGRATOR_LIST } from './kinds/choices';
import { DRIFT_KINDS } from './kinds/drift';
import { type AnyKind, assertNever, fieldNames, numberFields } from './kinds/field';
import { TOKEN_KINDS } from './kinds/tokens';
import { INIT_KINDS } from './kinds/weight-init';
import {
  DEFAULT_PERTURBATION,
  type Drift,
  LIMITS,
  type Matrix,
  type Perturbation,
  SCALAR_FIELDS,
  type Scenario,
  type TokenSpec,
  type WeightInit,
  type WeightSpec,
} from './scenario';

/** One problem found in a scenario. */
export interface ScenarioIssue {
  /** Path of the offending field, e.g. `weights.drift.theta` or `tokens.points[3]`. */
  field: string;
  /** What the field should be, e.g. `an integer in [2, 16]`. */
  expected: string;
  /** Full message, e.g. `scenario.weights.drift.theta: expected …, got "abc"`. */
  message: string;
}

/**
 * Thrown by `validateScenario` and `parseScenarioJson`. `field`, `expected` and the
 * message describe the first issue; `issues` lists all found (at most 20).
 * `field` is `"json"` for a syntax error and `"scenario"` when the input as a whole is wrong.
 */
export class ScenarioError extends Error {
  readonly field: string;
  readonly expected: string;
  readonly issues: ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[], truncated = false) {
    const list =
      issues.length > 0
        ? issues.map((i) => ({ ...i }))
        : [{ field: 'scenario', expected: 'a valid scenario', message: 'scenario: invalid' }];
    const more = list.length - 1;
    const tail = more > 0 ? ` (and ${truncated ? 'at least ' : ''}${more} more issue${more > 1 ? 's' : ''})` : '';
    super(list[0].message + tail);
    this.name = 'ScenarioError';
    this.field = list[0].field;
    this.expected = list[0].expected;
    this.issues = list;
  }
}

const MAX_ISSUES = 20;
const MAX_TEXT = 2000;
/** Relative tolerance of the symmetry check and of "T is a whole multiple of dt". */
const TOL = 1e-9;
/** Rows this close to unit length are kept bit-exact, so validating twice changes nothing. */
const UNIT_TOL = 4e-15;

type Rec = Record<string, unknown>;
interface NumOpts {
  min?: number;
  max?: number;
  gt?: boolean;
  maxAbs?: number;
  integer?: boolean;
  expected?: string;
}
/** An array dimension: exactly `n` when known (and named `name`), else at most `max`. */
interface Dim {
  n?: number;
  max: number;
  name: string;
}

const POSITIVE: NumOpts = { min: 0, gt: true };
const FINITE: NumOpts = {};
/** Entries of explicit weight matrices: the same bound as a weight kind's `scale` (1e3). */
export const MATRIX_ENTRY_MAX = INIT_KINDS.identity.numbers.scale.maxAbs;
const MATRIX_ENTRY: NumOpts = { maxAbs: MATRIX_ENTRY_MAX };
/**
 * ln of the largest float64: the energy's self-pair term e^{β⟨x_i, D_h x_i⟩} ≥ e^{β·λ_min(D_h)}
 * overflows to ∞ for every token once β·λ_min(D_h(0)) exceeds it (docs/MODEL-NOTES.md, bounds).
 */
export const LN_FLOAT64_MAX = Math.log(Number.MAX_VALUE);

/**
 * A lower bound on the smallest eigenvalue of D_h(0) over the heads, where one can be stated
 * without drawing it: `scale` for the identity, Gershgorin's min_i (D_ii − Σ_{j≠i} |D_ij|) for
 * explicit matrices; undefined for random draws.
 */
function minEigenLowerBound(init: WeightInit): number | undefined {
  switch (init.kind) {
    case 'identity':
      return init.scale;
    case 'explicit': {
      let low = Infinity;
      for (const m of init.matrices)
        for (let i = 0; i < m.length; i++) {
          let off = 0;
          for (let j = 0; j < m.length; j++) if (j !== i) off += Math.abs(m[i]![j]!);
          low = Math.min(low, m[i]![i]! - off);
        }
      return low;
    }
    case 'random-symmetric':
      return undefined;
    default:
      return assertNever(init, 'weight init');
  }
}

const TOP_FIELDS = ['name', 'description', ...SCALAR_FIELDS, 'tokens', 'weights', 'perturbation'] as const;

/** The fields each kind of a family allows, from its descriptors. */
function fieldTable<K extends string>(table: { readonly [k in K]: AnyKind }): Record<K, string[]> {
  const out = {} as Record<K, string[]>;
  for (const kind of Object.keys(table) as K[]) out[kind] = fieldNames(table[kind]);
  return out;
}
const TOKEN_FIELDS = fieldTable(TOKEN_KINDS);
const INIT_FIELDS = fieldTable(INIT_KINDS);
const DRIFT_FIELDS = fieldTable(DRIFT_KINDS);

const IDENT = /^[A-Za-z_$][\w$]*$/;
/**
 * `path.key`, or `path["odd key"]` for keys that are not identifiers (truncated to 64 chars)
 * and for top-level keys that would read like the special fields "scenario" and "json".
 */
function join(path: string, key: string): string {
  const special = !path && (key === 'scenario' || key === 'json');
  if (key.length <= 64 && IDENT.test(key) && !special) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}]`;
}
const at = (path: string, i: number): string => `${path}[${i}]`;
function label(field: string): string {
  if (field === 'scenario' || field === 'json') return field;
  return field.startsWith('[') ? `scenario${field}` : `scenario.${field}`;
}

/** Whether `v` is a plain object (prototype Object.prototype or null): not an array, class instance, Map, … */
export function isPlainObject(v: unknown): v is Rec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p: unknown = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}
/** Whether `v` is a plain array (prototype Array.prototype). */
export function isPlainArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
}

/** A short, safe description of a value for messages. */
function describe(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return 'nothing';
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'string':
      return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}…` : JSON.stringify(v);
    case 'boolean':
      return String(v);
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return isPlainArray(v) ? `an array of length ${v.length}` : 'a non-plain array';
  return isPlainObject(v) ? 'an object' : 'a non-plain object (class instance, Map, Date, …)';
}

function numPhrase(o: NumOpts): string {
  const base = o.integer ? 'an integer' : 'a finite number';
  if (o.min !== undefined && o.max !== undefined) return `${base} in ${o.gt ? '(' : '['}${o.min}, ${o.max}]`;
  if (o.min !== undefined) return `${base} ${o.gt ? '>' : '≥'} ${o.min}`;
  if (o.maxAbs !== undefined) return `${base} with |x| ≤ ${o.maxAbs}`;
  return base;
}
function dimPhrase(dim: Dim, unit: string, min: number): string {
  if (dim.n !== undefined) return `an array of ${dim.name} = ${dim.n} ${unit}`;
  return min > 0 ? `an array of ${min} to ${dim.max} ${unit}` : `an array of at most ${dim.max} ${unit}`;
}

/** Collects issues; every reader returns the cleaned value, or undefined after recording an issue. */
class Check {
  readonly issues: ScenarioIssue[] = [];

  fail(field: string, expected: string, message: string): undefined {
    const f = field || 'scenario';
    this.issues.push({ field: f, expected, message: `${label(f)}: ${message}` });
    if (this.issues.length >= MAX_ISSUES) throw new ScenarioError(this.issues, true);
    return undefined;
  }

  expect(path: string, expected: string, got: unknown): undefined {
    return this.fail(
      path,
      expected,
      got === undefined
        ? `missing required field (expected ${expected})`
        : `expected ${expected}, got ${describe(got)}`,
    );
  }

  num(path: string, v: unknown, o: NumOpts): number | undefined {
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (o.integer && !Number.isInteger(v)) ||
      (o.min !== undefined && (o.gt ? v <= o.min : v < o.min)) ||
      (o.max !== undefined && v > o.max) ||
      (o.maxAbs !== undefined && Math.abs(v) > o.maxAbs)
    ) {
      return this.expect(path, o.expected ?? numPhrase(o), v);
    }
    return v === 0 ? 0 : v;
  }

  /** Optional number field `key` of `o` with default `def`. */
  optNum(o: Rec, path: string, key: string, def: number, opts: NumOpts): number | undefined {
    return o[key] === undefined ? def : this.num(join(path, key), o[key], opts);
  }

  oneOf<T extends string | number>(path: string, v: unknown, options: readonly T[]): T | undefined {
    const hit = options.find((x) => x === v);
    if (hit !== undefined) return hit;
    return this.expect(path, `one of ${options.map((x) => JSON.stringify(x)).join(', ')}`, v);
  }

  bool(path: string, v: unknown): boolean | undefined {
    return typeof v === 'boolean' ? v : this.expect(path, 'true or false', v);
  }

  text(path: string, v: unknown): string | undefined {
    return typeof v === 'string' && v.length <= MAX_TEXT
      ? v
      : this.expect(path, `a string of at most ${MAX_TEXT} characters`, v);
  }

  /** Own enumerable data properties of a plain object, copied; unknown keys are issues unless `allowed` is null. */
  record(path: string, v: unknown, allowed: readonly string[] | null): Rec | undefined {
    if (!isPlainObject(v)) return this.expect(path, 'an object', v);
    const rec: Rec = Object.create(null) as Rec;
    for (const key of Object.keys(v)) {
      const desc = Object.getOwnPropertyDescriptor(v, key);
      if (!desc) continue;
      if (allowed && !allowed.includes(key)) this.unknown(path, key, allowed, '');
      else if (!('value' in desc))
        this.fail(join(path, key), 'a plain data value', 'accessor properties (getters) are not allowed');
      else rec[key] = desc.value;
    }
    return rec;
  }

  unknown(path: string, key: string, allowed: readonly string[], context: string): void {
    const list = allowed.length > 0 ? allowed.join(', ') : 'none';
    this.fail(
      join(path, key),
      `one of the fields ${list}`,
      `unknown field ${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}${context} (allowed: ${list})`,
    );
  }

  /** A `{kind, …}` object: checks the kind, then the fields allowed for that kind. */
  kinded<K extends string>(path: string, v: unknown, fields: Record<K, readonly string[]>): [K, Rec] | undefined {
    const rec = this.record(path, v, null);
    if (!rec) return undefined;
    const kind = this.oneOf(join(path, 'kind'), rec.kind, Object.keys(fields) as K[]);
    if (kind === undefined) return undefined;
    const allowed = ['kind', ...fields[kind]];
    for (const key of Object.keys(rec)) {
      if (!allowed.includes(key)) this.unknown(path, key, allowed, ` for kind "${kind}"`);
    }
    return [kind, rec];
  }

  /** The length of a plain array, checked against `dim` before anything is walked. */
  arrayLength(path: string, v: unknown, dim: Dim, unit: string, min: number): number | undefined {
    const expected = dimPhrase(dim, unit, min);
    if (!isPlainArray(v)) return this.expect(path, expected, v);
    const len = v.length;
    if (dim.n !== undefined ? len !== dim.n : len < min || len > dim.max) return this.expect(path, expected, v);
    return len;
  }

  /** Element i of a plain array, if it is an own data property (not a hole or a getter). */
  element(path: string, v: unknown[], i: number): { value: unknown } | undefined {
    const desc = Object.getOwnPropertyDescriptor(v, i);
    if (desc && 'value' in desc) return { value: desc.value as unknown };
    return this.fail(at(path, i), 'an element', 'expected an element, got a hole or a getter');
  }

  /** Elements of a plain array (length checked first). */
  list(path: string, v: unknown, dim: Dim, unit: string, min = 0): unknown[] | undefined {
    const len = this.arrayLength(path, v, dim, unit, min);
    if (len === undefined) return undefined;
    const out: unknown[] = new Array<unknown>(len);
    for (let i = 0; i < len; i++) {
      const e = this.element(path, v as unknown[], i);
      if (!e) return undefined;
      out[i] = e.value;
    }
    return out;
  }

  /** A row of finite numbers (the hot loop of big inputs, so no `list` copy and no `num` call on success). */
  numbers(path: string, v: unknown, dim: Dim, bound: NumOpts = FINITE): number[] | undefined {
    const len = this.arrayLength(path, v, dim, 'numbers', 1);
    if (len === undefined) return undefined;
    const out: number[] = new Array<number>(len);
    const maxAbs = bound.maxAbs ?? Infinity;
    let ok = true;
    for (let i = 0; i < len; i++) {
      const e = this.element(path, v as unknown[], i);
      const x = e?.value;
      if (typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= maxAbs) {
        out[i] = x === 0 ? 0 : x;
      } else {
        ok = false;
        // A non-number is "not a finite number"; a number past the bound names the bound.
        if (e) this.num(at(path, i), x, typeof x === 'number' && Number.isFinite(x) ? bound : FINITE);
      }
    }
    return ok ? out : undefined;
  }

  /** A rows×cols matrix of finite numbers; with `symmetric`, square and symmetric within TOL. */
  matrix(path: string, v: unknown, rows: Dim, cols: Dim, symmetric: boolean): Matrix | undefined {
    const rs = this.list(path, v, rows, 'rows', 1);
    if (!rs) return undefined;
    const m: Matrix = [];
    for (let i = 0; i < rs.length; i++) {
      // Weight matrices (D(0), OU targets, layers) share the bound of a kind's `scale`.
      const row = this.numbers(at(path, i), rs[i], cols, symmetric ? MATRIX_ENTRY : FINITE);
      if (row) m.push(row);
    }
    if (m.length !== rs.length) return undefined;
    return symmetric ? this.symmetrize(path, m) : m;
  }

  symmetrize(path: string, m: Matrix): Matrix | undefined {
    const k = m.length;
    if (m.some((row) => row.length !== k)) {
      return this.fail(
        path,
        'a square matrix',
        `expected a square matrix, got ${k} rows of lengths ${m.map((r) => r.length).join(', ')}`,
      );
    }
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const a = m[i][j],
          b = m[j][i];
        if (Math.abs(a - b) > TOL * Math.max(1, Math.abs(a), Math.abs(b))) {
          return this.fail(
            `${path}[${i}][${j}]`,
            'a symmetric matrix',
            `matrix is not symmetric: [${i}][${j}] = ${a} but its transpose [${j}][${i}] = ${b} (tolerance ${TOL}·max(1, |entries|))`,
          );
        }
        m[j][i] = a;
      }
    }
    return m;
  }

  /** `heads` symmetric d×d matrices (one layer, or the initial weights). */
  matrices(path: string, v: unknown, d: number | undefined, heads: number | undefined): Matrix[] | undefined {
    const dim: Dim = { n: d, max: LIMITS.dMax, name: 'd' };
    const ms = this.list(path, v, { n: heads, max: LIMITS.headsMax, name: 'heads' }, 'matrices', 1);
    if (!ms) return undefined;
    const out = ms.map((m, h) => this.matrix(at(path, h), m, dim, dim, true));
    return out.every((m) => m !== undefined) ? (out as Matrix[]) : undefined;
  }
}

/** The `kind` of a raw object, read safely (for cross-field rules when the object itself is invalid). */
function rawKind(v: unknown): unknown {
  if (!isPlainObject(v)) return undefined;
  const desc = Object.getOwnPropertyDescriptor(v, 'kind');
  return desc && 'value' in desc ? desc.value : undefined;
}

/** The numeric fields of a kind, in its descriptor's order: defaults filled in, each bound checked. */
function numbers(c: Check, path: string, o: Rec, d: AnyKind): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  let ok = true;
  for (const [key, f] of numberFields(d)) {
    const v = f.default === undefined ? c.num(join(path, key), o[key], f) : c.optNum(o, path, key, f.default, f);
    if (v === undefined) ok = false;
    else out[key] = v;
  }
  return ok ? out : undefined;
}

/** The d×d dimension of a symmetric matrix field. */
const square = (d: number | undefined): Dim => ({ n: d, max: LIMITS.dMax, name: 'd' });

/** A `{kind, …}` spec: the kind's numbers (descriptor order), then its data fields read by `data`. */
function kindSpec<F extends string>(
  c: Check,
  path: string,
  kind: string,
  o: Rec,
  desc: AnyKind,
  data: (field: F) => unknown,
): Rec | undefined {
  const nums = numbers(c, path, o, desc);
  const out: Rec = { kind, ...nums };
  let ok = nums !== undefined;
  for (const field of desc.data as readonly F[]) {
    const value = data(field);
    if (value === undefined) ok = false;
    else out[field] = value;
  }
  return ok ? out : undefined;
}

/** The non-numeric fields each family's kinds declare. */
type DataField<T extends Readonly<Record<string, { data: readonly string[] }>>> = T[keyof T]['data'][number];

function tokenSpec(c: Check, path: string, v: unknown, d?: number, n?: number): TokenSpec | undefined {
  const r = c.kinded(path, v, TOKEN_FIELDS);
  if (!r) return undefined;
  const [kind, o] = r;
  const desc = TOKEN_KINDS[kind];
  if (desc.onlyD && d !== undefined && d !== desc.onlyD.d) {
    c.fail(join(path, 'kind'), 'a token kind valid for this d', desc.onlyD.advice.replace('{d}', String(d)));
  }
  return kindSpec(c, path, kind, o, desc, (field: DataField<typeof TOKEN_KINDS>) => {
    switch (field) {
      case 'points':
        return explicitPoints(c, join(path, 'points'), o.points, d, n);
      default:
        return assertNever(field, 'token field');
    }
  }) as TokenSpec | undefined;
}

/** n×d points, each row renormalised to unit length (a zero row is an issue). */
function explicitPoints(c: Check, p: string, v: unknown, d?: number, n?: number): Matrix | undefined {
  const m = c.matrix(p, v, { n, max: LIMITS.nMax, name: 'n' }, { n: d, max: LIMITS.dMax, name: 'd' }, false);
  if (!m) return undefined;
  let ok = true;
  for (let i = 0; i < m.length; i++) {
    const row = m[i];
    const norm = Math.hypot(...row); // hypot neither overflows nor underflows
    if (norm === 0) {
      ok = false;
      c.fail(at(p, i), 'a nonzero row', 'row is zero and cannot be normalised to the unit sphere');
    } else if (Math.abs(norm - 1) > UNIT_TOL) {
      m[i] = row.map((x) => x / norm);
    }
  }
  return ok ? m : undefined;
}

function weightInit(c: Check, path: string, v: unknown, d?: number, heads?: number): WeightInit | undefined {
  const r = c.kinded(path, v, INIT_FIELDS);
  if (!r) return undefined;
  const [kind, o] = r;
  return kindSpec(c, path, kind, o, INIT_KINDS[kind], (field: DataField<typeof INIT_KINDS>) => {
    switch (field) {
      case 'matrices':
        return c.matrices(join(path, 'matrices'), o.matrices, d, heads);
      default:
        return assertNever(field, 'weight init field');
    }
  }) as WeightInit | undefined;
}

type DriftData = DataField<typeof DRIFT_KINDS>;

function drift(c: Check, path: string, v: unknown, d?: number, heads?: number): Drift | undefined {
  const r = c.kinded(path, v, DRIFT_FIELDS);
  if (!r) return undefined;
  const [kind, o] = r;
  return kindSpec(c, path, kind, o, DRIFT_KINDS[kind], (field: DriftData) => driftData(c, path, field, o, d, heads)) as
    | Drift
    | undefined;
}

/** A non-numeric field of a drift (one case per field any kind declares). */
function driftData(c: Check, path: string, field: DriftData, o: Rec, d?: number, heads?: number): unknown {
  const p = join(path, field);
  switch (field) {
    case 'target': {
      if (isPlainArray(o.target)) return c.matrix(p, o.target, square(d), square(d), true);
      if (o.target !== undefined && o.target !== 'identity') {
        return c.expect(p, `"identity" or a symmetric ${d ?? 'd'}×${d ?? 'd'} matrix`, o.target);
      }
      return 'identity';
    }
    case 'layers': {
      const raw = c.list(p, o.layers, { max: LIMITS.layersMax, name: 'L' }, 'layers', 1);
      if (!raw) return undefined;
      if (d !== undefined && heads !== undefined && raw.length * heads * d * d > LIMITS.layerEntriesMax) {
        c.fail(
          p,
          `at most ${LIMITS.layerEntriesMax} matrix entries in all (L·H·d²)`,
          `has ${raw.length}·${heads}·${d}² = ${raw.length * heads * d * d} matrix entries; at most ${LIMITS.layerEntriesMax} are allowed (fewer layers or heads)`,
        );
        return undefined;
      }
      const layers = raw.map((layer, k) => c.matrices(at(p, k), layer, d, heads));
      return layers.every((l) => l !== undefined) ? (layers as Matrix[][]) : undefined;
    }
    default:
      return assertNever(field, 'drift field');
  }
}

function weightSpec(c: Check, path: string, v: unknown, d?: number, heads?: number): WeightSpec | undefined {
  const o = c.record(path, v, ['init', 'drift', 'noiseVariance']);
  if (!o) return undefined;
  const init = weightInit(c, join(path, 'init'), o.init, d, heads);
  const dr = drift(c, join(path, 'drift'), o.drift, d, heads);
  const noiseVariance = c.optNum(o, path, 'noiseVariance', 0, { min: 0, max: 1e4 });
  const k = rawKind(o.drift);
  const sets = typeof k === 'string' && Object.hasOwn(DRIFT_KINDS, k) ? DRIFT_KINDS[k as Drift['kind']] : undefined;
  if (sets?.setsWeights && noiseVariance !== undefined && noiseVariance !== 0) {
    c.fail(
      join(path, 'noiseVariance'),
      `0 with drift "${k}"`,
      `must be 0 with drift "${k}": the ${sets.noun} sets D(t) itself, there is no weight SDE to add noise to`,
    );
  }
  return init && dr && noiseVariance !== undefined ? { init, drift: dr, noiseVariance } : undefined;
}

function perturbation(c: Check, v: unknown): Perturbation | undefined {
  const D = DEFAULT_PERTURBATION;
  if (v === undefined) return { ...D };
  const o = c.record('perturbation', v, ['tokens', 'weights', 'sharedNoise']);
  if (!o) return undefined;
  const tokens = c.optNum(o, 'perturbation', 'tokens', D.tokens, { min: 0, max: 10 });
  const weights = c.optNum(o, 'perturbation', 'weights', D.weights, { min: 0, max: 1e3 });
  const sharedNoise = o.sharedNoise === undefined ? D.sharedNoise : c.bool('perturbation.sharedNoise', o.sharedNoise);
  if (tokens === undefined || weights === undefined || sharedNoise === undefined) return undefined;
  return { tokens, weights, sharedNoise };
}

function scenario(c: Check, input: unknown): Scenario | undefined {
  const o = c.record('', input, TOP_FIELDS);
  if (!o) return undefined;
  const name = o.name === undefined ? undefined : c.text('name', o.name);
  const description = o.description === undefined ? undefined : c.text('description', o.description);
  const d = c.num('d', o.d, { integer: true, min: 2, max: LIMITS.dMax });
  const n = c.num('n', o.n, { integer: true, min: 1, max: LIMITS.nMax });
  const heads = c.num('heads', o.heads, { integer: true, min: 1, max: LIMITS.headsMax });
  const replicas = c.optNum(o, '', 'replicas', 1, { integer: true, min: 1, max: LIMITS.replicasMax });
  if (n !== undefined && replicas !== undefined && n * replicas > LIMITS.tokensMax) {
    c.fail(
      'replicas',
      `replicas·n ≤ ${LIMITS.tokensMax}`,
      `replicas·n = ${replicas}·${n} = ${replicas * n} exceeds LIMITS.tokensMax = ${LIMITS.tokensMax}`,
    );
  }
  const beta = c.optNum(o, '', 'beta', 1, { min: 0, gt: true, max: LIMITS.betaMax });
  const flowSign = o.flowSign === undefined ? -1 : c.oneOf('flowSign', o.flowSign, FLOW_SIGN_LIST);
  const attention = o.attention === undefined ? 'softmax' : c.oneOf('attention', o.attention, ATTENTION_LIST);
  const integrator = o.integrator === undefined ? 'euler' : c.oneOf('integrator', o.integrator, INTEGRATOR_LIST);
  const dt = c.num('dt', o.dt, { min: 0, gt: true, max: 1 });
  const T = c.num('T', o.T, POSITIVE);
  if (dt !== undefined && T !== undefined) {
    const k = T / dt,
      K = Math.round(k);
    if (!(K <= LIMITS.stepsMax)) {
      c.fail('T', `T/dt ≤ ${LIMITS.stepsMax}`, `T/dt = ${k} steps exceeds LIMITS.stepsMax = ${LIMITS.stepsMax}`);
    } else if (K < 1 || Math.abs(k - K) > TOL * K) {
      c.fail('T', 'a whole multiple of dt', `T must be a whole multiple of dt (T = ${T}, dt = ${dt}, T/dt = ${k})`);
    }
  }
  const seed = c.num('seed', o.seed, {
    integer: true,
    min: 0,
    max: 2 ** 53 - 1,
    expected: 'an integer with 0 ≤ seed < 2^53',
  });
  const tokens = tokenSpec(c, 'tokens', o.tokens, d, n);
  const weights = weightSpec(c, 'weights', o.weights, d, heads);
  const pert = perturbation(c, o.perturbation);
  if (
    c.issues.length > 0 ||
    d === undefined ||
    n === undefined ||
    heads === undefined ||
    replicas === undefined ||
    beta === undefined ||
    flowSign === undefined ||
    attention === undefined ||
    integrator === undefined ||
    dt === undefined ||
    T === undefined ||
    seed === undefined ||
    !tokens ||
    !weights ||
    !pert
  )
    return undefined;
  const low = weights.drift.kind === 'layers' ? undefined : minEigenLowerBound(weights.init);
  if (low !== undefined && beta * low > LN_FLOAT64_MAX) {
    c.fail(
      'beta',
      `β·λ_min(D(0)) ≤ ${LN_FLOAT64_MAX.toFixed(2)}`,
      `β·λ_min(D(0)) ≥ ${beta}·${low.toPrecision(4)} = ${(beta * low).toPrecision(4)} > ln(float64 max) = ${LN_FLOAT64_MAX.toFixed(2)}: every token's e^{β⟨x, D x⟩} overflows at t = 0. Lower β or the weights (scale, explicit entries).`,
    );
    return undefined;
  }
  return {
    ...(name !== undefined && { name }),
    ...(description !== undefined && { description }),
    d,
    n,
    heads,
    replicas,
    beta,
    flowSign,
    attention,
    integrator,
    dt,
    T,
    seed,
    tokens,
    weights,
    perturbation: pert,
  };
}

/**
 * Turns untrusted JSON-like input into a fully populated Scenario (defaults filled in,
 * a fresh deep copy sharing nothing with the input), or throws a ScenarioError naming
 * every problem found (up to 20). Never throws anything else.
 */
export function validateScenario(input: unknown): Scenario {
  const c = new Check();
  let s: Scenario | undefined;
  try {
    s = scenario(c, input);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    // A proxy trap or similar threw: report it rather than let it escape.
    throw new ScenarioError([
      ...c.issues,
      {
        field: 'scenario',
        expected: 'plain JSON-like data',
        message: 'scenario: the input could not be read as plain data (a proxy or accessor threw)',
      },
    ]);
  }
  if (!s) throw new ScenarioError(c.issues);
  return s;
}

/** The deepest nesting of a scenario: {weights {drift {layers [L [H [row [entry]]]]}}}. */
const SCENARIO_DEPTH = 7;
/** JSON nested deeper than this is refused before JSON.parse (which takes seconds on deep input). */
export const MAX_JSON_DEPTH = 16;

/**
 * The index of the first bracket that opens a level deeper than `max` (outside strings), or −1:
 * one linear pass over the text, so hostile nesting is refused in milliseconds per megabyte.
 */
export function jsonDepthOver(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** Parses JSON text (never evaluated) and validates it; a syntax error is a ScenarioError with field "json". */
export function parseScenarioJson(text: string): Scenario {
  const fail = (message: string): ScenarioError =>
    new ScenarioError([{ field: 'json', expected: 'valid JSON text', message: `json: ${message}` }]);
  if (typeof text !== 'string') throw fail(`expected JSON text, got ${describe(text)}`);
  const depth = jsonDepthOver(text, MAX_JSON_DEPTH);
  if (depth >= 0)
    throw fail(
      `nested deeper than ${MAX_JSON_DEPTH} levels at character ${depth} (a scenario needs at most ${SCENARIO_DEPTH}); not parsed`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw fail(`invalid JSON (${e instanceof Error ? e.message.slice(0, 200) : 'unparseable'})`);
  }
  return validateScenario(value);
}
