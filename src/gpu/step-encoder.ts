/**
 * Everything the engine builds on one device for one scenario, and the encoding of steps:
 *   weights-stage → [attention(x_k, D_{k+1}) → jump-energy at layer changes]
 *   → for each stage: attention-accumulate [→ attention-merge] → token-combine → diagnostics-reduce
 * all in one compute pass (WebGPU orders the dispatches' storage accesses). Built and destroyed
 * whole: the engine's one rebuild path.
 */
import { TABLEAUX } from '../model/integrators';
import { weightOffsets } from '../model/init';
import type { Drift, Scenario } from '../model/scenario';
import { type AttentionInput, AttentionPass, attentionShape } from './attention-pass';
import { CombinePass, JumpEnergyPass } from './combine-pass';
import { MergePass } from './merge-pass';
import { assertFitsLimits } from './device';
import type { PassContext } from './pass-context';
import { ReadbackPool } from './readback';
import { ReducePass } from './reduce-pass';
import { BufferPool } from './resources';
import type { ShaderSources } from './shaders';
import { SimState, statePlan } from './state';
import { Uniforms, type StepSpec } from './uniforms';
import { WeightsPass } from './weights-pass';
import { SCALED_DIAG } from './layouts';
import type { KernelTunables } from './tunables';

/** One pass of a step: an attention dispatch (splittable into token ranges) or any other pass. */
export type StepOp =
  | { attention: { st: number; input: AttentionInput }; encode?: undefined }
  | { attention?: undefined; encode: (pass: GPUComputePassEncoder) => void };

export class StepEncoder {
  readonly pool: BufferPool;
  readonly stages: number;
  readonly uniforms: Uniforms;
  readonly state: SimState;
  readonly readback: ReadbackPool;
  private weights!: WeightsPass;
  private attention!: AttentionPass;
  private combine!: CombinePass;
  /** Adds the j shares after each attention dispatch; built only when the shape splits the j range. */
  private merge: MergePass | undefined;
  /** Built only for a layer schedule (at create, or on the first setDrift to one): no other drift jumps. */
  private jump: JumpEnergyPass | undefined;
  private jumpBuild: Promise<void> = Promise.resolve();
  private ctx!: PassContext;
  reduce!: ReducePass;

  private constructor(
    readonly device: GPUDevice,
    readonly scenario: Scenario,
    jSplits: number,
  ) {
    this.pool = new BufferPool(device);
    const tableau = TABLEAUX[scenario.integrator];
    this.stages = tableau.b.length;
    this.uniforms = new Uniforms(this.pool, scenario, tableau, WeightsPass.layerBase(scenario));
    this.state = new SimState(this.pool, scenario, this.stages, jSplits);
    this.readback = new ReadbackPool(this.pool, this.state.positionBytes, this.state.weightBytes);
  }

  /** Checks the adapter's limits, then builds every buffer, pipeline and bind group. */
  static async create(
    device: GPUDevice,
    s: Scenario,
    drift: Drift,
    sources: ShaderSources,
    tunables: KernelTunables,
  ): Promise<StepEncoder> {
    const stages = TABLEAUX[s.integrator].b.length;
    const shape = attentionShape(s, tunables);
    assertFitsLimits(
      s,
      [...statePlan(s, stages, shape.jSplits), { label: 'records', perN: 0, fixed: s.replicas * SCALED_DIAG.size }],
      shape.tokensPerWorkgroup,
      device.limits,
    );
    const e = new StepEncoder(device, s, shape.jSplits);
    try {
      e.weights = new WeightsPass(device, e.pool, {
        scenario: s,
        stages,
        sources,
        uniforms: e.uniforms,
        state: e.state,
        offsets: weightOffsets(s),
      });
      const ctx: PassContext = {
        device,
        pool: e.pool,
        scenario: s,
        stages,
        sources,
        uniforms: e.uniforms,
        state: e.state,
        tunables,
      };
      e.ctx = ctx;
      const built = await Promise.all([
        e.weights.setDrift(drift),
        AttentionPass.create(ctx),
        CombinePass.create(ctx),
        ReducePass.create(ctx),
        shape.jSplits > 1 ? MergePass.create(ctx, shape) : undefined,
        e.ensureJump(drift),
      ]);
      [, e.attention, e.combine, e.reduce, e.merge] = built;
    } catch (err) {
      e.destroy();
      throw err;
    }
    return e;
  }

