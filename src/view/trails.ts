/**
 * Fading trails of the shown replica: a ring of the last LENGTH projected positions per
 * token, drawn as line segments whose colour fades from the token's colour to the
 * background (no transparency sorting needed).
 */
import * as THREE from 'three/webgpu';
import { BACKGROUND } from './stage';

/** Positions kept per token (one per readback). */
const LENGTH = 24;

/** Per-token short history, drawn as fading segments. */
export class Trails {
  readonly lines: THREE.LineSegments;
  /** [LENGTH][n][3] ring of projected positions. */
  private readonly ring: Float32Array;
  private head = 0;
  private filled = 0;
  private readonly positions: Float32Array;
  private readonly colours: Float32Array;
  private readonly bg = new THREE.Color(BACKGROUND);

  constructor(readonly n: number) {
    this.ring = new Float32Array(LENGTH * n * 3);
    const vertices = n * (LENGTH - 1) * 2;
    this.positions = new Float32Array(vertices * 3);
    this.colours = new Float32Array(vertices * 3);
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(this.positions, 3).setUsage(THREE.DynamicDrawUsage));
    geometry.setAttribute('color', new THREE.BufferAttribute(this.colours, 3).setUsage(THREE.DynamicDrawUsage));
    geometry.setDrawRange(0, 0);
    this.lines = new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ vertexColors: true }));
    this.lines.frustumCulled = false;
  }

  /** Forgets the history (after a projection change or a rebuild). */
  clear(): void {
    this.head = 0;
    this.filled = 0;
    this.lines.geometry.setDrawRange(0, 0);
  }

  /** Appends one frame of n projected positions and rebuilds the segments with `rgb` colours. */
  push(xyz: Float32Array, rgb: Float32Array): void {
    const { n } = this;
    this.ring.set(xyz.subarray(0, 3 * n), this.head * 3 * n);
    this.head = (this.head + 1) % LENGTH;
    this.filled = Math.min(LENGTH, this.filled + 1);
    const segs = this.filled - 1;
    const bg = this.bg;
    let v = 0;
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < segs; a++) {
        // age a = 0 is the newest segment.
        const s0 = (this.head - 1 - a + 2 * LENGTH) % LENGTH,
          s1 = (this.head - 2 - a + 2 * LENGTH) % LENGTH;
        const f0 = 0.85 * (1 - a / (LENGTH - 1)),
          f1 = 0.85 * (1 - (a + 1) / (LENGTH - 1));
        for (const [slot, f] of [
          [s0, f0],
          [s1, f1],
        ] as const) {
          const o = slot * 3 * n + 3 * i;
          this.positions[3 * v] = this.ring[o]!;
          this.positions[3 * v + 1] = this.ring[o + 1]!;
          this.positions[3 * v + 2] = this.ring[o + 2]!;
          this.colours[3 * v] = bg.r + f * (rgb[3 * i]! - bg.r);
          this.colours[3 * v + 1] = bg.g + f * (rgb[3 * i + 1]! - bg.g);
          this.colours[3 * v + 2] = bg.b + f * (rgb[3 * i + 2]! - bg.b);
          v++;
        }
      }
    }
    const g = this.lines.geometry;
    g.setDrawRange(0, v);
    g.getAttribute('position').needsUpdate = true;
    g.getAttribute('color').needsUpdate = true;
  }

  dispose(): void {
    this.lines.geometry.dispose();
    (this.lines.material as THREE.Material).dispose();
  }
}
