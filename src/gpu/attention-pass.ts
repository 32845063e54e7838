/**
 * The all-pairs pass, tiles of WG tokens j in workgroup memory: for d ≤ 3
 * attention-accumulate-d3.wgsl (eight tokens i per invocation, fixed softmax shift, branch-free
 * loop), for 4 ≤ d ≤ 8 attention-accumulate-d8.wgsl (two tokens per invocation, vectors as two
 * vec4, the same shift), else attention-accumulate.wgsl (any d, one token per invocation, online
 * softmax).
 * Three bind groups: stage 0 reads the state tokens and stage weights, stages ≥ 1 the stage tokens, and `jump` the state tokens under the state weights
 * D_{k+1} (the energy after a layer change).
 */
import { LIMITS, type Scenario } from '../model/scenario';
import { headAccFloats } from './layouts';
import type { PassContext } from './pass-context';
import { bindGroup, bindGroupLayout, type BufferPool, computePipeline } from './resources';
import type { KernelConstants } from './shaders';
import type { SimState } from './state';
import { DEFAULT_TUNABLES, type KernelTunables } from './tunables';
import { STAGE_BINDING_SIZE, type Uniforms } from './uniforms';

/** Invocations per workgroup (also the tile length) of the generic kernel. */
export const ATTENTION_WG = 64;

/** Tokens i in one quad of the d ≤ 3 kernel (the lanes of a vec4: `4u * QUADS` in the kernel). */
export const QUAD_TOKENS = 4;

/**
 * The attention kernels in order of preference: the largest d each serves (`MAX_D` of the
 * kernel file; the generic kernel's private arrays hold DMAX = LIMITS.dMax) and its tokens i per
 * invocation: `TOKENS_PER_INVOCATION` written out in the WGSL, or 'quads' for the d ≤ 3 kernel,
 * QUAD_TOKENS × its QUADS override (a tunable). These size the dispatch; tests/gpu/kernel-constants
 * checks them against the files. `tuned`: the workgroup size and its shrinking at small n come
 * from the adapter's tunables (tunables.ts); the generic kernel keeps ATTENTION_WG.
 */
export const ATTENTION_KERNELS = {
  'attention-accumulate-d3': { maxD: 3, tokensPerInvocation: 'quads', tuned: true },
  'attention-accumulate-d8': { maxD: 8, tokensPerInvocation: 2, tuned: true },
  'attention-accumulate': { maxD: LIMITS.dMax, tokensPerInvocation: 1, tuned: false },
} as const;
export type AttentionKernel = keyof typeof ATTENTION_KERNELS;

export interface AttentionShape {
  kernel: AttentionKernel;
  /** Invocations per workgroup = tile length (override WG). */
  wg: number;
  /** Quads per invocation (override QUADS of the d ≤ 3 kernel; 0 for the others). */
  quads: number;
  /** Tokens i per workgroup (⌈n / tokensPerWorkgroup⌉ token workgroups; the capacity check). */
  tokensPerWorkgroup: number;
  /**
   * Shares of the j range (override J_SPLITS): each token workgroup runs as jSplits workgroups
   * (dispatch x = token workgroups × jSplits, the share fastest), share k summing over tokens
   * j ∈ [k·jChunk, min(n, (k + 1)·jChunk)); attention-merge.wgsl adds the shares. 1: no split.
   */
  jSplits: number;
  /** Tokens j per share (override J_CHUNK): whole tiles, every share non-empty; ≥ n when jSplits = 1. */
  jChunk: number;
}

/** The most workgroups along x (WebGPU's default maxComputeWorkgroupsPerDimension). */
const MAX_WORKGROUPS_X = 65_535;

/**
 * The j shares for `tokenGroups` token workgroups of tile length `wg`: as many as bring the
 * workgroups (× heads × replicas) to `target`, at most one a tile and MAX_WORKGROUPS_X along x.
 */
function jSplit(
  s: Pick<Scenario, 'n' | 'heads' | 'replicas'>,
  tokenGroups: number,
  wg: number,
  target: number,
): { jSplits: number; jChunk: number } {
  const tiles = Math.ceil(s.n / wg);
  const have = tokenGroups * s.heads * s.replicas;
  const want = target > have ? Math.ceil(target / have) : 1;
  const shares = Math.max(1, Math.min(want, tiles, Math.floor(MAX_WORKGROUPS_X / tokenGroups)));
  const jChunk = wg * Math.ceil(tiles / shares);
  return { jSplits: Math.ceil(s.n / jChunk), jChunk };
}

