/**
 * `npx tsx bench/gpu-startup.ts`: where the WebGPU engine's start-up goes on this machine
 * (dawn.node; SwiftShader without a GPU), in one process: the adapter and device, a first engine
 * of a tiny case (n = 8, H = 1, frozen; every pipeline compiled), a second engine of the same
 * kernels (pipelines from the per-device cache), and a layer-schedule engine of the same shape
 * (only its weights-stage and jump-energy pipelines are new). `--serial` compiles the pipelines one
 * at a time, so each one's time is its own. Not a test.
 */
import { createGpuEngine } from '../src/gpu/index';
import { configureSoftwareVulkan, nodeGpu, releaseNodeGpu } from '../src/gpu/node-env';
import { pipelinesCompiled } from '../src/gpu/resources';
import type { Scenario } from '../src/model/scenario';

configureSoftwareVulkan();
const tiny: Scenario = {
  d: 3,
  n: 8,
  heads: 1,
  replicas: 1,
  beta: 1,
  flowSign: -1,
  attention: 'softmax',
  integrator: 'euler',
  dt: 0.01,
  T: 0.05,
  seed: 7,
  tokens: { kind: 'uniform' },
  weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
  perturbation: { tokens: 0, weights: 0, sharedNoise: true },
};
const layered: Scenario = {
  ...tiny,
  weights: {
    ...tiny.weights,
    drift: {
      kind: 'layers',
      layerDuration: 0.02,
      layers: [
        [
          [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
        ],
        [
          [
            [2, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
        ],
      ],
    },
  },
};

const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;
let t = performance.now();
const adapter = await (await nodeGpu()).requestAdapter();
if (!adapter) throw new Error('no WebGPU adapter');
const device = await adapter.requestDevice();
const lines = [`adapter + device: ${ms(t)}`];
// Each pipeline's creation, from its call to its promise settling: concurrent as the engine asks,
// or (`--serial`) one after another, so each time is that pipeline's alone.
const serial = process.argv.includes('--serial');
const create = device.createComputePipelineAsync.bind(device);
let queue: Promise<unknown> = Promise.resolve();
device.createComputePipelineAsync = (d: GPUComputePipelineDescriptor) => {
  const run = () => {
    const t0 = performance.now();
    const p = create(d);
    void p.then(() => lines.push(`  ${d.label}: ${ms(t0)}`));
    return p;
  };
  if (!serial) return run();
  const p = queue.then(run);
  queue = p.catch(() => {});
  return p;
};
for (const [name, s] of [
  ['first engine (tiny, frozen)', tiny],
  ['second engine, same kernels', tiny],
  ['layer-schedule engine, same shape', layered],
] as const) {
  const before = pipelinesCompiled();
  t = performance.now();
  const e = await createGpuEngine(s, { device });
  const created = ms(t);
  t = performance.now();
  await e.advance(1);
  lines.push(`${name}: create ${created} (${pipelinesCompiled() - before} pipelines compiled), first step ${ms(t)}`);
  e.destroy();
}
device.destroy();
releaseNodeGpu();
process.stdout.write(`${lines.join('\n')}\n`);
