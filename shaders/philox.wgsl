// Philox4x32-10 and the weight-noise normals, bit-identical to src/model/rng.ts (tested word for
// word by tests/gpu/philox.test.ts). Prepended by src/gpu/shaders.ts to the kernels that draw noise.

const PHILOX_M0: u32 = 0xd2511f53u;
const PHILOX_M1: u32 = 0xcd9e8d57u;
const PHILOX_W0: u32 = 0x9e3779b9u;
const PHILOX_W1: u32 = 0xbb67ae85u;
/** Stream.weightNoise of rng.ts: bits 24..31 of counter word c3. */
const STREAM_WEIGHT_NOISE: u32 = 1u;
const TWO_PI: f32 = 6.283185307179586;

/** High 32 bits of the 64-bit product a·b, from 16-bit halves (WGSL has no 64-bit integers). */
fn mulhi32(a: u32, b: u32) -> u32 {
  let aLo = a & 0xffffu;
  let aHi = a >> 16u;
  let bLo = b & 0xffffu;
  let bHi = b >> 16u;
  let lolo = aLo * bLo;
  let hilo = aHi * bLo;
  let lohi = aLo * bHi;
  let hihi = aHi * bHi;
  let cross = (lolo >> 16u) + (hilo & 0xffffu) + (lohi & 0xffffu);
  return hihi + (hilo >> 16u) + (lohi >> 16u) + (cross >> 16u);
}

/** Philox4x32-10 of counter ctr under key (k0, k1). */
fn philox4x32(ctr: vec4u, key: vec2u) -> vec4u {
  var x = ctr;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let hi0 = mulhi32(PHILOX_M0, x.x);
    let lo0 = PHILOX_M0 * x.x;
    let hi1 = mulhi32(PHILOX_M1, x.z);
    let lo1 = PHILOX_M1 * x.z;
    x = vec4u(hi1 ^ x.y ^ k.x, lo1, hi0 ^ x.w ^ k.y, lo0);
    k = k + vec2u(PHILOX_W0, PHILOX_W1);
  }
  return x;
}

/** 24-bit uniform in (0, 1), exact in f32: ((w >> 8) + 0.5)·2⁻²⁴. */
fn uniform24(w: u32) -> f32 {
  return (f32(w >> 8u) + 0.5) * 5.9604644775390625e-8;
}

/** Normal `lane` (0..3) of one block: Box–Muller r·cos(2πu1), r·sin(2πu1) on (u0,u1) → lanes 0,1 and (u2,u3) → lanes 2,3. Needs trig.wgsl. */
fn boxMullerLane(w: vec4u, lane: u32) -> f32 {
  let pair = lane >> 1u;
  let r = sqrt(-2.0 * log(uniform24(w[2u * pair])));
  let sc = sinCos(TWO_PI * uniform24(w[2u * pair + 1u]));
  return r * select(sc.y, sc.x, (lane & 1u) == 1u);
}

/** Entry e of the standard normal d×d matrix Z of (step, replica, head): lane e&3 of block e>>2. */
fn weightNoiseNormal(step: u32, replica: u32, head: u32, entry: u32, key: vec2u) -> f32 {
  let w = philox4x32(vec4u(step, replica, head, (STREAM_WEIGHT_NOISE << 24u) | (entry >> 2u)), key);
  return boxMullerLane(w, entry & 3u);
}
