// Attention accumulation for 4 ≤ d ≤ 8: the same outputs as attention-accumulate.wgsl (any d),
// shaped like attention-accumulate-d3.wgsl (see there for the fixed shift and the second sweep).
// Vectors are two zero-padded vec4 (components 0–3 and 4–7), so the loop over the tile has no
// dynamically indexed private array; each invocation owns TWO tokens i, so every x_j read from
// the workgroup tile serves two pairs; the shift m_i = max(ℓ_ii, ‖u_i‖ − 60) is fixed before the
// loop (one exp per pair, no branch), and tokens whose exact maximum ends more than 40 below it
// are swept again with m_i = max_j ℓ_ij (rare; whole workgroup, uniform flag).
// Output acc[((r·n + i)·H + h)·ACC_STRIDE + …] = (m, Ñ, q̃, s̃_0 … s̃_{d−1}); with J_SPLITS > 1
// per share of the j range (attention-io.wgsl), added by attention-merge.wgsl.
// Dispatch: (⌈n/(TOKENS_PER_INVOCATION·WG)⌉·J_SPLITS, H, P), or a range of it (workgroups x from tokenRange.x, heads from tokenRange.y), TOKENS_PER_INVOCATION = 2. Needs structs.wgsl,
// attention-io.wgsl and attention-shift.wgsl (d = D ∈ 4…8).

/** Largest d of this kernel: vectors as two vec4; attention-pass.ts ATTENTION_KERNELS. */
const MAX_D: u32 = 8u;
/** Tokens i per invocation (attention-pass.ts ATTENTION_KERNELS sizes the dispatch). */
const TOKENS_PER_INVOCATION: u32 = 2u;

var<workgroup> tileLo: array<vec4f, WG>;
var<workgroup> tileHi: array<vec4f, WG>;

/** Component c of the token at float `at` (0 for c ≥ d). */
fn comp(at: u32, c: u32) -> f32 {
  return select(0.0, positions[at + min(c, D - 1u)], c < D);
}

/** Sums of one sweep for one token: Ñ, q̃, the exact max_j ℓ_ij, s̃ as two vec4. */
struct Sweep { n: f32, q: f32, lmax: f32, lo: vec4f, hi: vec4f }
/** One token i: x_i and u_i = β D_h x_i as two zero-padded vec4, and its shift. */
struct Tok { xlo: vec4f, xhi: vec4f, ulo: vec4f, uhi: vec4f, m: f32 }

fn tok(xBase: u32, i: u32, wOff: u32) -> Tok {
  let at = xBase + min(i, sim.n - 1u) * D;
  var o: Tok;
  o.xlo = vec4f(comp(at, 0u), comp(at, 1u), comp(at, 2u), comp(at, 3u));
  o.xhi = vec4f(comp(at, 4u), comp(at, 5u), comp(at, 6u), comp(at, 7u));
  var u: array<f32, MAX_D>;
  let xi = array<f32, MAX_D>(o.xlo.x, o.xlo.y, o.xlo.z, o.xlo.w, o.xhi.x, o.xhi.y, o.xhi.z, o.xhi.w);
  for (var a = 0u; a < D; a++) {
    var dotv = 0.0;
    for (var c = 0u; c < D; c++) { dotv += weights[wOff + a * D + c] * xi[c]; }
    u[a] = sim.beta * dotv;
  }
  o.ulo = vec4f(u[0], u[1], u[2], u[3]);
  o.uhi = vec4f(u[4], u[5], u[6], u[7]);
  let own = dot(o.ulo, o.xlo) + dot(o.uhi, o.xhi);
  o.m = max(own, sqrt(dot(o.ulo, o.ulo) + dot(o.uhi, o.uhi)) - SHIFT_SPAN);
  return o;
}

/** Adds the pair (i, j) for x_j = (lo, hi): one exp, no branch. */
fn addPair(o: ptr<function, Sweep>, t: Tok, lo: vec4f, hi: vec4f) {
  let l = dot(t.ulo, lo) + dot(t.uhi, hi);
  (*o).lmax = max((*o).lmax, l);
  let e = exp(l - t.m);
  (*o).n += e;
  (*o).lo += e * lo;
  (*o).hi += e * hi;
  if (NOISE) { let cij = dot(t.xlo, lo) + dot(t.xhi, hi); (*o).q += e * cij * cij; }
}

struct SweepPair { a: Sweep, b: Sweep }

/** One sweep over the share's tokens j in tiles of WG for two tokens (uniform control flow: it holds the barriers). */
fn sweep(xBase: u32, lid: u32, a: Tok, b: Tok, sh: Share) -> SweepPair {
  var sa = Sweep(0.0, 0.0, F32_LOWEST, vec4f(0.0), vec4f(0.0));
  var sb = sa;
  for (var base = sh.start; base < sh.end; base += WG) {
    let at = xBase + min(base + lid, sh.end - 1u) * D;
    tileLo[lid] = vec4f(comp(at, 0u), comp(at, 1u), comp(at, 2u), comp(at, 3u));
    tileHi[lid] = vec4f(comp(at, 4u), comp(at, 5u), comp(at, 6u), comp(at, 7u));
    workgroupBarrier();
    let count = min(WG, sh.end - base);
    for (var jj = 0u; jj < count; jj++) {
      let lo = tileLo[jj];
      let hi = tileHi[jj];
      addPair(&sa, a, lo, hi);
      addPair(&sb, b, lo, hi);
    }
    workgroupBarrier();
  }
  return SweepPair(sa, sb);
}

fn store(k: u32, i: u32, r: u32, h: u32, m: f32, o: Sweep) {
  if (i >= sim.n) { return; }
  let out = accAt(k, r, i, h);
  acc[out + ACC_M] = m;
  acc[out + ACC_N] = o.n;
  acc[out + ACC_Q] = o.q;
  let s = array<f32, MAX_D>(o.lo.x, o.lo.y, o.lo.z, o.lo.w, o.hi.x, o.hi.y, o.hi.z, o.hi.w);
  for (var c = 0u; c < D; c++) { acc[out + ACC_S + c] = s[c]; }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wgId: vec3u, @builtin(local_invocation_index) lid: u32) {
  let wg = wgId + vec3u(tokenRange.xy, 0u);
  let sh = jShare(wg.x);
  let h = wg.y;
  let r = wg.z;
  let i0 = (sh.group * WG + lid) * TOKENS_PER_INVOCATION;
  let xBase = r * sim.n * D;
  let wOff = ((stage.stage * sim.replicas + r) * H + h) * D * D;
  var a = tok(xBase, i0, wOff);
  var b = tok(xBase, i0 + 1u, wOff);
  var sums = sweep(xBase, lid, a, b, sh);

  // Rare second sweep (whole workgroup) for the tokens whose shift sat far above their maximum.
  let redoA = sums.a.lmax < a.m - REDO_BELOW;
  let redoB = sums.b.lmax < b.m - REDO_BELOW;
  if (workgroupAny(redoA || redoB, lid)) {
    a.m = select(a.m, sums.a.lmax, redoA);
    b.m = select(b.m, sums.b.lmax, redoB);
    let again = sweep(xBase, lid, a, b, sh);
    if (redoA) { sums.a = again.a; }
    if (redoB) { sums.b = again.b; }
  }
  store(sh.k, i0, r, h, a.m, sums.a);
  store(sh.k, i0 + 1u, r, h, b.m, sums.b);
}
