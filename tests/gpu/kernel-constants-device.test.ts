/**
 * The kernels on the device with the constants their passes set: every pass builds for each
 * attention kernel (d = 2, 5, 12: the generic kernel has no engine test of its own), and
 * weights-stage.wgsl runs with each DRIFT id: a known id does its kind (frozen: D unchanged,
 * F = 0), an id outside DRIFT_KIND makes every weight NaN (so the engine's non-finite check
 * trips) instead of running as another kind.
 */
import { afterAll, expect, it } from 'vitest';
import { AttentionPass, attentionShape } from '../../src/gpu/attention-pass';
import { CombinePass, JumpEnergyPass } from '../../src/gpu/combine-pass';
import type { PassContext } from '../../src/gpu/pass-context';
import { ReducePass } from '../../src/gpu/reduce-pass';
import { DRIFT_KIND, DRIFT_PARAMS } from '../../src/gpu/layouts';
import { bindGroup, bindGroupLayout, BufferPool, computePipeline } from '../../src/gpu/resources';
import { shaderSources } from '../../src/gpu/shaders';
import { SimState } from '../../src/gpu/state';
import { STEP_BINDING_SIZE, Uniforms } from '../../src/gpu/uniforms';
import { WEIGHTS_BINDINGS } from '../../src/gpu/weights-pass';
import { DEFAULT_TUNABLES } from '../../src/gpu/tunables';
import { TABLEAUX } from '../../src/model/integrators';
import { gpuScenario } from './cases';
import { releaseTestDevice, testDevice } from './device';

afterAll(releaseTestDevice);

const WG = 64;

/** D_{k+1} and F_0 after one step of weights-stage.wgsl with the DRIFT override `id`. */
async function weightsStep(id: number, before: Float32Array): Promise<{ next: Float32Array; f0: Float32Array }> {
  const device = await testDevice();
  const s = gpuScenario({ heads: 2, replicas: 2 });
  const { d, heads: H, replicas: P } = s;
  const entries = P * H * d * d;
  const stages = TABLEAUX[s.integrator].b.length;
  const pool = new BufferPool(device);
  try {
    const uniforms = new Uniforms(pool, s, TABLEAUX[s.integrator], entries);
    uniforms.writeSteps([{ step: 0, evaluateOnly: false }], { kind: 'frozen' });
    const state = new SimState(pool, s, stages);
    state.upload(new Float32Array(P * s.n * d), before);
    const driftParams = pool.storage('test.driftParams', DRIFT_PARAMS.size + 4 * d * d);
    const schedule = pool.storage('test.schedule', 4 * entries);
    const layout = bindGroupLayout(device, 'test.layout', WEIGHTS_BINDINGS);
    const sources = await shaderSources();
    const pipeline = await computePipeline(device, sources, 'weights-stage', 'test.pipeline', layout, {
      D: d,
      H,
      STAGES: stages,
      DRIFT: id,
      NOISE: 0,
      WG,
    });
    const buffers = [
      uniforms.sim,
      uniforms.steps,
      driftParams,
      schedule,
      state.weights,
      state.stageWeights,
      state.driftNoise,
    ];
    const staging = pool.create('test.staging', 8 * entries, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const enc = device.createCommandEncoder({ label: 'test.encoder' });
    const pass = enc.beginComputePass({ label: 'test.pass' });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup(device, 'test.bindGroup', layout, buffers, { 1: STEP_BINDING_SIZE }), [0]);
    pass.dispatchWorkgroups(Math.ceil(entries / WG));
    pass.end();
    enc.copyBufferToBuffer(state.weights, 0, staging, 0, 4 * entries);
    enc.copyBufferToBuffer(state.driftNoise, 0, staging, 4 * entries, 4 * entries);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    return { next: out.subarray(0, entries), f0: out.subarray(entries) };
  } finally {
    pool.destroyAll();
  }
}

it('every pass builds its pipeline, with each attention kernel', async () => {
  const device = await testDevice();
  const sources = await shaderSources();
  const kernels: string[] = [];
  for (const d of [2, 5, 12]) {
    const s = gpuScenario({ d, heads: 2, weights: { ...gpuScenario({}).weights, noiseVariance: 1 } });
    const stages = TABLEAUX[s.integrator].b.length;
    const pool = new BufferPool(device);
    try {
      const uniforms = new Uniforms(pool, s, TABLEAUX[s.integrator], 0);
      const state = new SimState(pool, s, stages);
      const ctx: PassContext = {
        device,
        pool,
        scenario: s,
        stages,
        sources,
        uniforms,
        state,
        tunables: DEFAULT_TUNABLES,
      };
      await Promise.all([
        AttentionPass.create(ctx),
        CombinePass.create(ctx),
        JumpEnergyPass.create(ctx),
        ReducePass.create(ctx),
      ]);
      kernels.push(attentionShape(s).kernel);
    } finally {
      pool.destroyAll();
    }
  }
  expect(kernels).toEqual(['attention-accumulate-d3', 'attention-accumulate-d8', 'attention-accumulate']);
});

it('a known DRIFT id runs its kind; an unknown one writes NaN weights', async () => {
  const before = Float32Array.from({ length: 2 * 2 * 9 }, (_, i) => Math.sin(i + 1));
  const frozen = await weightsStep(DRIFT_KIND.frozen, before);
  expect(Array.from(frozen.next)).toEqual(Array.from(before));
  expect(Array.from(frozen.f0).every((v) => v === 0)).toBe(true);

  const unknown = Math.max(...Object.values(DRIFT_KIND)) + 1;
  const bad = await weightsStep(unknown, before);
  expect(Array.from(bad.next).every(Number.isNaN), 'D_{k+1}').toBe(true);
  expect(Array.from(bad.f0).every(Number.isNaN), 'F_0').toBe(true);
});
