/**
 * Tokens as instanced small spheres: one InstancedMesh for the replica shown solid and one,
 * translucent, for the other replicas ("ghosts"). Positions arrive as projected xyz triples
 * and are written straight into the instance matrices' translation slots.
 */
import * as THREE from 'three/webgpu';

/** Sphere radius of a token: large for a few tokens, smaller for thousands. */
function tokenRadius(n: number): number {
  return Math.min(0.032, Math.max(0.009, 0.5 / Math.sqrt(n)));
}

function makeMesh(count: number, radius: number, material: THREE.Material): THREE.InstancedMesh {
  const geometry = new THREE.IcosahedronGeometry(radius, count > 20_000 ? 0 : 1);
  const mesh = new THREE.InstancedMesh(geometry, material, Math.max(count, 1));
  mesh.count = count;
  mesh.frustumCulled = false;
  mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
  mesh.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(Math.max(count, 1) * 3).fill(1), 3);
  mesh.instanceColor.setUsage(THREE.DynamicDrawUsage);
  const m = mesh.instanceMatrix.array as Float32Array;
  for (let i = 0; i < count; i++) m.set([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 16 * i);
  return mesh;
}

function writePositions(mesh: THREE.InstancedMesh, xyz: Float32Array, first: number, count: number): void {
  const m = mesh.instanceMatrix.array as Float32Array;
  for (let i = 0; i < count; i++) {
    const o = 16 * (first + i);
    m[o + 12] = xyz[3 * i]!;
    m[o + 13] = xyz[3 * i + 1]!;
    m[o + 14] = xyz[3 * i + 2]!;
  }
  mesh.instanceMatrix.needsUpdate = true;
}

/** Solid tokens of the shown replica plus ghosted tokens of the others. */
export class TokenLayer {
  readonly group = new THREE.Group();
  private readonly solid: THREE.InstancedMesh;
  private readonly ghosts: THREE.InstancedMesh | undefined;

  constructor(
    readonly n: number,
    readonly replicas: number,
  ) {
    const r = tokenRadius(n);
    this.solid = makeMesh(n, r, new THREE.MeshLambertMaterial({ color: 0xffffff }));
    this.group.add(this.solid);
    if (replicas > 1) {
      const mat = new THREE.MeshLambertMaterial({
        color: 0xffffff,
        transparent: true,
        opacity: 0.22,
        depthWrite: false,
      });
      this.ghosts = makeMesh(n * (replicas - 1), r * 0.9, mat);
      this.group.add(this.ghosts);
    }
  }

  /** Positions of the solid replica (n projected xyz triples). */
  setSolid(xyz: Float32Array): void {
    writePositions(this.solid, xyz, 0, this.n);
  }

  /** Positions of ghost slot g (0 … P−2), n projected triples. */
  setGhost(g: number, xyz: Float32Array): void {
    if (this.ghosts) writePositions(this.ghosts, xyz, g * this.n, this.n);
  }

  /** Per-token colours of the solid replica (n rgb triples in [0,1]); ghosts take the same. */
  setColours(rgb: Float32Array): void {
    const c = this.solid.instanceColor!;
    (c.array as Float32Array).set(rgb.subarray(0, 3 * this.n));
    c.needsUpdate = true;
    if (this.ghosts) {
      const g = this.ghosts.instanceColor!.array as Float32Array;
      for (let k = 0; k < this.replicas - 1; k++) g.set(rgb.subarray(0, 3 * this.n), 3 * this.n * k);
      this.ghosts.instanceColor!.needsUpdate = true;
    }
  }

  /** Shows or hides the ghosted replicas. */
  setGhostsVisible(visible: boolean): void {
    if (this.ghosts) this.ghosts.visible = visible;
  }

  dispose(): void {
    for (const m of [this.solid, this.ghosts]) {
      if (!m) continue;
      m.geometry.dispose();
      (m.material as THREE.Material).dispose();
      m.dispose();
    }
  }
}
