// sin and cos accurate to a few f32 ulps on any argument up to |x| ≈ 1e4. Vulkan lets a GPU's
// built-in sin/cos err by 2⁻¹¹ absolute (SwiftShader does, ~2e-4), which would show in the noise
// normals and the oscillating targets. Cody–Waite reduction by π/2 in three parts, then Taylor
// polynomials on [−π/4, π/4] (truncation below 3e-8). Prepended by src/gpu/shaders.ts.

const PIO2_A: f32 = 1.5703125;
const PIO2_B: f32 = 4.837512969970703125e-4;
const PIO2_C: f32 = 7.54978995489188216e-8;
const TWO_OVER_PI: f32 = 0.6366197723675814;

/** (sin x, cos x). */
fn sinCos(x: f32) -> vec2f {
  let k = round(x * TWO_OVER_PI);
  let r = ((x - k * PIO2_A) - k * PIO2_B) - k * PIO2_C;
  let r2 = r * r;
  let s = r + r * r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0))));
  let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0))));
  let quadrant = i32(k) & 3;
  if (quadrant == 0) { return vec2f(s, c); }
  if (quadrant == 1) { return vec2f(c, -s); }
  if (quadrant == 2) { return vec2f(-s, -c); }
  return vec2f(-c, s);
}

fn sinP(x: f32) -> f32 { return sinCos(x).x; }
fn cosP(x: f32) -> f32 { return sinCos(x).y; }
