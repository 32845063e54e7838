// Attention accumulation for d ∈ {2, 3} (d = 2 runs with a zero third component): the same
// outputs as attention-accumulate.wgsl (any d), shaped for speed. Per (replica r, head h) each
// invocation owns EIGHT tokens i (the lanes of two vec4 "quads"), so every x_j read from the
// workgroup tile serves eight pairs; d is spelled out (no dynamically indexed private arrays, which SwiftShader
// keeps in memory); and the softmax shift is fixed per token before the loop, so the loop body is
// branch-free (one exp per pair, no per-pair rescale):
//   u_i = β D_h x_i,  ℓ_ij = ⟨u_i, x_j⟩ ≤ L_i = ‖u_i‖ (‖x_j‖ = 1),  ℓ_ii = ⟨u_i, x_i⟩ ≤ max_j ℓ_ij,
//   shift m_i = max(ℓ_ii, L_i − SHIFT_SPAN):  every term e^{ℓ_ij − m_i} ≤ e^{SHIFT_SPAN}, and
//   Ñ = Σ_j e^{ℓ_ij − m}, s̃ = Σ_j e^{ℓ_ij − m} x_j, q̃ = Σ_j e^{ℓ_ij − m} ⟨x_i, x_j⟩² (NOISE).
// The loop keeps no maximum (one op and one loop-carried value less per pair than keeping it).
// When Ñ_i < REDO_SUM = e^{−20} (only possible when L_i > 40, e.g. x_i near a strongly negative
// eigendirection of β D_h: the own term alone gives Ñ_i ≥ 1 when m_i = ℓ_ii), the workgroup sweeps
// again for those tokens: once for the exact maximum ℓ*_i, once more with m_i = ℓ*_i (rare; uniform
// control flow through a workgroup flag). Without that redo, the largest term is ≥ Ñ_i/n ≥
// e^{−20}/n > e^{−REDO_BELOW} = e^{−40} for n ≤ LIMITS.nMax = 2^20 < e^{20}; with it, it is 1. So
// e^{−40} ≤ Ñ ≤ n·e^{SHIFT_SPAN}: no overflow for n < 3·10¹², and terms flushed below 2^{−126} are
// < e^{−47} of the largest. (Every token the test ℓ*_i < m_i − REDO_BELOW of the d ≤ 8 kernel
// would redo has Ñ_i ≤ n·e^{−40} < e^{−20}, so it is redone here too.)
// m is any shift (not necessarily the maximum): token-combine.wgsl and jump-energy.wgsl only use
// e^{m}·(Ñ, s̃, q̃). Output acc[((r·n + i)·H + h)·ACC_STRIDE + …] = (m, Ñ, q̃, s̃_0, s̃_1[, s̃_2]);
// with J_SPLITS > 1 each share of the j range sums into its own share of acc (attention-io.wgsl;
// the redo decided per share), and attention-merge.wgsl adds them.
// Dispatch: (⌈n/(4·QUADS·WG)⌉·J_SPLITS, H, P), or a range of it (workgroups x from tokenRange.x, heads from
// tokenRange.y). The quads past QUADS are behind `if (QUADS > k)`: QUADS is a constant when the
// pipeline is built, so the compiler drops them (measured: as fast as the kernel written out for
// that count, docs/GPU.md). Needs structs.wgsl,
// attention-io.wgsl and attention-shift.wgsl (d = D ∈ {2, 3}).

/** Largest d of this kernel (vec3 spelled out); attention-pass.ts ATTENTION_KERNELS. */
const MAX_D: u32 = 3u;
/** Most quads of four tokens i per invocation (the sums of quads a … d are written out). */
const MAX_QUADS: u32 = 4u;
/** Quads of four tokens i per invocation, 1 … MAX_QUADS (attention-pass.ts attentionShape sizes the dispatch). */
override QUADS: u32 = 2u;

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

/** Redo a token when its Ñ is below e^{−20} (see the top of the file). */
const REDO_SUM: f32 = 2.0611536e-9;

