/** Helpers shared by the GPU engine's contract and robustness tests. */
import { expect } from 'vitest';
import { createGpuEngine, type DeviceOptions, DeviceLostError, type GpuEngine } from '../../src/gpu/index';
import type { EngineSnapshot, SimEngine } from '../../src/model/engine';
import type { Scenario } from '../../src/model/scenario';
import { runAndCompare } from './compare';

/**
 * Creates a GPU engine for `s`, runs `body` on it and destroys it afterwards, whatever happens;
 * returns the destroyed engine (for checks of what destroy released).
 */
export async function withGpuEngine(
  s: Scenario,
  options: DeviceOptions,
  body: (gpu: GpuEngine) => Promise<void>,
): Promise<GpuEngine> {
  const gpu = await createGpuEngine(s, options);
  try {
    await body(gpu);
  } finally {
    gpu.destroy();
  }
  return gpu;
}

/** What a promise rejected with, or undefined when it resolved. */
export function rejection<E = unknown>(p: Promise<unknown>): Promise<E | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => e as E,
  );
}

/**
 * Runs 2 × 10 steps on both engines (compared), snapshots the GPU engine, destroys its device and
 * checks that onLost is called with a DeviceLostError and that advancing is refused.
 * Returns the snapshot and the lost device.
 */
export async function runThenLoseDevice(
  gpu: GpuEngine,
  cpu: SimEngine,
): Promise<{ snapshot: EngineSnapshot; lostDevice: GPUDevice }> {
  await runAndCompare(gpu, cpu, 2, 10);
  const snapshot = await gpu.snapshot();
  const lost = new Promise<DeviceLostError>((resolve) => {
    gpu.onLost = resolve;
  });
  const lostDevice = gpu.gpuDevice;
  lostDevice.destroy();
  expect(await lost).toBeInstanceOf(DeviceLostError);
  await expect(gpu.advance(1)).rejects.toBeInstanceOf(DeviceLostError);
  return { snapshot, lostDevice };
}