/** The kernel, workgroup size and quads for a scenario under `tunables` (the adapter's, tunables.ts). */
export function attentionShape(
  s: Pick<Scenario, 'd' | 'n' | 'heads' | 'replicas'>,
  tunables: KernelTunables = DEFAULT_TUNABLES,
): AttentionShape {
  const kernels = Object.keys(ATTENTION_KERNELS) as AttentionKernel[];
  const kernel = kernels.find((k) => s.d <= ATTENTION_KERNELS[k].maxD) ?? 'attention-accumulate';
  const spec = ATTENTION_KERNELS[kernel];
  const quads = spec.tokensPerInvocation === 'quads' ? tunables.quads : 0;
  const perInvocation = spec.tokensPerInvocation === 'quads' ? QUAD_TOKENS * quads : spec.tokensPerInvocation;
  const shape = (wg: number) => {
    const tokensPerWorkgroup = wg * perInvocation;
    const split = jSplit(s, Math.ceil(s.n / tokensPerWorkgroup), wg, tunables.jSplitWorkgroups);
    return { kernel, wg, quads, tokensPerWorkgroup, ...split };
  };
  if (!spec.tuned) return shape(ATTENTION_WG);
  let wg = tunables.wg;
  const groups = (w: number) => Math.ceil(s.n / (w * perInvocation)) * s.heads * s.replicas;
  while (wg > tunables.shrinkTo && groups(wg) < tunables.minWorkgroups) wg /= 2;
  return shape(wg);
}

/**
 * Invocations per workgroup of the fine pipeline: when one column (a token workgroup × a head)
 * of the regular shape already takes longer than the frame budget (a large n on a slow GPU), the
 * split submits run this shape instead, a quarter of the tokens per column. The sums per token do
 * not depend on the workgroup size (each runs over j in the same order), so the rows are the same.
 */
export const FINE_WG = 16;

/**
 * The shape of the fine pipeline of `shape` (the same when it is no larger). It keeps the j shares:
 * jChunk is whole tiles of the regular wg, so whole tiles of FINE_WG too, and each token sums
 * over the same j in the same order.
 */
export function fineShape(shape: AttentionShape): AttentionShape {
  if (shape.wg <= FINE_WG) return shape;
  const per = shape.tokensPerWorkgroup / shape.wg;
  return { ...shape, wg: FINE_WG, tokensPerWorkgroup: FINE_WG * per };
}

/** The override constants of the scenario's attention kernel (`shape` from attentionShape). */
export function attentionConstants(s: Scenario, shape: AttentionShape): KernelConstants<AttentionKernel> {
  const common = {
    D: s.d,
    H: s.heads,
    WG: shape.wg,
    NOISE: s.weights.noiseVariance > 0 ? 1 : 0,
    ACC_STRIDE: headAccFloats(s.d),
    J_SPLITS: shape.jSplits,
    J_CHUNK: shape.jChunk,
  };
  if (shape.kernel === 'attention-accumulate') return { ...common, TILE_FLOATS: shape.wg * s.d };
  if (shape.kernel === 'attention-accumulate-d3') return { ...common, QUADS: shape.quads };
  return common;
}

export type AttentionInput = 'stage0' | 'stage' | 'jump';

export class AttentionPass {
  private readonly layout: GPUBindGroupLayout;
  private pipeline!: GPUComputePipeline;
  private binds!: Record<AttentionInput, GPUBindGroup>;
  private readonly shape: AttentionShape;
  /** The fine shape's pipeline, once built (prepareFine); the regular one when the shapes agree. */
  private finePipeline: GPUComputePipeline | undefined;
  private fineBuild: Promise<void> | undefined;
  private sources!: PassContext['sources'];
  /** tokenRange (attention-io.wgsl): the first token workgroup of the dispatches of a submit. */
  private readonly range: GPUBuffer;

