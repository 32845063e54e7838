/**
 * Every number TypeScript and WGSL must agree on, read from the kernel files (no GPU needed):
 * the `override` constants each pipeline sets (all of them, no others), and each `const` of
 * shaders/ that mirrors a TS value (field counts, stage count, d limits, tokens per invocation,
 * accumulator offsets, the Philox stream, the drift ids). Struct layouts and the flag values of
 * structs.wgsl are checked by layouts.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ATTENTION_KERNELS,
  ATTENTION_WG,
  attentionConstants,
  attentionShape,
  QUAD_TOKENS,
} from '../../src/gpu/attention-pass';
import { MAX_QUADS, tunableChoices } from '../../src/gpu/tunables';
import { COMBINE_WG, combineConstants, combineKernel, jumpEnergyConstants } from '../../src/gpu/combine-pass';
import {
  DRIFT_KIND,
  HEAD_ACC,
  headAccFloats,
  MAX_STAGES,
  SCALED_DIAG,
  SCALED_FIELDS,
  SIM_PARAMS,
  STEP_PARAMS,
  WGSL_CONSTS,
} from '../../src/gpu/layouts';
import { REDUCE_CONSTANTS, REDUCE_WG } from '../../src/gpu/reduce-pass';
import { MERGE_WG, mergeConstants } from '../../src/gpu/merge-pass';
import {
  checkConstants,
  KERNEL_OVERRIDES,
  KERNELS,
  kernelSource,
  type KernelName,
  type ShaderSources,
} from '../../src/gpu/shaders';
import { DIAG, DIAG_SIZE } from '../../src/model/attention';
import { TABLEAUX } from '../../src/model/integrators';
import { Stream } from '../../src/model/rng';
import { LIMITS, type Scenario } from '../../src/model/scenario';
import { gpuScenario } from './cases';

const DIR = join(__dirname, '..', '..', 'shaders');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.wgsl'))
  .map((f) => f.slice(0, -'.wgsl'.length));
const SOURCES = Object.fromEntries(
  FILES.map((f) => [f, readFileSync(join(DIR, `${f}.wgsl`), 'utf8')]),
) as unknown as ShaderSources;
const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[];

/** Source text of one file of shaders/. */
function file(name: string): string {
  const text = (SOURCES as Record<string, string>)[name];
  if (text === undefined) throw new Error(`shaders/${name}.wgsl not found`);
  return text;
}

/** The module-scope `const NAME: u32 = Nu;` values of a source. */
function u32Consts(source: string): Map<string, number> {
  return new Map([...source.matchAll(/^const (\w+): u32 = (\w+)u;/gm)].map((m) => [m[1]!, Number(m[2]!)]));
}

/** `override NAME: type = default;` declarations of a source; throws on any other form. */
function overrides(source: string): { name: string; type: string }[] {
  return source
    .split('\n')
    .filter((l) => /^\s*override\b/.test(l))
    .map((line) => {
      const m = /^override (\w+): (u32|i32|f32|bool) = ([\w.-]+);$/.exec(line.trim());
      if (!m) throw new Error(`cannot parse "${line}"`);
      return { name: m[1]!, type: m[2]! };
    });
}

/** Scenarios that select each attention kernel, with and without noise, softmax and unnormalised. */
const SCENARIOS: Scenario[] = [
  gpuScenario({ d: 2 }),
  gpuScenario({ d: 3, weights: { ...gpuScenario({}).weights, noiseVariance: 2 } }),
  gpuScenario({ d: 5, attention: 'unnormalized' }),
  gpuScenario({ d: 8, n: 4096, heads: 3 }),
  gpuScenario({ d: 12 }),
];

