/**
 * Fading trails of one replica: a ring of the last LENGTH positions of each of its first m tokens
 * in the engine's layout ([LENGTH][m][d] f32, a storage buffer), drawn as line segments whose
 * vertex shader reads the ring, projects like the tokens and fades the colour from the token's
 * to the background (no transparency sorting). A push copies the current positions into the
 * ring on the GPU (from the engine's buffer) or uploads them from a readback: no per-token work
 * on the CPU per frame.
 */
import { float, mix, select, storage, uniform, vec3, vertexIndex } from 'three/tsl';
import * as THREE from 'three/webgpu';
import type { EngineGpuResources } from '../model/engine';
import { BACKGROUND } from './stage';
import { attributeBuffer, type TokenSource } from './token-source';

/** Positions kept per token. */
const LENGTH = 24;

/** Per-token short history, drawn as fading segments. */
export class Trails {
  readonly lines: THREE.LineSegments;
  /** [LENGTH][m][d] ring of positions. */
  private readonly ring: THREE.StorageBufferAttribute;
  /** [m][3] colours of the tokens. */
  private readonly colours: THREE.StorageBufferAttribute;
  private readonly headU = uniform(0, 'uint');
  /** The oldest age held: max(filled, 1) − 1. */
  private readonly lastU = uniform(0, 'uint');
  private head = 0;
  private filled = 0;
  private readonly d: number;

  /** Trails of the first `m` tokens of `source`'s replicas (m ≤ n). */
  constructor(
    readonly m: number,
    source: TokenSource,
  ) {
    const d = source.d;
    this.d = d;
    this.ring = new THREE.StorageBufferAttribute(new Float32Array(Math.max(1, LENGTH * m * d)), 1);
    this.colours = new THREE.StorageBufferAttribute(new Float32Array(Math.max(1, 3 * m)).fill(1), 1);
    const ring = storage(this.ring, 'float', LENGTH * m * d).toReadOnly();
    const col = storage(this.colours, 'float', 3 * m).toReadOnly();
    // Vertex v: segment s = v / 2 (token i = s / (LENGTH − 1), age a = s mod (LENGTH − 1)), end v mod 2.
    const seg = vertexIndex.div(2);
    const i = seg.div(LENGTH - 1);
    const last = this.lastU;
    // Both ends of a segment older than the history clamp to the same sample: a zero-length line.
    const raw = seg.mod(LENGTH - 1).add(vertexIndex.mod(2));
    const age = select(raw.greaterThan(last), last, raw);
    const slot = this.headU
      .add(2 * LENGTH - 1)
      .sub(age)
      .mod(LENGTH);
    const base = slot.mul(m).add(i).mul(d);
    const axes = source.axesNode;
    const comps = Array.from({ length: d }, (_, c) => float(ring.element(base.add(c))));
    const axis = (k: number): THREE.Node<'float'> =>
      comps.reduce<THREE.Node<'float'>>((sum, x, c) => sum.add(x.mul(axes.element(k * d + c))), float(0));
    const f = float(0.85).mul(float(1).sub(age.toFloat().div(LENGTH - 1)));
    const rgb = vec3(col.element(i.mul(3)), col.element(i.mul(3).add(1)), col.element(i.mul(3).add(2)));
    const bg = new THREE.Color(BACKGROUND);
    const material = new THREE.LineBasicNodeMaterial();
    material.positionNode = vec3(axis(0), axis(1), axis(2));
    material.colorNode = mix(vec3(bg.r, bg.g, bg.b), rgb, f);
    const geometry = new THREE.BufferGeometry();
    // Vertex positions come from the ring; the attribute only sets the vertex count.
    geometry.setAttribute(
      'position',
      new THREE.BufferAttribute(new Float32Array(Math.max(1, m * (LENGTH - 1) * 2) * 3), 3),
    );
    this.lines = new THREE.LineSegments(geometry, material);
    this.lines.frustumCulled = false;
    this.lines.visible = false;
  }

  /** Forgets the history (after a projection change or a rebuild). */
  clear(): void {
    this.head = 0;
    this.filled = 0;
    this.lastU.value = 0;
  }

  private advance(): number {
    const slot = this.head;
    this.head = (this.head + 1) % LENGTH;
    this.filled = Math.min(LENGTH, this.filled + 1);
    this.headU.value = this.head;
    this.lastU.value = Math.max(this.filled, 1) - 1;
    return slot;
  }

  /** Appends replica r's current positions from the engine's GPU buffer; false when it cannot (then push from a readback). */
  pushFromGpu(renderer: THREE.WebGPURenderer, gpu: EngineGpuResources, r: number, n: number): boolean {
    const target = attributeBuffer(renderer, this.ring);
    const bytes = this.m * this.d * 4;
    if (!target || (renderer.backend as unknown as { device?: GPUDevice }).device !== gpu.device) return false;
    const slot = this.advance();
    const encoder = gpu.device.createCommandEncoder({ label: 'Trails.push' });
    encoder.copyBufferToBuffer(gpu.positions, r * n * this.d * 4, target, slot * bytes, bytes);
    gpu.device.queue.submit([encoder.finish()]);
    return true;
  }

  /** Appends replica r's positions from a readback x [P][n][d]. */
  pushFromCpu(x: ArrayLike<number>, r: number, n: number): void {
    const slot = this.advance();
    const { m, d } = this;
    const ring = this.ring.array as Float32Array;
    const off = r * n * d;
    for (let e = 0; e < m * d; e++) ring[slot * m * d + e] = x[off + e]!;
    this.ring.needsUpdate = true;
  }

  /** Per-token colours (rgb triples; the first m are used). */
  setColours(rgb: Float32Array): void {
    (this.colours.array as Float32Array).set(rgb.subarray(0, 3 * this.m));
    this.colours.needsUpdate = true;
  }

  dispose(): void {
    this.lines.geometry.dispose();
    (this.lines.material as THREE.Material).dispose();
  }
}
