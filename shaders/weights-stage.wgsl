// Weights of every Runge–Kutta stage of one step, and the step's update D_k → D_{k+1}.
// One invocation per entry (replica r, head h, entry e = a·d + b) of the [P][H][d][d] weights:
// the drift is entry-wise, so stage i needs only this entry of the stages before it:
//   D_i = D_k + dt·Σ_{j<i} a_ij·F_j + c_i·σΔW,   F_i = f(D_i, t_k + c_i·dt)
//   D_{k+1} = D_k + dt·Σ_j b_j·F_j + σΔW
// (layers: D_i is the schedule at stage i's time plus the replica offset, F = 0).
// Also writes F_0 and σΔW for the stage-0 diagnostics. Needs structs.wgsl, trig.wgsl and philox.wgsl.

/** Ambient dimension d. */
override D: u32 = 3u;
/** Heads H. */
override H: u32 = 1u;
/** Runge–Kutta stages (1 Euler, 2 Heun, 4 RK4). */
override STAGES: u32 = 1u;
/** Drift kind, one of the DRIFT_* ids below (DRIFT_KIND in layouts.ts). */
override DRIFT: u32 = 0u;
/** σ² > 0: draw the Brownian increments. */
override NOISE: bool = false;
override WG: u32 = 64u;

// The drift ids, one per key of DRIFT_KIND (layouts.ts; tests/gpu/kernel-constants.test.ts checks
// that each has its const and its branch). Any other id makes every weight NaN, so the engine's
// non-finite check stops the run instead of the kernel running some other kind.
/** f = 0. */
const DRIFT_FROZEN: u32 = 0u;
/** Ornstein–Uhlenbeck: f = θ (M − D). */
const DRIFT_OU: u32 = 1u;
/** Oscillating targets: f = rate (T_h(t) − D). */
const DRIFT_OSCILLATING: u32 = 2u;
/** Layer schedule: D is the scheduled layer plus the replica offset, f = 0. */
const DRIFT_LAYERS: u32 = 3u;
/** Rotating target: f = rate (R_h Λ R_hᵀ − D), R_h the (e₁, e₂) rotation by θ_h. */
const DRIFT_ROTATING: u32 = 4u;

@group(0) @binding(0) var<uniform> sim: SimParams;
@group(0) @binding(1) var<uniform> stepParams: StepParams;
@group(0) @binding(2) var<storage, read> drift: DriftParams;
/** Layer schedule: replica offsets [P][H][d][d], then layers [L][H][d][d] from sim.layerBase. */
@group(0) @binding(3) var<storage, read> schedule: array<f32>;
/** State weights [P][H][d][d]: D_k in, D_{k+1} out. */
@group(0) @binding(4) var<storage, read_write> weights: array<f32>;
/** Stage weights [STAGES][P][H][d][d]. */
@group(0) @binding(5) var<storage, read_write> stageWeights: array<f32>;
/** [2][P][H][d][d]: F_0 = f(D_k, t_k), then σΔW. */
@group(0) @binding(6) var<storage, read_write> driftNoise: array<f32>;

/** Entry (a, b) of the oscillating target T_h at phase τ (schedule.ts oscillatingTarget). */
fn oscillatingTarget(a: u32, b: u32, tau: f32) -> f32 {
  let c = drift.center;
  let amp = drift.amplitude;
  let off = drift.offAmplitude;
  let k = min(a, b);
  let l = max(a, b);
  if (D == 2u) {
    if (k != l) { return off * sinP(2.0 * tau); }
    return select(c + amp * cosP(tau), c - amp * cosP(tau), k == 1u);
  }
  if (D == 3u) {
    if (k == l) {
      if (k == 0u) { return c + amp * cosP(tau); }
      if (k == 1u) { return c + amp * sinP(tau); }
      return c + amp * cosP(tau + TWO_PI / 8.0);
    }
    if (k == 0u && l == 1u) { return off * sinP(2.0 * tau); }
    if (k == 0u) { return off * sinP(tau); }
    return off * cosP(2.0 * tau);
  }
  if (k == l) { return c + amp * cosP(tau + TWO_PI * f32(k) / f32(D)); }
  let pairs = D * (D - 1u) / 2u;
  let p = k * D - k * (k + 1u) / 2u + (l - k - 1u);
  return off * sinP(2.0 * tau + TWO_PI * f32(p) / f32(pairs));
}

