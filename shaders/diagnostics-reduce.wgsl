// Reduces the per-token partials of one replica to the step's record: one workgroup per replica.
// Each invocation folds its strided tokens into max-shifted pairs (M, S) per field,
//   (M, S) ⊕ (e, v) = (max(M, e), S·e^{M − max} + v·e^{e − max}),
// then a tree reduction in workgroup memory combines the invocations (safe for any exponent: the
// float32 range only limits the mantissas). Non-finite values set the record's flags.
// Dispatch: (P). Needs structs.wgsl.

/** Invocations of the one workgroup per replica: a power of two (tree reduction), reduce-pass.ts REDUCE_WG. */
override WG: u32 = 128u;

@group(0) @binding(0) var<uniform> sim: SimParams;
@group(0) @binding(1) var<uniform> stepParams: StepParams;
@group(0) @binding(2) var<storage, read> partials: array<ScaledDiag>;
/** [capacity][P] records; this step's row is stepParams.slot. */
@group(0) @binding(3) var<storage, read_write> records: array<ScaledDiag>;

var<workgroup> sharedExp: array<array<f32, SCALED_FIELDS>, WG>;
var<workgroup> sharedMant: array<array<f32, SCALED_FIELDS>, WG>;
var<workgroup> sharedFlags: array<u32, WG>;

/** Adds (e, v) to the running pair (m, s) of field f. */
fn fold(
  m: ptr<function, array<f32, SCALED_FIELDS>>,
  s: ptr<function, array<f32, SCALED_FIELDS>>,
  f: u32,
  e: f32,
  v: f32,
) {
  let top = max((*m)[f], e);
  (*s)[f] = (*s)[f] * exp((*m)[f] - top) + v * exp(e - top);
  (*m)[f] = top;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = wg.x;
  let n = sim.n;
  let fields = select(FIELD_JUMP, SCALED_FIELDS, (stepParams.flags & STEP_JUMP) != 0u);
  var m: array<f32, SCALED_FIELDS>;
  var s: array<f32, SCALED_FIELDS>;
  for (var f = 0u; f < SCALED_FIELDS; f++) { m[f] = F32_LOWEST; }
  var flags = 0u;
  for (var i = lid; i < n; i += WG) {
    let p = partials[r * n + i];
    flags |= p.flags;
    for (var f = 0u; f < fields; f++) {
      if (nonFinite(p.exponent[f]) || nonFinite(p.mantissa[f])) {
        flags |= 1u << f;
      } else {
        fold(&m, &s, f, p.exponent[f], p.mantissa[f]);
      }
    }
  }
  sharedExp[lid] = m;
  sharedMant[lid] = s;
  sharedFlags[lid] = flags;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) {
      var mm = sharedExp[lid];
      var ss = sharedMant[lid];
      let other = lid + half;
      for (var f = 0u; f < SCALED_FIELDS; f++) { fold(&mm, &ss, f, sharedExp[other][f], sharedMant[other][f]); }
      sharedExp[lid] = mm;
      sharedMant[lid] = ss;
      sharedFlags[lid] |= sharedFlags[other];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let out = stepParams.slot * sim.replicas + r;
    var total = sharedFlags[0];
    let mm = sharedExp[0];
    let ss = sharedMant[0];
    for (var f = 0u; f < SCALED_FIELDS; f++) {
      if (nonFinite(mm[f]) || nonFinite(ss[f])) { total |= 1u << f; }
    }
    records[out].exponent = mm;
    records[out].mantissa = ss;
    records[out].flags = total;
  }
}
