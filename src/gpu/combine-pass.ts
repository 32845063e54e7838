/**
 * Per-token pass after each stage's accumulation: token-combine.wgsl (head average into v, the
 * stage-0 diagnostic partials, the next stage's or the new tokens; for d = 3 its twin
 * token-combine-d3.wgsl, the same sums with d spelled out), and jump-energy.wgsl (the per-token
 * energy under D_{k+1} at steps where a layer schedule changes).
 */
import type { Scenario } from '../model/scenario';
import { headAccFloats } from './layouts';
import type { PassContext } from './pass-context';
import { bindGroup, bindGroupLayout, computePipeline } from './resources';
import type { KernelConstants } from './shaders';
import type { SimState } from './state';
import { STAGE_BINDING_SIZE, STEP_BINDING_SIZE, type Uniforms } from './uniforms';

/** Invocations per workgroup of token-combine and jump-energy (override WG; sizes their dispatch). */
export const COMBINE_WG = 64;

/** The token-combine kernel for `s`: the d = 3 one where it applies. */
export type CombineKernel = 'token-combine' | 'token-combine-d3';
export function combineKernel(s: Scenario): CombineKernel {
  return s.d === 3 ? 'token-combine-d3' : 'token-combine';
}

/** The override constants of `kernel` (token-combine.wgsl or its d = 3 twin, which has no D). */
export function combineConstants(
  s: Scenario,
  stages: number,
  kernel: CombineKernel = combineKernel(s),
): KernelConstants<CombineKernel> {
  const common = {
    H: s.heads,
    STAGES: stages,
    UNNORMALIZED: s.attention === 'unnormalized' ? 1 : 0,
    NOISE: s.weights.noiseVariance > 0 ? 1 : 0,
    ACC_STRIDE: headAccFloats(s.d),
    WG: COMBINE_WG,
  };
  return kernel === 'token-combine' ? { ...common, D: s.d } : common;
}

/** The override constants of jump-energy.wgsl. */
export function jumpEnergyConstants(s: Scenario): KernelConstants<'jump-energy'> {
  return { H: s.heads, ACC_STRIDE: headAccFloats(s.d), WG: COMBINE_WG };
}

export class CombinePass {
  private readonly layout: GPUBindGroupLayout;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;

  private constructor(
    private readonly device: GPUDevice,
    private readonly s: Scenario,
    private readonly uniforms: Uniforms,
    private readonly state: SimState,
  ) {
    this.layout = bindGroupLayout(device, 'CombinePass.bindGroupLayout', [
      'uniform',
      'uniform-dynamic',
      'uniform-dynamic',
      'rw',
      'rw',
      'rw',
      'read',
      'read',
      'read',
      'rw',
    ]);
  }

  static async create({ device, scenario: s, stages, sources, uniforms, state }: PassContext): Promise<CombinePass> {
    const p = new CombinePass(device, s, uniforms, state);
    const kernel = combineKernel(s);
    const constants = combineConstants(s, stages, kernel);
    p.pipeline = await computePipeline(device, sources, kernel, 'CombinePass.pipeline', p.layout, constants);
    p.rebind();
    return p;
  }

  rebind(): void {
    const { uniforms: u, state: x } = this;
    this.bind = bindGroup(
      this.device,
      'CombinePass.bindGroup',
      this.layout,
      [
        u.sim,
        u.steps,
        u.stages,
        x.positions,
        x.stagePositions,
        x.velocities,
        x.acc,
        x.stageWeights,
        x.driftNoise,
        x.partials,
      ],
      { 1: STEP_BINDING_SIZE, 2: STAGE_BINDING_SIZE },
    );
  }

  encode(pass: GPUComputePassEncoder, slot: number, st: number): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind, [this.uniforms.stepOffset(slot), this.uniforms.stageOffset(st)]);
    pass.dispatchWorkgroups(Math.ceil(this.s.n / COMBINE_WG), this.s.replicas);
  }
}

export class JumpEnergyPass {
  private readonly layout: GPUBindGroupLayout;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;

  private constructor(
    device: GPUDevice,
    private readonly s: Scenario,
  ) {
    this.layout = bindGroupLayout(device, 'JumpEnergyPass.bindGroupLayout', ['uniform', 'read', 'rw']);
  }

  static async create({ device, scenario: s, sources, uniforms, state }: PassContext): Promise<JumpEnergyPass> {
    const p = new JumpEnergyPass(device, s);
    const constants = jumpEnergyConstants(s);
    p.pipeline = await computePipeline(device, sources, 'jump-energy', 'JumpEnergyPass.pipeline', p.layout, constants);
    p.bind = bindGroup(device, 'JumpEnergyPass.bindGroup', p.layout, [uniforms.sim, state.acc, state.partials]);
    return p;
  }

  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind);
    pass.dispatchWorkgroups(Math.ceil(this.s.n / COMBINE_WG), this.s.replicas);
  }
}
