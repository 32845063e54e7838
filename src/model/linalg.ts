/**
 * Small dense linear algebra on flat row-major Float64Arrays (d ≤ 16), allocation-free
 * where it sits on the step's hot path.
 */

/** Normalises the d-vector at `off` in place; returns its former length. */
export function normalizeInPlace(x: Float64Array, off: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) s += x[off + c]! * x[off + c]!;
  const len = Math.sqrt(s);
  for (let c = 0; c < d; c++) x[off + c] = x[off + c]! / len;
  return len;
}

/** Eigen-decomposition of a symmetric d×d matrix (cyclic Jacobi). Returns eigenvalues (descending) and eigenvectors as rows. */
export function symmetricEigen(a: ArrayLike<number>, d: number): { values: number[]; vectors: number[][] } {
  const m = Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, c) => a[r * d + c]!));
  const v: number[][] = Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, c) => (r === c ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k]![p]!,
            mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p]![k]!,
            mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vpk = v[p]![k]!,
            vqk = v[q]![k]!;
          v[p]![k] = c * vpk - s * vqk;
          v[q]![k] = s * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[j]![j]! - m[i]![i]!);
  return { values: order.map((i) => m[i]![i]!), vectors: order.map((i) => v[i]!) };
}
