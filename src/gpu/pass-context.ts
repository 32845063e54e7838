/** What every pass of a step is built from: one object, handed to each pass's `create`. */
import type { Scenario } from '../model/scenario';
import type { BufferPool } from './resources';
import type { ShaderSources } from './shaders';
import type { SimState } from './state';
import type { KernelTunables } from './tunables';
import type { Uniforms } from './uniforms';

export interface PassContext {
  device: GPUDevice;
  /** The pool that owns the step's buffers (passes that grow a buffer allocate from it). */
  pool: BufferPool;
  scenario: Scenario;
  /** Stages of the scenario's integrator (its tableau's b.length). */
  stages: number;
  sources: ShaderSources;
  /** The sim and per-step uniforms shared by every pass. */
  uniforms: Uniforms;
  /** Tokens, weights and the scratch buffers the passes read and write. */
  state: SimState;
  /** The adapter's kernel tunables (tunables.ts chooseTunables). */
  tunables: KernelTunables;
}
