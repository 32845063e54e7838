// Prelude of the three attention-accumulate kernels: their tunables, their bindings (one
// bind group layout, src/gpu/attention-pass.ts) and the j shares. Prepended by src/gpu/shaders.ts (KERNELS).

/** Dimension d (each kernel says which d it serves). */
override D: u32 = 3u;
override H: u32 = 1u;
/** Invocations per workgroup, also the tile length (tokens j per tile). */
override WG: u32 = 64u;
/** σ² > 0: accumulate q̃ for the Itô term. */
override NOISE: bool = false;
/** Floats per (r, i, h) record: 3 + d (layouts.ts headAccFloats). */
override ACC_STRIDE: u32 = 6u;
/**
 * Shares of the j range (attention-pass.ts attentionShape): workgroup x = token workgroup ·
 * J_SPLITS + share; share k sums over tokens j in [k·J_CHUNK, min(n, (k + 1)·J_CHUNK)) and writes
 * its records to share k of acc; attention-merge.wgsl adds the shares. 1: the whole range.
 */
override J_SPLITS: u32 = 1u;
/** Tokens j per share: whole tiles of WG (at least n when J_SPLITS = 1). */
override J_CHUNK: u32 = 1048576u;

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

/** A workgroup's token workgroup, j share and the share's range of tokens j [start, end). */
struct Share {
  group: u32,
  k: u32,
  start: u32,
  end: u32,
}

/** The share of workgroup x = `wx` (tokenRange already added). */
fn jShare(wx: u32) -> Share {
  let k = wx % J_SPLITS;
  let start = k * J_CHUNK;
  return Share(wx / J_SPLITS, k, start, min(sim.n, start + J_CHUNK));
}

/** Float offset of the record of (replica r, token i, head h) in share k of acc. */
fn accAt(k: u32, r: u32, i: u32, h: u32) -> u32 {
  return (((k * sim.replicas + r) * sim.n + i) * H + h) * ACC_STRIDE;
}
