// token-combine.wgsl for d = 3, shaped for speed: the same outputs, sums in the same order, with
// vectors as vec3f and the d×d blocks read row by row (no dynamically indexed private arrays,
// which a software rasteriser such as SwiftShader keeps in memory: the generic pass cost ~14 % of
// a step at n = 1,000, H = 10 there). Per (replica r, token i) after the attention accumulation
// of stage st:
//  1. v_st = (1/H) Σ_h P_{x_i}(w_i^h), w = D_h s̃/Ñ (softmax) or D_h s̃·e^m/n (unnormalised);
//  2. stage 0 only: the token's diagnostic partials in log scale (ScaledDiag, exponents
//     M_i = max_h m_h, and min_h m_h for G²), exactly the sums of src/model/attention.ts;
//  3. the next stage's tokens normalise(x_k + dt·flowSign·Σ_{j≤st} a_{st+1,j} v_j), or after the
//     last stage the new state normalise(x_k + dt·flowSign·Σ_j b_j v_j) (written in place).
// Dispatch: (⌈n/WG⌉, P). Needs structs.wgsl and token-combine-io.wgsl (its bindings, d = 3).

/** Row a of the 3×3 block of weights at off. */
fn wRow(off: u32, a: u32) -> vec3f {
  let o = off + a * 3u;
  return vec3f(weights[o], weights[o + 1u], weights[o + 2u]);
}

/** Row a of the 3×3 block of driftNoise at off. */
fn fRow(off: u32, a: u32) -> vec3f {
  let o = off + a * 3u;
  return vec3f(driftNoise[o], driftNoise[o + 1u], driftNoise[o + 2u]);
}

/** Σ_c row_c s_c in the generic pass's order (0 + r0 s0 + r1 s1 + r2 s2). */
fn rowDot(row: vec3f, s: vec3f) -> f32 {
  return row.x * s.x + row.y * s.y + row.z * s.z;
}

/** ⟨x, A s⟩ for the 3×3 block of driftNoise at off. */
fn quad(x: vec3f, off: u32, s: vec3f) -> f32 {
  return x.x * rowDot(fRow(off, 0u), s) + x.y * rowDot(fRow(off, 1u), s) + x.z * rowDot(fRow(off, 2u), s);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let n = sim.n;
  let i = id.x;
  let r = id.y;
  if (i >= n) { return; }
  let st = stage.stage;
  let tok = r * n + i;
  let weightBlock = sim.replicas * H * 9u;
  let xOff = tok * 3u;
  let vBlock = sim.replicas * n * 3u;
  let diag = st == 0u;

  var xs: vec3f;
  if (diag) {
    xs = vec3f(positions[xOff], positions[xOff + 1u], positions[xOff + 2u]);
  } else {
    xs = vec3f(stagePositions[xOff], stagePositions[xOff + 1u], stagePositions[xOff + 2u]);
  }

  var mMax = F32_LOWEST;
  var mMin = -F32_LOWEST;
  for (var h = 0u; h < H; h++) {
    let m = acc[(tok * H + h) * ACC_STRIDE + ACC_M];
    mMax = max(mMax, m);
    mMin = min(mMin, m);
  }

  var v = vec3f(0.0);
  var grad = vec3f(0.0);
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
    let s = vec3f(acc[at + ACC_S], acc[at + ACC_S + 1u], acc[at + ACC_S + 2u]);
    let wOff = st * weightBlock + (r * H + h) * 9u;
    let ds = vec3f(rowDot(wRow(wOff, 0u), s), rowDot(wRow(wOff, 1u), s), rowDot(wRow(wOff, 2u), s));
    let dsx = ds.x * xs.x + ds.y * xs.y + ds.z * xs.z;
    var scale = 1.0 / nSum;
    if (UNNORMALIZED) { scale = exp(m) / f32(n); }
    let proj = ds - dsx * xs;
    v += invH * scale * proj;
    if (diag) {
      let w = exp(m - mMax);
      energy += w * nSum;
      grad += w * proj;
      invNSum += exp(mMin - m) / nSum;
      let hOff = (r * H + h) * 9u;
      var rate = quad(xs, hOff, s);
      if (NOISE) {
        rate += sim.itoScale * (q + nSum);
        dM += w * quad(xs, weightBlock + hOff, s);
      }
      dEdt += w * rate;
    }
  }

  let vOut = st * vBlock + xOff;
  velocities[vOut] = v.x;
  velocities[vOut + 1u] = v.y;
  velocities[vOut + 2u] = v.z;

  var flags = 0u;
  if (diag) {
    let vv = v.x * v.x + v.y * v.y + v.z * v.z;
    let gv = grad.x * v.x + grad.y * v.y + grad.z * v.z;
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
  var sum = vec3f(0.0);
  for (var j = 0u; j < st; j++) {
    if (coef[j] != 0.0) {
      let o = j * vBlock + xOff;
      sum += coef[j] * vec3f(velocities[o], velocities[o + 1u], velocities[o + 2u]);
    }
  }
  if (coef[st] != 0.0) { sum += coef[st] * v; }
  let y = vec3f(positions[xOff], positions[xOff + 1u], positions[xOff + 2u]) + sim.dtSigned * sum;
  let len = sqrt(y.x * y.x + y.y * y.y + y.z * y.z);
  let xo = y / len;
  if (nonFinite(xo.x) || nonFinite(xo.y) || nonFinite(xo.z)) { flags |= FLAG_POSITIONS; }
  if (last) {
    positions[xOff] = xo.x;
    positions[xOff + 1u] = xo.y;
    positions[xOff + 2u] = xo.z;
  } else {
    stagePositions[xOff] = xo.x;
    stagePositions[xOff + 1u] = xo.y;
    stagePositions[xOff + 2u] = xo.z;
  }
  if (diag) {
    partials[tok].flags = flags;
  } else if (flags != 0u) {
    partials[tok].flags |= flags;
  }
}
