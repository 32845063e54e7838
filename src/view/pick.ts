/**
 * Picking on the sphere (d = 3) for editing tokens by hand: the ray under a pointer (three's
 * Raycaster through the stage's camera), where it meets the unit sphere (the guide), and the
 * token nearest to that point. The tokens are drawn by a vertex shader from a storage buffer,
 * so their instance matrices hold no positions to raycast against: the token nearest the hit
 * point on the sphere (within a tolerance scaled to the drawn token size) is the one under the
 * pointer, which also picks only tokens on the visible side.
 */
import * as THREE from 'three/webgpu';
import type { Stage } from './stage';
import { tokenRadius } from './tokens';

const raycaster = new THREE.Raycaster();
const sphere = new THREE.Sphere(new THREE.Vector3(), 1);

/** The ray under client point (x, y) of `canvas`, through the stage's camera. */
export function pointerRay(stage: Stage, canvas: HTMLElement, x: number, y: number): THREE.Ray {
  const r = canvas.getBoundingClientRect();
  const ndc = new THREE.Vector2(((x - r.left) / r.width) * 2 - 1, -(((y - r.top) / r.height) * 2 - 1));
  raycaster.setFromCamera(ndc, stage.camera);
  return raycaster.ray.clone();
}

/** Where `ray` first meets the unit sphere, or (missing it) the sphere point nearest the ray. */
export function sphereHit(ray: THREE.Ray): { point: [number, number, number]; onSphere: boolean } {
  const hit = ray.intersectSphere(sphere, new THREE.Vector3());
  const p = hit ?? ray.closestPointToPoint(new THREE.Vector3(), new THREE.Vector3());
  if (!hit) {
    if (p.lengthSq() < 1e-12) p.copy(ray.direction).negate();
    p.normalize();
  }
  return { point: [p.x, p.y, p.z], onSphere: hit !== null };
}

/**
 * The index of the token (rows of `x`, n × 3) nearest to point `p` on the sphere within
 * chord distance `tol`, or −1.
 */
export function nearestToken(x: ArrayLike<number>, n: number, p: readonly number[], tol: number): number {
  let best = -1,
    bestD = tol * tol;
  for (let i = 0; i < n; i++) {
    const a = x[3 * i]! - p[0]!,
      b = x[3 * i + 1]! - p[1]!,
      c = x[3 * i + 2]! - p[2]!;
    const d2 = a * a + b * b + c * c;
    if (d2 <= bestD) {
      bestD = d2;
      best = i;
    }
  }
  return best;
}

/** The picking tolerance for n drawn tokens: a little over their drawn radius (tokens.ts), at least 0.04. */
export function pickTolerance(n: number): number {
  return Math.max(0.04, 1.6 * tokenRadius(n));
}

/** Client coordinates of sphere point `p` as drawn on `canvas`, and whether it faces the camera. */
export function screenPoint(
  stage: Stage,
  canvas: HTMLElement,
  p: readonly number[],
): { x: number; y: number; front: boolean } {
  const v = new THREE.Vector3(p[0], p[1], p[2]);
  const front = v.dot(stage.camera.position) > 1;
  v.project(stage.camera);
  const r = canvas.getBoundingClientRect();
  return { x: r.left + ((v.x + 1) / 2) * r.width, y: r.top + ((1 - v.y) / 2) * r.height, front };
}
