// Adds the j shares of the attention accumulation (the attention kernels with J_SPLITS > 1): per
// (replica r, token i, head h) the J_SPLITS records (m_k, Ñ_k, q̃_k, s̃_k) of share k, at
// acc[(((k·P + r)·n + i)·H + h)·ACC_STRIDE + …], become one record in share 0's place:
//   M = max_k m_k,  Ñ = Σ_k e^{m_k − M}·Ñ_k  (q̃ and every s̃ component alike),
// so e^{M}·Ñ = Σ_k e^{m_k}·Ñ_k: the sums token-combine.wgsl and jump-energy.wgsl use (they read
// only e^{m}·(Ñ, s̃, q̃)). Under the fixed shift of the d ≤ 8 kernels every m_k is the token's
// m_i unless a share redid its sweep, and e^{0} = 1: the shares are added as they are, in order
// k = 0, 1, …. The generic kernel's m_k are the shares' maxima (its online softmax).
// Dispatch: (⌈n·H/WG⌉, P). Needs structs.wgsl.

override H: u32 = 1u;
/** Floats per record: ACC_S + d (layouts.ts headAccFloats). */
override ACC_STRIDE: u32 = 6u;
/** Shares of the j range (attention-pass.ts attentionShape). */
override J_SPLITS: u32 = 2u;
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> sim: SimParams;
/** Accumulators [J_SPLITS][P][n][H][ACC_STRIDE]; share 0 receives the sums. */
@group(0) @binding(1) var<storage, read_write> acc: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let n = sim.n;
  // id.x = i·H + h.
  if (id.x >= n * H) { return; }
  let at = (id.y * n * H + id.x) * ACC_STRIDE;
  let share = sim.replicas * n * H * ACC_STRIDE;
  var top = acc[at + ACC_M];
  for (var k = 1u; k < J_SPLITS; k++) { top = max(top, acc[k * share + at + ACC_M]); }
  // Share 0 rescaled in place, then each further share added to it.
  let first = exp(acc[at + ACC_M] - top);
  for (var f = ACC_N; f < ACC_STRIDE; f++) { acc[at + f] = first * acc[at + f]; }
  for (var k = 1u; k < J_SPLITS; k++) {
    let src = k * share + at;
    let scale = exp(acc[src + ACC_M] - top);
    for (var f = ACC_N; f < ACC_STRIDE; f++) { acc[at + f] += scale * acc[src + f]; }
  }
  acc[at + ACC_M] = top;
}
