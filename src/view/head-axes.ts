/**
 * Each head's principal axes: the eigenvectors of D_h(t) (symmetricEigen), drawn through
 * the origin as thin rods of half-length ∝ |λ|, projected like the tokens. Positive
 * eigenvalues are bright, negative ones dim. At most MAX_HEADS heads and the three axes of
 * largest |λ| per head are drawn, so the picture stays readable at H = 100.
 */
import * as THREE from 'three/webgpu';
import { symmetricEigen } from '../model/linalg';
import type { Axes } from './projection';

/** Heads whose axes are drawn (the first ones). */
const MAX_HEADS = 6;
/** Half-length of the rod of the largest |λ| seen at the start of a run. */
const REFERENCE_LENGTH = 1.3;
/** Longest rod drawn (eigenvalues that grow past the reference are clamped). */
const MAX_LENGTH = 1.8;

/** Instanced rods, one per (head, axis). */
export class HeadAxes {
  readonly mesh: THREE.InstancedMesh;
  /** The eigen-decompositions last drawn, one per drawn head (values descending, eigenvectors as rows). */
  last: { values: number[]; vectors: number[][] }[] = [];
  private scale = 0;
  private readonly colours: THREE.Color[];
  private readonly heads: number;
  private readonly axes: number;
  private readonly m = new THREE.Matrix4();
  private readonly q = new THREE.Quaternion();
  private readonly up = new THREE.Vector3(0, 1, 0);
  private readonly dir = new THREE.Vector3();
  private readonly s = new THREE.Vector3();
  private readonly zero = new THREE.Vector3();

  constructor(
    readonly d: number,
    H: number,
  ) {
    this.heads = Math.min(H, MAX_HEADS);
    this.axes = Math.min(d, 3);
    const geometry = new THREE.CylinderGeometry(1, 1, 2, 10, 1);
    const material = new THREE.MeshLambertMaterial({ color: 0xffffff, transparent: true, opacity: 0.7 });
    this.mesh = new THREE.InstancedMesh(geometry, material, this.heads * this.axes);
    this.mesh.frustumCulled = false;
    this.mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    this.colours = Array.from({ length: this.heads }, (_, h) =>
      new THREE.Color().setHSL((0.08 + h / Math.max(this.heads, 1)) % 1, this.heads === 1 ? 0.25 : 0.75, 0.7),
    );
  }

  /** Updates the rods from weights [H][d][d] of one replica (offset in elements) and the projection. */
  update(weights: ArrayLike<number>, offset: number, projection: Axes | undefined): void {
    const { d } = this;
    const dd = d * d;
    const decomps = Array.from({ length: this.heads }, (_, h) =>
      symmetricEigen(
        Array.from({ length: dd }, (_, e) => weights[offset + h * dd + e]!),
        d,
      ),
    );
    this.last = decomps;
    if (this.scale === 0) {
      const maxAbs = Math.max(1e-9, ...decomps.flatMap((e) => e.values.map(Math.abs)));
      this.scale = REFERENCE_LENGTH / maxAbs;
    }
    const colour = new THREE.Color();
    let k = 0;
    for (let h = 0; h < this.heads; h++) {
      const { values, vectors } = decomps[h]!;
      const order = values
        .map((_, i) => i)
        .sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!))
        .slice(0, this.axes);
      for (const i of order) {
        const v = vectors[i]!;
        if (projection) this.dir.set(dot(projection[0], v), dot(projection[1], v), dot(projection[2], v));
        else this.dir.set(v[0]!, v[1]!, d >= 3 ? v[2]! : 0);
        const len = Math.min(MAX_LENGTH, Math.abs(values[i]!) * this.scale) * this.dir.length();
        this.dir.normalize();
        this.q.setFromUnitVectors(this.up, this.dir.lengthSq() > 0 ? this.dir : this.up);
        const radius = 0.006;
        this.m.compose(this.zero, this.q, this.s.set(radius, Math.max(len, 1e-4), radius));
        this.mesh.setMatrixAt(k, this.m);
        colour.copy(this.colours[h]!);
        if (values[i]! < 0) colour.multiplyScalar(0.4);
        this.mesh.setColorAt(k, colour);
        k++;
      }
    }
    this.mesh.count = k;
    this.mesh.instanceMatrix.needsUpdate = true;
    if (this.mesh.instanceColor) this.mesh.instanceColor.needsUpdate = true;
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    (this.mesh.material as THREE.Material).dispose();
    this.mesh.dispose();
  }
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
