/**
 * The token positions the picture draws from, in the engine's own layout ([P][n][d] f32), in a
 * three.js storage buffer that the vertex shaders read and project R^d → R^3 themselves.
 *
 * With the GPU engine on the renderer's device, `fromGpu` copies the engine's positions buffer
 * into it on the GPU (copyBufferToBuffer, no CPU round trip) once per frame; otherwise `fromCpu`
 * uploads a readback. The projection (coordinate axes, or PCA axes for d ≥ 4, chosen on the CPU
 * from readbacks at a low rate) is a uniform array of 3·d numbers.
 */
import { float, storage, uniformArray, vec3 } from 'three/tsl';
import * as THREE from 'three/webgpu';
import type { EngineGpuResources } from '../model/engine';
import type { Axes } from './projection';

/** three's WebGPU backend's record of an attribute (internal; read in this one place). */
interface BackendWithBuffers {
  isWebGPUBackend?: boolean;
  get(object: object): { buffer?: GPUBuffer } | undefined;
}

/** The GPUBuffer three made for `attribute` on `renderer`'s device, once it has drawn with it. */
export function attributeBuffer(
  renderer: THREE.WebGPURenderer,
  attribute: THREE.BufferAttribute,
): GPUBuffer | undefined {
  const backend = renderer.backend as unknown as BackendWithBuffers;
  if (!backend.isWebGPUBackend) return undefined;
  return backend.get(attribute)?.buffer;
}

/** P·n·d floats of positions and the projection that draws them. */
export class TokenSource {
  readonly attribute: THREE.StorageBufferAttribute;
  private readonly node;
  private readonly axes;
  /** Frames the positions came from the engine's GPU buffer (no readback). */
  gpuCopies = 0;

  constructor(
    readonly n: number,
    readonly d: number,
    readonly replicas: number,
  ) {
    this.attribute = new THREE.StorageBufferAttribute(new Float32Array(Math.max(1, replicas * n * d)), 1);
    this.node = storage(this.attribute, 'float', replicas * n * d).toReadOnly();
    this.axes = uniformArray<'float'>(new Array<number>(3 * d).fill(0), 'float');
    this.setAxes(undefined);
  }

  /** The projection's uniform array: axis k, component c at k·d + c. */
  get axesNode() {
    return this.axes;
  }

  /** Coordinate axes for d ≤ 3 (d = 2: z = 0); the given three axes of R^d for d ≥ 4. */
  setAxes(axes: Axes | undefined): void {
    const { d } = this;
    const values = this.axes.array as number[];
    for (let k = 0; k < 3; k++) for (let c = 0; c < d; c++) values[k * d + c] = axes ? axes[k]![c]! : k === c ? 1 : 0;
  }

  /** Uploads a readback [P][n][d] (the CPU engine, or before the GPU copy can run). */
  fromCpu(x: ArrayLike<number>): void {
    (this.attribute.array as Float32Array).set(x as ArrayLike<number>);
    this.attribute.needsUpdate = true;
  }

  /**
   * Copies the engine's positions into the attribute's buffer on the GPU. False when it cannot
   * (another device, or three has not made the buffer yet: it does at the first draw).
   */
  fromGpu(renderer: THREE.WebGPURenderer, gpu: EngineGpuResources): boolean {
    const target = attributeBuffer(renderer, this.attribute);
    const bytes = this.replicas * this.n * this.d * 4;
    if (!target || gpu.positionsLayout.byteLength !== bytes || target.size < bytes) return false;
    if ((renderer.backend as unknown as { device?: GPUDevice }).device !== gpu.device) return false;
    const encoder = gpu.device.createCommandEncoder({ label: 'TokenSource.copy' });
    encoder.copyBufferToBuffer(gpu.positions, 0, target, 0, bytes);
    gpu.device.queue.submit([encoder.finish()]);
    this.gpuCopies++;
    return true;
  }

  /** The projected position (vec3) of token `token` (a uint node: replica·n + i). */
  projected(token: THREE.Node<'uint'>): THREE.Node<'vec3'> {
    const { d } = this;
    const base = token.mul(d);
    const comps = Array.from({ length: d }, (_, c) => float(this.node.element(base.add(c))));
    const axis = (k: number): THREE.Node<'float'> =>
      comps.reduce<THREE.Node<'float'>>((sum, x, c) => sum.add(x.mul(this.axes.element(k * d + c))), float(0));
    return vec3(axis(0), axis(1), axis(2));
  }

  dispose(): void {
    // The attribute's GPU buffer goes with the meshes' geometries (three frees it with them).
  }
}
