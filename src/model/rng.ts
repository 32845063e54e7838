/**
 * Counter-based random numbers: Philox4x32-10 (Salmon et al., SC'11) and the
 * normal variates built on it. Every random number of a run is a pure function
 * of (seed, counter), so the GPU engine (shaders/philox.wgsl) draws the very
 * same stream in any order, on any thread, with no state carried between steps.
 *
 * Layout of the counter (four u32 words), shared with the WGSL side:
 *   c0 = index  (step index for weight noise, token or entry index for set-up draws)
 *   c1 = replica
 *   c2 = head (or 0)
 *   c3 = (stream << 24) | block,  block = entry >> 2 (each call yields four numbers)
 * The key is the seed split into two u32 words (low, high).
 *
 * Uniforms keep 24 bits so that float32 represents them exactly: u = (w >> 8 + 0.5)·2⁻²⁴
 * lies in (0, 1) and is bit-identical on CPU and GPU. Normals come from Box–Muller
 * on consecutive uniform pairs: (u0,u1) → (n0,n1), (u2,u3) → (n2,n3).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** Named streams: bits 24..31 of counter word c3. One purpose, one stream. */
export const Stream = {
  /** Brownian increments of the weight SDE, per (step, replica, head, entry). */
  weightNoise: 1,
  /** Initial tokens: uniform directions, cluster noise, vMF draws. */
  tokens: 2,
  /** Random-symmetric initial weights D = Z + Zᵀ. */
  weightInit: 3,
  /** Token perturbation of replicas (tangent directions). */
  perturbTokens: 4,
  /** Weight perturbation of replicas. */
  perturbWeights: 5,
  /** Cluster centres of von Mises–Fisher blobs. */
  centres: 6,
} as const;

/** High 32 bits of the 64-bit product a·b of two u32 (as the WGSL side computes it). */
export function mulhi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const hilo = aHi * bLo;
  const lohi = aLo * bHi;
  const hihi = aHi * bHi;
  const cross = (lolo >>> 16) + (hilo & 0xffff) + (lohi & 0xffff);
  return (hihi + (hilo >>> 16) + (lohi >>> 16) + (cross >>> 16)) >>> 0;
}

/**
 * Philox4x32-10 on counter (c0..c3) and key (k0, k1). Writes four u32 words into `out`.
 * Allocation-free so the float64 engine can call it inside the step.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): void {
  let x0 = c0 >>> 0,
    x1 = c1 >>> 0,
    x2 = c2 >>> 0,
    x3 = c3 >>> 0;
  let key0 = k0 >>> 0,
    key1 = k1 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi32(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi32(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    const y0 = (hi1 ^ x1 ^ key0) >>> 0;
    const y1 = lo1;
    const y2 = (hi0 ^ x3 ^ key1) >>> 0;
    const y3 = lo0;
    x0 = y0;
    x1 = y1;
    x2 = y2;
    x3 = y3;
    key0 = (key0 + W0) >>> 0;
    key1 = (key1 + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

/** 24-bit uniform in (0, 1), exactly representable in float32. */
export function uniform24(word: number): number {
  return ((word >>> 8) + 0.5) * 2 ** -24;
}

/** Splits a seed (non-negative integer below 2⁵³) into the Philox key words. */
export function seedKey(seed: number): [number, number] {
  return [(seed % 0x100000000) >>> 0, Math.floor(seed / 0x100000000) >>> 0];
}

/** A seeded source of counter-based normal and uniform variates. */
export class Philox {
  readonly k0: number;
  readonly k1: number;
  private readonly words = new Uint32Array(4);
  private readonly block = new Float64Array(4);

  constructor(seed: number) {
    [this.k0, this.k1] = seedKey(seed);
  }

  /** Four uniforms in (0,1) for the given counter, written into `out`. */
  uniforms4(c0: number, c1: number, c2: number, stream: number, block: number, out: Float64Array): void {
    philox4x32(c0, c1, c2, ((stream << 24) | (block & 0xffffff)) >>> 0, this.k0, this.k1, this.words);
    for (let i = 0; i < 4; i++) out[i] = uniform24(this.words[i]!);
  }

  /** Four standard normals (two Box–Muller pairs) for the given counter, written into `out`. */
  normals4(c0: number, c1: number, c2: number, stream: number, block: number, out: Float64Array): void {
    this.uniforms4(c0, c1, c2, stream, block, this.block);
    const u = this.block;
    boxMuller(u[0]!, u[1]!, out, 0);
    boxMuller(u[2]!, u[3]!, out, 2);
  }

  /**
   * Fills `out[0..count)` with standard normals of (c0, c1, c2, stream): entry e is lane e & 3
   * of block e >> 2 — the same mapping the WGSL side uses for the weight noise.
   */
  normals(c0: number, c1: number, c2: number, stream: number, out: Float64Array, count = out.length): void {
    const tmp = this.block;
    for (let e = 0; e < count; e += 4) {
      this.uniforms4(c0, c1, c2, stream, e >> 2, tmp);
      const n0 = Math.sqrt(-2 * Math.log(tmp[0]!));
      const n1 = Math.sqrt(-2 * Math.log(tmp[2]!));
      const a0 = 2 * Math.PI * tmp[1]!;
      const a1 = 2 * Math.PI * tmp[3]!;
      out[e] = n0 * Math.cos(a0);
      if (e + 1 < count) out[e + 1] = n0 * Math.sin(a0);
      if (e + 2 < count) out[e + 2] = n1 * Math.cos(a1);
      if (e + 3 < count) out[e + 3] = n1 * Math.sin(a1);
    }
  }
}

function boxMuller(u1: number, u2: number, out: Float64Array, at: number): void {
  const r = Math.sqrt(-2 * Math.log(u1));
  const a = 2 * Math.PI * u2;
  out[at] = r * Math.cos(a);
  out[at + 1] = r * Math.sin(a);
}
