/**
 * The uniform buffers: SimParams (once per build), the StepParams ring (one slot per step of a
 * submit, bound with a dynamic offset) and the StageIndex slots (one per Runge–Kutta stage).
 * Per-step values are computed here in float64: the oscillating phase (frequency·t) mod 2π and the
 * layer indices (schedule.ts layerIndex), so float32 never sees a large t or a layer boundary.
 */
import { driftPhase } from '../model/kinds/drift';
import type { Tableau } from '../model/integrators';
import { seedKey } from '../model/rng';
import { layerIndex } from '../model/schedule';
import type { Drift, Scenario } from '../model/scenario';
import { MAX_STAGES, SIM_PARAMS, STAGE_INDEX, STEP_PARAMS, WGSL_CONSTS } from './layouts';
import { writeFields, type BufferPool } from './resources';

const TWO_PI = 2 * Math.PI;

/** Bytes bound for a dynamic-offset struct (its size, rounded to 16). */
export const STEP_BINDING_SIZE = Math.ceil(STEP_PARAMS.size / 16) * 16;
export const STAGE_BINDING_SIZE = Math.ceil(STAGE_INDEX.size / 16) * 16;

/** What one slot of the step ring describes. */
export interface StepSpec {
  step: number;
  evaluateOnly: boolean;
}

export class Uniforms {
  readonly sim: GPUBuffer;
  readonly stages: GPUBuffer;
  /** Ring of StepParams, `capacity` slots of `slotSize` bytes. */
  steps: GPUBuffer;
  capacity = 0;
  /** Dynamic-offset stride: minUniformBufferOffsetAlignment rounded up to hold a StepParams. */
  readonly slotSize: number;

  constructor(
    private readonly pool: BufferPool,
    private readonly s: Scenario,
    private readonly tableau: Tableau,
    layerBase: number,
  ) {
    const device = pool.device;
    const align = device.limits.minUniformBufferOffsetAlignment;
    this.slotSize = Math.ceil(Math.max(STEP_PARAMS.size, STAGE_INDEX.size) / align) * align;
    this.sim = pool.uniform('Uniforms.sim', SIM_PARAMS.size);
    this.stages = pool.uniform('Uniforms.stages', MAX_STAGES * this.slotSize);
    this.steps = pool.uniform('Uniforms.steps', this.slotSize);
    this.capacity = 1;

    const view = new DataView(new ArrayBuffer(SIM_PARAMS.size));
    /** One vec4 row of MAX_STAGES lanes (a stage's coefficients, zero past the tableau). */
    const pad = (v: readonly number[]) => Array.from({ length: MAX_STAGES }, (_, j) => v[j] ?? 0);
    const sigma = Math.sqrt(s.weights.noiseVariance);
    const [seedLo, seedHi] = seedKey(s.seed);
    writeFields(view, 0, SIM_PARAMS, {
      a: Array.from({ length: MAX_STAGES }, (_, i) => pad(tableau.a[i] ?? [])).flat(),
      b: pad(tableau.b),
      c: pad(tableau.c),
      beta: s.beta,
      dt: s.dt,
      dtSigned: s.dt * s.flowSign,
      noiseScale: 0.5 * sigma * Math.sqrt(s.dt),
      itoScale: s.beta * (s.weights.noiseVariance / 4),
      n: s.n,
      replicas: s.replicas,
      sharedNoise: s.perturbation.sharedNoise ? 1 : 0,
      seedLo,
      seedHi,
      layerBase,
    });
    device.queue.writeBuffer(this.sim, 0, view.buffer);

    const stages = new DataView(new ArrayBuffer(MAX_STAGES * this.slotSize));
    for (let st = 0; st < MAX_STAGES; st++) writeFields(stages, st * this.slotSize, STAGE_INDEX, { stage: st });
    device.queue.writeBuffer(this.stages, 0, stages.buffer);
  }

  /** Dynamic offset of stage `st` in the stage slots. */
  stageOffset(st: number): number {
    return st * this.slotSize;
  }

  /** Dynamic offset of ring slot `slot`. */
  stepOffset(slot: number): number {
    return slot * this.slotSize;
  }

  /** Grows the ring to at least `k` slots; true when the buffer was replaced (rebind the passes). */
  ensureCapacity(k: number): boolean {
    if (k <= this.capacity) return false;
    let cap = this.capacity;
    while (cap < k) cap *= 2;
    this.pool.release(this.steps);
    this.steps = this.pool.uniform('Uniforms.steps', cap * this.slotSize);
    this.capacity = cap;
    return true;
  }

  /**
   * Writes the ring slots 0…k−1 for steps `steps` under `drift`; returns which steps change
   * layer (the jump energy is computed at those).
   */
  writeSteps(steps: readonly StepSpec[], drift: Drift): boolean[] {
    const { dt } = this.s;
    const { c } = this.tableau;
    const view = new DataView(new ArrayBuffer(steps.length * this.slotSize));
    const jumps = steps.map((spec, slot) => {
      const t = spec.step * dt;
      const phase = new Array<number>(MAX_STAGES).fill(0);
      const layer = new Array<number>(MAX_STAGES).fill(0);
      let layerEnd = 0;
      let jump = false;
      for (let st = 0; st < c.length; st++) {
        const ts = t + c[st]! * dt;
        const x = driftPhase(drift, ts);
        phase[st] = x - TWO_PI * Math.floor(x / TWO_PI);
        if (drift.kind === 'layers') layer[st] = layerIndex(drift, ts);
      }
      if (drift.kind === 'layers') {
        layerEnd = layerIndex(drift, t + dt);
        jump = !spec.evaluateOnly && layerEnd !== layerIndex(drift, t);
      }
      const flags = (spec.evaluateOnly ? WGSL_CONSTS.STEP_EVALUATE_ONLY : 0) | (jump ? WGSL_CONSTS.STEP_JUMP : 0);
      writeFields(view, slot * this.slotSize, STEP_PARAMS, {
        phase,
        layer,
        layerEnd,
        step: spec.step >>> 0,
        slot,
        flags,
      });
      return jump;
    });
    this.pool.device.queue.writeBuffer(this.steps, 0, view.buffer);
    return jumps;
  }
}