/** Entry (a, b) of the rotating target R Λ Rᵀ at angle θ (schedule.ts driftInto, 'rotating'). */
fn rotatingTarget(a: u32, b: u32, theta: f32) -> f32 {
  let c = drift.center;
  let amp = drift.amplitude;
  if (a == 0u && b == 0u) { return c + amp * cosP(2.0 * theta); }
  if (a == 1u && b == 1u) { return c - amp * cosP(2.0 * theta); }
  if (a + b == 1u) { return amp * sinP(2.0 * theta); }
  return select(0.0, c, a == b);
}

/** f_h(D)_ab at stage phase `phase` for the entry value `value`. */
fn driftEntry(value: f32, a: u32, b: u32, h: u32, phase: f32) -> f32 {
  if (DRIFT == DRIFT_FROZEN) { return 0.0; }
  if (DRIFT == DRIFT_OU) { return drift.rate * (drift.ouTarget[a * D + b] - value); }
  if (DRIFT == DRIFT_OSCILLATING) {
    let tau = phase + TWO_PI * f32(h) / f32(H);
    return drift.rate * (oscillatingTarget(a, b, tau) - value);
  }
  if (DRIFT == DRIFT_ROTATING) {
    let theta = phase + TWO_PI * f32(h) / f32(H);
    return drift.rate * (rotatingTarget(a, b, theta) - value);
  }
  return unknownDrift();
}

/**
 * A quiet NaN for an unknown DRIFT id. Built from a uniform at run time: a NaN const-expression
 * is a shader-creation error, and nothing here may fold it away.
 */
fn unknownDrift() -> f32 {
  return bitcast<f32>(0x7fc00000u | stepParams.flags);
}

/** The schedule's entry of layer `layer` for (r, h, e), plus the replica offset. */
fn scheduled(layer: u32, r: u32, h: u32, e: u32) -> f32 {
  return schedule[sim.layerBase + (layer * H + h) * D * D + e] + schedule[(r * H + h) * D * D + e];
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let dd = D * D;
  let total = sim.replicas * H * dd;
  let idx = id.x;
  if (idx >= total) { return; }
  let e = idx % dd;
  let h = (idx / dd) % H;
  let r = idx / (H * dd);
  let a = e / D;
  let b = e % D;
  let evaluateOnly = (stepParams.flags & STEP_EVALUATE_ONLY) != 0u;
  let dk = weights[idx];

  var noise = 0.0;
  if (NOISE && !evaluateOnly) {
    let key = vec2u(sim.seedLo, sim.seedHi);
    let replica = select(r, 0u, sim.sharedNoise != 0u);
    let zab = weightNoiseNormal(stepParams.step, replica, h, a * D + b, key);
    let zba = weightNoiseNormal(stepParams.step, replica, h, b * D + a, key);
    noise = sim.noiseScale * (zab + zba);
  }

  var f: array<f32, MAX_STAGES>;
  var next = dk;
  if (DRIFT == DRIFT_LAYERS) {
    stageWeights[idx] = dk;
    for (var st = 1u; st < STAGES; st++) {
      stageWeights[st * total + idx] = scheduled(stepParams.layer[st], r, h, e);
    }
    next = scheduled(stepParams.layerEnd, r, h, e);
  } else {
    for (var st = 0u; st < STAGES; st++) {
      var acc = 0.0;
      for (var j = 0u; j < st; j++) {
        let coef = sim.a[st][j];
        if (coef != 0.0) { acc += coef * f[j]; }
      }
      let di = dk + sim.dt * acc + sim.c[st] * noise;
      stageWeights[st * total + idx] = di;
      f[st] = driftEntry(di, a, b, h, stepParams.phase[st]);
    }
    var acc = 0.0;
    for (var j = 0u; j < STAGES; j++) {
      let coef = sim.b[j];
      if (coef != 0.0) { acc += coef * f[j]; }
    }
    next = dk + sim.dt * acc + noise;
  }
  driftNoise[idx] = f[0];
  driftNoise[total + idx] = noise;
  if (!evaluateOnly) { weights[idx] = next; }
}
