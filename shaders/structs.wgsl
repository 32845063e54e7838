// Struct declarations and flag values shared by every kernel. src/gpu/shaders.ts prepends this
// whole file to each kernel's source (WGSL has no includes). The byte layouts are declared once
// in src/gpu/layouts.ts and tests/gpu/layouts.test.ts checks them against this file; each u32
// `const` is mirrored in layouts.ts (WGSL_CONSTS, HEAD_ACC) and checked by
// tests/gpu/kernel-constants.test.ts.

/** Most Runge–Kutta stages (RK4; layouts.ts MAX_STAGES): the per-stage vec4 rows and lanes. */
const MAX_STAGES: u32 = 4u;
/** Fields of ScaledDiag, in DIAG_FIELDS order (src/model/attention.ts DIAG_SIZE). */
const SCALED_FIELDS: u32 = 6u;

/** Constants of one build of the engine (uniform, written once). */
struct SimParams {
  /** Row i: Runge–Kutta coefficients a_ij of stage i on the velocities of stages j < i. */
  a: array<vec4f, MAX_STAGES>,
  /** Weights b_j of the final combination. */
  b: vec4f,
  /** Stage nodes c_i (fractions of dt); also the share c_i·σΔW of the noise in stage i's weights. */
  c: vec4f,
  /** Inverse temperature β. */
  beta: f32,
  /** Time step dt. */
  dt: f32,
  /** dt·flowSign: tokens move by dtSigned·Σ_j coef_j·v_j before renormalisation. */
  dtSigned: f32,
  /** 0.5·σ·√dt: σΔW = noiseScale·(Z + Zᵀ). */
  noiseScale: f32,
  /** β·σ²/4: the Itô coefficient of ∂tE. */
  itoScale: f32,
  /** Tokens per replica. */
  n: u32,
  /** Replicas P. */
  replicas: u32,
  /** 1: every replica draws replica 0's noise (perturbation.sharedNoise). */
  sharedNoise: u32,
  /** Philox key (seedKey(seed) of src/model/rng.ts). */
  seedLo: u32,
  seedHi: u32,
  /** Offset (floats) of layer 0 in the schedule buffer; the replica offsets [P][H][d][d] come first. */
  layerBase: u32,
  _pad: u32,
}

/** Per-step values computed in float64 on the CPU (uniform ring, one 256-byte slot per step). */
struct StepParams {
  /** (frequency·t_i) mod 2π at stage i's time t_k + c_i·dt (oscillating targets, without 2πh/H). */
  phase: vec4f,
  /** Layer index of the schedule at stage i's time (layers drift). */
  layer: vec4u,
  /** Layer index at t_{k+1}. */
  layerEnd: u32,
  /** Step index k: counter word c0 of the weight noise. */
  step: u32,
  /** Row of this step in the records buffer. */
  slot: u32,
  /** STEP_EVALUATE_ONLY | STEP_JUMP. */
  flags: u32,
}

/** Which Runge–Kutta stage a dispatch works on (uniform, one 256-byte slot per stage). */
struct StageIndex {
  stage: u32,
}

/** Drift parameters, rewritten by setDrift without a rebuild (storage). */
struct DriftParams {
  /** OU θ, or the oscillating relaxation rate. */
  rate: f32,
  /** Oscillating targets: diagonal centre, diagonal amplitude, off-diagonal amplitude. */
  center: f32,
  amplitude: f32,
  offAmplitude: f32,
  /** OU target M, d×d row-major. */
  ouTarget: array<f32>,
}

/**
 * Diagnostic sums kept in log scale: field f is mantissa[f]·e^{exponent[f]}, in DIAG_FIELDS order
 * (energy, dEdt, G2, dissipation, dM, jump-energy). Per token (partials) and per (step, replica)
 * (records); the CPU converts to float64 and applies the 1/(2βHn²)-type factors.
 */
struct ScaledDiag {
  exponent: array<f32, SCALED_FIELDS>,
  mantissa: array<f32, SCALED_FIELDS>,
  /** Bit f: field f was non-finite; FLAG_POSITIONS: a token position was non-finite. */
  flags: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

/** StepParams.flags: diagnostics only (no noise, no state writes): SimEngine.evaluate(). */
const STEP_EVALUATE_ONLY: u32 = 1u;
/** StepParams.flags: the layer schedule changes during this step (jump energy is computed). */
const STEP_JUMP: u32 = 2u;
/** ScaledDiag.flags bit for non-finite token positions (above the SCALED_FIELDS field bits). */
const FLAG_POSITIONS: u32 = 64u;
/** Index of the jump-energy field of ScaledDiag (DIAG.jump, the last field). */
const FIELD_JUMP: u32 = 5u;
/** Largest d the kernels' private arrays hold (LIMITS.dMax of src/model/scenario.ts). */
const DMAX: u32 = 16u;
/**
 * One (replica, token, head) record of the attention accumulators, ACC_STRIDE = ACC_S + d floats
 * (layouts.ts HEAD_ACC, headAccFloats): the shift m, Ñ, q̃, then s̃_0 … s̃_{d−1}.
 */
const ACC_M: u32 = 0u;
const ACC_N: u32 = 1u;
const ACC_Q: u32 = 2u;
const ACC_S: u32 = 3u;
/** Lowest finite f32: the start of running maxima. */
const F32_LOWEST: f32 = -3.4028234e38;

/** True when v is ±∞ or NaN (bit test: compilers may fold v != v away). */
fn nonFinite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u;
}