  private constructor(
    private readonly device: GPUDevice,
    private readonly s: Scenario,
    private readonly uniforms: Uniforms,
    private readonly state: SimState,
    pool: BufferPool,
    tunables: KernelTunables,
  ) {
    this.layout = bindGroupLayout(device, 'AttentionPass.bindGroupLayout', [
      'uniform',
      'uniform-dynamic',
      'read',
      'read',
      'rw',
      'uniform',
    ]);
    this.shape = attentionShape(s, tunables);
    this.range = pool.uniform('AttentionPass.range', 16);
    device.queue.writeBuffer(this.range, 0, new Uint32Array(4));
  }

  /**
   * Workgroups along x of one full dispatch: token workgroups (⌈n / tokensPerWorkgroup⌉) × j
   * shares; each spans H·P workgroups. The frame budget's columns are these.
   */
  get groups(): number {
    return Math.ceil(this.s.n / this.shape.tokensPerWorkgroup) * this.shape.jSplits;
  }

  /** Workgroups along x of one dispatch of the fine pipeline. */
  get fineGroups(): number {
    return Math.ceil(this.s.n / fineShape(this.shape).tokensPerWorkgroup) * this.shape.jSplits;
  }

  /** Shares of the j range (1: none, and no merge pass). */
  get jSplits(): number {
    return this.shape.jSplits;
  }

  /** Regular columns per fine column (1 when the shapes agree): a fine column's share of the work. */
  get fineRatio(): number {
    return fineShape(this.shape).tokensPerWorkgroup / this.shape.tokensPerWorkgroup;
  }

  /** Whether the fine pipeline can be used now (prepareFine has finished). */
  get fineReady(): boolean {
    return this.finePipeline !== undefined;
  }

  /** Builds the fine pipeline once, in the background; resolves when it is ready (or failed: it stays unused). */
  prepareFine(): Promise<void> {
    const fine = fineShape(this.shape);
    if (fine === this.shape) {
      this.finePipeline = this.pipeline;
      return Promise.resolve();
    }
    this.fineBuild ??= computePipeline(
      this.device,
      this.sources,
      fine.kernel,
      'AttentionPass.finePipeline',
      this.layout,
      attentionConstants(this.s, fine),
    ).then(
      (p) => {
        this.finePipeline = p;
      },
      () => {},
    );
    return this.fineBuild;
  }

  /**
   * Sets the first token workgroup and first head of the range dispatches in the next submit (a
   * queue write: it applies to every attention dispatch of that submit, so a submit holds one
   * range, or whole dispatches with both 0).
   */
  setRangeFirst(group: number, head: number): void {
    this.device.queue.writeBuffer(this.range, 0, new Uint32Array([group, head, 0, 0]));
  }

  static async create({
    device,
    pool,
    scenario: s,
    sources,
    uniforms,
    state,
    tunables,
  }: PassContext): Promise<AttentionPass> {
    const p = new AttentionPass(device, s, uniforms, state, pool, tunables);
    p.sources = sources;
    const constants = attentionConstants(s, p.shape);
    p.pipeline = await computePipeline(device, sources, p.shape.kernel, 'AttentionPass.pipeline', p.layout, constants);
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
        [uniforms.sim, uniforms.stages, positions, weights, state.acc, this.range],
        { 1: STAGE_BINDING_SIZE },
      );
    this.binds = {
      stage0: make('stage0', state.positions, state.stageWeights),
      stage: make('stage', state.stagePositions, state.stageWeights),
      jump: make('jump', state.positions, state.weights),
    };
  }

  /**
   * Accumulates stage `st` (or, with input 'jump', the state under D_{k+1}; st must be 0): all
   * token workgroups and heads, or `range.groups` × `range.heads` of them from the firsts set by
   * setRangeFirst — in token workgroups of the fine pipeline with `fine` (it must be ready).
   */
  encode(
    pass: GPUComputePassEncoder,
    st: number,
    input: AttentionInput = st === 0 ? 'stage0' : 'stage',
    range: { groups: number; heads: number } = { groups: this.groups, heads: this.s.heads },
    fine = false,
  ): void {
    pass.setPipeline(fine ? this.finePipeline! : this.pipeline);
    pass.setBindGroup(0, this.binds[input], [this.uniforms.stageOffset(st)]);
    pass.dispatchWorkgroups(range.groups, range.heads, this.s.replicas);
  }
}
