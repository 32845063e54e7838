// Attention accumulation for d ∈ {2, 3} (d = 2 runs with a zero third component): the same
// outputs as attention-accumulate.wgsl (any d), shaped for speed. Per (replica r, head h) each
// invocation owns EIGHT tokens i (the lanes of two vec4 "quads"), so every x_j read from the
// workgroup tile serves eight pairs; d is spelled out (no dynamically indexed private arrays, which SwiftShader
// keeps in memory); and the softmax shift is fixed per token before the loop, so the loop body is
// branch-free (one exp per pair, no per-pair rescale):
//   u_i = β D_h x_i,  ℓ_ij = ⟨u_i, x_j⟩ ≤ L_i = ‖u_i‖ (‖x_j‖ = 1),  ℓ_ii = ⟨u_i, x_i⟩ ≤ max_j ℓ_ij,
//   shift m_i = max(ℓ_ii, L_i − SHIFT_SPAN):  every term e^{ℓ_ij − m_i} ≤ e^{SHIFT_SPAN}, and
//   Ñ = Σ_j e^{ℓ_ij − m}, s̃ = Σ_j e^{ℓ_ij − m} x_j, q̃ = Σ_j e^{ℓ_ij − m} ⟨x_i, x_j⟩² (NOISE).
// The loop also keeps the exact maximum ℓ*_i = max_j ℓ_ij. When m_i > ℓ*_i + REDO_BELOW (only
// possible when L_i > (SHIFT_SPAN + REDO_BELOW)/2 = 50, e.g. x_i near a strongly negative
// eigendirection of β D_h), the largest term would be below e^{−40} and small terms could flush
// to zero, so the workgroup sweeps again with m_i = ℓ*_i for those tokens (rare; uniform control
// flow through a workgroup flag). So e^{−REDO_BELOW} ≤ Ñ ≤ n·e^{SHIFT_SPAN}: no overflow for
// n < 3·10¹², and terms flushed below 2^{−126} are < e^{−47} of the largest.
// m is any shift (not necessarily the maximum): token-combine.wgsl and jump-energy.wgsl only use
// e^{m}·(Ñ, s̃, q̃). Output acc[((r·n + i)·H + h)·ACC_STRIDE + …] = (m, Ñ, q̃, s̃_0, s̃_1[, s̃_2]).
// Dispatch: (⌈n/(TOKENS_PER_INVOCATION·WG)⌉, H, P), or a range of it (workgroups x from tokenRange.x, heads from tokenRange.y), TOKENS_PER_INVOCATION = 8. Needs structs.wgsl,
// attention-io.wgsl and attention-shift.wgsl (d = D ∈ {2, 3}).

/** Largest d of this kernel (vec3 spelled out); attention-pass.ts ATTENTION_KERNELS. */
const MAX_D: u32 = 3u;
/** Tokens i per invocation: two quads of four (attention-pass.ts ATTENTION_KERNELS sizes the dispatch). */
const TOKENS_PER_INVOCATION: u32 = 8u;

var<workgroup> tile: array<vec3f, WG>;

/** Token j of the replica starting at float `base` (third component 0 when d = 2). */
fn token(base: u32, j: u32) -> vec3f {
  let at = base + j * D;
  return vec3f(positions[at], positions[at + 1u], select(0.0, positions[at + 2u], D == 3u));
}

/** Entry (a, c) of the d×d block at `off` (0 outside d×d). */
fn weight(off: u32, a: u32, c: u32) -> f32 {
  return select(0.0, weights[off + min(a, D - 1u) * D + min(c, D - 1u)], a < D && c < D);
}

/** Four tokens i (lane k = token i0 + k) by component: u_i = β D_h x_i, x_i, and their shifts m_i. */
struct Quad {
  ux: vec4f,
  uy: vec4f,
  uz: vec4f,
  xx: vec4f,
  xy: vec4f,
  xz: vec4f,
  m: vec4f,
}

/** Sums of one sweep for a quad. */
struct Sums {
  n: vec4f,
  q: vec4f,
  sx: vec4f,
  sy: vec4f,
  sz: vec4f,
  /** Exact max_j ℓ_ij. */
  lmax: vec4f,
}

/** The quad of tokens i0 … i0 + 3 (indices clamped to n − 1) under the d×d block at w. */
fn quad(base: u32, i0: u32, w: u32) -> Quad {
  let last = sim.n - 1u;
  let x0 = token(base, min(i0, last));
  let x1 = token(base, min(i0 + 1u, last));
  let x2 = token(base, min(i0 + 2u, last));
  let x3 = token(base, min(i0 + 3u, last));
  let Dh = sim.beta * mat3x3f(
    weight(w, 0u, 0u), weight(w, 1u, 0u), weight(w, 2u, 0u),
    weight(w, 0u, 1u), weight(w, 1u, 1u), weight(w, 2u, 1u),
    weight(w, 0u, 2u), weight(w, 1u, 2u), weight(w, 2u, 2u));
  let u0 = Dh * x0;
  let u1 = Dh * x1;
  let u2 = Dh * x2;
  let u3 = Dh * x3;
  var o: Quad;
  o.ux = vec4f(u0.x, u1.x, u2.x, u3.x);
  o.uy = vec4f(u0.y, u1.y, u2.y, u3.y);
  o.uz = vec4f(u0.z, u1.z, u2.z, u3.z);
  o.xx = vec4f(x0.x, x1.x, x2.x, x3.x);
  o.xy = vec4f(x0.y, x1.y, x2.y, x3.y);
  o.xz = vec4f(x0.z, x1.z, x2.z, x3.z);
  let own = o.ux * o.xx + o.uy * o.xy + o.uz * o.xz;
  let len = sqrt(o.ux * o.ux + o.uy * o.uy + o.uz * o.uz);
  o.m = max(own, len - SHIFT_SPAN);
  return o;
}

