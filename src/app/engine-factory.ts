/**
 * Picks the engine for a scenario: the WebGPU engine (src/gpu, on the shared device) where
 * WebGPU works, else the float64 engine in a worker (src/worker/worker-engine). Both are
 * loaded lazily, so a page without WebGPU never downloads the GPU code.
 */
import type { SimEngine } from '../model/engine';
import type { Scenario } from '../model/scenario';
import { sharedDevice, webgpuMissingReason } from './gpu-device';

/** The notice shown with the CPU fallback: why, and how to get WebGPU. */
export const WEBGPU_HINT = 'For the GPU engine use Chrome/Edge ≥ 113, or enable chrome://flags/#enable-unsafe-webgpu.';

/**
 * GPU time per submit (ms) asked of the WebGPU engine: an attention dispatch that would take
 * longer (a large n·H) is split over several submits, so the page's frames keep coming between
 * them and a GPU is never busy for seconds on one submit (Windows resets a GPU after 2 s). Every
 * extra submit costs up to a frame in a browser, so the budget is a few frames, not one, and
 * dispatches that fit go whole: small and medium runs pay nothing.
 */
export const FRAME_BUDGET_MS = 100;

/**
 * The GPU engine's batch gate (GpuEngine.setBatchGate) on `device`: resolves once the page's next
 * animation frame has run, i.e. once the frame loop has submitted the draw of the step that just
 * finished, and that draw's GPU work is done (the renderer shares the engine's device and queue).
 * So the draw neither queues behind the next step's first submit nor shares the GPU with it (on a
 * software GPU the frames at a step's end were 200–270 ms long at n = 16,384, H = 8 without it).
 */
function afterNextDraw(device: GPUDevice): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))).then(() =>
      device.queue.onSubmittedWorkDone(),
    );
}

/** An engine and how to describe it. */
export interface EngineChoice {
  engine: SimEngine;
  /** Status-line name, e.g. "WebGPU · google swiftshader" or "CPU fallback (float64, worker)". */
  label: string;
  /** Set when the CPU fallback was chosen: why, with the hint to get WebGPU. */
  fallbackReason?: string;
  /** Live GPU buffers of the shared device (undefined without one). */
  liveBuffers?: () => number;
}

/** n·P is beyond what the chosen engine can run; `largestN` fits at the scenario's P. */
export class CapacityError extends Error {
  override readonly name = 'CapacityError';
  constructor(
    readonly engineLabel: string,
    readonly maxTokens: number,
    readonly replicas: number,
    detail = '',
  ) {
    const largestN = Math.floor(maxTokens / replicas);
    super(
      `n·P is too large for the ${engineLabel}: at P = ${replicas} the largest n that fits is ${largestN}.${detail ? ` (${detail})` : ''}`,
    );
  }
}

async function cpuEngine(s: Scenario, reason: string, threads: number | undefined): Promise<EngineChoice> {
  const { CPU_FALLBACK_MAX_N, WorkerCpuEngine } = await import('../worker/worker-engine');
  if (s.n * s.replicas > CPU_FALLBACK_MAX_N)
    throw new CapacityError('CPU fallback (float64, worker)', CPU_FALLBACK_MAX_N, s.replicas);
  const engine = await WorkerCpuEngine.create(s, threads);
  const rows =
    (engine.threads === 1 ? '1 thread' : `${engine.threads} threads, ${engine.rowMode}`) +
    (engine.wasmRows ? '' : ', JavaScript rows');
  return { engine, label: `CPU fallback (float64, worker, ${rows})`, fallbackReason: reason };
}

/**
 * The best engine for `s`. `preferCpu` forces the fallback (after a GPU failure); `cpuThreads`:
 * the fallback's row threads (default: the cores, fallback-threads.ts). Throws a CapacityError
 * when n·P does not fit, or the GPU engine's own error for other failures.
 */
export async function createEngine(s: Scenario, preferCpu = false, cpuThreads?: number): Promise<EngineChoice> {
  const missing = webgpuMissingReason();
  if (preferCpu) return cpuEngine(s, 'the GPU engine failed on this device', cpuThreads);
  if (missing) return cpuEngine(s, `WebGPU is not available: ${missing}`, cpuThreads);
  const shared = await sharedDevice();
  if (!shared) return cpuEngine(s, 'WebGPU found no usable adapter', cpuThreads);
  const { createGpuEngine, GpuCapacityError } = await import('../gpu/index');
  let engine: SimEngine;
  try {
    const gpu = await createGpuEngine(s, { device: shared.device });
    void gpu.setFrameBudget({ ms: FRAME_BUDGET_MS });
    gpu.setBatchGate(afterNextDraw(shared.device));
    engine = gpu;
  } catch (e) {
    if (e instanceof GpuCapacityError)
      throw new CapacityError(`GPU engine (${shared.adapterName})`, e.largestN * s.replicas, s.replicas, e.message);
    throw e;
  }
  return { engine, label: `WebGPU · ${shared.adapterName}`, liveBuffers: shared.liveBuffers };
}
