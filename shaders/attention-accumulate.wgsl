// Attention accumulation for any d (the engine uses it for d > 8; attention-accumulate-d3.wgsl and
// attention-accumulate-d8.wgsl are the fast kernels for d ≤ 3 and 4 ≤ d ≤ 8, same outputs), one invocation per (replica r, token i, head h): with u_i = β D_h x_i
// and ℓ_ij = ⟨u_i, x_j⟩, an online softmax over tiles of x_j held in workgroup memory keeps the
// running maximum m and the rescaled sums
//   Ñ = Σ_j e^{ℓ_ij − m},  s̃ = Σ_j e^{ℓ_ij − m} x_j,  q̃ = Σ_j e^{ℓ_ij − m} ⟨x_i, x_j⟩²  (NOISE only)
// (rescaled by e^{m_old − m_new} whenever m grows). Nothing of size n×n is formed.
// Output: acc[((r·n + i)·H + h)·ACC_STRIDE + …] = (m, Ñ, q̃, s̃_0 … s̃_{d−1}) at ACC_M … ACC_S
// (structs.wgsl; layouts.ts HEAD_ACC); with J_SPLITS > 1 share k of the j range in share k of acc
// (attention-io.wgsl), m its own maximum, merged by attention-merge.wgsl.
// Dispatch: (⌈n/(TOKENS_PER_INVOCATION·WG)⌉·J_SPLITS, H, P), or a range of it (workgroups x from tokenRange.x, heads from tokenRange.y). Needs structs.wgsl and attention-io.wgsl.

/** Floats of the tile: WG·D (set from TS with the same numbers). */
override TILE_FLOATS: u32 = 192u;

/** Tokens i per invocation (attention-pass.ts ATTENTION_KERNELS sizes the dispatch); d ≤ DMAX. */
const TOKENS_PER_INVOCATION: u32 = 1u;

var<workgroup> tile: array<f32, TILE_FLOATS>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wgId: vec3u, @builtin(local_invocation_index) lid: u32) {
  let wg = wgId + vec3u(tokenRange.xy, 0u);
  let sh = jShare(wg.x);
  let n = sim.n;
  let h = wg.y;
  let r = wg.z;
  let i = (sh.group * WG + lid) * TOKENS_PER_INVOCATION;
  let ic = min(i, n - 1u);
  let xBase = r * n * D;

  var xi: array<f32, DMAX>;
  var u: array<f32, DMAX>;
  var s: array<f32, DMAX>;
  for (var c = 0u; c < D; c++) { xi[c] = positions[xBase + ic * D + c]; }
  let wOff = ((stage.stage * sim.replicas + r) * H + h) * D * D;
  for (var a = 0u; a < D; a++) {
    var dot = 0.0;
    for (var c = 0u; c < D; c++) { dot += weights[wOff + a * D + c] * xi[c]; }
    u[a] = sim.beta * dot;
  }

  var m = F32_LOWEST;
  var nSum = 0.0;
  var q = 0.0;
  for (var base = sh.start; base < sh.end; base += WG) {
    let j = base + lid;
    if (j < sh.end) {
      for (var c = 0u; c < D; c++) { tile[lid * D + c] = positions[xBase + j * D + c]; }
    }
    workgroupBarrier();
    let count = min(WG, sh.end - base);
    for (var jj = 0u; jj < count; jj++) {
      var l = 0.0;
      for (var c = 0u; c < D; c++) { l += u[c] * tile[jj * D + c]; }
      if (l > m) {
        let rescale = exp(m - l);
        nSum *= rescale;
        q *= rescale;
        for (var c = 0u; c < D; c++) { s[c] *= rescale; }
        m = l;
      }
      let e = exp(l - m);
      nSum += e;
      var cij = 0.0;
      for (var c = 0u; c < D; c++) {
        let xj = tile[jj * D + c];
        s[c] += e * xj;
        cij += xi[c] * xj;
      }
      if (NOISE) { q += e * cij * cij; }
    }
    workgroupBarrier();
  }

  if (i < n) {
    let out = accAt(sh.k, r, i, h);
    acc[out + ACC_M] = m;
    acc[out + ACC_N] = nSum;
    acc[out + ACC_Q] = q;
    for (var c = 0u; c < D; c++) { acc[out + ACC_S + c] = s[c]; }
  }
}