fn emptySums() -> Sums {
  return Sums(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(F32_LOWEST));
}

/** Adds the pairs (i, j) of a quad for one token x_j: one exp per pair, no branch. */
fn addPairs(o: ptr<function, Sums>, a: Quad, xj: vec3f) {
  let l = a.ux * xj.x + a.uy * xj.y + a.uz * xj.z;
  (*o).lmax = max((*o).lmax, l);
  let e = exp(l - a.m);
  (*o).n += e;
  (*o).sx += e * xj.x;
  (*o).sy += e * xj.y;
  (*o).sz += e * xj.z;
  if (NOISE) {
    let cij = a.xx * xj.x + a.xy * xj.y + a.xz * xj.z;
    (*o).q += e * cij * cij;
  }
}

struct SumsPair {
  a: Sums,
  b: Sums,
}

/**
 * One sweep over all tokens j in tiles of WG for two quads (called from uniform control flow:
 * it holds the barriers).
 */
fn sweep(base: u32, lid: u32, a: Quad, b: Quad) -> SumsPair {
  let n = sim.n;
  var sa = emptySums();
  var sb = emptySums();
  for (var t = 0u; t < n; t += WG) {
    tile[lid] = token(base, min(t + lid, n - 1u));
    workgroupBarrier();
    let count = min(WG, n - t);
    for (var jj = 0u; jj < count; jj++) {
      let xj = tile[jj];
      addPairs(&sa, a, xj);
      addPairs(&sb, b, xj);
    }
    workgroupBarrier();
  }
  return SumsPair(sa, sb);
}

fn store(i: u32, r: u32, h: u32, m: f32, nSum: f32, q: f32, sx: f32, sy: f32, sz: f32) {
  if (i >= sim.n) { return; }
  let out = ((r * sim.n + i) * H + h) * ACC_STRIDE;
  acc[out + ACC_M] = m;
  acc[out + ACC_N] = nSum;
  acc[out + ACC_Q] = q;
  acc[out + ACC_S] = sx;
  acc[out + ACC_S + 1u] = sy;
  if (D == 3u) { acc[out + ACC_S + 2u] = sz; }
}

fn storeQuad(i0: u32, r: u32, h: u32, m: vec4f, o: Sums) {
  store(i0, r, h, m.x, o.n.x, o.q.x, o.sx.x, o.sy.x, o.sz.x);
  store(i0 + 1u, r, h, m.y, o.n.y, o.q.y, o.sx.y, o.sy.y, o.sz.y);
  store(i0 + 2u, r, h, m.z, o.n.z, o.q.z, o.sx.z, o.sy.z, o.sz.z);
  store(i0 + 3u, r, h, m.w, o.n.w, o.q.w, o.sx.w, o.sy.w, o.sz.w);
}

/** Lanes whose shift sat more than REDO_BELOW above their maximum take the second sweep's sums. */
fn merge(first: Sums, again: Sums, redo: vec4<bool>) -> Sums {
  return Sums(select(first.n, again.n, redo), select(first.q, again.q, redo), select(first.sx, again.sx, redo),
    select(first.sy, again.sy, redo), select(first.sz, again.sz, redo), first.lmax);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wgId: vec3u, @builtin(local_invocation_index) lid: u32) {
  let wg = wgId + vec3u(tokenRange.xy, 0u);
  let h = wg.y;
  let r = wg.z;
  let base = r * sim.n * D;
  let i0 = (wg.x * WG + lid) * TOKENS_PER_INVOCATION;
  let w = ((stage.stage * sim.replicas + r) * H + h) * D * D;
  var a = quad(base, i0, w);
  var b = quad(base, i0 + 4u, w);

  var sums = sweep(base, lid, a, b);

  // Rare second sweep (whole workgroup) for the tokens whose shift sat far above their maximum.
  let redoA = sums.a.lmax < a.m - REDO_BELOW;
  let redoB = sums.b.lmax < b.m - REDO_BELOW;
  if (workgroupAny(any(redoA) || any(redoB), lid)) {
    a.m = select(a.m, sums.a.lmax, redoA);
    b.m = select(b.m, sums.b.lmax, redoB);
    let again = sweep(base, lid, a, b);
    sums = SumsPair(merge(sums.a, again.a, redoA), merge(sums.b, again.b, redoB));
  }

  storeQuad(i0, r, h, a.m, sums.a);
  storeQuad(i0 + 4u, r, h, b.m, sums.b);
}
