/**
 * Analysis of token states and traces (pure TS, no DOM): cluster counts, mean |cos|, distances
 * between replicas, and the least-squares fits the playground reports (exponential growth of a
 * distance, G² ≈ a·H^b). Token arrays are [..][n][d] float arrays read from an offset; nothing
 * of size n×n is ever stored.
 */

/** Float arrays the analysis reads (float64 from the CPU engine, float32 from a GPU readback). */
export type Floats = Float64Array | Float32Array;

/** Largest n for which meanAbsCos visits every pair (n(n−1)/2 ≈ 2.1·10⁶ pairs at 2048). */
export const MEAN_ABS_COS_EXACT_MAX = 2048;
/** Pairs drawn by meanAbsCos above MEAN_ABS_COS_EXACT_MAX (standard error ≲ 0.5/√2¹⁸ ≈ 10⁻³). */
const MEAN_ABS_COS_SAMPLES = 1 << 18;
/** Default seed of the pair sample: the same tokens always give the same estimate. */
const MEAN_ABS_COS_SEED = 0x5eed;

function dot(x: Floats, a: number, b: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) s += x[a + c]! * x[b + c]!;
  return s;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const up = parent[parent[i]!]!;
    parent[i] = up; // path halving
    i = up;
  }
  return i;
}

/**
 * Number of clusters of the n tokens at x[off..]: connected components of the graph joining
 * i and j when ⟨x_i, x_j⟩ > 1 − eps (union–find with path halving and union by size).
 * O(n²·d) time, O(n) memory. Chains join: two tokens far apart can share a cluster.
 */
export function clusterCount(x: Floats, off: number, n: number, d: number, eps: number): number {
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) parent[i] = i;
  let components = n;
  const threshold = 1 - eps;
  for (let i = 0; i < n; i++) {
    const xi = off + i * d;
    for (let j = i + 1; j < n; j++) {
      if (dot(x, xi, off + j * d, d) <= threshold) continue;
      let a = find(parent, i),
        b = find(parent, j);
      if (a === b) continue;
      if (size[a]! < size[b]!) [a, b] = [b, a];
      parent[b] = a;
      size[a] = size[a]! + size[b]!;
      components--;
    }
  }
  return components;
}

/** Mulberry32: a small seeded 32-bit generator for reproducible pair samples (not the model's noise: that is Philox, rng.ts). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mean of |⟨x_i, x_j⟩| over the unordered pairs i < j of the n tokens at x[off..] (the
 * diagonal, always 1, is left out; NaN for n < 2). Exact for n ≤ MEAN_ABS_COS_EXACT_MAX;
 * above, the mean over `samples` pairs (i, j), i ≠ j, drawn uniformly by a Mulberry32 generator
 * seeded with `seed`: deterministic for given tokens, an unbiased estimate of the exact mean.
 */
export function meanAbsCos(
  x: Floats,
  off: number,
  n: number,
  d: number,
  samples = MEAN_ABS_COS_SAMPLES,
  seed = MEAN_ABS_COS_SEED,
): number {
  if (n < 2) return NaN;
  let sum = 0;
  if (n <= MEAN_ABS_COS_EXACT_MAX) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sum += Math.abs(dot(x, off + i * d, off + j * d, d));
    return sum / ((n * (n - 1)) / 2);
  }
  const rand = mulberry32(seed);
  for (let k = 0; k < samples; k++) {
    const i = Math.floor(rand() * n);
    const j = (i + 1 + Math.floor(rand() * (n - 1))) % n; // uniform over j ≠ i
    sum += Math.abs(dot(x, off + i * d, off + j * d, d));
  }
  return sum / samples;
}

/**
 * m distinct indices of 0…n−1 drawn uniformly (partial Fisher–Yates, Mulberry32 seeded with
 * `seed`), in increasing order; all of 0…n−1 when m ≥ n. For analysing a large state on a
 * deterministic random subset of tokens (an evenly strided subset could alias with the
 * ordered initial clusters).
 */
export function sampleIndices(n: number, m: number, seed = MEAN_ABS_COS_SEED): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (m >= n) return all;
  const rand = mulberry32(seed);
  for (let k = 0; k < m; k++) {
    const j = k + Math.floor(rand() * (n - k));
    const t = all[k]!;
    all[k] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, m).sort();
}

/** Distances of replicas r = 1…P−1 to replica 0 (index r − 1). */
export interface ReplicaDistances {
  /** max_i |x_i − y_i|. */
  max: Float64Array;
  /** (1/n Σ_i |x_i − y_i|²)^{1/2}. */
  rms: Float64Array;
}

