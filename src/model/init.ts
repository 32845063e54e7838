/**
 * Initial tokens and weights of a scenario, seeded through the counter-based RNG.
 * Layouts: tokens [P][n][d], weights [P][H][d][d], row-major Float64Arrays.
 * Replica 0 is the input; replicas ≥ 1 are copies, perturbed as `scenario.perturbation` says.
 */
import { assertNever } from './kinds/field';
import { Philox, Stream } from './rng';
import type { Scenario, TokenSpec } from './scenario';
import { normalizeInPlace } from './linalg';

/** Sequential draws from one counter family (c0, c1, c2, stream), block after block. */
class DrawSequence {
  private block = 0;
  private lane = 4;
  private readonly buf = new Float64Array(4);
  constructor(
    private readonly rng: Philox,
    private readonly c0: number,
    private readonly c1: number,
    private readonly c2: number,
    private readonly stream: number,
  ) {}

  uniform(): number {
    if (this.lane === 4) {
      this.rng.uniforms4(this.c0, this.c1, this.c2, this.stream, this.block++, this.buf);
      this.lane = 0;
    }
    return this.buf[this.lane++]!;
  }

  normal(): number {
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    return r * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Gamma(shape, 1) by Marsaglia–Tsang (boosted for shape < 1). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * this.uniform() ** (1 / shape);
    const dd = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * dd);
    for (;;) {
      const z = this.normal();
      const v0 = 1 + c * z;
      if (v0 <= 0) continue;
      const v = v0 * v0 * v0;
      if (Math.log(this.uniform()) < 0.5 * z * z + dd - dd * v + dd * Math.log(v)) return dd * v;
    }
  }
}

/** Tokens of replica 0 as an n×d Float64Array. */
export function baseTokens(s: Scenario): Float64Array {
  const { n, d } = s;
  const rng = new Philox(s.seed);
  const x = new Float64Array(n * d);
  const normals = new Float64Array(d);
  const spec: TokenSpec = s.tokens;
  switch (spec.kind) {
    case 'uniform':
      for (let i = 0; i < n; i++) {
        rng.normals(i, 0, 0, Stream.tokens, normals, d);
        x.set(normals, i * d);
        normalizeInPlace(x, i * d, d);
      }
      break;
    case 'circle-clusters':
      for (let i = 0; i < n; i++) {
        rng.normals(i, 0, 0, Stream.tokens, normals, 1);
        const angle = (2 * Math.PI * (i % spec.clusters)) / spec.clusters + spec.noise * normals[0]!;
        x[i * d] = Math.cos(angle);
        x[i * d + 1] = Math.sin(angle);
      }
      break;
    case 'octahedral':
    case 'cross-polytope':
      for (let i = 0; i < n; i++) {
        const vertex = i % (2 * d);
        rng.normals(i, 0, 0, Stream.tokens, normals, d);
        for (let c = 0; c < d; c++) x[i * d + c] = spec.noise * normals[c]!;
        x[i * d + (vertex >> 1)] += vertex % 2 === 0 ? 1 : -1;
        normalizeInPlace(x, i * d, d);
      }
      break;
    case 'vmf': {
      const centres = new Float64Array(spec.clusters * d);
      for (let k = 0; k < spec.clusters; k++) {
        rng.normals(k, 0, 0, Stream.centres, normals, d);
        centres.set(normals, k * d);
        normalizeInPlace(centres, k * d, d);
      }
      for (let i = 0; i < n; i++)
        sampleVmf(
          new DrawSequence(rng, i, 0, 0, Stream.tokens),
          centres,
          (i % spec.clusters) * d,
          spec.kappa,
          d,
          x,
          i * d,
        );
      break;
    }
    case 'explicit':
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < d; c++) x[i * d + c] = spec.points[i]![c]!;
        normalizeInPlace(x, i * d, d);
      }
      break;
    default:
      assertNever(spec, 'token kind');
  }
  return x;
}

/** One von Mises–Fisher draw around the unit vector mu (Wood 1994), written at x[off..off+d). */
function sampleVmf(
  draw: DrawSequence,
  mu: Float64Array,
  muOff: number,
  kappa: number,
  d: number,
  x: Float64Array,
  off: number,
): void {
  const m = d - 1;
  const b = m / (2 * kappa + Math.sqrt(4 * kappa * kappa + m * m));
  const x0 = (1 - b) / (1 + b);
  const c = kappa * x0 + m * Math.log(1 - x0 * x0);
  let w = 1;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const g1 = draw.gamma(m / 2);
    const g2 = draw.gamma(m / 2);
    const z = g1 / (g1 + g2);
    w = (1 - (1 + b) * z) / (1 - (1 - b) * z);
    if (kappa * w + m * Math.log(1 - x0 * w) - c >= Math.log(draw.uniform())) break;
  }
  // Tangent direction orthogonal to mu.
  const t = new Float64Array(d);
  let dot = 0;
  for (let k = 0; k < d; k++) {
    t[k] = draw.normal();
    dot += t[k]! * mu[muOff + k]!;
  }
  for (let k = 0; k < d; k++) t[k] = t[k]! - dot * mu[muOff + k]!;
  normalizeInPlace(t, 0, d);
  const r = Math.sqrt(Math.max(0, 1 - w * w));
  for (let k = 0; k < d; k++) x[off + k] = w * mu[muOff + k]! + r * t[k]!;
  normalizeInPlace(x, off, d);
}

