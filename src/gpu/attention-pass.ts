/**
 * The all-pairs pass, tiles of WG tokens j in workgroup memory: for d ≤ 3
 * attention-accumulate-d3.wgsl (eight tokens i per invocation, fixed softmax shift, branch-free
 * loop), for 4 ≤ d ≤ 8 attention-accumulate-d8.wgsl (two tokens per invocation, vectors as two
 * vec4, the same shift), else attention-accumulate.wgsl (any d, one token per invocation, online
 * softmax).
 * Three bind groups: stage 0 reads the state tokens and stage weights, stages ≥ 1 the stage tokens, and `jump` the state tokens under the state weights
 * D_{k+1} (the energy after a layer change).
 */
import type { Scenario } from '../model/scenario';
import { headAccFloats } from './layouts';
import { bindGroup, bindGroupLayout, computePipeline } from './resources';
import type { ShaderSources } from './shaders';
import type { SimState } from './state';
import { STAGE_BINDING_SIZE, type Uniforms } from './uniforms';

/** Invocations per workgroup (also the tile length) at large n. */
export const ATTENTION_WG = 64;
/** Tokens i per invocation of each kernel (written out in the WGSL). */
const TOKENS_PER_INVOCATION = {
  'attention-accumulate': 1,
  'attention-accumulate-d3': 8,
  'attention-accumulate-d8': 2,
} as const;
/** Small n: the workgroups of the d ≤ 8 kernels shrink (down to 8 invocations) until there are this many. */
const MIN_WORKGROUPS = 8;

export interface AttentionShape {
  kernel: keyof typeof TOKENS_PER_INVOCATION;
  /** Invocations per workgroup = tile length (override WG). */
  wg: number;
  /** Tokens i per workgroup (dispatch x = ⌈n / tokensPerWorkgroup⌉; the capacity check). */
  tokensPerWorkgroup: number;
}

/** The kernel and workgroup size for a scenario. */
export function attentionShape(s: Pick<Scenario, 'd' | 'n' | 'heads' | 'replicas'>): AttentionShape {
  if (s.d > 8) return { kernel: 'attention-accumulate', wg: ATTENTION_WG, tokensPerWorkgroup: ATTENTION_WG };
  const kernel = s.d <= 3 ? 'attention-accumulate-d3' : 'attention-accumulate-d8';
  const perInvocation = TOKENS_PER_INVOCATION[kernel];
  let wg = ATTENTION_WG;
  const groups = (w: number) => Math.ceil(s.n / (w * perInvocation)) * s.heads * s.replicas;
  while (wg > 8 && groups(wg) < MIN_WORKGROUPS) wg /= 2;
  return { kernel, wg, tokensPerWorkgroup: wg * perInvocation };
}

export type AttentionInput = 'stage0' | 'stage' | 'jump';

export class AttentionPass {
  private readonly layout: GPUBindGroupLayout;
  private pipeline!: GPUComputePipeline;
  private binds!: Record<AttentionInput, GPUBindGroup>;
  private readonly shape: AttentionShape;

  private constructor(
    private readonly device: GPUDevice,
    private readonly s: Scenario,
    private readonly uniforms: Uniforms,
    private readonly state: SimState,
  ) {
    this.layout = bindGroupLayout(device, 'AttentionPass.bindGroupLayout', [
      'uniform',
      'uniform-dynamic',
      'read',
      'read',
      'rw',
    ]);
    this.shape = attentionShape(s);
  }

  static async create(
    device: GPUDevice,
    s: Scenario,
    sources: ShaderSources,
    uniforms: Uniforms,
    state: SimState,
  ): Promise<AttentionPass> {
    const p = new AttentionPass(device, s, uniforms, state);
    const { kernel, wg } = p.shape;
    const common = {
      D: s.d,
      H: s.heads,
      WG: wg,
      NOISE: s.weights.noiseVariance > 0 ? 1 : 0,
      ACC_STRIDE: headAccFloats(s.d),
    };
    p.pipeline = await computePipeline(
      device,
      sources,
      kernel,
      'AttentionPass.pipeline',
      p.layout,
      kernel === 'attention-accumulate' ? { ...common, TILE_FLOATS: wg * s.d } : common,
    );
    p.rebind();
    return p;
  }

  rebind(): void {
    const { device, layout, uniforms, state } = this;
    const make = (label: AttentionInput, positions: GPUBuffer, weights: GPUBuffer) =>
      bindGroup(
        device,
        `AttentionPass.bindGroup.${label}`,
        layout,
        [uniforms.sim, uniforms.stages, positions, weights, state.acc],
        { 1: STAGE_BINDING_SIZE },
      );
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
    pass.dispatchWorkgroups(Math.ceil(this.s.n / this.shape.tokensPerWorkgroup), this.s.heads, this.s.replicas);
  }
}
