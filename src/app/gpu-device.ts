/**
 * The playground's one GPUDevice, shared by every GPU engine of the session (rebuilds
 * reuse it), requested with the adapter's largest storage limits, and instrumented to
 * count live GPU buffers (created minus destroyed) for the soak benchmark.
 */

/** The device and what the status line says about it. */
export interface SharedDevice {
  device: GPUDevice;
  /** Human adapter name, e.g. "nvidia ampere" or "google swiftshader". */
  adapterName: string;
  /** Buffers created and not yet destroyed. */
  liveBuffers(): number;
}

/** Limits an all-pairs engine may need more of than the defaults give. */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

/** Why WebGPU is not available here (undefined when navigator.gpu exists). */
export function webgpuMissingReason(): string | undefined {
  if (!('gpu' in navigator) || !navigator.gpu) return 'this browser does not expose WebGPU (navigator.gpu is missing)';
  if (!window.isSecureContext) return 'WebGPU needs a secure context (https or localhost)';
  return undefined;
}

/**
 * The adapter's name from its info. Some browsers (Firefox) leave vendor, architecture, device and
 * description empty; they still say whether it is a fallback (software) adapter, and so do we.
 */
function adapterLabel(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device].filter((p) => p && p.length > 0);
  if (parts.length > 0) return parts.join(' ');
  if (info.description) return info.description;
  return info.isFallbackAdapter ? 'software adapter (name not given)' : 'adapter (name not given)';
}

function countBuffers(device: GPUDevice): () => number {
  let live = 0;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const buffer = create(descriptor);
    live++;
    const destroy = buffer.destroy.bind(buffer);
    let destroyed = false;
    buffer.destroy = (): undefined => {
      if (!destroyed) {
        destroyed = true;
        live--;
      }
      return destroy();
    };
    return buffer;
  };
  return () => live;
}

let shared: Promise<SharedDevice | undefined> | undefined;

/** Requests (once) the shared device; resolves undefined when there is no adapter. */
export function sharedDevice(): Promise<SharedDevice | undefined> {
  shared ??= (async () => {
    if (webgpuMissingReason()) return undefined;
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return undefined;
    const requiredLimits: Record<string, number> = {};
    for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
    const device = await adapter.requestDevice({ label: 'playground.device', requiredLimits });
    const liveBuffers = countBuffers(device);
    // A lost device is never reused: the next request makes a new one.
    void device.lost.then(() => {
      shared = undefined;
    });
    return { device, adapterName: adapterLabel(adapter), liveBuffers };
  })().catch(() => {
    shared = undefined;
    return undefined;
  });
  return shared;
}
