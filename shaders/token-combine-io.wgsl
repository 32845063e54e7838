// Prelude of the two token-combine kernels (token-combine.wgsl for any d, token-combine-d3.wgsl):
// their tunables and their bindings (one bind group layout, src/gpu/combine-pass.ts). Prepended
// by src/gpu/shaders.ts (KERNELS).

override H: u32 = 1u;
override STAGES: u32 = 1u;
/** true: divide by n instead of N_i ("USA"). */
override UNNORMALIZED: bool = false;
/** σ² > 0: Itô term of ∂tE and the martingale increment dM. */
override NOISE: bool = false;
override ACC_STRIDE: u32 = 6u;
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> sim: SimParams;
@group(0) @binding(1) var<uniform> stepParams: StepParams;
@group(0) @binding(2) var<uniform> stage: StageIndex;
/** State tokens x_k [P][n][d] (x_{k+1} written after the last stage). */
@group(0) @binding(3) var<storage, read_write> positions: array<f32>;
/** Tokens of the current stage (st > 0) and of the next one [P][n][d]. */
@group(0) @binding(4) var<storage, read_write> stagePositions: array<f32>;
/** Velocities [STAGES][P][n][d]. */
@group(0) @binding(5) var<storage, read_write> velocities: array<f32>;
@group(0) @binding(6) var<storage, read> acc: array<f32>;
/** Stage weights [STAGES][P][H][d][d]. */
@group(0) @binding(7) var<storage, read> weights: array<f32>;
/** [2][P][H][d][d]: F_0, then σΔW. */
@group(0) @binding(8) var<storage, read> driftNoise: array<f32>;
/** Per-token diagnostic partials [P][n]. */
@group(0) @binding(9) var<storage, read_write> partials: array<ScaledDiag>;
