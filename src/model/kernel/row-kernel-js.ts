/**
 * The attention rows in plain JavaScript, on the same layout as the WebAssembly kernel
 * (row-module.ts; offsets here in doubles, not bytes) and with the same operations in the same
 * order, so both give the same bits: the fallback where WebAssembly SIMD is missing, and the
 * definition the SIMD kernel is tested against.
 *
 * Per row (h, i): ℓ_j = Σ_c u_c x_jc (u = β D_h x_i), m = max_j ℓ_j, Ñ = Σ_j e^{ℓ_j − m},
 * s̃ = Σ_j e^{ℓ_j − m} x_j and, for the Itô term, q̃ = Σ_j e^{ℓ_j − m} ⟨x_i, x_j⟩².
 */
import { outStride } from './row-module';

export interface RowLayout {
  n: number;
  /** n rounded up to even. */
  nPad: number;
  d: number;
  /** Offsets (in doubles) of X [n + 1][d], U [H][nPad][d] and OUT [H][nPad][d + 3]. */
  x: number;
  u: number;
  out: number;
}

/** Runs the rows r0 ≤ r < r1 (flat indices h·nPad + i) with `row` (≥ n doubles) as scratch. */
export function runRowsJs(
  mem: Float64Array,
  L: RowLayout,
  r0: number,
  r1: number,
  ito: boolean,
  row: Float64Array,
): void {
  const { n, nPad, d } = L;
  const K = outStride(d);
  for (let r = r0; r < r1; r++) {
    const ub = L.u + r * d;
    const xi = L.x + (r % nPad) * d;
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0, xj = L.x; j < n; j++, xj += d) {
      let l = mem[ub]! * mem[xj]!;
      for (let c = 1; c < d; c++) l = l + mem[ub + c]! * mem[xj + c]!;
      row[j] = l;
      if (l > m) m = l;
    }
    const o = L.out + r * K;
    let N = 0,
      q = 0;
    for (let c = 0; c < d; c++) mem[o + 2 + c] = 0;
    for (let j = 0, xj = L.x; j < n; j++, xj += d) {
      const e = Math.exp(row[j]! - m);
      N = N + e;
      let cij = 0;
      for (let c = 0; c < d; c++) {
        const xc = mem[xj + c]!;
        mem[o + 2 + c] = mem[o + 2 + c]! + e * xc;
        cij = cij + mem[xi + c]! * xc;
      }
      if (ito) q = q + e * cij * cij;
    }
    mem[o] = m;
    mem[o + 1] = N;
    if (ito) mem[o + 2 + d] = q;
  }
}
