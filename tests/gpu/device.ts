/**
 * Real WebGPU devices for Node tests (dawn.node; SwiftShader when there is no GPU).
 * No GPU is never a reason to skip: a missing adapter is an error that says how to fix it.
 */
import { nodeGpu, releaseNodeGpu, SWIFTSHADER_ICD } from '../../src/gpu/node-env';

const NO_ADAPTER_HELP =
  'No WebGPU adapter from dawn.node. Without a GPU, install SwiftShader with ' +
  '`apt-get install -y chromium` (Debian; or run `node scripts/ensure-webgpu.mjs`) and run with ' +
  `VK_ICD_FILENAMES=${SWIFTSHADER_ICD} and XDG_RUNTIME_DIR set to a writable folder ` +
  '(vitest.config.ts sets both when they are unset).';

let devicePromise: Promise<GPUDevice> | undefined;

/** The process's adapter; throws with set-up instructions when there is none. */
export async function testAdapter(): Promise<GPUAdapter> {
  const adapter = await (await nodeGpu()).requestAdapter();
  if (!adapter) throw new Error(NO_ADAPTER_HELP);
  return adapter;
}

/** A shared GPUDevice with default limits, created once per test process. */
export function testDevice(): Promise<GPUDevice> {
  devicePromise ??= testAdapter().then((adapter) => adapter.requestDevice());
  devicePromise.catch(() => (devicePromise = undefined));
  return devicePromise;
}

/** Destroys the shared device (if any) and drops the GPU so Node can exit; use in afterAll. */
export async function releaseTestDevice(): Promise<void> {
  const pending = devicePromise;
  devicePromise = undefined;
  if (pending) (await pending.catch(() => undefined))?.destroy();
  releaseNodeGpu();
}
