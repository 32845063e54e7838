/**
 * Last pass of a step: diagnostics-reduce.wgsl folds the per-token partials of each replica into
 * one ScaledDiag record in row `slot` of the records buffer, which holds every step of a submit
 * (grown on demand) and is copied once per submit into a MAP_READ staging buffer.
 */
import type { Scenario } from '../model/scenario';
import { SCALED_DIAG } from './layouts';
import type { PassContext } from './pass-context';
import { bindGroup, bindGroupLayout, computePipeline, type BufferPool } from './resources';
import type { KernelConstants } from './shaders';
import type { SimState } from './state';
import { STEP_BINDING_SIZE, type Uniforms } from './uniforms';

/**
 * Invocations of the one workgroup per replica (a power of two: tree reduction). 32, not 128:
 * SwiftShader's compile time of this kernel grows with the workgroup (≈ 10 s at 128, ≈ 5 s at 32
 * on 2 loaded cores: bench/gpu-startup.ts, docs/BENCHMARKS.md), and folding n partials is a
 * small share of a step at any n.
 */
export const REDUCE_WG = 32;

/** The override constants of diagnostics-reduce.wgsl. */
export const REDUCE_CONSTANTS: KernelConstants<'diagnostics-reduce'> = { WG: REDUCE_WG };

export class ReducePass {
  private readonly layout: GPUBindGroupLayout;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;
  /** [capacity][P] ScaledDiag. */
  records!: GPUBuffer;
  capacity = 0;

  private constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    private readonly s: Scenario,
    private readonly uniforms: Uniforms,
    private readonly state: SimState,
  ) {
    this.layout = bindGroupLayout(device, 'ReducePass.bindGroupLayout', ['uniform', 'uniform-dynamic', 'read', 'rw']);
  }

  static async create({ device, pool, scenario: s, sources, uniforms, state }: PassContext): Promise<ReducePass> {
    const p = new ReducePass(device, pool, s, uniforms, state);
    const label = 'ReducePass.pipeline';
    p.pipeline = await computePipeline(device, sources, 'diagnostics-reduce', label, p.layout, REDUCE_CONSTANTS);
    p.ensureCapacity(1);
    p.rebind();
    return p;
  }

  /** Bytes of `steps` rows of records. */
  bytes(steps: number): number {
    return steps * this.s.replicas * SCALED_DIAG.size;
  }

  /** Grows the records buffer to at least `steps` rows; true when replaced (rebind). */
  ensureCapacity(steps: number): boolean {
    if (steps <= this.capacity) return false;
    let cap = Math.max(1, this.capacity);
    while (cap < steps) cap *= 2;
    this.pool.release(this.records);
    this.records = this.pool.storage('ReducePass.records', this.bytes(cap));
    this.capacity = cap;
    return true;
  }

  rebind(): void {
    this.bind = bindGroup(
      this.device,
      'ReducePass.bindGroup',
      this.layout,
      [this.uniforms.sim, this.uniforms.steps, this.state.partials, this.records],
      { 1: STEP_BINDING_SIZE },
    );
  }

  encode(pass: GPUComputePassEncoder, slot: number): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind, [this.uniforms.stepOffset(slot)]);
    pass.dispatchWorkgroups(this.s.replicas);
  }
}
