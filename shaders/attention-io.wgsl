// Prelude of the three attention-accumulate kernels: their tunables and their bindings (one
// bind group layout, src/gpu/attention-pass.ts). Prepended by src/gpu/shaders.ts (KERNELS).

/** Dimension d (each kernel says which d it serves). */
override D: u32 = 3u;
override H: u32 = 1u;
/** Invocations per workgroup, also the tile length (tokens j per tile). */
override WG: u32 = 64u;
/** σ² > 0: accumulate q̃ for the Itô term. */
override NOISE: bool = false;
/** Floats per (r, i, h) record: 3 + d (layouts.ts headAccFloats). */
override ACC_STRIDE: u32 = 6u;

@group(0) @binding(0) var<uniform> sim: SimParams;
@group(0) @binding(1) var<uniform> stage: StageIndex;
/** Tokens of the stage [P][n][d]. */
@group(0) @binding(2) var<storage, read> positions: array<f32>;
/** Weights [stages][P][H][d][d]; the stage's block is used. */
@group(0) @binding(3) var<storage, read> weights: array<f32>;
@group(0) @binding(4) var<storage, read_write> acc: array<f32>;
/**
 * Range of this dispatch: .x = its first token workgroup, .y = its first head (workgroup x and y
 * count from there). 0 for a whole-stage dispatch; a split stage (src/gpu/engine-gpu.ts frame
 * budget) writes it before each submit of one range.
 */
@group(0) @binding(5) var<uniform> tokenRange: vec4u;