fn emptySums() -> Sums {
  return Sums(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
}

/** Adds the pairs (i, j) of a quad for one token x_j: one exp per pair, no branch. */
fn addPairs(o: ptr<function, Sums>, a: Quad, xj: vec3f) {
  let e = exp(logits(a, xj) - a.m);
  (*o).n += e;
  (*o).sx += e * xj.x;
  (*o).sy += e * xj.y;
  (*o).sz += e * xj.z;
  if (NOISE) {
    let cij = a.xx * xj.x + a.xy * xj.y + a.xz * xj.z;
    (*o).q += e * cij * cij;
  }
}

/** The exact maxima max_j ℓ_ij of the invocation's quads (the rare redo). */
struct QuadMax {
  a: vec4f,
  b: vec4f,
  c: vec4f,
  d: vec4f,
}

/** ℓ_ij for a quad and one token x_j. */
fn logits(a: Quad, xj: vec3f) -> vec4f {
  return a.ux * xj.x + a.uy * xj.y + a.uz * xj.z;
}

/** One sweep over all tokens j for the exact maxima (uniform control flow: it holds the barriers). */
fn maxSweep(base: u32, lid: u32, q: Quads, sh: Share) -> QuadMax {
  var o = QuadMax(vec4f(F32_LOWEST), vec4f(F32_LOWEST), vec4f(F32_LOWEST), vec4f(F32_LOWEST));
  for (var t = sh.start; t < sh.end; t += WG) {
    tile[lid] = token(base, min(t + lid, sh.end - 1u));
    workgroupBarrier();
    let count = min(WG, sh.end - t);
    for (var jj = 0u; jj < count; jj++) {
      let xj = tile[jj];
      o.a = max(o.a, logits(q.a, xj));
      o.b = max(o.b, logits(q.b, xj));
      o.c = max(o.c, logits(q.c, xj));
      o.d = max(o.d, logits(q.d, xj));
    }
    workgroupBarrier();
  }
  return o;
}

/** The sums of the invocation's quads (only the first QUADS are used). */
struct QuadSums {
  a: Sums,
  b: Sums,
  c: Sums,
  d: Sums,
}

/** The invocation's quads of tokens i (only the first QUADS are used). */
struct Quads {
  a: Quad,
  b: Quad,
  c: Quad,
  d: Quad,
}

/**
 * One sweep over the share's tokens j in tiles of WG for the first QUADS quads (called from
 * uniform control flow: it holds the barriers).
 */
fn sweep(base: u32, lid: u32, q: Quads, sh: Share) -> QuadSums {
  var sa = emptySums();
  var sb = emptySums();
  var sc = emptySums();
  var sd = emptySums();
  for (var t = sh.start; t < sh.end; t += WG) {
    tile[lid] = token(base, min(t + lid, sh.end - 1u));
    workgroupBarrier();
    let count = min(WG, sh.end - t);
    for (var jj = 0u; jj < count; jj++) {
      let xj = tile[jj];
      addPairs(&sa, q.a, xj);
      if (QUADS > 1u) { addPairs(&sb, q.b, xj); }
      if (QUADS > 2u) { addPairs(&sc, q.c, xj); }
      if (QUADS > 3u) { addPairs(&sd, q.d, xj); }
    }
    workgroupBarrier();
  }
  return QuadSums(sa, sb, sc, sd);
}

fn store(k: u32, i: u32, r: u32, h: u32, m: f32, nSum: f32, q: f32, sx: f32, sy: f32, sz: f32) {
  if (i >= sim.n) { return; }
  let out = accAt(k, r, i, h);
  acc[out + ACC_M] = m;
  acc[out + ACC_N] = nSum;
  acc[out + ACC_Q] = q;
  acc[out + ACC_S] = sx;
  acc[out + ACC_S + 1u] = sy;
  if (D == 3u) { acc[out + ACC_S + 2u] = sz; }
}

fn storeQuad(k: u32, i0: u32, r: u32, h: u32, m: vec4f, o: Sums) {
  store(k, i0, r, h, m.x, o.n.x, o.q.x, o.sx.x, o.sy.x, o.sz.x);
  store(k, i0 + 1u, r, h, m.y, o.n.y, o.q.y, o.sx.y, o.sy.y, o.sz.y);
  store(k, i0 + 2u, r, h, m.z, o.n.z, o.q.z, o.sx.z, o.sy.z, o.sz.z);
  store(k, i0 + 3u, r, h, m.w, o.n.w, o.q.w, o.sx.w, o.sy.w, o.sz.w);
}

/** Lanes redone take the second sweep's sums. */
fn merge(first: Sums, again: Sums, redo: vec4<bool>) -> Sums {
  return Sums(select(first.n, again.n, redo), select(first.q, again.q, redo), select(first.sx, again.sx, redo),
    select(first.sy, again.sy, redo), select(first.sz, again.sz, redo));
}

/** Whether quad k (0-based) is one of the invocation's QUADS. */
fn used(k: u32) -> bool {
  return k < QUADS;
}

/** Lanes of quad k whose Ñ is below REDO_SUM (none for an unused quad). */
fn redoLanes(k: u32, o: Sums) -> vec4<bool> {
  return (o.n < vec4f(REDO_SUM)) & vec4<bool>(used(k));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wgId: vec3u, @builtin(local_invocation_index) lid: u32) {
  let wg = wgId + vec3u(tokenRange.xy, 0u);
  let sh = jShare(wg.x);
  let h = wg.y;
  let r = wg.z;
  let base = r * sim.n * D;
  let i0 = (sh.group * WG + lid) * (4u * QUADS);
  let w = ((stage.stage * sim.replicas + r) * H + h) * D * D;
  var q: Quads;
  q.a = quad(base, i0, w);
  if (used(1u)) { q.b = quad(base, i0 + 4u, w); }
  if (used(2u)) { q.c = quad(base, i0 + 8u, w); }
  if (used(3u)) { q.d = quad(base, i0 + 12u, w); }

  var sums = sweep(base, lid, q, sh);

  // Rare redo (whole workgroup) for the tokens whose shift sat far above their maximum: their
  // exact maximum, then the sums again with it as the shift.
  let redoA = redoLanes(0u, sums.a);
  let redoB = redoLanes(1u, sums.b);
  let redoC = redoLanes(2u, sums.c);
  let redoD = redoLanes(3u, sums.d);
  if (workgroupAny(any(redoA) || any(redoB) || any(redoC) || any(redoD), lid)) {
    let top = maxSweep(base, lid, q, sh);
    q.a.m = select(q.a.m, top.a, redoA);
    q.b.m = select(q.b.m, top.b, redoB);
    q.c.m = select(q.c.m, top.c, redoC);
    q.d.m = select(q.d.m, top.d, redoD);
    let again = sweep(base, lid, q, sh);
    sums = QuadSums(merge(sums.a, again.a, redoA), merge(sums.b, again.b, redoB), merge(sums.c, again.c, redoC),
      merge(sums.d, again.d, redoD));
  }

  storeQuad(sh.k, i0, r, h, q.a.m, sums.a);
  if (used(1u)) { storeQuad(sh.k, i0 + 4u, r, h, q.b.m, sums.b); }
  if (used(2u)) { storeQuad(sh.k, i0 + 8u, r, h, q.c.m, sums.c); }
  if (used(3u)) { storeQuad(sh.k, i0 + 12u, r, h, q.d.m, sums.d); }
}
