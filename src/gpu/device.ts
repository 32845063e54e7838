/**
 * Device acquisition and capacity checks. The engine takes an existing GPUDevice (the browser
 * shares one with three.js; Node passes one from dawn.node), or a GPU object (`navigator.gpu`,
 * or `await nodeGpu()` from node-env.ts) to request its own device from.
 */
import type { Scenario } from '../model/scenario';
import { GpuCapacityError, WebGpuUnavailableError } from './errors';

export interface DeviceOptions {
  /** Use this device (not destroyed by the engine). */
  device?: GPUDevice;
  /** Request a device from this GPU (default: navigator.gpu); the engine owns and destroys it. */
  gpu?: GPU;
}

export interface AcquiredDevice {
  device: GPUDevice;
  /** True when the engine requested the device itself and must destroy it. */
  owned: boolean;
}

const HOW_TO_GET_WEBGPU =
  'Use Chrome or Edge ≥ 113 (or enable chrome://flags/#enable-unsafe-webgpu); in Node pass ' +
  '{ gpu: await nodeGpu() } from src/gpu/node-env.ts (dawn.node, SwiftShader without a GPU).';

/** Limits the engine asks the adapter's maxima of. */
const WANTED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension'] as const;

/** The device to run on: the given one, or a new one from `options.gpu` / navigator.gpu. */
export async function acquireDevice(options: DeviceOptions = {}): Promise<AcquiredDevice> {
  if (options.device) return { device: options.device, owned: false };
  const gpu = options.gpu ?? (typeof navigator !== 'undefined' ? navigator.gpu : undefined);
  if (!gpu)
    throw new WebGpuUnavailableError(`WebGPU is not available (navigator.gpu is missing). ${HOW_TO_GET_WEBGPU}`);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError(`WebGPU found no adapter. ${HOW_TO_GET_WEBGPU}`);
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ label: 'GpuEngine.device', requiredLimits });
  return { device, owned: true };
}

/** A human adapter name from a device ("nvidia hopper", "google swiftshader"). */
export function adapterName(device: GPUDevice): string {
  const info = device.adapterInfo;
  const parts = [info?.vendor, info?.architecture, info?.device].filter((p) => p && p.length > 0);
  return parts.length > 0 ? parts.join(' ') : info?.description || 'unknown adapter';
}

/** A buffer whose size grows linearly with n: bytes = perN·n + fixed. */
export interface SizedBuffer {
  label: string;
  perN: number;
  fixed: number;
}

/**
 * Throws a GpuCapacityError naming the first limit the scenario exceeds (binding size, buffer
 * size, workgroups per dimension) and the largest n that would fit at the same P, H, d.
 */
export function assertFitsLimits(
  s: Scenario,
  buffers: readonly SizedBuffer[],
  tokensPerWorkgroup: number,
  limits: GPUSupportedLimits,
): void {
  const check = (limit: 'maxStorageBufferBindingSize' | 'maxBufferSize') => {
    const available = limits[limit];
    for (const b of buffers) {
      const bytes = b.perN * s.n + b.fixed;
      if (bytes > available) {
        const largest = Math.min(
          ...buffers.filter((x) => x.perN > 0).map((x) => Math.floor((available - x.fixed) / x.perN)),
        );
        throw new GpuCapacityError(`${limit} (buffer ${b.label})`, bytes, available, Math.max(0, largest));
      }
    }
  };
  check('maxStorageBufferBindingSize');
  check('maxBufferSize');
  const maxGroups = limits.maxComputeWorkgroupsPerDimension;
  const groups = Math.ceil(s.n / tokensPerWorkgroup);
  if (groups > maxGroups)
    throw new GpuCapacityError(
      'maxComputeWorkgroupsPerDimension (tokens)',
      groups,
      maxGroups,
      maxGroups * tokensPerWorkgroup,
    );
  if (s.replicas > maxGroups || s.heads > maxGroups) {
    throw new GpuCapacityError(
      'maxComputeWorkgroupsPerDimension (heads or replicas)',
      Math.max(s.replicas, s.heads),
      maxGroups,
      s.n,
    );
  }
}
