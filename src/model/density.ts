/**
 * A kernel density of the tokens on S², the float64 reference of shaders/density.wgsl: on an
 * equal-area grid (the equal-area octahedral map of the square [−1, 1]² onto the sphere,
 * Clarberg 2008: NZ rows × NPHI columns of the square, every cell of area 4π/(NZ·NPHI), with
 * bounded distortion — unlike a cylindrical grid, no cell is stretched at the poles) the density
 * at each cell centre c is
 *   ρ(c) = (1/n) Σ_j K_κ(⟨c, y_j⟩),   K_κ(t) = κ / (2π (1 − e^{−2κ})) · e^{κ (t − 1)},
 * the von Mises–Fisher kernel, a probability density on S² (∫ K_κ(⟨c, y⟩) dc = 1 for every y),
 * so ∫ ρ = 1. κ = 1/h², h the bandwidth in radians. For d ≥ 4 (and d = 2 on its circle in the
 * z = 0 plane) the tokens are first projected on the view's three axes and renormalised:
 * y_j = A x_j / |A x_j| (tokens projected to 0 are left out of the sum but not of n).
 */

/** The grid and the kernel. */
export interface DensityGrid {
  nz: number;
  nphi: number;
  /** Bandwidth h in radians (κ = 1/h²). */
  bandwidth: number;
}

/** Default bandwidth: about 5.7°, fine enough for clusters and smooth at n ≥ 16,384. */
export const DEFAULT_BANDWIDTH = 0.1;
/** Default grid: 128 × 128 cells of 4π/128² sr each (about 1.6° across). */
export const DEFAULT_GRID = { nz: 128, nphi: 128 } as const;

/** κ and the kernel's normalisation κ / (2π (1 − e^{−2κ})). */
export function vmfKernel(bandwidth: number): { kappa: number; norm: number } {
  if (!(bandwidth > 0 && Number.isFinite(bandwidth)))
    throw new RangeError(`bandwidth: expected a positive number of radians, got ${bandwidth}`);
  const kappa = 1 / (bandwidth * bandwidth);
  return { kappa, norm: kappa / (2 * Math.PI * -Math.expm1(-2 * kappa)) };
}

/** The point of S² at (u, v) ∈ [−1, 1]² under the equal-area octahedral map (uniform Jacobian π). */
export function octahedralPoint(u: number, v: number): [number, number, number] {
  const au = Math.abs(u),
    av = Math.abs(v);
  const sd = 1 - (au + av);
  const r = 1 - Math.abs(sd);
  const phi = (r === 0 ? 1 : (av - au) / r + 1) * (Math.PI / 4);
  const z = Math.sign(sd || 1) * (1 - r * r);
  const w = r * Math.sqrt(Math.max(0, 2 - r * r));
  return [Math.sign(u || 1) * Math.cos(phi) * w, Math.sign(v || 1) * Math.sin(phi) * w, z];
}

/** The centre of cell (row i, column j) of an nz × nphi grid: (u, v) = cell centre in [−1, 1]². */
export function cellCentre(i: number, j: number, nz: number, nphi: number): [number, number, number] {
  return octahedralPoint(-1 + ((j + 0.5) * 2) / nphi, -1 + ((i + 0.5) * 2) / nz);
}

/** The area of every cell. */
export const cellArea = (nz: number, nphi: number): number => (4 * Math.PI) / (nz * nphi);

/** The three axes of R^d the density is taken on: coordinate axes for d ≤ 3 (d = 2: z = 0). */
export function coordinateAxes(d: number): number[][] {
  return [0, 1, 2].map((k) => Array.from({ length: d }, (_, c) => (c === k ? 1 : 0)));
}

/**
 * ρ on the grid (row-major, row i = z index) of the n tokens at x[0 .. n·d) (replica 0),
 * projected on `axes` (3 rows of d numbers).
 */
export function tokenDensity(
  x: ArrayLike<number>,
  n: number,
  d: number,
  grid: DensityGrid,
  axes: number[][] = coordinateAxes(d),
): Float64Array {
  const { nz, nphi } = grid;
  const { kappa, norm } = vmfKernel(grid.bandwidth);
  const y = new Float64Array(3 * n);
  const live = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    let len = 0;
    for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += axes[k]![c]! * x[j * d + c]!;
      y[3 * j + k] = s;
      len += s * s;
    }
    if (len > 0) {
      live[j] = 1;
      const inv = 1 / Math.sqrt(len);
      for (let k = 0; k < 3; k++) y[3 * j + k] = y[3 * j + k]! * inv;
    }
  }
  const out = new Float64Array(nz * nphi);
  for (let i = 0; i < nz; i++)
    for (let q = 0; q < nphi; q++) {
      const [cx, cy, cz] = cellCentre(i, q, nz, nphi);
      let s = 0;
      for (let j = 0; j < n; j++)
        if (live[j]) s += Math.exp(kappa * (cx * y[3 * j]! + cy * y[3 * j + 1]! + cz * y[3 * j + 2]! - 1));
      out[i * nphi + q] = (norm * s) / n;
    }
  return out;
}

/** ∫ ρ over the sphere by the grid's midpoint rule (Σ ρ(c)·area). */
export function densityIntegral(rho: ArrayLike<number>, nz: number, nphi: number): number {
  let s = 0;
  for (let k = 0; k < nz * nphi; k++) s += rho[k]!;
  return s * cellArea(nz, nphi);
}
