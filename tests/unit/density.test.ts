/** The float64 kernel density on S²: it integrates to 1 (midpoint quadrature on the equal-area grid) and peaks where the tokens are. */
import { describe, expect, it } from 'vitest';
import { initialTokens } from '../../src/model/init';
import { cellArea, cellCentre, densityIntegral, tokenDensity, vmfKernel } from '../../src/model/density';
import { preset } from '../../src/model/presets';
import { validateScenario } from '../../src/model/validate';

describe('token density on S²', () => {
  it('integrates to 1 over the sphere for any tokens and bandwidth', () => {
    const s = validateScenario({ ...preset('s2-ou').build(1), n: 200, replicas: 1 });
    const x = initialTokens(s);
    for (const [bandwidth, nz, nphi, tol] of [
      [0.3, 64, 64, 2e-3],
      [0.1, 128, 128, 2e-3],
      [0.05, 256, 256, 2e-3],
    ] as const) {
      const rho = tokenDensity(x, s.n, s.d, { nz, nphi, bandwidth });
      expect(Math.abs(densityIntegral(rho, nz, nphi) - 1)).toBeLessThan(tol);
      expect(rho.every((v) => v >= 0)).toBe(true);
    }
    // One token: the integral of the kernel itself, wherever the token sits.
    for (const y of [
      [0, 0, 1],
      [0.6, 0, 0.8],
      [0, -1, 0],
    ]) {
      const rho = tokenDensity(y, 1, 3, { nz: 128, nphi: 128, bandwidth: 0.2 });
      expect(Math.abs(densityIntegral(rho, 128, 128) - 1)).toBeLessThan(2e-3);
    }
    expect(cellArea(2, 2)).toBeCloseTo(Math.PI, 12);
    // The map covers the sphere: every cell centre is a unit vector.
    for (let i = 0; i < 16; i++)
      for (let j = 0; j < 16; j++) expect(Math.hypot(...cellCentre(i, j, 16, 16))).toBeCloseTo(1, 12);
  });

  it('peaks at a cluster, with the kernel value there; S¹ tokens sit on the equator; d ≥ 4 uses the projection', () => {
    const rho = tokenDensity([1, 0, 0], 1, 3, { nz: 64, nphi: 128, bandwidth: 0.2 });
    let best = 0;
    for (let k = 1; k < rho.length; k++) if (rho[k]! > rho[best]!) best = k;
    const c = cellCentre(Math.floor(best / 128), best % 128, 64, 128);
    expect(c[0]).toBeGreaterThan(0.995);
    const { norm } = vmfKernel(0.2);
    expect(rho[best]!).toBeLessThanOrEqual(norm);
    expect(rho[best]!).toBeGreaterThan(0.9 * norm);
    // d = 2: (0, 1) → (0, 1, 0) on the equator; d = 5 with axes picking coordinates 3, 4, 0.
    const circle = tokenDensity([0, 1], 1, 2, { nz: 64, nphi: 128, bandwidth: 0.2 });
    const sphere = tokenDensity([0, 1, 0], 1, 3, { nz: 64, nphi: 128, bandwidth: 0.2 });
    expect(Array.from(circle)).toEqual(Array.from(sphere));
    const axes = [
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 1],
      [1, 0, 0, 0, 0],
    ];
    const high = tokenDensity([0, 0.6, 0, 0.8, 0], 1, 5, { nz: 64, nphi: 128, bandwidth: 0.2 }, axes);
    const along = tokenDensity([1, 0, 0], 1, 3, { nz: 64, nphi: 128, bandwidth: 0.2 });
    expect(Array.from(high)).toEqual(Array.from(along));
    expect(() => vmfKernel(0)).toThrow(/bandwidth: expected a positive number/);
  });
});
