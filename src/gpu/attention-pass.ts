/**
 * The all-pairs pass: attention-accumulate.wgsl, one invocation per (replica, token, head),
 * tiles of WG tokens j in workgroup memory. Three bind groups: stage 0 reads the state tokens and
 * stage weights, stages ≥ 1 the stage tokens, and `jump` the state tokens under the state weights
 * D_{k+1} (the energy after a layer change).
 */
import type { Scenario } from '../model/scenario';
import { headAccFloats } from './layouts';
import { bindGroup, bindGroupLayout, computePipeline } from './resources';
import type { ShaderSources } from './shaders';
import type { SimState } from './state';
import { STAGE_BINDING_SIZE, type Uniforms } from './uniforms';

/** Tokens per workgroup and per tile. */
export const ATTENTION_WG = 64;

export type AttentionInput = 'stage0' | 'stage' | 'jump';

export class AttentionPass {
  private readonly layout: GPUBindGroupLayout;
  private pipeline!: GPUComputePipeline;
  private binds!: Record<AttentionInput, GPUBindGroup>;

  private constructor(private readonly device: GPUDevice, private readonly s: Scenario, private readonly uniforms: Uniforms, private readonly state: SimState) {
    this.layout = bindGroupLayout(device, 'AttentionPass.bindGroupLayout', ['uniform', 'uniform-dynamic', 'read', 'read', 'rw']);
  }

  static async create(device: GPUDevice, s: Scenario, sources: ShaderSources, uniforms: Uniforms, state: SimState): Promise<AttentionPass> {
    const p = new AttentionPass(device, s, uniforms, state);
    p.pipeline = await computePipeline(device, sources, 'attention-accumulate', 'AttentionPass.pipeline', p.layout, {
      D: s.d, H: s.heads, WG: ATTENTION_WG, NOISE: s.weights.noiseVariance > 0 ? 1 : 0,
      ACC_STRIDE: headAccFloats(s.d), TILE_FLOATS: ATTENTION_WG * s.d,
    });
    p.rebind();
    return p;
  }

  rebind(): void {
    const { device, layout, uniforms, state } = this;
    const make = (label: AttentionInput, positions: GPUBuffer, weights: GPUBuffer) =>
      bindGroup(device, `AttentionPass.bindGroup.${label}`, layout, [uniforms.sim, uniforms.stages, positions, weights, state.acc], { 1: STAGE_BINDING_SIZE });
    this.binds = {
      stage0: make('stage0', state.positions, state.stageWeights),
      stage: make('stage', state.stagePositions, state.stageWeights),
      jump: make('jump', state.positions, state.weights),
    };
  }

  /** Accumulates stage `st` (or, with input 'jump', the state under D_{k+1}; st must be 0). */
  encode(pass: GPUComputePassEncoder, st: number, input: AttentionInput = st === 0 ? 'stage0' : 'stage'): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.binds[input], [this.uniforms.stageOffset(st)]);
    pass.dispatchWorkgroups(Math.ceil(this.s.n / ATTENTION_WG), this.s.heads, this.s.replicas);
  }
}
