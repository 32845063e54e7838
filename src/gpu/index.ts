/**
 * The WebGPU engine's entry point (the app loads it with import.meta.glob; the CLI imports it).
 * In Node, pass `{ gpu: await nodeGpu() }` (node-env.ts) or a device of it.
 */
import type { Scenario } from '../model/scenario';
import { type EngineOptions, GpuEngine } from './engine-gpu';

export { BATCH_GATE_MAX_MS, type EngineOptions, type FrameBudget, GpuEngine, MEASURED_CAP } from './engine-gpu';
export { ADAPTER_TUNABLES, DEFAULT_TUNABLES, type KernelTunables } from './tunables';
export type { EngineSnapshot, PositionsLayout, WeightsLayout } from '../model/engine';
export {
  DeviceLostError,
  EngineCancelledError,
  GpuCapacityError,
  NonFiniteError,
  WebGpuUnavailableError,
  type NonFiniteWhat,
} from './errors';
export type { DeviceOptions } from './device';

/** A SimEngine (kind 'gpu') for `scenario` on `options.device`, or on a device of `options.gpu` / navigator.gpu. */
export function createGpuEngine(scenario: Scenario, options: EngineOptions = {}): Promise<GpuEngine> {
  return GpuEngine.create(scenario, options);
}
