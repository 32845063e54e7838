/**
 * Node-only WebGPU set-up (tests, CLI, benchmarks). Never import this from browser code.
 *
 * With no GPU, dawn.node needs a software Vulkan driver: Debian's `chromium` package ships
 * SwiftShader. On a machine with a real GPU driver the environment is left alone.
 */
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Vulkan ICD file of the SwiftShader driver that Debian's `chromium` package installs. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Device nodes whose presence means a real GPU driver is installed. */
const GPU_DEVICE_NODES = ['/dev/nvidia0', '/dev/dri/renderD128'];

/** True when a real GPU driver is evident (`/dev/nvidia0` or `/dev/dri/renderD128`). */
export function hasHardwareGpu(): boolean {
  return GPU_DEVICE_NODES.some((p) => existsSync(p));
}

function writableRuntimeDir(): string {
  const dir = join(tmpdir(), `xdg-runtime-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
    return dir;
  } catch {
    return mkdtempSync(join(tmpdir(), 'xdg-runtime-'));
  }
}

/**
 * On Linux: points `VK_ICD_FILENAMES` at SwiftShader when the variable is unset, no real GPU
 * is evident (or `WEBGPU_FORCE_SOFTWARE=1`) and the ICD file exists; sets `XDG_RUNTIME_DIR`
 * to a writable folder when unset. Must run before the first `requestAdapter()` of the
 * process, on the main thread (a worker thread's `process.env` never reaches the loader).
 */
export function configureSoftwareVulkan(): void {
  if (process.platform !== 'linux') return;
  const env = process.env;
  const software = env.WEBGPU_FORCE_SOFTWARE === '1' || !hasHardwareGpu();
  if (!env.VK_ICD_FILENAMES && software && existsSync(SWIFTSHADER_ICD)) {
    env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  if (!env.XDG_RUNTIME_DIR) env.XDG_RUNTIME_DIR = writableRuntimeDir();
}

let gpuPromise: Promise<GPU> | undefined;

/**
 * The process-wide dawn.node `GPU` (created once). Configures Vulkan, loads `webgpu` and
 * copies its globals (`GPUBufferUsage`, `GPUShaderStage`, …) onto `globalThis`.
 * Call {@link releaseNodeGpu} when done or Node will not exit.
 */
export function nodeGpu(): Promise<GPU> {
  if (gpuPromise) return gpuPromise;
  const created = (async () => {
    configureSoftwareVulkan();
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    return create([]);
  })();
  created.catch(() => {
    if (gpuPromise === created) gpuPromise = undefined;
  });
  gpuPromise = created;
  return created;
}

/** Drops the reference to the dawn.node `GPU` so Node can exit (destroy devices first). */
export function releaseNodeGpu(): void {
  gpuPromise = undefined;
}
