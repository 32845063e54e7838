/**
 * The merge of the j shares (attention-merge.wgsl): after each attention dispatch whose j range
 * is split over J_SPLITS workgroups (attention-pass.ts attentionShape, the jSplitWorkgroups
 * tunable), one invocation per (replica, token, head) adds the shares' records into share 0's,
 * which is all the passes after it read. Built only when the shape splits.
 */
import type { Scenario } from '../model/scenario';
import type { AttentionShape } from './attention-pass';
import { headAccFloats } from './layouts';
import type { PassContext } from './pass-context';
import { bindGroup, bindGroupLayout, computePipeline } from './resources';
import type { KernelConstants } from './shaders';

/** Invocations per workgroup of the merge (one per (token, head)). */
export const MERGE_WG = 64;

/** The override constants of attention-merge.wgsl for `s` split as `shape` says. */
export function mergeConstants(
  s: Scenario,
  shape: Pick<AttentionShape, 'jSplits'>,
): KernelConstants<'attention-merge'> {
  return { H: s.heads, ACC_STRIDE: headAccFloats(s.d), J_SPLITS: shape.jSplits, WG: MERGE_WG };
}

export class MergePass {
  private constructor(
    private readonly s: Scenario,
    private readonly pipeline: GPUComputePipeline,
    private readonly bind: GPUBindGroup,
  ) {}

  static async create(
    { device, scenario: s, sources, uniforms, state }: PassContext,
    shape: Pick<AttentionShape, 'jSplits'>,
  ): Promise<MergePass> {
    const layout = bindGroupLayout(device, 'MergePass.bindGroupLayout', ['uniform', 'rw']);
    const constants = mergeConstants(s, shape);
    const pipeline = await computePipeline(device, sources, 'attention-merge', 'MergePass.pipeline', layout, constants);
    const bind = bindGroup(device, 'MergePass.bindGroup', layout, [uniforms.sim, state.acc]);
    return new MergePass(s, pipeline, bind);
  }

  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind);
    pass.dispatchWorkgroups(Math.ceil((this.s.n * this.s.heads) / MERGE_WG), this.s.replicas);
  }
}
