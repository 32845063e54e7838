/**
 * Tokens as instanced small spheres: one InstancedMesh for the replica shown solid and one,
 * translucent, for the other replicas ("ghosts"). The vertex shader places each instance at its
 * token's projected position, read from the TokenSource's storage buffer (the engine's own
 * positions on the GPU, or an upload): no per-token work on the CPU per frame. Colours are
 * per-instance attributes, written when the colouring changes (at the readback rate).
 */
import { instanceIndex, positionLocal, select, uniform } from 'three/tsl';
import * as THREE from 'three/webgpu';
import type { TokenSource } from './token-source';

/** Sphere radius of a token: large for a few tokens, smaller for thousands. */
export function tokenRadius(n: number): number {
  return Math.min(0.032, Math.max(0.009, 0.5 / Math.sqrt(n)));
}

/** Tokens (instances of one mesh) past which each is drawn with 20 triangles instead of 80. */
const LOW_POLY_ABOVE = 4096;

function makeMesh(count: number, radius: number, material: THREE.MeshLambertNodeMaterial): THREE.InstancedMesh {
  // 80 triangles a token for a few thousand, 20 past that: at these radii the difference is a
  // pixel or two, and the drawing cost (vertex-bound in software) falls about 4× (BENCHMARKS.md).
  const geometry = new THREE.IcosahedronGeometry(radius, count > LOW_POLY_ABOVE ? 0 : 1);
  const mesh = new THREE.InstancedMesh(geometry, material, Math.max(count, 1));
  mesh.count = count;
  mesh.frustumCulled = false;
  mesh.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(Math.max(count, 1) * 3).fill(1), 3);
  mesh.instanceColor.setUsage(THREE.DynamicDrawUsage);
  return mesh;
}

/** Solid tokens of the shown replica plus ghosted tokens of the others, all from one TokenSource. */
export class TokenLayer {
  readonly group = new THREE.Group();
  private readonly solid: THREE.InstancedMesh;
  private readonly ghosts: THREE.InstancedMesh | undefined;
  /** The replica drawn solid (the ghosts are the others, in order). */
  private readonly shown = uniform(0, 'uint');

  /**
   * `ghostSets`: how many other replicas to draw ghosted (P − 1 in the main view, 0 for the
   * side-by-side copy).
   */
  constructor(
    readonly source: TokenSource,
    ghostSets: number,
  ) {
    const n = source.n;
    const r = tokenRadius(n);
    const solid = new THREE.MeshLambertNodeMaterial({ color: 0xffffff });
    solid.positionNode = positionLocal.add(source.projected(this.shown.mul(n).add(instanceIndex)));
    this.solid = makeMesh(n, r, solid);
    this.group.add(this.solid);
    if (ghostSets > 0) {
      const mat = new THREE.MeshLambertNodeMaterial({
        color: 0xffffff,
        transparent: true,
        opacity: 0.22,
        depthWrite: false,
      });
      // Ghost instance k = g·n + i is token i of replica g, skipping the shown one.
      const g = instanceIndex.div(n);
      const q = select(g.greaterThanEqual(this.shown), g.add(1), g);
      mat.positionNode = positionLocal.add(source.projected(q.mul(n).add(instanceIndex.mod(n))));
      this.ghosts = makeMesh(n * ghostSets, r * 0.9, mat);
      this.group.add(this.ghosts);
    }
  }

  /** Draws replica `r` solid (the ghosts show the others). */
  setShown(r: number): void {
    this.shown.value = r;
  }

  /** Per-token colours of the solid replica (n rgb triples in [0,1]); ghosts take the same. */
  setColours(rgb: Float32Array): void {
    const n = this.source.n;
    const c = this.solid.instanceColor!;
    (c.array as Float32Array).set(rgb.subarray(0, 3 * n));
    c.needsUpdate = true;
    if (this.ghosts) {
      const g = this.ghosts.instanceColor!.array as Float32Array;
      for (let k = 0; k < this.ghosts.count / n; k++) g.set(rgb.subarray(0, 3 * n), 3 * n * k);
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
