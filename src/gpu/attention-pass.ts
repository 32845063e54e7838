/**
 * The all-pairs pass, tiles of WG tokens j in workgroup memory: for d ≤ 3
 * attention-accumulate-d3.wgsl (four tokens i per invocation, fixed softmax shift, branch-free
 * loop), else attention-accumulate.wgsl (any d, one token per invocation, online softmax). Three bind groups: stage 0 reads the state tokens and
 * stage weights, stages ≥ 1 the stage tokens, and `jump` the state tokens under the state weights
 * D_{k+1} (the energy after a layer change).
 */
import type { Scenario } from '../model/scenario';
import { headAccFloats } from './layouts';
import { bindGroup, bindGroupLayout, computePipeline } from './resources';
import type { ShaderSources } from './shaders';
import type { SimState } from './state';
import { STAGE_BINDING_SIZE, type Uniforms } from './uniforms';

/** Invocations per workgroup, also the tile length. */
export const ATTENTION_WG = 64;
/** Tokens i per invocation of attention-accumulate-d3.wgsl. */
const TOKENS_PER_INVOCATION_D3 = 4;

/** The kernel for dimension d. */
function attentionKernel(d: number): 'attention-accumulate' | 'attention-accumulate-d3' {
  return d <= 3 ? 'attention-accumulate-d3' : 'attention-accumulate';
}

/** Tokens i per workgroup (sizes the dispatch and the capacity check). */
export function attentionTokensPerWorkgroup(d: number): number {
  return attentionKernel(d) === 'attention-accumulate-d3' ? ATTENTION_WG * TOKENS_PER_INVOCATION_D3 : ATTENTION_WG;
}

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
    const kernel = attentionKernel(s.d);
    const common = { D: s.d, H: s.heads, WG: ATTENTION_WG, NOISE: s.weights.noiseVariance > 0 ? 1 : 0, ACC_STRIDE: headAccFloats(s.d) };
    p.pipeline = await computePipeline(device, sources, kernel, 'AttentionPass.pipeline', p.layout,
      kernel === 'attention-accumulate' ? { ...common, TILE_FLOATS: ATTENTION_WG * s.d } : common);
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
    pass.dispatchWorkgroups(Math.ceil(this.s.n / attentionTokensPerWorkgroup(this.s.d)), this.s.heads, this.s.replicas);
  }
}