/** Initial matrices of replica 0 as an H×d×d Float64Array. */
export function baseWeights(s: Scenario): Float64Array {
  const { d, heads: H } = s;
  const dd = d * d;
  const D = new Float64Array(H * dd);
  const drift = s.weights.drift;
  if (drift.kind === 'layers') {
    // The layer schedule sets D(t) itself: D(0) is layer 0 (weights.init is unused).
    for (let h = 0; h < H; h++) D.set(drift.layers[0]![h]!.flat(), h * dd);
    return D;
  }
  const init = s.weights.init;
  const rng = new Philox(s.seed);
  const z = new Float64Array(dd);
  for (let h = 0; h < H; h++) {
    const off = h * dd;
    switch (init.kind) {
      case 'identity':
        for (let a = 0; a < d; a++) D[off + a * d + a] = init.scale;
        break;
      case 'explicit':
        D.set(init.matrices[h]!.flat(), off);
        break;
      case 'random-symmetric':
        rng.normals(h, 0, 0, Stream.weightInit, z, dd);
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++) D[off + a * d + b] = init.scale * (z[a * d + b]! + z[b * d + a]!);
        break;
      default:
        assertNever(init, 'weight init kind');
    }
  }
  return D;
}

/**
 * Per-replica additive weight offsets δ·S_{r,h} (zero for replica 0), [P][H][d][d].
 * Added to the initial weights; for the layer schedule, added to every layer's matrices.
 */
export function weightOffsets(s: Scenario): Float64Array {
  const { d, heads: H, replicas: P } = s;
  const dd = d * d;
  const out = new Float64Array(P * H * dd);
  const delta = s.perturbation.weights;
  if (delta === 0) return out;
  const rng = new Philox(s.seed);
  const g = new Float64Array(dd);
  for (let r = 1; r < P; r++) {
    for (let h = 0; h < H; h++) {
      rng.normals(h, r, 0, Stream.perturbWeights, g, dd);
      const off = (r * H + h) * dd;
      let fro = 0;
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) {
          const v = 0.5 * (g[a * d + b]! + g[b * d + a]!);
          out[off + a * d + b] = v;
          fro += v * v;
        }
      const scale = delta / Math.sqrt(fro);
      for (let e = 0; e < dd; e++) out[off + e] = out[off + e]! * scale;
    }
  }
  return out;
}

/** Tokens of all replicas, [P][n][d]: copies of replica 0, perturbed by ε along random unit tangents. */
export function initialTokens(s: Scenario): Float64Array {
  const { n, d, replicas: P } = s;
  const base = baseTokens(s);
  const x = new Float64Array(P * n * d);
  const rng = new Philox(s.seed);
  const g = new Float64Array(d);
  const eps = s.perturbation.tokens;
  for (let r = 0; r < P; r++) {
    x.set(base, r * n * d);
    if (r === 0 || eps === 0) continue;
    for (let i = 0; i < n; i++) {
      const off = (r * n + i) * d;
      rng.normals(i, r, 0, Stream.perturbTokens, g, d);
      let dot = 0;
      for (let c = 0; c < d; c++) dot += g[c]! * x[off + c]!;
      for (let c = 0; c < d; c++) g[c] = g[c]! - dot * x[off + c]!;
      normalizeInPlace(g, 0, d);
      for (let c = 0; c < d; c++) x[off + c] = x[off + c]! + eps * g[c]!;
      normalizeInPlace(x, off, d);
    }
  }
  return x;
}

/** Weights of all replicas, [P][H][d][d]: replica 0's plus each replica's offset. */
export function initialWeights(s: Scenario): Float64Array {
  const base = baseWeights(s);
  const offsets = weightOffsets(s);
  const D = new Float64Array(offsets.length);
  for (let r = 0; r < s.replicas; r++) D.set(base, r * base.length);
  for (let e = 0; e < D.length; e++) D[e] = D[e]! + offsets[e]!;
  return D;
}
