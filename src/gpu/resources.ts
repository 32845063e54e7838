/**
 * Small helpers every pass uses: a buffer allocator that counts live bytes (for
 * `totalBufferBytes` and `destroy()`), explicit bind group layouts, and compute pipelines
 * created inside a validation error scope so a bad shader names its kernel.
 */
import { checkConstants, kernelSource, type KernelConstants, type KernelName, type ShaderSources } from './shaders';

/** Allocates labelled buffers and remembers them until they are destroyed. */
export class BufferPool {
  private readonly live = new Set<GPUBuffer>();

  constructor(readonly device: GPUDevice) {}

  /** A new buffer of at least 16 bytes, rounded up to a multiple of 4. */
  create(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    this.live.add(buffer);
    return buffer;
  }

  /** A STORAGE buffer (also COPY_SRC/COPY_DST for uploads, readbacks and rollbacks). */
  storage(label: string, size: number): GPUBuffer {
    return this.create(label, size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
  }

  uniform(label: string, size: number): GPUBuffer {
    return this.create(label, size, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  release(buffer: GPUBuffer | undefined): void {
    if (!buffer || !this.live.delete(buffer)) return;
    buffer.destroy();
  }

  /** Bytes of all live buffers. */
  get bytes(): number {
    let total = 0;
    for (const b of this.live) total += b.size;
    return total;
  }

  destroyAll(): void {
    for (const b of this.live) b.destroy();
    this.live.clear();
  }
}

/** Binding kinds, in binding order. */
export type BindingKind = 'uniform' | 'uniform-dynamic' | 'read' | 'rw';

/**
 * The binding kinds of each layout made here: layouts of equal entries are interchangeable in
 * WebGPU ("group-equivalent"), so a cached pipeline serves bind groups of an equal layout made later.
 */
const layoutKinds = new WeakMap<GPUBindGroupLayout, string>();

export function bindGroupLayout(device: GPUDevice, label: string, kinds: readonly BindingKind[]): GPUBindGroupLayout {
  const layout = createLayout(device, label, kinds);
  layoutKinds.set(layout, kinds.join(','));
  return layout;
}

function createLayout(device: GPUDevice, label: string, kinds: readonly BindingKind[]): GPUBindGroupLayout {
  return device.createBindGroupLayout({
    label,
    entries: kinds.map((kind, binding) => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer:
        kind === 'uniform' || kind === 'uniform-dynamic'
          ? { type: 'uniform', hasDynamicOffset: kind === 'uniform-dynamic' }
          : { type: kind === 'read' ? 'read-only-storage' : 'storage' },
    })),
  });
}

/** A bind group whose entries are whole buffers, except dynamic uniforms bound at `dynamicSize`. */
export function bindGroup(
  device: GPUDevice,
  label: string,
  layout: GPUBindGroupLayout,
  buffers: readonly GPUBuffer[],
  dynamic: Readonly<Record<number, number>> = {},
): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout,
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer, size: dynamic[binding] } })),
  });
}

/**
 * Pipelines made on each device, by kernel source, override constants and layout: a second
 * engine of the same kernels on one device (a rebuild, a sweep's runs, side-by-side variants)
 * reuses them instead of compiling again (SwiftShader takes seconds per pipeline).
 */
const pipelines = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

let compiled = 0;

/** Pipelines compiled so far in this agent (the cache's misses; tests/gpu/pipeline-cache.test.ts). */
export function pipelinesCompiled(): number {
  return compiled;
}

/**
 * A compute pipeline for `kernel` with its override constants (all of them: checked against the
 * module's `override` declarations first), created inside a validation error scope: a WGSL or
 * layout error rejects with the kernel's name and the compiler messages. Cached per device (see
 * `pipelines`); a failed creation is not kept.
 */
export function computePipeline<K extends KernelName>(
  device: GPUDevice,
  sources: ShaderSources,
  kernel: K,
  label: string,
  layout: GPUBindGroupLayout,
  constants: KernelConstants<K>,
): Promise<GPUComputePipeline> {
  const code = kernelSource(sources, kernel);
  checkConstants(kernel, code, constants);
  const kinds = layoutKinds.get(layout);
  if (kinds === undefined) return createPipeline(device, code, kernel, label, layout, constants);
  const sorted = Object.keys(constants)
    .sort()
    .map((k) => `${k}=${(constants as Record<string, number>)[k]}`);
  const key = `${kernel}\n${kinds}\n${sorted.join(',')}\n${code}`;
  let byKey = pipelines.get(device);
  if (!byKey) {
    byKey = new Map();
    pipelines.set(device, byKey);
  }
  const have = byKey.get(key);
  if (have) return have;
  const made = createPipeline(device, code, kernel, label, layout, constants);
  byKey.set(key, made);
  made.catch(() => byKey.delete(key));
  return made;
}

async function createPipeline<K extends KernelName>(
  device: GPUDevice,
  code: string,
  kernel: K,
  label: string,
  layout: GPUBindGroupLayout,
  constants: KernelConstants<K>,
): Promise<GPUComputePipeline> {
  compiled++;
  // Push, create and pop with no await in between, so concurrent builds never share a scope.
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: `${label}.module`, code });
  const pipelineLayout = device.createPipelineLayout({ label: `${label}.layout`, bindGroupLayouts: [layout] });
  const created = device.createComputePipelineAsync({
    label,
    layout: pipelineLayout,
    compute: { module, entryPoint: 'main', constants },
  });
  const scope = device.popErrorScope();
  let pipeline: GPUComputePipeline | undefined;
  let failure: unknown;
  try {
    pipeline = await created;
  } catch (e) {
    failure = e;
  }
  const error = await scope;
  if (error || failure || !pipeline) {
    const info = await module.getCompilationInfo();
    const messages = info.messages
      .filter((m) => m.type === 'error')
      .map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    const why = error?.message ?? (failure instanceof Error ? failure.message : String(failure));
    throw new Error(
      `${label}: pipeline creation failed for shaders/${kernel}.wgsl: ${why}${messages.length ? `\n${messages.join('\n')}` : ''}`,
    );
  }
  return pipeline;
}

/** Writes struct fields into a DataView at `base` by the layout's offsets. */
export function writeFields(
  view: DataView,
  base: number,
  layout: { fields: readonly { name: string; type: string; offset: number }[] },
  values: Record<string, number | readonly number[]>,
): void {
  for (const f of layout.fields) {
    const value = values[f.name];
    if (value === undefined) continue;
    const isUint = f.type === 'u32' || f.type === 'vec4u';
    const list = typeof value === 'number' ? [value] : value;
    list.forEach((v, k) => {
      const at = base + f.offset + 4 * k;
      if (isUint) view.setUint32(at, v, true);
      else view.setFloat32(at, v, true);
    });
  }
}