/** For tokens x [P][n][d]: each replica r ≥ 1 against replica 0, token by token. */
export function replicaDistances(x: Floats, P: number, n: number, d: number): ReplicaDistances {
  const max = new Float64Array(Math.max(0, P - 1));
  const rms = new Float64Array(Math.max(0, P - 1));
  for (let r = 1; r < P; r++) {
    let worst = 0,
      sum = 0;
    for (let i = 0; i < n; i++) {
      let sq = 0;
      for (let c = 0; c < d; c++) {
        const e = x[(r * n + i) * d + c]! - x[i * d + c]!;
        sq += e * e;
      }
      sum += sq;
      if (sq > worst) worst = sq;
    }
    max[r - 1] = Math.sqrt(worst);
    rms[r - 1] = Math.sqrt(sum / n);
  }
  return { max, rms };
}

/** Least-squares line y ≈ intercept + slope·x with its coefficient of determination. */
interface LineFit {
  slope: number;
  intercept: number;
  r2: number;
}

/**
 * fitLine of fy(y) against fx(x) over the points where both are finite (so a log drops the
 * points ≤ 0 and the non-finite ones).
 */
function fitMapped(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  fx: (v: number) => number,
  fy: (v: number) => number,
): LineFit {
  const xs: number[] = [],
    ys: number[] = [];
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    const u = fx(x[k]!),
      v = fy(y[k]!);
    if (Number.isFinite(u) && Number.isFinite(v)) {
      xs.push(u);
      ys.push(v);
    }
  }
  return fitLine(xs, ys);
}

function fitLine(xs: number[], ys: number[]): LineFit {
  const m = xs.length;
  if (m < 2) return { slope: NaN, intercept: NaN, r2: NaN };
  let mx = 0,
    my = 0;
  for (let k = 0; k < m; k++) {
    mx += xs[k]!;
    my += ys[k]!;
  }
  mx /= m;
  my /= m;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let k = 0; k < m; k++) {
    const dx = xs[k]! - mx,
      dy = ys[k]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: NaN, intercept: NaN, r2: NaN };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let k = 0; k < m; k++) ssRes += (ys[k]! - intercept - slope * xs[k]!) ** 2;
  return { slope, intercept, r2: syy === 0 ? 1 : 1 - ssRes / syy };
}

/** y ≈ a·e^{rate·t}. */
export interface ExponentialFit {
  rate: number;
  a: number;
  r2: number;
}

/**
 * Least squares of log y against t over the points with finite t and y > 0 (others ignored).
 * NaNs when fewer than two points remain or all their t are equal. r2 is that of the log fit.
 */
export function fitExponential(t: ArrayLike<number>, y: ArrayLike<number>): ExponentialFit {
  const f = fitMapped(t, y, (v) => v, Math.log);
  return { rate: f.slope, a: Math.exp(f.intercept), r2: f.r2 };
}

/** The rate λ of y ≈ a·e^{λt} (fitExponential; NaN when it cannot be fitted). */
export function fitExponentialRate(t: ArrayLike<number>, y: ArrayLike<number>): number {
  return fitExponential(t, y).rate;
}

/** G ≈ a·H^b. */
export interface PowerLawFit {
  a: number;
  b: number;
  /** Coefficient of determination of the log–log line. */
  r2: number;
}

/**
 * Fits G = a·H^b by least squares of log G against log H (points with H ≤ 0 or G ≤ 0 are
 * ignored). NaNs when fewer than two usable points with distinct H remain.
 */
export function fitPowerLaw(H: ArrayLike<number>, G: ArrayLike<number>): PowerLawFit {
  const f = fitMapped(H, G, Math.log, Math.log);
  return { a: Math.exp(f.intercept), b: f.slope, r2: f.r2 };
}

/**
 * Arithmetic mean of the samples y_k whose time t_k lies in the second half of the sampled
 * span, t_k ≥ (t_first + t_last)/2 (as the paper's code: uniform sampling assumed, no
 * quadrature weights). t must be increasing; NaN for no samples.
 */
export function timeAverageSecondHalf(t: ArrayLike<number>, y: ArrayLike<number>): number {
  const m = Math.min(t.length, y.length);
  if (m === 0) return NaN;
  const mid = 0.5 * (t[0]! + t[m - 1]!);
  const tol = 1e-12 * Math.max(1, Math.abs(t[m - 1]! - t[0]!));
  let sum = 0,
    count = 0;
  for (let k = 0; k < m; k++) {
    if (t[k]! >= mid - tol) {
      sum += y[k]!;
      count++;
    }
  }
  return sum / count;
}
