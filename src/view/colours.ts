/**
 * Token colours: by initial cluster (fixed at the start of a run), by speed (distance moved
 * between two readbacks, per unit time) or by nearest current cluster (tokens with
 * ⟨x, c⟩ > 1 − ε to a cluster centre c, colours kept stable by reusing last frame's centres).
 */

/** A qualitative palette readable on a dark background (Tableau 10, brightened). */
export const PALETTE: readonly [number, number, number][] = [
  [0.35, 0.63, 0.95],
  [1.0, 0.62, 0.25],
  [0.45, 0.85, 0.45],
  [0.98, 0.4, 0.4],
  [0.75, 0.55, 0.95],
  [0.85, 0.6, 0.5],
  [1.0, 0.6, 0.85],
  [0.75, 0.75, 0.75],
  [0.9, 0.9, 0.35],
  [0.3, 0.85, 0.9],
];

/** Colour of cluster label k. */
export function labelColour(k: number): [number, number, number] {
  return PALETTE[k % PALETTE.length]!;
}

/** Inferno-like ramp for u ∈ [0, 1]: dark purple → orange → pale yellow. */
export function ramp(u: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, u));
  const stops: [number, number, number][] = [
    [0.25, 0.1, 0.45],
    [0.75, 0.2, 0.45],
    [0.98, 0.55, 0.15],
    [0.99, 0.95, 0.6],
  ];
  const s = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(s));
  const f = s - i;
  const a = stops[i]!,
    b = stops[i + 1]!;
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/**
 * Greedy clustering on the sphere with stable labels. Call `assign` with each new state;
 * tokens join the first centre (previous centres first) with ⟨x, c⟩ > 1 − ε.
 */
export class StableClusters {
  private centres: { v: Float64Array; label: number }[] = [];
  private nextLabel = 0;

  constructor(
    readonly d: number,
    private readonly maxClusters = 64,
  ) {}

  /** Labels of `count` tokens at `offset` (written into `labels`); returns the number of clusters. */
  assign(x: ArrayLike<number>, offset: number, count: number, epsilon: number, labels: Int32Array): number {
    const { d } = this;
    const threshold = 1 - epsilon;
    const sums = this.centres.map(() => new Float64Array(d));
    const sizes: number[] = this.centres.map(() => 0);
    for (let i = 0; i < count; i++) {
      const o = offset + i * d;
      let best = -1,
        bestDot = -Infinity;
      for (let c = 0; c < this.centres.length; c++) {
        const v = this.centres[c]!.v;
        let s = 0;
        for (let k = 0; k < d; k++) s += v[k]! * x[o + k]!;
        if (s > bestDot) {
          bestDot = s;
          best = c;
        }
      }
      if ((bestDot <= threshold || best < 0) && this.centres.length < this.maxClusters) {
        const v = new Float64Array(d);
        for (let k = 0; k < d; k++) v[k] = x[o + k]!;
        this.centres.push({ v, label: this.nextLabel++ });
        sums.push(new Float64Array(d));
        sizes.push(0);
        best = this.centres.length - 1;
      }
      for (let k = 0; k < d; k++) sums[best]![k]! += x[o + k]!;
      sizes[best]!++;
      labels[i] = this.centres[best]!.label;
    }
    const kept: { v: Float64Array; label: number }[] = [];
    this.centres.forEach((c, j) => {
      if (sizes[j] === 0) return;
      const s = sums[j]!;
      const len = Math.hypot(...s) || 1;
      for (let k = 0; k < d; k++) c.v[k] = s[k]! / len;
      kept.push(c);
    });
    this.centres = kept;
    return kept.length;
  }
}

/** Labels of the initial state: greedy clusters at ⟨x,c⟩ > 0.8, at most 10 (then nearest). */
export function initialLabels(x: ArrayLike<number>, offset: number, count: number, d: number): Int32Array {
  const labels = new Int32Array(count);
  new StableClusters(d, 10).assign(x, offset, count, 0.2, labels);
  return labels;
}
