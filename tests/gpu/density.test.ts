/**
 * shaders/density.wgsl through dawn.node (a real WebGPU device; SwiftShader without a GPU)
 * against the float64 reference src/model/density.ts: the S² OU preset's tokens and a d = 5
 * projection, relative to the density's peak; the GPU density integrates to 1 too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GpuDensity } from '../../src/gpu/density';
import { densityIntegral, tokenDensity } from '../../src/model/density';
import { initialTokens } from '../../src/model/init';
import { preset } from '../../src/model/presets';
import { validateScenario } from '../../src/model/validate';
import { releaseTestDevice, testDevice } from './device';

afterAll(releaseTestDevice);

function upload(device: GPUDevice, x: Float64Array): GPUBuffer {
  const b = device.createBuffer({ size: x.length * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(b, 0, Float32Array.from(x));
  return b;
}

describe('GPU token density', () => {
  for (const [id, d] of [
    ['s2-ou', 3],
    ['s4-ou', 5],
  ] as const) {
    it(`matches the float64 density (${id}, d = ${d})`, async () => {
      const device = await testDevice();
      const s = validateScenario({ ...preset(id).build(1), n: 500, replicas: 1 });
      const x = initialTokens(s);
      const grid = { nz: 64, nphi: 64, bandwidth: 0.15 };
      const axes =
        d === 3
          ? undefined
          : [
              [0.6, 0.8, 0, 0, 0],
              [0, 0, 1, 0, 0],
              [0, 0, 0, 0.8, 0.6],
            ];
      const ref = tokenDensity(Float64Array.from(Float32Array.from(x)), s.n, d, grid, axes);
      const gpu = await GpuDensity.create(device, d, grid);
      if (axes) gpu.setAxes(axes);
      const buf = upload(device, x);
      const got = await gpu.compute(buf, s.n);
      const peak = Math.max(...ref);
      let worst = 0;
      for (let k = 0; k < ref.length; k++) worst = Math.max(worst, Math.abs(got[k]! - ref[k]!));
      expect(worst / peak).toBeLessThan(2e-5);
      expect(Math.abs(densityIntegral(got, grid.nz, grid.nphi) - 1)).toBeLessThan(3e-3);
      // A new bandwidth changes the density without a new pipeline.
      gpu.setBandwidth(0.3);
      const wide = await gpu.compute(buf, s.n);
      expect(Math.max(...wide)).toBeLessThan(Math.max(...got));
      gpu.destroy();
      buf.destroy();
    });
  }
});