describe('the files of shaders/', () => {
  it('are each a kernel or a prelude of shaders.ts, and every kernel has its file', () => {
    const preludes = new Set<string>(Object.values(KERNELS).flat());
    for (const f of FILES) expect(f in KERNELS || preludes.has(f), `shaders/${f}.wgsl`).toBe(true);
    for (const k of [...KERNEL_NAMES, ...preludes]) expect(FILES, k).toContain(k);
  });

  it('size every workgroup by the WG override (the TS constant that also sizes the dispatch)', () => {
    for (const k of KERNEL_NAMES) {
      const sizes = [...file(k).matchAll(/@workgroup_size\(([^)]*)\)/g)].map((m) => m[1]);
      expect(sizes, k).toEqual(['WG']);
    }
  });

  it('mirror every u32 const in TypeScript (checked below), except the Philox multipliers', () => {
    // PHILOX_M0/M1/W0/W1 are the algorithm's own constants (rng.ts M0…W1): philox.test.ts checks
    // the words bit for bit.
    const unmirrored = new Set(['PHILOX_M0', 'PHILOX_M1', 'PHILOX_W0', 'PHILOX_W1']);
    const mirrored: Record<string, readonly string[]> = {
      structs: Object.keys(WGSL_CONSTS),
      philox: ['STREAM_WEIGHT_NOISE'],
      'weights-stage': Object.keys(DRIFT_KIND).map(driftConst),
      'attention-accumulate': ['TOKENS_PER_INVOCATION'],
      'attention-accumulate-d3': ['MAX_QUADS', 'MAX_D'],
      'attention-accumulate-d8': ['TOKENS_PER_INVOCATION', 'MAX_D'],
    };
    for (const f of FILES) {
      const names = [...u32Consts(file(f)).keys()].filter((n) => !unmirrored.has(n));
      expect(names.sort(), f).toEqual([...(mirrored[f] ?? [])].sort());
    }
  });
});

describe('override constants', () => {
  it('KERNEL_OVERRIDES lists exactly the overrides of each kernel module (preludes included)', () => {
    for (const k of KERNEL_NAMES) {
      const names = overrides(kernelSource(SOURCES, k)).map((o) => o.name);
      expect(new Set(names).size, `${k}: an override declared twice`).toBe(names.length);
      expect([...names].sort(), k).toEqual([...KERNEL_OVERRIDES[k]].sort());
    }
  });

  it('the passes set every override of their kernel and no other', () => {
    for (const s of SCENARIOS) {
      const shape = attentionShape(s);
      const stages = TABLEAUX[s.integrator].b.length;
      const built: [KernelName, Record<string, number>][] = [
        [shape.kernel, attentionConstants(s, shape)],
        ['attention-merge', mergeConstants(s, { jSplits: 3 })],
        [combineKernel(s), combineConstants(s, stages)],
        ['jump-energy', jumpEnergyConstants(s)],
        ['diagnostics-reduce', REDUCE_CONSTANTS],
      ];
      for (const [k, constants] of built) {
        expect(() => checkConstants(k, kernelSource(SOURCES, k), constants), `${k} d=${s.d}`).not.toThrow();
      }
    }
  });

  it('a typo, a missing key or a value of the wrong type fails before pipeline creation', () => {
    const s = SCENARIOS[0]!;
    const good: Record<string, number> = combineConstants(s, 1, 'token-combine');
    const source = kernelSource(SOURCES, 'token-combine');
    const { ACC_STRIDE, ...missing } = good;
    expect(ACC_STRIDE).toBe(headAccFloats(s.d));
    expect(() => checkConstants('token-combine', source, missing)).toThrow(/missing ACC_STRIDE/);
    expect(() => checkConstants('token-combine', source, { ...missing, ACC_STIRDE: ACC_STRIDE })).toThrow(
      /missing ACC_STRIDE; not declared ACC_STIRDE/,
    );
    expect(() => checkConstants('token-combine', source, { ...good, NOISE: 2 })).toThrow(/NOISE = 2 is not a bool/);
    expect(() => checkConstants('token-combine', source, { ...good, D: 2.5 })).toThrow(/D = 2.5 is not a u32/);
  });

  it('the workgroup sizes set are the ones the dispatches use', () => {
    for (const s of SCENARIOS) {
      const shape = attentionShape(s);
      const spec = ATTENTION_KERNELS[shape.kernel].tokensPerInvocation;
      const perInvocation = spec === 'quads' ? QUAD_TOKENS * shape.quads : spec;
      expect(attentionConstants(s, shape).WG).toBe(shape.wg);
      expect(shape.tokensPerWorkgroup).toBe(shape.wg * perInvocation);
      expect(combineConstants(s, 1).WG).toBe(COMBINE_WG);
      expect(jumpEnergyConstants(s).WG).toBe(COMBINE_WG);
    }
    expect(REDUCE_CONSTANTS.WG).toBe(REDUCE_WG);
    expect(mergeConstants(SCENARIOS[0]!, { jSplits: 2 }).WG).toBe(MERGE_WG);
    expect(Math.log2(REDUCE_WG) % 1, 'the tree reduction needs a power of two').toBe(0);
  });
});

