// Energy of the state tokens under the weights D_{k+1}, per token, for a step at which the layer
// schedule changes (the jump J_k = E(x_k, D_{k+1}) − E(x_k, D_k) of the balance). Runs on the
// accumulation of attention-accumulate.wgsl at (x_k, D_{k+1}) and writes field FIELD_JUMP of the
// token's partials: Σ_h e^{m_h} Ñ_h as (M_i = max_h m_h, Σ_h e^{m_h − M_i} Ñ_h).
// Dispatch: (⌈n/WG⌉, P). Needs structs.wgsl.

override H: u32 = 1u;
override ACC_STRIDE: u32 = 6u;
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> sim: SimParams;
@group(0) @binding(1) var<storage, read> acc: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<ScaledDiag>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  let r = id.y;
  if (i >= sim.n) { return; }
  let tok = r * sim.n + i;
  var mMax = F32_LOWEST;
  for (var h = 0u; h < H; h++) { mMax = max(mMax, acc[(tok * H + h) * ACC_STRIDE + ACC_M]); }
  var energy = 0.0;
  for (var h = 0u; h < H; h++) {
    let at = (tok * H + h) * ACC_STRIDE;
    energy += exp(acc[at + ACC_M] - mMax) * acc[at + ACC_N];
  }
  partials[tok].exponent[FIELD_JUMP] = mMax;
  partials[tok].mantissa[FIELD_JUMP] = energy;
}
