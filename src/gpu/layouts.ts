/**
 * Byte layouts of every struct the kernels share with TypeScript, declared once here and
 * checked against shaders/structs.wgsl by tests/gpu/layouts.test.ts (field names, order,
 * types, offsets, sizes), together with the flag values and the flat-array layouts.
 *
 * Flat buffers (f32 unless stated), all row-major:
 *   positions       [P][n][d]                      tokens x (tightly packed, no vec3 padding)
 *   stagePositions  [P][n][d]                      tokens of the next Runge–Kutta stage
 *   velocities      [S][P][n][d]                   v of each stage
 *   weights         [P][H][d][d]                   D
 *   stageWeights    [S][P][H][d][d]                D of each stage
 *   driftNoise      [2][P][H][d][d]                F_0 = f(D_k, t_k), then σΔW
 *   acc             [P][n][H][3 + d]               (m, Ñ, q̃, s̃) per (replica, token, head)
 *   partials        [P][n] ScaledDiag              per-token diagnostic sums
 *   records         [capacity][P] ScaledDiag       per (step, replica) diagnostic sums
 *   schedule        [P][H][d][d] then [L][H][d][d] layer offsets, then the layers
 */

import { DRIFT_KIND_LIST, DRIFT_KINDS, type DriftKind } from '../model/kinds/drift';
import { DIAG, DIAG_SIZE } from '../model/attention';
import { LIMITS } from '../model/scenario';

export type WgslType = 'f32' | 'u32' | 'vec4f' | 'vec4u' | 'array<vec4f, 4>' | 'array<f32, 6>' | 'array<f32>';

export interface FieldLayout {
  readonly name: string;
  readonly type: WgslType;
  /** Byte offset inside the struct. */
  readonly offset: number;
}

export interface StructLayout {
  readonly name: string;
  readonly fields: readonly FieldLayout[];
  /** Struct size in bytes (for a runtime-sized last member: the offset of that member). */
  readonly size: number;
}

function struct(name: string, size: number, fields: [string, WgslType, number][]): StructLayout {
  return { name, size, fields: fields.map(([n, type, offset]) => ({ name: n, type, offset })) };
}

/** Constants of one build (uniform). */
export const SIM_PARAMS = struct('SimParams', 144, [
  ['a', 'array<vec4f, 4>', 0],
  ['b', 'vec4f', 64],
  ['c', 'vec4f', 80],
  ['beta', 'f32', 96],
  ['dt', 'f32', 100],
  ['dtSigned', 'f32', 104],
  ['noiseScale', 'f32', 108],
  ['itoScale', 'f32', 112],
  ['n', 'u32', 116],
  ['replicas', 'u32', 120],
  ['sharedNoise', 'u32', 124],
  ['seedLo', 'u32', 128],
  ['seedHi', 'u32', 132],
  ['layerBase', 'u32', 136],
  ['_pad', 'u32', 140],
]);

/** Per-step values computed in float64 on the CPU (uniform ring, one aligned slot per step). */
export const STEP_PARAMS = struct('StepParams', 48, [
  ['phase', 'vec4f', 0],
  ['layer', 'vec4u', 16],
  ['layerEnd', 'u32', 32],
  ['step', 'u32', 36],
  ['slot', 'u32', 40],
  ['flags', 'u32', 44],
]);

/** Stage of a dispatch (uniform, one aligned slot per stage). */
export const STAGE_INDEX = struct('StageIndex', 4, [['stage', 'u32', 0]]);

/** Drift parameters (storage; the OU target follows the header). */
export const DRIFT_PARAMS = struct('DriftParams', 16, [
  ['rate', 'f32', 0],
  ['center', 'f32', 4],
  ['amplitude', 'f32', 8],
  ['offAmplitude', 'f32', 12],
  ['ouTarget', 'array<f32>', 16],
]);

/** Log-scale diagnostic sums, per token and per (step, replica). */
export const SCALED_DIAG = struct('ScaledDiag', 64, [
  ['exponent', 'array<f32, 6>', 0],
  ['mantissa', 'array<f32, 6>', 24],
  ['flags', 'u32', 48],
  ['_pad0', 'u32', 52],
  ['_pad1', 'u32', 56],
  ['_pad2', 'u32', 60],
]);

export const STRUCTS = [SIM_PARAMS, STEP_PARAMS, STAGE_INDEX, DRIFT_PARAMS, SCALED_DIAG] as const;

/** Byte offset of a field, throwing on a typo. */
export function offsetOf(layout: StructLayout, field: string): number {
  const f = layout.fields.find((x) => x.name === field);
  if (!f) throw new Error(`${layout.name} has no field ${field}`);
  return f.offset;
}

/** Most Runge–Kutta stages (RK4): the kernels' vec4 coefficient rows. */
export const MAX_STAGES = 4;

/** Number of ScaledDiag fields (DIAG_FIELDS order; the last holds the jump energy). */
export const SCALED_FIELDS = DIAG_SIZE;

/**
 * The `const` values of shaders/structs.wgsl, mirrored here under the same names
 * (tests/gpu/layouts.test.ts reads them from the file). Where the number has a TS meaning it is
 * taken from its TS source, so the test ties the WGSL to that source.
 */
export const WGSL_CONSTS = {
  MAX_STAGES,
  SCALED_FIELDS,
  STEP_EVALUATE_ONLY: 1,
  STEP_JUMP: 2,
  FLAG_POSITIONS: 64,
  FIELD_JUMP: DIAG.jump,
  DMAX: LIMITS.dMax,
  ACC_M: 0,
  ACC_N: 1,
  ACC_Q: 2,
  ACC_S: 3,
} as const;

/** Values of the `DRIFT` override of weights-stage.wgsl: each drift kind's descriptor `gpuId`. */
export const DRIFT_KIND = Object.fromEntries(DRIFT_KIND_LIST.map((k) => [k, DRIFT_KINDS[k].gpuId])) as {
  readonly [K in DriftKind]: number;
};

/** Offsets inside one accumulator record (floats; ACC_M … ACC_S of structs.wgsl). */
export const HEAD_ACC = {
  m: WGSL_CONSTS.ACC_M,
  N: WGSL_CONSTS.ACC_N,
  q: WGSL_CONSTS.ACC_Q,
  s: WGSL_CONSTS.ACC_S,
} as const;

/** Floats per (replica, token, head) accumulator: m, Ñ, q̃, then s̃ (d): the ACC_STRIDE override. */
export function headAccFloats(d: number): number {
  return HEAD_ACC.s + d;
}