describe('mirrored constants', () => {
  const structs = u32Consts(file('structs'));

  it('diagnostic fields: ScaledDiag holds DIAG_FIELDS, the jump energy last, flags above the field bits', () => {
    expect(structs.get('SCALED_FIELDS')).toBe(DIAG_SIZE);
    expect(SCALED_FIELDS).toBe(DIAG_SIZE);
    expect(structs.get('FIELD_JUMP')).toBe(DIAG.jump);
    expect(DIAG.jump).toBe(DIAG_SIZE - 1);
    const exponent = SCALED_DIAG.fields.find((f) => f.name === 'exponent')!;
    expect(exponent.type).toBe(`array<f32, ${DIAG_SIZE}>`);
    const flag = structs.get('FLAG_POSITIONS')!;
    expect(flag & (flag - 1), 'one bit').toBe(0);
    expect(flag).toBeGreaterThanOrEqual(1 << DIAG_SIZE);
  });

  it('stages: MAX_STAGES holds every tableau and is the width of the per-stage vec4 rows', () => {
    expect(structs.get('MAX_STAGES')).toBe(MAX_STAGES);
    for (const [name, t] of Object.entries(TABLEAUX)) expect(t.b.length, name).toBeLessThanOrEqual(MAX_STAGES);
    const vec4Rows = [
      ...SIM_PARAMS.fields.filter((f) => f.name === 'b' || f.name === 'c'),
      ...STEP_PARAMS.fields.filter((f) => f.name === 'phase' || f.name === 'layer'),
    ];
    expect(vec4Rows.map((f) => f.type)).toEqual(['vec4f', 'vec4f', 'vec4f', 'vec4u']);
    expect(MAX_STAGES).toBe(4);
    expect(SIM_PARAMS.fields.find((f) => f.name === 'a')!.type).toBe(`array<vec4f, ${MAX_STAGES}>`);
    expect(file('weights-stage')).toMatch(/var f: array<f32, MAX_STAGES>;/);
  });

  it('dimensions: DMAX is LIMITS.dMax, and each d from 1 to dMax has an attention kernel', () => {
    expect(structs.get('DMAX')).toBe(LIMITS.dMax);
    expect(ATTENTION_KERNELS['attention-accumulate'].maxD).toBe(structs.get('DMAX'));
    for (let d = 1; d <= LIMITS.dMax; d++) {
      const { kernel } = attentionShape({ d, n: 100, heads: 1, replicas: 1 });
      expect(d, kernel).toBeLessThanOrEqual(ATTENTION_KERNELS[kernel].maxD);
    }
  });

  it('tokens per invocation and the largest d of each attention kernel', () => {
    for (const [k, spec] of Object.entries(ATTENTION_KERNELS)) {
      const consts = u32Consts(file(k));
      // Workgroup x is a token workgroup and a j share (attention-io.wgsl jShare), the share fastest.
      expect(file(k), k).toMatch(/let sh = jShare\(wg\.x\);/);
      if (k !== 'attention-accumulate') expect(consts.get('MAX_D'), k).toBe(spec.maxD);
      if (spec.tokensPerInvocation === 'quads') {
        expect(consts.get('MAX_QUADS'), k).toBe(MAX_QUADS);
        expect(file(k), k).toMatch(new RegExp(`\\(sh\\.group \\* WG \\+ lid\\) \\* \\(${QUAD_TOKENS}u \\* QUADS\\)`));
        // Quads a … d written out, each behind its QUADS guard in the loop.
        for (let q = 1; q < MAX_QUADS; q++)
          expect(file(k), k).toMatch(new RegExp(`if \\(QUADS > ${q}u\\) \\{ addPairs`));
      } else {
        expect(consts.get('TOKENS_PER_INVOCATION'), k).toBe(spec.tokensPerInvocation);
        expect(file(k), k).toMatch(/\(sh\.group \* WG \+ lid\) \* TOKENS_PER_INVOCATION/);
      }
    }
  });

  it('every tunable choice sets its overrides and sizes its dispatch from the same numbers', () => {
    for (const tunables of tunableChoices()) {
      for (const s of SCENARIOS) {
        const shape = attentionShape(s, tunables);
        const constants = attentionConstants(s, shape);
        expect(() => checkConstants(shape.kernel, kernelSource(SOURCES, shape.kernel), constants)).not.toThrow();
        expect(constants.WG).toBe(shape.wg);
        if (shape.kernel === 'attention-accumulate-d3') {
          expect((constants as Record<string, number>).QUADS).toBe(tunables.quads);
          expect(shape.tokensPerWorkgroup).toBe(shape.wg * QUAD_TOKENS * tunables.quads);
        }
        if (ATTENTION_KERNELS[shape.kernel].tuned) {
          expect(shape.wg).toBeLessThanOrEqual(tunables.wg);
          expect(shape.wg).toBeGreaterThanOrEqual(tunables.shrinkTo);
        } else expect(shape.wg).toBe(ATTENTION_WG);
      }
    }
  });

  it('the accumulator record: HEAD_ACC offsets and ACC_STRIDE = ACC_S + d', () => {
    expect(HEAD_ACC).toEqual({
      m: structs.get('ACC_M'),
      N: structs.get('ACC_N'),
      q: structs.get('ACC_Q'),
      s: structs.get('ACC_S'),
    });
    for (const d of [2, 3, 5, 16]) expect(headAccFloats(d)).toBe(structs.get('ACC_S')! + d);
  });

  it('the Philox stream of the weight noise', () => {
    expect(u32Consts(file('philox')).get('STREAM_WEIGHT_NOISE')).toBe(Stream.weightNoise);
  });
});

