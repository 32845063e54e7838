/** Picking on the sphere for editing tokens by hand (src/view/pick.ts): the ray's sphere point and the nearest token. */
import { describe, expect, it } from 'vitest';
import * as THREE from 'three/webgpu';
import { nearestToken, pickTolerance, sphereHit } from '../../src/view/pick';

describe('picking on the sphere', () => {
  it('a ray meets the unit sphere at its near side; a miss gives the nearest sphere point', () => {
    const ray = new THREE.Ray(new THREE.Vector3(0, 0, 5), new THREE.Vector3(0, 0, -1));
    expect(sphereHit(ray)).toEqual({ point: [0, 0, 1], onSphere: true });
    const off = new THREE.Ray(new THREE.Vector3(2, 0, 5), new THREE.Vector3(0, 0, -1));
    const miss = sphereHit(off);
    expect(miss.onSphere).toBe(false);
    expect(miss.point[0]).toBeCloseTo(1, 12);
    expect(Math.hypot(...miss.point)).toBeCloseTo(1, 12);
  });

  it('the nearest token within the tolerance, else −1', () => {
    const x = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(nearestToken(x, 3, [0, 0.02, 0.9998], 0.05)).toBe(2);
    expect(nearestToken(x, 3, [Math.SQRT1_2, Math.SQRT1_2, 0], 0.05)).toBe(-1);
    expect(pickTolerance(16)).toBeGreaterThanOrEqual(0.04);
    expect(pickTolerance(1e6)).toBe(0.04);
  });
});
