// Kernel density of the tokens of replica 0 on an equal-area grid of S² (src/model/density.ts is
// its float64 reference): one invocation per cell c (row i = z index, column q = φ index),
// ρ(c) = (norm/n) Σ_j exp(κ(⟨c, y_j⟩ − 1)), y_j = A x_j / |A x_j| the token projected on the
// view's three axes A (3×D, row-major) and renormalised; tokens projected to 0 are skipped.
// exp(κ(t − 1)) ≤ 1: no overflow at any κ. The cell centres come from a buffer (computed in
// float64 on the CPU): WGSL's sin and cos may err by 2⁻¹¹, which κ = 1/h² would amplify.
// Dispatch: (⌈nz·nphi/WG⌉).

override D: u32 = 3u;
override WG: u32 = 64u;

struct DensityParams {
  n: u32,
  nz: u32,
  nphi: u32,
  _pad: u32,
  kappa: f32,
  norm: f32,
  _pad2: vec2f,
}

@group(0) @binding(0) var<uniform> params: DensityParams;
@group(0) @binding(1) var<storage, read> positions: array<f32>;
@group(0) @binding(2) var<storage, read> axes: array<f32>;
@group(0) @binding(3) var<storage, read_write> density: array<f32>;
@group(0) @binding(4) var<storage, read> centres: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let cell = id.x;
  if (cell >= params.nz * params.nphi) { return; }
  let c = centres[cell].xyz;
  var s = 0.0;
  for (var j = 0u; j < params.n; j++) {
    var y = vec3f(0.0);
    for (var k = 0u; k < D; k++) {
      let v = positions[j * D + k];
      y += v * vec3f(axes[k], axes[D + k], axes[2u * D + k]);
    }
    let len = length(y);
    if (len > 0.0) { s += exp(params.kappa * (dot(c, y) / len - 1.0)); }
  }
  density[cell] = params.norm * s / f32(params.n);
}
