/**
 * Start-up of the WebGPU engine: compute pipelines are cached per device (a second engine of the
 * same kernels compiles none), the jump-energy pipeline is built only for a layer schedule, and
 * an engine whose pipelines all came from the cache steps like the float64 engine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createGpuEngine } from '../../src/gpu/index';
import { pipelinesCompiled } from '../../src/gpu/resources';
import { CpuSimEngine } from '../../src/model/engine';
import { gpuScenario, layers } from './cases';
import { runAndCompare } from './compare';
import { releaseTestDevice, testDevice } from './device';

afterAll(releaseTestDevice);

/** Pipelines compiled while creating (and destroying) an engine for `s` on the test device. */
async function compiledFor(s: ReturnType<typeof gpuScenario>): Promise<number> {
  const before = pipelinesCompiled();
  const gpu = await createGpuEngine(s, { device: await testDevice() });
  gpu.destroy();
  return pipelinesCompiled() - before;
}

describe('GPU engine start-up', () => {
  it('a second engine of the same kernels on one device compiles no pipeline; a layer schedule adds only its own two', async () => {
    const frozen = gpuScenario({ heads: 3, n: 20, integrator: 'heun' });
    const first = await compiledFor(frozen);
    // weights-stage, attention, token-combine, diagnostics-reduce: no jump-energy for a frozen drift.
    expect(first).toBe(4);
    expect(await compiledFor({ ...frozen, seed: frozen.seed + 1 })).toBe(0);
    const layered = { ...frozen, weights: { ...frozen.weights, drift: layers(3, 3, 2, 0.05) } };
    // The weights-stage kernel of the layer schedule, and jump-energy.
    expect(await compiledFor(layered)).toBe(2);
    expect(await compiledFor(layered)).toBe(0);
  });

  it('an engine built from cached pipelines steps like the float64 engine across layer changes', async () => {
    const s = gpuScenario({
      heads: 3,
      n: 20,
      integrator: 'heun',
      weights: { init: { kind: 'identity', scale: 1 }, drift: layers(3, 3, 2, 0.05), noiseVariance: 0 },
    });
    await compiledFor(s);
    const before = pipelinesCompiled();
    const gpu = await createGpuEngine(s, { device: await testDevice() });
    try {
      expect(pipelinesCompiled()).toBe(before);
      await runAndCompare(gpu, new CpuSimEngine(s), 2, 5);
    } finally {
      gpu.destroy();
    }
  });
});