/** The WGSL const of a drift kind: 'oscillating' → DRIFT_OSCILLATING. */
function driftConst(kind: string): string {
  return `DRIFT_${kind.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

describe('drift ids of weights-stage.wgsl', () => {
  const source = file('weights-stage');
  const consts = u32Consts(source);

  it('each kind of DRIFT_KIND has its const with the same id, and there are no others', () => {
    for (const [kind, id] of Object.entries(DRIFT_KIND)) expect(consts.get(driftConst(kind)), kind).toBe(id);
    const declared = [...consts.keys()].filter((n) => n.startsWith('DRIFT_'));
    expect(declared.sort()).toEqual(Object.keys(DRIFT_KIND).map(driftConst).sort());
    expect(new Set(Object.values(DRIFT_KIND)).size, 'distinct ids').toBe(Object.keys(DRIFT_KIND).length);
  });

  it('each kind has its own branch; the DRIFT override is compared with named ids only', () => {
    for (const kind of Object.keys(DRIFT_KIND)) {
      expect(source, kind).toMatch(new RegExp(`DRIFT == ${driftConst(kind)}\\)`));
    }
    const comparisons = [...source.matchAll(/DRIFT\s*[=!<>]=?\s*(\w+)/g)].map((m) => m[1]!);
    for (const c of comparisons) expect(c, 'a literal drift id').toMatch(/^DRIFT_[A-Z_]+$/);
  });

  it('an unknown id is no kind: driftEntry falls through to a NaN, not to 0', () => {
    const body = /fn driftEntry\([^)]*\) -> f32 \{([\s\S]*?)\n\}/.exec(source)?.[1];
    expect(body).toBeDefined();
    expect(body!.trim().split('\n').at(-1)!.trim()).toBe('return unknownDrift();');
    expect(source).toMatch(/fn unknownDrift\(\) -> f32 \{\s*return bitcast<f32>\(0x7fc00000u \| stepParams\.flags\);/);
    // Every kind but layers goes through driftEntry; layers is the one branch in main.
    expect(source).toMatch(/if \(DRIFT == DRIFT_LAYERS\) \{[\s\S]*\} else \{[\s\S]*driftEntry\(/);
  });
});
