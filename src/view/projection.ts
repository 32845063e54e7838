/**
 * Linear maps R^d → R^3 for drawing: d = 2 and 3 embed as they are; d ≥ 4 uses either the
 * first three coordinates or the top three principal axes of the current cloud, kept stable
 * from frame to frame (each new axis is matched to the previous axis it is closest to, and
 * its sign flipped to agree), so the picture does not jump when eigenvalues cross.
 */
import { symmetricEigen } from '../model/linalg';

/** Rows are the three axes (each of length d); a point maps to (⟨a0,x⟩, ⟨a1,x⟩, ⟨a2,x⟩). */
export type Axes = [number[], number[], number[]];

/** e0, e1, e2 in R^d (zero rows where d < 3). */
export function coordinateAxes(d: number): Axes {
  const e = (k: number): number[] => Array.from({ length: d }, (_, c) => (c === k ? 1 : 0));
  return [e(0), e(1), e(2)];
}

/** Centred covariance (d×d, row-major) of `count` points of dimension d starting at `offset`. */
function covariance(x: ArrayLike<number>, offset: number, count: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < count; i++) for (let c = 0; c < d; c++) mean[c]! += x[offset + i * d + c]!;
  for (let c = 0; c < d; c++) mean[c]! /= Math.max(count, 1);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < count; i++) {
    const o = offset + i * d;
    for (let r = 0; r < d; r++) {
      const a = x[o + r]! - mean[r]!;
      for (let c = r; c < d; c++) cov[r * d + c]! += a * (x[o + c]! - mean[c]!);
    }
  }
  for (let r = 0; r < d; r++) for (let c = r; c < d; c++) cov[c * d + r] = cov[r * d + c]!;
  return cov;
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Reorders and flips `next` (candidate axes, best first) so that each previous axis keeps
 * the candidate it overlaps most; unmatched slots take the remaining candidates in order.
 */
export function alignAxes(next: number[][], prev: Axes | undefined): Axes {
  if (!prev) return [next[0]!, next[1]!, next[2]!];
  const used = new Set<number>();
  const out: number[][] = [];
  for (const p of prev) {
    let best = -1,
      bestOverlap = -1;
    for (let j = 0; j < next.length; j++) {
      if (used.has(j)) continue;
      const o = Math.abs(dot(next[j]!, p));
      if (o > bestOverlap) {
        bestOverlap = o;
        best = j;
      }
    }
    used.add(best);
    const v = next[best]!;
    out.push(dot(v, p) < 0 ? v.map((c) => 0 - c) : v.slice());
  }
  return [out[0]!, out[1]!, out[2]!];
}

/**
 * Top three principal axes of `count` points at `offset`, aligned with `prev`. Only the
 * top-4 eigenvectors compete for the three slots, so a minor axis never replaces a major one.
 */
export function pcaAxes(x: ArrayLike<number>, offset: number, count: number, d: number, prev?: Axes): Axes {
  const { vectors } = symmetricEigen(covariance(x, offset, count, d), d);
  return alignAxes(vectors.slice(0, Math.min(d, 4)), prev);
}

/** Writes the 3D images of `count` points at `offset` into out (xyz triples from 0). */
export function project(
  x: ArrayLike<number>,
  offset: number,
  count: number,
  d: number,
  axes: Axes | undefined,
  out: Float32Array,
): void {
  for (let i = 0; i < count; i++) {
    const o = offset + i * d;
    if (!axes) {
      out[3 * i] = x[o]!;
      out[3 * i + 1] = x[o + 1]!;
      out[3 * i + 2] = d >= 3 ? x[o + 2]! : 0;
      continue;
    }
    for (let k = 0; k < 3; k++) {
      const a = axes[k]!;
      let s = 0;
      for (let c = 0; c < d; c++) s += a[c]! * x[o + c]!;
      out[3 * i + k] = s;
    }
  }
}
