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
import {
  DEFAULT_PERTURBATION,
  LIMITS,
  PAPER_OSCILLATION,
  type AttentionKind,
  type Drift,
  type FlowSign,
  type Integrator,
  type Matrix,
  type Perturbation,
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

const CLUSTERS: NumOpts = { integer: true, min: 1, max: 1024 };
const NOISE: NumOpts = { min: 0, max: 10 };
const KAPPA: NumOpts = { min: 0, gt: true, max: 1e6 };
const SCALE: NumOpts = { maxAbs: 1e3 };
const THETA: NumOpts = { min: 0, max: 1e3 };
const RATE: NumOpts = { min: 0, max: 1e3 };
const OSC: NumOpts = { maxAbs: 1e3 };
const POSITIVE: NumOpts = { min: 0, gt: true };
const FINITE: NumOpts = {};

const TOP_FIELDS = [
  'name',
  'description',
  'd',
  'n',
  'heads',
  'replicas',
  'beta',
  'flowSign',
  'attention',
  'integrator',
  'dt',
  'T',
  'seed',
  'tokens',
  'weights',
  'perturbation',
] as const;
const TOKEN_FIELDS = {
  uniform: [],
  'circle-clusters': ['clusters', 'noise'],
  octahedral: ['noise'],
  'cross-polytope': ['noise'],
  vmf: ['clusters', 'kappa'],
  explicit: ['points'],
} as const;
const INIT_FIELDS = { 'random-symmetric': ['scale'], identity: ['scale'], explicit: ['matrices'] } as const;
const DRIFT_FIELDS = {
  frozen: [],
  ou: ['theta', 'target'],
  oscillating: ['rate', 'frequency', 'center', 'amplitude', 'offAmplitude'],
  layers: ['layerDuration', 'layers'],
} as const;
const ATTENTION: readonly AttentionKind[] = ['softmax', 'unnormalized'];
const INTEGRATORS: readonly Integrator[] = ['euler', 'heun', 'rk4'];
const FLOW_SIGNS: readonly FlowSign[] = [-1, 1];

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

function isPlainObject(v: unknown): v is Rec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p: unknown = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}
function isPlainArray(v: unknown): v is unknown[] {
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
  numbers(path: string, v: unknown, dim: Dim): number[] | undefined {
    const len = this.arrayLength(path, v, dim, 'numbers', 1);
    if (len === undefined) return undefined;
    const out: number[] = new Array<number>(len);
    let ok = true;
    for (let i = 0; i < len; i++) {
      const e = this.element(path, v as unknown[], i);
      const x = e?.value;
      if (typeof x === 'number' && Number.isFinite(x)) {
        out[i] = x === 0 ? 0 : x;
      } else {
        ok = false;
        if (e) this.num(at(path, i), x, FINITE);
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
      const row = this.numbers(at(path, i), rs[i], cols);
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

function tokenSpec(c: Check, path: string, v: unknown, d?: number, n?: number): TokenSpec | undefined {
  const r = c.kinded(path, v, TOKEN_FIELDS);
  if (!r) return undefined;
  const [kind, o] = r;
  const kindPath = join(path, 'kind');
  switch (kind) {
    case 'uniform':
      return { kind };
    case 'circle-clusters': {
      if (d !== undefined && d !== 2) {
        c.fail(
          kindPath,
          'a token kind valid for this d',
          `"circle-clusters" lives on the circle and needs d = 2 (got d = ${d}); use "cross-polytope", "vmf" or "uniform" instead`,
        );
      }
      const clusters = c.optNum(o, path, 'clusters', 5, CLUSTERS);
      const noise = c.optNum(o, path, 'noise', 0.05, NOISE);
      return clusters !== undefined && noise !== undefined ? { kind, clusters, noise } : undefined;
    }
    case 'octahedral':
    case 'cross-polytope': {
      if (kind === 'octahedral' && d !== undefined && d !== 3) {
        c.fail(
          kindPath,
          'a token kind valid for this d',
          `"octahedral" needs d = 3 (got d = ${d}); use "cross-polytope" for the 2d vertices ±e_k in any d`,
        );
      }
      const noise = c.optNum(o, path, 'noise', 0.05, NOISE);
      return noise !== undefined ? { kind, noise } : undefined;
    }
    case 'vmf': {
      const clusters = c.optNum(o, path, 'clusters', 4, CLUSTERS);
      const kappa = c.optNum(o, path, 'kappa', 50, KAPPA);
      return clusters !== undefined && kappa !== undefined ? { kind, clusters, kappa } : undefined;
    }
    case 'explicit': {
      const p = join(path, 'points');
      const m = c.matrix(p, o.points, { n, max: LIMITS.nMax, name: 'n' }, { n: d, max: LIMITS.dMax, name: 'd' }, false);
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
      return ok ? { kind, points: m } : undefined;
    }
  }
}

function weightInit(c: Check, path: string, v: unknown, d?: number, heads?: number): WeightInit | undefined {
  const r = c.kinded(path, v, INIT_FIELDS);
  if (!r) return undefined;
  const [kind, o] = r;
  if (kind === 'explicit') {
    const matrices = c.matrices(join(path, 'matrices'), o.matrices, d, heads);
    return matrices ? { kind, matrices } : undefined;
  }
  const scale = c.optNum(o, path, 'scale', 1, SCALE);
  return scale !== undefined ? { kind, scale } : undefined;
}

function drift(c: Check, path: string, v: unknown, d?: number, heads?: number): Drift | undefined {
  const r = c.kinded(path, v, DRIFT_FIELDS);
  if (!r) return undefined;
  const [kind, o] = r;
  switch (kind) {
    case 'frozen':
      return { kind };
    case 'ou': {
      const theta = c.optNum(o, path, 'theta', 1, THETA);
      const p = join(path, 'target');
      let target: 'identity' | Matrix | undefined = 'identity';
      if (isPlainArray(o.target)) {
        const dim: Dim = { n: d, max: LIMITS.dMax, name: 'd' };
        target = c.matrix(p, o.target, dim, dim, true);
      } else if (o.target !== undefined && o.target !== 'identity') {
        target = c.expect(p, `"identity" or a symmetric ${d ?? 'd'}×${d ?? 'd'} matrix`, o.target);
      }
      return theta !== undefined && target !== undefined ? { kind, theta, target } : undefined;
    }
    case 'oscillating': {
      const P = PAPER_OSCILLATION;
      const rate = c.optNum(o, path, 'rate', P.rate, RATE);
      const frequency = c.optNum(o, path, 'frequency', P.frequency, OSC);
      const center = c.optNum(o, path, 'center', P.center, OSC);
      const amplitude = c.optNum(o, path, 'amplitude', P.amplitude, OSC);
      const offAmplitude = c.optNum(o, path, 'offAmplitude', P.offAmplitude, OSC);
      if (
        rate === undefined ||
        frequency === undefined ||
        center === undefined ||
        amplitude === undefined ||
        offAmplitude === undefined
      )
        return undefined;
      return { kind, rate, frequency, center, amplitude, offAmplitude };
    }
    case 'layers': {
      const layerDuration = c.num(join(path, 'layerDuration'), o.layerDuration, POSITIVE);
      const p = join(path, 'layers');
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
      if (layerDuration === undefined || !layers.every((l) => l !== undefined)) return undefined;
      return { kind, layerDuration, layers: layers as Matrix[][] };
    }
  }
}

function weightSpec(c: Check, path: string, v: unknown, d?: number, heads?: number): WeightSpec | undefined {
  const o = c.record(path, v, ['init', 'drift', 'noiseVariance']);
  if (!o) return undefined;
  const init = weightInit(c, join(path, 'init'), o.init, d, heads);
  const dr = drift(c, join(path, 'drift'), o.drift, d, heads);
  const noiseVariance = c.optNum(o, path, 'noiseVariance', 0, { min: 0, max: 1e4 });
  if (rawKind(o.drift) === 'layers' && noiseVariance !== undefined && noiseVariance !== 0) {
    c.fail(
      join(path, 'noiseVariance'),
      '0 with drift "layers"',
      'must be 0 with drift "layers": the layer schedule sets D(t) itself, there is no weight SDE to add noise to',
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
  const flowSign = o.flowSign === undefined ? -1 : c.oneOf('flowSign', o.flowSign, FLOW_SIGNS);
  const attention = o.attention === undefined ? 'softmax' : c.oneOf('attention', o.attention, ATTENTION);
  const integrator = o.integrator === undefined ? 'euler' : c.oneOf('integrator', o.integrator, INTEGRATORS);
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

/** Parses JSON text (never evaluated) and validates it; a syntax error is a ScenarioError with field "json". */
export function parseScenarioJson(text: string): Scenario {
  const fail = (message: string): ScenarioError =>
    new ScenarioError([{ field: 'json', expected: 'valid JSON text', message: `json: ${message}` }]);
  if (typeof text !== 'string') throw fail(`expected JSON text, got ${describe(text)}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw fail(`invalid JSON (${e instanceof Error ? e.message.slice(0, 200) : 'unparseable'})`);
  }
  return validateScenario(value);
}
