import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/model/analysis';
import { DEFAULT_PERTURBATION, LIMITS, PAPER_OSCILLATION, type Scenario } from '../../src/model/scenario';
import { parseScenarioJson, ScenarioError, validateScenario } from '../../src/model/validate';
import { smallScenario } from './helpers';

type Json = Record<string, any>;

/** The smallest valid input: only the required fields. */
function minimal(): Json {
  return {
    d: 2,
    n: 10,
    heads: 1,
    dt: 0.01,
    T: 1,
    seed: 7,
    tokens: { kind: 'uniform' },
    weights: { init: { kind: 'identity' }, drift: { kind: 'frozen' } },
  };
}

/** The minimal input with one field taken out by `drop`. */
function minimalWithout(drop: (s: Json) => void): Json {
  const s = minimal();
  drop(s);
  return s;
}

/** Fully specified valid scenarios covering every kind (also the fuzz seeds). */
function fullScenarios(): Scenario[] {
  const sym2 = [
    [2, 0.5],
    [0.5, -1],
  ];
  const sym3 = [
    [1, 0.2, 0.3],
    [0.2, 2, -0.4],
    [0.3, -0.4, 3],
  ];
  return [
    {
      name: 'S1 oscillating',
      description: 'watch the clusters',
      d: 2,
      n: 100,
      heads: 5,
      replicas: 2,
      beta: 1.5,
      flowSign: 1,
      attention: 'unnormalized',
      integrator: 'heun',
      dt: 0.005,
      T: 20,
      seed: 42,
      tokens: { kind: 'circle-clusters', clusters: 5, noise: 0.05 },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 0 },
      perturbation: { tokens: 0.01, weights: 0.1, sharedNoise: true },
    },
    {
      d: 3,
      n: 4,
      heads: 2,
      replicas: 1,
      beta: 1,
      flowSign: -1,
      attention: 'softmax',
      integrator: 'rk4',
      dt: 0.1,
      T: 0.3,
      seed: 0,
      tokens: {
        kind: 'explicit',
        points: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, -1],
          [0.6, 0.8, 0],
        ],
      },
      weights: {
        init: { kind: 'explicit', matrices: [sym3, sym3.map((r) => r.map((x) => -x))] },
        drift: { kind: 'ou', theta: 2, target: sym3 },
        noiseVariance: 2,
      },
      perturbation: { tokens: 0, weights: 0, sharedNoise: false },
    },
    {
      d: 3,
      n: 200,
      heads: 2,
      replicas: 3,
      beta: 1,
      flowSign: -1,
      attention: 'softmax',
      integrator: 'euler',
      dt: 0.005,
      T: 1,
      seed: 2 ** 53 - 1,
      tokens: { kind: 'octahedral', noise: 0.1 },
      weights: {
        init: { kind: 'identity', scale: -2 },
        drift: {
          kind: 'layers',
          layerDuration: 0.5,
          layers: [
            [sym3, sym3],
            [sym3.map((r) => r.map((x) => x * 2)), sym3],
          ],
        },
        noiseVariance: 0,
      },
      perturbation: { tokens: 1e-3, weights: 0, sharedNoise: false },
    },
    {
      d: 5,
      n: 200,
      heads: 10,
      replicas: 20,
      beta: 1,
      flowSign: -1,
      attention: 'softmax',
      integrator: 'euler',
      dt: 0.005,
      T: 20,
      seed: 1,
      tokens: { kind: 'cross-polytope', noise: 0.05 },
      weights: {
        init: { kind: 'random-symmetric', scale: 1 },
        drift: { kind: 'ou', theta: 1, target: 'identity' },
        noiseVariance: 2,
      },
      perturbation: { tokens: 0, weights: 0, sharedNoise: false },
    },
    smallScenario({
      d: 2,
      dt: 0.25,
      T: 4,
      seed: 3,
      tokens: { kind: 'vmf', clusters: 3, kappa: 20 },
      weights: { init: { kind: 'explicit', matrices: [sym2] }, drift: { kind: 'frozen' }, noiseVariance: 0 },
      perturbation: { tokens: 0, weights: 0, sharedNoise: false },
    }),
  ];
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function catchError(input: unknown): unknown {
  try {
    validateScenario(input);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('validateScenario: valid input', () => {
  it('fills the documented defaults into a minimal scenario', () => {
    const s = validateScenario(minimal());
    // The minimal input (d 2, n 10, H 1, dt 0.01, T 1, seed 7, uniform tokens, identity D(0), frozen)
    // plus every documented default.
    expect(s).toStrictEqual({
      ...minimal(),
      replicas: 1,
      beta: 1,
      flowSign: -1,
      attention: 'softmax',
      integrator: 'euler',
      weights: { init: { kind: 'identity', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
      perturbation: DEFAULT_PERTURBATION,
    });
    expect(s.perturbation).not.toBe(DEFAULT_PERTURBATION);
    expect('name' in s).toBe(false);
  });

  it.each([
    [{ kind: 'circle-clusters' }, { kind: 'circle-clusters', clusters: 5, noise: 0.05 }, 2],
    [{ kind: 'octahedral' }, { kind: 'octahedral', noise: 0.05 }, 3],
    [{ kind: 'cross-polytope' }, { kind: 'cross-polytope', noise: 0.05 }, 7],
    [{ kind: 'vmf' }, { kind: 'vmf', clusters: 4, kappa: 50 }, 4],
  ])('token defaults for %o', (spec, want, d) => {
    expect(validateScenario({ ...minimal(), d, tokens: spec }).tokens).toStrictEqual(want);
  });

  it('weight and drift defaults', () => {
    const w = (init: object, drift: object) => validateScenario({ ...minimal(), weights: { init, drift } }).weights;
    expect(w({ kind: 'random-symmetric' }, { kind: 'ou' })).toStrictEqual({
      init: { kind: 'random-symmetric', scale: 1 },
      drift: { kind: 'ou', theta: 1, target: 'identity' },
      noiseVariance: 0,
    });
    expect(w({ kind: 'identity' }, { kind: 'oscillating' }).drift).toStrictEqual({ ...PAPER_OSCILLATION });
    expect(w({ kind: 'identity' }, { kind: 'oscillating', rate: 0 }).drift).toStrictEqual({
      ...PAPER_OSCILLATION,
      rate: 0,
    });
    const p = validateScenario({ ...minimal(), perturbation: { tokens: 0.5 } }).perturbation;
    expect(p).toStrictEqual({ tokens: 0.5, weights: 0, sharedNoise: false });
  });

  it('round-trips fully specified scenarios through JSON', () => {
    for (const s of fullScenarios()) {
      const out = validateScenario(clone(s));
      expect(out).toStrictEqual(s);
      expect(validateScenario(JSON.parse(JSON.stringify(out)))).toStrictEqual(out);
    }
  });

  it('accepts a null-prototype object and T/dt within rounding of a whole number', () => {
    const o = Object.assign(Object.create(null) as Json, minimal(), { T: 0.3, dt: 0.1 });
    expect(validateScenario(o).T).toBe(0.3);
    expect(validateScenario({ ...minimal(), T: 20, dt: 5e-3 }).T).toBe(20);
  });

  it('renormalises explicit points to unit length, robust to huge and tiny rows', () => {
    const points = [
      [3, 4],
      [0, -2],
      [1e-200, 1e-200],
      [1e200, 0],
      [-0, 5],
    ];
    const s = validateScenario({ ...minimal(), n: 5, tokens: { kind: 'explicit', points } });
    if (s.tokens.kind !== 'explicit') throw new Error('kind');
    const want = [
      [0.6, 0.8],
      [0, -1],
      [Math.SQRT1_2, Math.SQRT1_2],
      [1, 0],
      [0, 1],
    ];
    s.tokens.points.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(want[i][j], 15)));
    for (const row of s.tokens.points) expect(Math.hypot(...row)).toBeCloseTo(1, 15);
    expect(Object.is(s.tokens.points[4][0], -0)).toBe(false);
  });

  it('renormalisation is idempotent (validating twice changes nothing)', () => {
    const rnd = mulberry32(99);
    for (let d = 2; d <= LIMITS.dMax; d++) {
      const points = Array.from({ length: 64 }, () =>
        Array.from({ length: d }, () => (rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 10)),
      );
      const once = validateScenario({ ...minimal(), d, n: 64, tokens: { kind: 'explicit', points } });
      expect(validateScenario(clone(once))).toStrictEqual(once);
      if (once.tokens.kind !== 'explicit') throw new Error('kind');
      for (const row of once.tokens.points) expect(Math.abs(Math.hypot(...row) - 1)).toBeLessThan(4e-15);
    }
  });

  it('returns a deep copy that shares nothing with the input', () => {
    const input: Json = clone(fullScenarios()[1]);
    const out = validateScenario(input);
    const snapshot = clone(out);
    input.weights.init.matrices[0][0][0] = 99;
    input.tokens.points[0][0] = 99;
    input.weights.drift.target[0][0] = 99;
    input.perturbation.tokens = 5;
    expect(out).toStrictEqual(snapshot);
    expect(out.tokens).not.toBe(input.tokens);
  });

  it('tolerates 1e-9 relative asymmetry and outputs exactly symmetric matrices', () => {
    const m = [
      [1, 1 + 1e-12],
      [1, 2],
    ];
    const s = validateScenario({
      ...minimal(),
      weights: { init: { kind: 'explicit', matrices: [m] }, drift: { kind: 'frozen' } },
    });
    if (s.weights.init.kind !== 'explicit') throw new Error('kind');
    const out = s.weights.init.matrices[0];
    expect(out[0][1]).toBe(out[1][0]);
  });
});

/** [description, input builder, expected field, optional message fragment]. */
type BadCase = [string, () => unknown, string, (string | RegExp)?];
const withW = (patch: Json): Json => {
  const s = minimal();
  Object.assign(s.weights, patch);
  return s;
};
const withT = (tokens: unknown, patch: Json = {}): Json => ({ ...minimal(), ...patch, tokens });
const I2 = [
  [1, 0],
  [0, 1],
];
const I3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

const BAD: BadCase[] = [
  ['root null', () => null, 'scenario', 'expected an object, got null'],
  ['root array', () => [minimal()], 'scenario', 'array of length 1'],
  ['root string', () => 'scenario', 'scenario'],
  ['root class instance', () => new Date(), 'scenario', 'non-plain'],
  ['d as string', () => ({ ...minimal(), d: '3' }), 'd', 'got "3"'],
  ['d = 1', () => ({ ...minimal(), d: 1 }), 'd', 'an integer in [2, 16]'],
  ['d too large', () => ({ ...minimal(), d: LIMITS.dMax + 1 }), 'd'],
  ['d fractional', () => ({ ...minimal(), d: 2.5 }), 'd'],
  ['d missing', () => minimalWithout((s) => delete s.d), 'd', 'missing required field'],
  ['n = 0', () => ({ ...minimal(), n: 0 }), 'n'],
  ['n too large', () => ({ ...minimal(), n: LIMITS.nMax + 1 }), 'n'],
  ['n Infinity', () => ({ ...minimal(), n: Infinity }), 'n', 'got Infinity'],
  ['heads NaN', () => ({ ...minimal(), heads: NaN }), 'heads', 'got NaN'],
  ['heads 0', () => ({ ...minimal(), heads: 0 }), 'heads'],
  ['replicas too many', () => ({ ...minimal(), replicas: LIMITS.replicasMax + 1 }), 'replicas'],
  ['replicas·n too large', () => ({ ...minimal(), n: LIMITS.nMax, replicas: 8 }), 'replicas', 'tokensMax'],
  ['beta 0', () => ({ ...minimal(), beta: 0 }), 'beta'],
  ['beta too large', () => ({ ...minimal(), beta: LIMITS.betaMax * 2 }), 'beta'],
  ['flowSign 0', () => ({ ...minimal(), flowSign: 0 }), 'flowSign', 'one of -1, 1'],
  ['flowSign string', () => ({ ...minimal(), flowSign: '1' }), 'flowSign'],
  ['attention unknown', () => ({ ...minimal(), attention: 'soft' }), 'attention', '"softmax"'],
  ['integrator unknown', () => ({ ...minimal(), integrator: 'rk5' }), 'integrator'],
  ['dt = 0', () => ({ ...minimal(), dt: 0 }), 'dt'],
  ['dt negative', () => ({ ...minimal(), dt: -0.01 }), 'dt'],
  ['dt > 1', () => ({ ...minimal(), dt: 2, T: 4 }), 'dt'],
  ['T = 0', () => ({ ...minimal(), T: 0 }), 'T'],
  ['T not a multiple of dt', () => ({ ...minimal(), T: 1, dt: 0.3 }), 'T', 'T must be a whole multiple of dt'],
  ['T shorter than dt', () => ({ ...minimal(), T: 0.005 }), 'T', 'T must be a whole multiple of dt'],
  ['too many steps', () => ({ ...minimal(), T: 1e7, dt: 0.01 }), 'T', 'stepsMax'],
  ['seed negative', () => ({ ...minimal(), seed: -1 }), 'seed'],
  ['seed 2^53', () => ({ ...minimal(), seed: 2 ** 53 }), 'seed'],
  ['seed fractional', () => ({ ...minimal(), seed: 1.5 }), 'seed'],
  ['name too long', () => ({ ...minimal(), name: 'x'.repeat(2001) }), 'name'],
  ['description a number', () => ({ ...minimal(), description: 5 }), 'description'],
  ['top-level key "json"', () => ({ ...minimal(), json: 1 }), '["json"]', 'unknown field "json"'],
  [
    'extra top-level field',
    () => ({ ...minimal(), foo: 1 }),
    'foo',
    'unknown field "foo" (allowed: name, description, d',
  ],
  [
    '__proto__ key from JSON',
    () => JSON.parse(`{"__proto__": {"d": 3}, ${JSON.stringify(minimal()).slice(1)}`),
    '__proto__',
    'unknown field "__proto__"',
  ],
  ['getter property', () => Object.defineProperty(minimal(), 'd', { get: () => 3, enumerable: true }), 'd', 'getters'],
  ['tokens missing', () => minimalWithout((s) => delete s.tokens), 'tokens', 'missing'],
  ['tokens null', () => withT(null), 'tokens'],
  ['tokens array', () => withT([{ kind: 'uniform' }]), 'tokens'],
  ['tokens kind unknown', () => withT({ kind: 'gaussian' }), 'tokens.kind', '"uniform"'],
  ['tokens kind missing', () => withT({ clusters: 3 }), 'tokens.kind', 'missing'],
  ['extra field for kind', () => withT({ kind: 'uniform', noise: 0.1 }), 'tokens.noise', 'for kind "uniform"'],
  ['circle-clusters with d = 3', () => withT({ kind: 'circle-clusters' }, { d: 3 }), 'tokens.kind', 'd = 2'],
  ['octahedral with d = 2', () => withT({ kind: 'octahedral' }), 'tokens.kind', 'cross-polytope'],
  ['clusters 0', () => withT({ kind: 'vmf', clusters: 0 }), 'tokens.clusters'],
  ['clusters fractional', () => withT({ kind: 'circle-clusters', clusters: 2.5 }), 'tokens.clusters'],
  ['noise Infinity', () => withT({ kind: 'cross-polytope', noise: Infinity }), 'tokens.noise'],
  ['noise negative', () => withT({ kind: 'cross-polytope', noise: -0.1 }), 'tokens.noise'],
  ['kappa 0', () => withT({ kind: 'vmf', kappa: 0 }), 'tokens.kappa'],
  ['points missing', () => withT({ kind: 'explicit' }), 'tokens.points', 'missing'],
  ['points too few rows', () => withT({ kind: 'explicit', points: [[1, 0]] }), 'tokens.points', 'n = 10 rows'],
  [
    'points row too short',
    () => withT({ kind: 'explicit', points: [[1, 0], [1]] }, { n: 2 }),
    'tokens.points[1]',
    'd = 2 numbers',
  ],
  [
    'points entry string',
    () =>
      withT(
        {
          kind: 'explicit',
          points: [
            [1, 'abc'],
            [1, 0],
          ],
        },
        { n: 2 },
      ),
    'tokens.points[0][1]',
    'got "abc"',
  ],
  [
    'points entry NaN',
    () =>
      withT(
        {
          kind: 'explicit',
          points: [
            [1, 0],
            [NaN, 0],
          ],
        },
        { n: 2 },
      ),
    'tokens.points[1][0]',
  ],
  [
    'points zero row',
    () =>
      withT(
        {
          kind: 'explicit',
          points: [
            [1, 0],
            [0, 1],
            [0, 0],
          ],
        },
        { n: 3 },
      ),
    'tokens.points[2]',
    'zero',
  ],
  [
    'points with a hole',
    () => withT({ kind: 'explicit', points: [[1, 0], , [0, 1]] }, { n: 3 }),
    'tokens.points[1]',
    'hole',
  ],
  ['points length-1e9 claim', () => withT({ kind: 'explicit', points: { length: 1e9 } }), 'tokens.points'],
  ['points 1e7 rows', () => withT({ kind: 'explicit', points: new Array(1e7) }), 'tokens.points', 'length 10000000'],
  [
    'points nested too deep',
    () => withT({ kind: 'explicit', points: [[[1, 0]], [[0, 1]]] }, { n: 2 }),
    'tokens.points[0]',
  ],
  ['weights missing', () => minimalWithout((s) => delete s.weights), 'weights', 'missing'],
  ['weights.init missing', () => minimalWithout((s) => delete s.weights.init), 'weights.init', 'missing'],
  ['weights.drift missing', () => minimalWithout((s) => delete s.weights.drift), 'weights.drift', 'missing'],
  ['weights typo', () => withW({ noiseVarience: 2 }), 'weights.noiseVarience', 'unknown field'],
  ['noiseVariance negative', () => withW({ noiseVariance: -1 }), 'weights.noiseVariance'],
  ['scale too large', () => withW({ init: { kind: 'identity', scale: 1e4 } }), 'weights.init.scale'],
  ['init kind unknown', () => withW({ init: { kind: 'zeros' } }), 'weights.init.kind'],
  [
    'matrices wrong count',
    () => ({ ...withW({ init: { kind: 'explicit', matrices: [I3] } }), d: 3, heads: 2 }),
    'weights.init.matrices',
    'heads = 2 matrices',
  ],
  [
    'matrices entry string',
    () => ({
      ...withW({
        init: {
          kind: 'explicit',
          matrices: [
            I3,
            [
              [1, 0, 'abc'],
              [0, 1, 0],
              [0, 0, 1],
            ],
          ],
        },
      }),
      d: 3,
      heads: 2,
    }),
    'weights.init.matrices[1][0][2]',
    /^scenario\.weights\.init\.matrices\[1\]\[0\]\[2\]: expected a finite number, got "abc"$/,
  ],
  [
    'matrix not symmetric',
    () =>
      withW({
        init: {
          kind: 'explicit',
          matrices: [
            [
              [1, 2],
              [3, 1],
            ],
          ],
        },
      }),
    'weights.init.matrices[0][0][1]',
    'transpose [1][0] = 3',
  ],
  [
    'matrix wrong size',
    () => withW({ init: { kind: 'explicit', matrices: [I3] } }),
    'weights.init.matrices[0]',
    'd = 2 rows',
  ],
  ['drift kind unknown', () => withW({ drift: { kind: 'brownian' } }), 'weights.drift.kind'],
  ['ou theta negative', () => withW({ drift: { kind: 'ou', theta: -1 } }), 'weights.drift.theta'],
  [
    'ou target unknown string',
    () => withW({ drift: { kind: 'ou', target: 'eye' } }),
    'weights.drift.target',
    '"identity"',
  ],
  [
    'ou target not symmetric',
    () =>
      withW({
        drift: {
          kind: 'ou',
          target: [
            [1, 0.5],
            [0, 1],
          ],
        },
      }),
    'weights.drift.target[0][1]',
    'not symmetric',
  ],
  ['oscillating rate negative', () => withW({ drift: { kind: 'oscillating', rate: -1 } }), 'weights.drift.rate'],
  ['oscillating center huge', () => withW({ drift: { kind: 'oscillating', center: 1e6 } }), 'weights.drift.center'],
  [
    'layers with noise',
    () =>
      withW({
        drift: {
          kind: 'layers',
          layerDuration: 1,
          layers: [[I2]],
        },
        noiseVariance: 2,
      }),
    'weights.noiseVariance',
    'layer schedule sets D(t) itself',
  ],
  ['layers empty', () => withW({ drift: { kind: 'layers', layerDuration: 1, layers: [] } }), 'weights.drift.layers'],
  [
    'layers too many',
    () =>
      withW({
        drift: {
          kind: 'layers',
          layerDuration: 1,
          layers: new Array(LIMITS.layersMax + 1).fill([I2]),
        },
      }),
    'weights.drift.layers',
  ],
  [
    'layers missing duration',
    () =>
      withW({
        drift: {
          kind: 'layers',
          layers: [[I2]],
        },
      }),
    'weights.drift.layerDuration',
    'missing',
  ],
  [
    'layers wrong shape',
    () =>
      withW({
        drift: {
          kind: 'layers',
          layerDuration: 1,
          layers: [[I2], I2],
        },
      }),
    'weights.drift.layers[1]',
    'heads = 1 matrices',
  ],
  ['perturbation.tokens too large', () => ({ ...minimal(), perturbation: { tokens: 11 } }), 'perturbation.tokens'],
  ['perturbation.weights negative', () => ({ ...minimal(), perturbation: { weights: -1 } }), 'perturbation.weights'],
  [
    'perturbation.sharedNoise string',
    () => ({ ...minimal(), perturbation: { sharedNoise: 'yes' } }),
    'perturbation.sharedNoise',
    'true or false',
  ],
  ['perturbation extra field', () => ({ ...minimal(), perturbation: { eps: 1 } }), 'perturbation.eps'],
];

describe('validateScenario: invalid input', () => {
  it('has a large table', () => expect(BAD.length).toBeGreaterThanOrEqual(30));

  it.each(BAD)('%s', (_name, build, field, fragment) => {
    const e = catchError(build());
    expect(e).toBeInstanceOf(ScenarioError);
    const err = e as ScenarioError;
    expect(err.field).toBe(field);
    expect(err.message).toContain(
      field === 'scenario' ? 'scenario:' : `scenario${field.startsWith('[') ? '' : '.'}${field}:`,
    );
    expect(err.issues[0].field).toBe(field);
    expect(err.expected.length).toBeGreaterThan(0);
    if (typeof fragment === 'string') expect(err.message).toContain(fragment);
    else if (fragment) expect(err.message).toMatch(fragment);
  });

  it('collects several issues, capped at 20', () => {
    const e = catchError({ ...minimal(), d: 'x', n: -1, foo: 1 }) as ScenarioError;
    expect(e.issues.map((i) => i.field)).toEqual(['foo', 'd', 'n']);
    expect(e.message).toContain('and 2 more issues');
    const many = new Array(100).fill(0).map(() => ['a', 'b']);
    const e2 = catchError(withT({ kind: 'explicit', points: many }, { n: 100 })) as ScenarioError;
    expect(e2).toBeInstanceOf(ScenarioError);
    expect(e2.issues.length).toBe(20);
  });

  it('rejects huge arrays and length claims fast', () => {
    const t0 = performance.now();
    for (const points of [new Array(1e7), { length: 1e9 }, new Array(2e6).fill([1, 0])]) {
      expect(catchError(withT({ kind: 'explicit', points }))).toBeInstanceOf(ScenarioError);
    }
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('turns throwing proxies into a ScenarioError', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const evil = new Proxy({}, { getPrototypeOf: trap, ownKeys: trap, get: trap, getOwnPropertyDescriptor: trap });
    const e = catchError(evil) as ScenarioError;
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e.field).toBe('scenario');
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    expect(catchError(withT(proxy))).toBeInstanceOf(ScenarioError);
  });
});

describe('parseScenarioJson', () => {
  it('parses and validates', () => {
    expect(parseScenarioJson(JSON.stringify(minimal())).replicas).toBe(1);
  });
  it.each(['{', '', '{"d": 2,}', 'NaN', "{'d': 2}"])('rejects broken JSON %j with field "json"', (text) => {
    let err: unknown;
    try {
      parseScenarioJson(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).field).toBe('json');
    expect((err as ScenarioError).message).toMatch(/^json: invalid JSON/);
  });
  it('validation errors after parsing keep their field', () => {
    expect(() => parseScenarioJson('{"d": 2}')).toThrow(/scenario\.n: missing/);
  });
});

describe('fuzz', () => {
  const BIG = new Array(2e6).fill([1, 0]);
  const SPARSE = new Array(1e7);
  const throwingGetter = Object.defineProperty({}, 'kind', {
    get() {
      throw new Error('getter');
    },
    enumerable: true,
  });
  const trap = () => {
    throw new Error('trap');
  };
  /** Set when a throwing proxy is inserted: only then may the validator's catch-all fire. */
  let usedProxy = false;
  const badValues: (() => unknown)[] = [
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -1,
    () => 0,
    () => -0,
    () => 0.5,
    () => 1.5,
    () => 3,
    () => 1e9,
    () => 1e308,
    () => 2 ** 53,
    () => -1e-300,
    () => 'abc',
    () => '',
    () => '1',
    () => 'identity',
    () => 'uniform',
    () => null,
    () => undefined,
    () => true,
    () => false,
    () => ({}),
    () => [],
    () => [[1]],
    () => [[[[1]]]],
    () => ({ length: 1e9 }),
    () => BIG,
    () => SPARSE,
    () => [1, , 3],
    () => new Date(0),
    () => new Map(),
    () => Object.create({ kind: 'uniform' }),
    () => throwingGetter,
    () => Symbol('s'),
    () => 10n,
    () => () => 1,
    () => {
      usedProxy = true;
      return new Proxy({}, { getPrototypeOf: trap, ownKeys: trap });
    },
    () => ({ kind: 'explicit' }),
    () => ({ kind: 'layers', layerDuration: 1, layers: [[[[1]]]] }),
    () => ({ kind: 'uniform' }),
    () => ['a', 'b'],
    () => new Array(3).fill([1, 0, 0]),
    () => Object.freeze({ kind: 'frozen' }),
  ];
  const extraKeys = ['foo', 'kind', 'noiseVarience', '__proto__', '', 'x'.repeat(100), 'constructor', '0'];

  const noDescend = new WeakSet<object>([BIG, SPARSE, throwingGetter]);
  /** Only walk into plain, mutable, small containers made by this test. */
  function canDescend(v: unknown): v is object {
    if (v === null || typeof v !== 'object' || noDescend.has(v)) return false;
    try {
      const p: unknown = Object.getPrototypeOf(v);
      if (p !== Object.prototype && p !== Array.prototype) return false;
      return Object.isExtensible(v) && !(Array.isArray(v) && v.length > 1000);
    } catch {
      return false;
    }
  }

  /** Picks a random (container, key) by a random walk down the tree. */
  function pick(root: any, rnd: () => number): [any, string | number] {
    let node = root;
    for (;;) {
      const keys: (string | number)[] = Array.isArray(node) ? [...node.keys()] : Object.keys(node);
      if (keys.length === 0) return [node, 0];
      const key = keys[Math.floor(rnd() * keys.length)];
      const child: unknown = node[key];
      if (canDescend(child) && rnd() < 0.7) node = child;
      else return [node, key];
    }
  }

  function mutate(s: any, rnd: () => number): void {
    const [node, key] = pick(s, rnd);
    const r = rnd();
    if (r < 0.2) {
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete node[key];
    } else if (r < 0.7) {
      node[key] = badValues[Math.floor(rnd() * badValues.length)]();
    } else if (r < 0.8) {
      if (Array.isArray(node)) node.push(node[0]);
      else
        Object.defineProperty(node, extraKeys[Math.floor(rnd() * extraKeys.length)], {
          value: 1,
          enumerable: true,
          configurable: true,
          writable: true,
        });
    } else if (r < 0.9) {
      node[key] = [node[key]];
    } else if (typeof node[key] === 'number') {
      node[key] = node[key] * (rnd() < 0.5 ? -1 : 2) + (rnd() < 0.5 ? 0.5 : 0);
    } else {
      node[key] = JSON.parse(JSON.stringify(fullScenarios()[Math.floor(rnd() * 5)]));
    }
  }

  it('never throws anything but a ScenarioError naming its field', () => {
    const rnd = mulberry32(20260101);
    const bases = fullScenarios();
    bases.push(minimal() as Scenario);
    let valid = 0,
      invalid = 0;
    const t0 = performance.now();
    for (let iter = 0; iter < 3000; iter++) {
      const s = clone(bases[iter % bases.length]);
      usedProxy = false;
      const count = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < count; k++) mutate(s, rnd);
      let out: Scenario | undefined;
      try {
        out = validateScenario(s);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw new Error(`iteration ${iter}: non-ScenarioError ${String(e)}`);
        expect(typeof e.field).toBe('string');
        expect(e.field.length).toBeGreaterThan(0);
        expect(e.message).toContain(e.field);
        expect(e.issues.length).toBeGreaterThan(0);
        expect(e.issues.length).toBeLessThanOrEqual(20);
        for (const i of e.issues) expect(i.message.includes(i.field) && i.expected.length > 0).toBe(true);
        expect(e.message).not.toBe('scenario: invalid'); // the validator must always say why
        // The catch-all for throwing proxies must not be hiding a bug of the validator.
        if (e.issues.some((i) => i.message.includes('could not be read'))) expect(usedProxy).toBe(true);
        invalid++;
        continue;
      }
      valid++;
      expect(typeof out).toBe('object');
      expect(Number.isInteger(out.d) && Number.isInteger(out.n)).toBe(true);
      expect(validateScenario(JSON.parse(JSON.stringify(out)))).toStrictEqual(out);
    }
    expect(invalid).toBeGreaterThan(1000);
    expect(valid).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
