/**
 * The subtle reference shape: the unit circle (d = 2) or the unit sphere (d ≥ 3; for d ≥ 4
 * it is the boundary of the ball that holds the projected cloud) drawn as a faint shell with
 * latitude and longitude lines.
 */
import * as THREE from 'three/webgpu';

const LINE_COLOUR = 0x5a6478;
const SHELL_COLOUR = 0x1c2230;

function circlePoints(
  radius: number,
  segments: number,
  place: (c: number, s: number) => THREE.Vector3,
): THREE.Vector3[] {
  const pts: THREE.Vector3[] = [];
  for (let i = 0; i <= segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    pts.push(place(radius * Math.cos(a), radius * Math.sin(a)));
  }
  return pts;
}

/** Line pairs of all circles (each as consecutive segment endpoints). */
function sphereLines(): THREE.Vector3[] {
  const out: THREE.Vector3[] = [];
  const push = (pts: THREE.Vector3[]): void => {
    for (let i = 0; i + 1 < pts.length; i++) out.push(pts[i]!, pts[i + 1]!);
  };
  for (let lat = -60; lat <= 60; lat += 30) {
    const phi = (lat * Math.PI) / 180;
    const y = Math.sin(phi),
      r = Math.cos(phi);
    push(circlePoints(r, 96, (c, s) => new THREE.Vector3(c, y, s)));
  }
  for (let lon = 0; lon < 180; lon += 30) {
    const a = (lon * Math.PI) / 180;
    push(circlePoints(1, 96, (c, s) => new THREE.Vector3(c * Math.cos(a), s, c * Math.sin(a))));
  }
  return out;
}

/** Builds the guide for dimension d; dispose with `disposeGuide`. */
export function createGuide(d: number): THREE.Group {
  const group = new THREE.Group();
  group.name = 'guide';
  const opacity = d >= 4 ? 0.22 : 0.4;
  const lineMat = new THREE.LineBasicMaterial({ color: LINE_COLOUR, transparent: true, opacity, depthWrite: false });
  if (d === 2) {
    const pts: THREE.Vector3[] = [];
    const circle = circlePoints(1, 256, (c, s) => new THREE.Vector3(c, s, 0));
    for (let i = 0; i + 1 < circle.length; i++) pts.push(circle[i]!, circle[i + 1]!);
    pts.push(
      new THREE.Vector3(-1.08, 0, 0),
      new THREE.Vector3(1.08, 0, 0),
      new THREE.Vector3(0, -1.08, 0),
      new THREE.Vector3(0, 1.08, 0),
    );
    const ring = new THREE.LineSegments(new THREE.BufferGeometry().setFromPoints(pts), lineMat);
    (ring.material as THREE.LineBasicMaterial).opacity = 0.7;
    group.add(ring);
    return group;
  }
  group.add(new THREE.LineSegments(new THREE.BufferGeometry().setFromPoints(sphereLines()), lineMat));
  const shell = new THREE.Mesh(
    new THREE.SphereGeometry(0.995, 64, 32),
    new THREE.MeshLambertMaterial({
      color: SHELL_COLOUR,
      transparent: true,
      opacity: d >= 4 ? 0.25 : 0.45,
      depthWrite: false,
    }),
  );
  shell.renderOrder = -1;
  group.add(shell);
  return group;
}

/** Frees the geometries and materials of a guide. */
export function disposeGuide(group: THREE.Group): void {
  group.traverse((o) => {
    if (o instanceof THREE.Mesh || o instanceof THREE.LineSegments) {
      o.geometry.dispose();
      (o.material as THREE.Material).dispose();
    }
  });
}