  /**
   * Live edit of the drift (a new kind rebuilds the weights pipeline, a first layer schedule
   * builds the jump-energy pass; both awaited before the next submit).
   */
  setDrift(drift: Drift): void {
    void this.weights.setDrift(drift).catch(() => {});
    void this.ensureJump(drift).catch(() => {});
  }

  /** Builds the jump-energy pass when `drift` is a layer schedule and it is not built yet. */
  private ensureJump(drift: Drift): Promise<void> {
    if (drift.kind === 'layers' && !this.jump)
      this.jumpBuild = this.jumpBuild.then(async () => {
        this.jump ??= await JumpEnergyPass.create(this.ctx);
      });
    return this.jumpBuild;
  }

  /** Settles once a pending drift rebuild is done. */
  get ready(): Promise<void> {
    return Promise.all([this.weights.ready, this.jumpBuild]).then(() => {});
  }

  /** Writes the step ring for `specs` (growing ring and records if needed); returns the jump flags. */
  prepare(specs: readonly StepSpec[], drift: Drift): boolean[] {
    const grewRing = this.uniforms.ensureCapacity(specs.length);
    const grewRecords = this.reduce.ensureCapacity(specs.length);
    if (grewRing) {
      this.weights.rebind();
      this.combine.rebind();
    }
    if (grewRing || grewRecords) this.reduce.rebind();
    return this.uniforms.writeSteps(specs, drift);
  }

  /**
   * The passes of ring slots 0…jumps.length−1 in order (stage 0 only when evaluating): the
   * attention dispatches as `attention` ops (the frame budget splits them into token ranges),
   * the rest as `encode` ops.
   */
  ops(jumps: readonly boolean[], evaluateOnly: boolean): StepOp[] {
    const stages = evaluateOnly ? 1 : this.stages;
    const out: StepOp[] = [];
    jumps.forEach((jump, slot) => {
      out.push({ encode: (pass) => this.weights.encode(pass, slot) });
      if (jump) {
        const pass = this.jump;
        if (!pass) throw new Error('StepEncoder: a layer change without the jump-energy pass (setDrift builds it)');
        out.push({ attention: { st: 0, input: 'jump' } }, ...this.mergeOps());
        out.push({ encode: (p) => pass.encode(p) });
      }
      for (let st = 0; st < stages; st++) {
        out.push({ attention: { st, input: st === 0 ? 'stage0' : 'stage' } }, ...this.mergeOps());
        out.push({ encode: (pass) => this.combine.encode(pass, slot, st) });
      }
      out.push({ encode: (pass) => this.reduce.encode(pass, slot) });
    });
    return out;
  }

  /** The merge of the j shares after an attention dispatch (none when the j range is whole). */
  private mergeOps(): StepOp[] {
    const merge = this.merge;
    return merge ? [{ encode: (pass) => merge.encode(pass) }] : [];
  }

  /** Encodes the steps of ring slots 0…jumps.length−1 whole (stage 0 only when evaluating). */
  encode(pass: GPUComputePassEncoder, jumps: readonly boolean[], evaluateOnly: boolean): void {
    for (const op of this.ops(jumps, evaluateOnly)) this.encodeOp(pass, op);
  }

  /**
   * Encodes one op: an attention op whole, or a `range` of it from the firsts set by
   * setRangeFirst (in the fine pipeline's token workgroups with `fine`).
   */
  encodeOp(pass: GPUComputePassEncoder, op: StepOp, range?: { groups: number; heads: number }, fine = false): void {
    if (op.attention) this.attention.encode(pass, op.attention.st, op.attention.input, range, fine);
    else op.encode(pass);
  }

  /** Workgroups along x of one attention dispatch (token workgroups × j shares): the budget's columns. */
  get attentionGroups(): number {
    return this.attention.groups;
  }

  /** The attention pass's fine pipeline for splits finer than one column (AttentionPass.prepareFine). */
  get fineAttention(): Pick<AttentionPass, 'fineGroups' | 'fineRatio' | 'fineReady' | 'prepareFine'> {
    return this.attention;
  }

  /** First token workgroup and head of the attention dispatches of the next submit (0, 0 for whole dispatches). */
  setRangeFirst(group: number, head: number): void {
    this.attention.setRangeFirst(group, head);
  }

  destroy(): void {
    this.weights?.destroy();
    this.pool.destroyAll();
  }
}
