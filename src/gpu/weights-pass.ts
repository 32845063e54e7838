/**
 * Pass 1 of a step: weights-stage.wgsl. Owns the drift parameters and the layer schedule buffers,
 * and the pipeline (its `DRIFT` override is the drift kind). `setDrift` rewrites the parameters in
 * place when the kind stays the same, and rebuilds only this pipeline when it changes.
 */
import { assertNever } from '../model/kinds/field';
import type { Drift, Scenario } from '../model/scenario';
import { DRIFT_KIND, DRIFT_PARAMS } from './layouts';
import {
  bindGroup,
  bindGroupLayout,
  computePipeline,
  writeFields,
  type BindingKind,
  type BufferPool,
} from './resources';
import type { ShaderSources } from './shaders';
import type { SimState } from './state';
import { STEP_BINDING_SIZE, type Uniforms } from './uniforms';

export const WEIGHTS_WG = 64;

/**
 * weights-stage.wgsl's bindings in order: sim uniforms, the step's uniforms (dynamic offset),
 * drift parameters, layer schedule, then D, the stage weights and the drift/noise increments.
 */
export const WEIGHTS_BINDINGS: readonly BindingKind[] = [
  'uniform',
  'uniform-dynamic',
  'read',
  'read',
  'rw',
  'rw',
  'rw',
];

export interface WeightsDeps {
  scenario: Scenario;
  stages: number;
  sources: ShaderSources;
  uniforms: Uniforms;
  state: SimState;
  /** Per-replica weight offsets [P][H][d][d] (init.ts weightOffsets). */
  offsets: Float64Array;
}

export class WeightsPass {
  private readonly layout: GPUBindGroupLayout;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;
  private driftParams: GPUBuffer | undefined;
  private schedule: GPUBuffer | undefined;
  private kind: Drift['kind'] | undefined;
  /** Settles when a pipeline rebuild started by setDrift is done (rejects on a shader error). */
  ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    private readonly deps: WeightsDeps,
  ) {
    this.layout = bindGroupLayout(device, 'WeightsPass.bindGroupLayout', WEIGHTS_BINDINGS);
  }

  /** Offset (floats) of layer 0 in the schedule buffer. */
  static layerBase(s: Scenario): number {
    return s.replicas * s.heads * s.d * s.d;
  }

  /** Installs `drift` (the first call builds the pipeline). */
  setDrift(drift: Drift): Promise<void> {
    const { scenario: s, offsets } = this.deps;
    const dd = s.d * s.d;
    const params = new DataView(new ArrayBuffer(DRIFT_PARAMS.size + dd * 4));
    switch (drift.kind) {
      case 'frozen':
      case 'layers':
        break;
      case 'ou':
        writeFields(params, 0, DRIFT_PARAMS, { rate: drift.theta });
        for (let a = 0; a < s.d; a++)
          for (let b = 0; b < s.d; b++) {
            const m = drift.target === 'identity' ? (a === b ? 1 : 0) : drift.target[a]![b]!;
            params.setFloat32(DRIFT_PARAMS.size + 4 * (a * s.d + b), m, true);
          }
        break;
      case 'oscillating':
        writeFields(params, 0, DRIFT_PARAMS, {
          rate: drift.rate,
          center: drift.center,
          amplitude: drift.amplitude,
          offAmplitude: drift.offAmplitude,
        });
        break;
      case 'rotating':
        writeFields(params, 0, DRIFT_PARAMS, { rate: drift.rate, center: drift.center, amplitude: drift.amplitude });
        break;
      default:
        assertNever(drift, 'drift kind');
    }
    const layers = drift.kind === 'layers' ? drift.layers : [];
    const schedule = new Float32Array(offsets.length + layers.length * s.heads * dd);
    schedule.set(offsets);
    layers.forEach((layer, l) => {
      layer.forEach((m, h) => {
        schedule.set(m.flat(), offsets.length + (l * s.heads + h) * dd);
      });
    });

    let rebind = false;
    if (!this.driftParams || this.driftParams.size < params.byteLength) {
      this.pool.release(this.driftParams);
      this.driftParams = this.pool.storage('WeightsPass.driftParams', params.byteLength);
      rebind = true;
    }
    if (!this.schedule || this.schedule.size < schedule.byteLength) {
      this.pool.release(this.schedule);
      this.schedule = this.pool.storage('WeightsPass.schedule', schedule.byteLength);
      rebind = true;
    }
    this.device.queue.writeBuffer(this.driftParams, 0, params.buffer);
    this.device.queue.writeBuffer(this.schedule, 0, schedule);
    if (rebind && this.pipeline) this.rebind();
    if (drift.kind !== this.kind) {
      this.kind = drift.kind;
      this.ready = this.build(drift.kind);
    }
    return this.ready;
  }

  private async build(kind: Drift['kind']): Promise<void> {
    const { scenario: s, stages, sources } = this.deps;
    this.pipeline = await computePipeline(
      this.device,
      sources,
      'weights-stage',
      `WeightsPass.pipeline(${kind})`,
      this.layout,
      {
        D: s.d,
        H: s.heads,
        STAGES: stages,
        DRIFT: DRIFT_KIND[kind],
        NOISE: s.weights.noiseVariance > 0 ? 1 : 0,
        WG: WEIGHTS_WG,
      },
    );
    this.rebind();
  }

  /** Recreates the bind group (after a buffer it binds was replaced). */
  rebind(): void {
    const { uniforms, state } = this.deps;
    this.bind = bindGroup(
      this.device,
      'WeightsPass.bindGroup',
      this.layout,
      [
        uniforms.sim,
        uniforms.steps,
        this.driftParams!,
        this.schedule!,
        state.weights,
        state.stageWeights,
        state.driftNoise,
      ],
      { 1: STEP_BINDING_SIZE },
    );
  }

  encode(pass: GPUComputePassEncoder, slot: number): void {
    const { scenario: s, uniforms } = this.deps;
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind, [uniforms.stepOffset(slot)]);
    pass.dispatchWorkgroups(Math.ceil((s.replicas * s.heads * s.d * s.d) / WEIGHTS_WG));
  }

  destroy(): void {
    this.pool.release(this.driftParams);
    this.pool.release(this.schedule);
    this.driftParams = this.schedule = undefined;
  }
}
