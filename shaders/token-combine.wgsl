// Per (replica r, token i) after the attention accumulation of stage st:
//  1. v_st = (1/H) Σ_h P_{x_i}(w_i^h), w = D_h s̃/Ñ (softmax) or D_h s̃·e^m/n (unnormalised);
//  2. stage 0 only: the token's diagnostic partials in log scale (ScaledDiag, exponents
//     M_i = max_h m_h, and min_h m_h for G²), exactly the sums of src/model/attention.ts;
//  3. the next stage's tokens normalise(x_k + dt·flowSign·Σ_{j≤st} a_{st+1,j} v_j), or after the
//     last stage the new state normalise(x_k + dt·flowSign·Σ_j b_j v_j) (written in place).
// Dispatch: (⌈n/WG⌉, P). Needs structs.wgsl and token-combine-io.wgsl.

/** Dimension d (the prelude's bindings hold [..][d] blocks). */
override D: u32 = 3u;

/** ⟨x, A s⟩ for the d×d block of driftNoise at off. */
fn quad(x: ptr<function, array<f32, DMAX>>, off: u32, s: ptr<function, array<f32, DMAX>>) -> f32 {
  var total = 0.0;
  for (var a = 0u; a < D; a++) {
    var row = 0.0;
    for (var c = 0u; c < D; c++) { row += driftNoise[off + a * D + c] * (*s)[c]; }
    total += (*x)[a] * row;
  }
  return total;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let n = sim.n;
  let i = id.x;
  let r = id.y;
  if (i >= n) { return; }
  let st = stage.stage;
  let tok = r * n + i;
  let dd = D * D;
  let weightBlock = sim.replicas * H * dd;
  let xOff = tok * D;
  let vBlock = sim.replicas * n * D;
  let diag = st == 0u;

  var xs: array<f32, DMAX>;
  for (var c = 0u; c < D; c++) {
    xs[c] = select(stagePositions[xOff + c], positions[xOff + c], diag);
  }

  var mMax = F32_LOWEST;
  var mMin = -F32_LOWEST;
  for (var h = 0u; h < H; h++) {
    let m = acc[(tok * H + h) * ACC_STRIDE + ACC_M];
    mMax = max(mMax, m);
    mMin = min(mMin, m);
  }

  var v: array<f32, DMAX>;
  var grad: array<f32, DMAX>;
  var energy = 0.0;
  var dEdt = 0.0;
  var dM = 0.0;
  var invNSum = 0.0;
  let invH = 1.0 / f32(H);
  for (var h = 0u; h < H; h++) {
    let at = (tok * H + h) * ACC_STRIDE;
    let m = acc[at + ACC_M];
    let nSum = acc[at + ACC_N];
    let q = acc[at + ACC_Q];
    var s: array<f32, DMAX>;
    for (var c = 0u; c < D; c++) { s[c] = acc[at + ACC_S + c]; }
    let wOff = st * weightBlock + (r * H + h) * dd;
    var ds: array<f32, DMAX>;
    var dsx = 0.0;
    for (var a = 0u; a < D; a++) {
      var row = 0.0;
      for (var c = 0u; c < D; c++) { row += weights[wOff + a * D + c] * s[c]; }
      ds[a] = row;
      dsx += row * xs[a];
    }
    var scale = 1.0 / nSum;
    if (UNNORMALIZED) { scale = exp(m) / f32(n); }
    for (var c = 0u; c < D; c++) { v[c] += invH * scale * (ds[c] - dsx * xs[c]); }
    if (diag) {
      let w = exp(m - mMax);
      energy += w * nSum;
      for (var c = 0u; c < D; c++) { grad[c] += w * (ds[c] - dsx * xs[c]); }
      invNSum += exp(mMin - m) / nSum;
      let hOff = (r * H + h) * dd;
      var rate = quad(&xs, hOff, &s);
      if (NOISE) {
        rate += sim.itoScale * (q + nSum);
        dM += w * quad(&xs, weightBlock + hOff, &s);
      }
      dEdt += w * rate;
    }
  }

  for (var c = 0u; c < D; c++) { velocities[st * vBlock + xOff + c] = v[c]; }

  var flags = 0u;
  if (diag) {
    var vv = 0.0;
    var gv = 0.0;
    for (var c = 0u; c < D; c++) {
      vv += v[c] * v[c];
      gv += grad[c] * v[c];
    }
    var g2 = vv;
    var g2Exp = 0.0;
    if (!UNNORMALIZED) {
      g2 = vv * f32(H) / (f32(n) * invNSum);
      g2Exp = mMin;
    }
    // Fields below FIELD_JUMP only: FIELD_JUMP belongs to jump-energy.wgsl, which ran before this stage.
    let exponents = array<f32, FIELD_JUMP>(mMax, mMax, g2Exp, mMax, mMax);
    let mantissas = array<f32, FIELD_JUMP>(energy, dEdt, g2, gv, dM);
    for (var f = 0u; f < FIELD_JUMP; f++) {
      if (nonFinite(exponents[f]) || nonFinite(mantissas[f])) { flags |= 1u << f; }
      partials[tok].exponent[f] = exponents[f];
      partials[tok].mantissa[f] = mantissas[f];
    }
  }

  let last = st + 1u == STAGES;
  if (last && (stepParams.flags & STEP_EVALUATE_ONLY) != 0u) {
    if (diag) { partials[tok].flags = flags; }
    return;
  }
  var coef = sim.b;
  if (!last) { coef = sim.a[st + 1u]; }
  var xo: array<f32, DMAX>;
  var len2 = 0.0;
  for (var c = 0u; c < D; c++) {
    var sum = 0.0;
    for (var j = 0u; j < st; j++) {
      if (coef[j] != 0.0) { sum += coef[j] * velocities[j * vBlock + xOff + c]; }
    }
    if (coef[st] != 0.0) { sum += coef[st] * v[c]; }
    let y = positions[xOff + c] + sim.dtSigned * sum;
    xo[c] = y;
    len2 += y * y;
  }
  let len = sqrt(len2);
  for (var c = 0u; c < D; c++) {
    let y = xo[c] / len;
    if (nonFinite(y)) { flags |= FLAG_POSITIONS; }
    if (last) { positions[xOff + c] = y; } else { stagePositions[xOff + c] = y; }
  }
  if (diag) {
    partials[tok].flags = flags;
  } else if (flags != 0u) {
    partials[tok].flags |= flags;
  }
}
