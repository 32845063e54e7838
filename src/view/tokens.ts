/**
 * Tokens: one object for the replica shown solid and one, translucent, for the other replicas
 * ("ghosts"). The vertex shader places each token at its projected position, read from the
 * TokenSource's storage buffer (the engine's own positions on the GPU, or an upload): no
 * per-token work on the CPU per frame. Colours are written when the colouring changes (at the
 * readback rate).
 *
 * Up to IMPOSTORS_ABOVE tokens each is an instance of a small lit sphere mesh (80 triangles);
 * past it each is a camera-facing quad whose fragment shader draws a shaded sphere ("impostor":
 * the disc cut out, the normal rebuilt from the quad's corner), all quads in one plain draw of
 * 6 vertices a token — software rasterisers pay per instance, so this is several times cheaper
 * there than instancing. The impostor's shading follows the stage's lights (lights.ts): a
 * hemisphere term from above and the key light fixed to the camera.
 */
import {
  cameraProjectionMatrix,
  Discard,
  dot,
  Fn,
  float,
  instanceIndex,
  max,
  mix,
  modelViewMatrix,
  positionLocal,
  select,
  sqrt,
  storage,
  uniform,
  varying,
  vec2,
  vec3,
  vec4,
  vertexIndex,
} from 'three/tsl';
import * as THREE from 'three/webgpu';
import { KEY_LIGHT_VIEW } from './lights';
import type { TokenSource } from './token-source';

/** Sphere radius of a token: large for a few tokens, smaller for thousands. */
export function tokenRadius(n: number): number {
  return Math.min(0.032, Math.max(0.009, 0.5 / Math.sqrt(n)));
}

/**
 * Instances of one layer past which tokens are drawn as impostor quads instead of sphere meshes:
 * the two look alike (screenshots at n = 200 and 2,048 side by side), and on a software
 * rasteriser the meshes cost 1.6× the impostors' frame at n = 1,024 and 2.4× at 4,096
 * (BENCHMARKS.md, session 7), so meshes are kept for the few large tokens of small runs only.
 */
export const IMPOSTORS_ABOVE = 512;

/** How a layer's instances are drawn. */
export type TokenShape = 'mesh' | 'impostor';

/** The shape used for a layer of `count` instances. */
export function tokenShape(count: number): TokenShape {
  return count > IMPOSTORS_ABOVE ? 'impostor' : 'mesh';
}

interface LayerStyle {
  radius: number;
  ghost: boolean;
}

const GHOST_OPACITY = 0.22;

/** Position of instance k's token in the source: `token(k)` is a uint node. */
type TokenOf = (k: THREE.Node<'uint'>) => THREE.Node<'uint'>;

/** The object drawing `count` tokens and its colour attribute. */
interface Instances {
  object: THREE.Mesh;
  colour: THREE.BufferAttribute;
  count: number;
}

function colourAttribute(count: number): THREE.InstancedBufferAttribute {
  const c = new THREE.InstancedBufferAttribute(new Float32Array(Math.max(count, 1) * 3).fill(1), 3);
  c.setUsage(THREE.DynamicDrawUsage);
  return c;
}

function meshInstances(source: TokenSource, count: number, tokenOf: TokenOf, style: LayerStyle): Instances {
  const material = new THREE.MeshLambertNodeMaterial({ color: 0xffffff });
  if (style.ghost) Object.assign(material, { transparent: true, opacity: GHOST_OPACITY, depthWrite: false });
  material.positionNode = positionLocal.add(source.projected(tokenOf(instanceIndex)));
  const mesh = new THREE.InstancedMesh(new THREE.IcosahedronGeometry(style.radius, 1), material, Math.max(count, 1));
  mesh.count = count;
  mesh.frustumCulled = false;
  mesh.instanceColor = colourAttribute(count);
  return { object: mesh, colour: mesh.instanceColor, count };
}

function impostorInstances(source: TokenSource, count: number, tokenOf: TokenOf, style: LayerStyle): Instances {
  // One plain (not instanced) draw of 6 vertices a token: vertex v is corner v mod 6 of the quad
  // of instance ⌊v/6⌋. Software rasterisers pay per instance, so this is far cheaper there than
  // instancing a 2-triangle quad (BENCHMARKS.md); the colours are a storage buffer read by token.
  const colour = new THREE.StorageBufferAttribute(new Float32Array(Math.max(count, 1) * 3).fill(1), 3);
  const colours = storage(colour, 'vec3', Math.max(count, 1)).toReadOnly();
  const k = vertexIndex.div(6);
  const v = vertexIndex.mod(6);
  // Corners of the two triangles (−1,−1) (1,−1) (1,1) | (−1,−1) (1,1) (−1,1).
  const cx = select(v.equal(1).or(v.equal(2)).or(v.equal(4)), float(1), float(-1));
  const cy = select(v.equal(2).or(v.equal(4)).or(v.equal(5)), float(1), float(-1));
  const corner = vec2(cx, cy);
  const centre = modelViewMatrix.mul(vec4(source.projected(tokenOf(k)), 1));
  const material = new THREE.MeshBasicNodeMaterial();
  if (style.ghost) Object.assign(material, { transparent: true, depthWrite: false });
  material.vertexNode = cameraProjectionMatrix.mul(vec4(centre.xyz.add(vec3(corner.mul(style.radius), 0)), 1));
  const p = varying(corner);
  const rgb = varying(colours.element(k));
  material.colorNode = Fn(() => {
    const r2 = dot(p, p);
    Discard(r2.greaterThan(1));
    // The sphere's normal in view space (the quad faces the camera).
    const normal = vec3(p.x, p.y, sqrt(max(float(0), float(1).sub(r2))));
    const sky = mix(float(0.32), float(1), normal.y.mul(0.5).add(0.5));
    const key = max(float(0), dot(normal, vec3(...KEY_LIGHT_VIEW)));
    return rgb.mul(sky.mul(0.62).add(key.mul(0.45)));
  })();
  if (style.ghost) material.opacityNode = float(GHOST_OPACITY);
  const geometry = new THREE.BufferGeometry();
  // The vertices come from the token buffer; the attribute only sets the vertex count.
  geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(Math.max(count, 1) * 6 * 3), 3));
  const mesh = new THREE.Mesh(geometry, material);
  mesh.frustumCulled = false;
  return { object: mesh, colour, count };
}

function instances(source: TokenSource, count: number, tokenOf: TokenOf, style: LayerStyle): Instances {
  return (tokenShape(count) === 'impostor' ? impostorInstances : meshInstances)(source, count, tokenOf, style);
}

/** Solid tokens of the shown replica plus ghosted tokens of the others, all from one TokenSource. */
export class TokenLayer {
  readonly group = new THREE.Group();
  private readonly solid: Instances;
  private readonly ghosts: Instances | undefined;
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
    this.solid = instances(source, n, (k) => this.shown.mul(n).add(k), { radius: r, ghost: false });
    this.group.add(this.solid.object);
    if (ghostSets > 0) {
      // Ghost instance k = g·n + i is token i of replica g, skipping the shown one.
      const tokenOf: TokenOf = (k) => {
        const g = k.div(n);
        return select(g.greaterThanEqual(this.shown), g.add(1), g).mul(n).add(k.mod(n));
      };
      this.ghosts = instances(source, n * ghostSets, tokenOf, { radius: r * 0.9, ghost: true });
      this.group.add(this.ghosts.object);
    }
  }

  /** How the solid tokens are drawn (the test hook reports it). */
  get shape(): TokenShape {
    return tokenShape(this.solid.count);
  }

  /** Draws replica `r` solid (the ghosts show the others). */
  setShown(r: number): void {
    this.shown.value = r;
  }

  /** Per-token colours of the solid replica (n rgb triples in [0,1]); ghosts take the same. */
  setColours(rgb: Float32Array): void {
    const n = this.source.n;
    const c = this.solid.colour;
    (c.array as Float32Array).set(rgb.subarray(0, 3 * n));
    c.needsUpdate = true;
    if (this.ghosts) {
      const g = this.ghosts.colour.array as Float32Array;
      for (let k = 0; k < this.ghosts.count / n; k++) g.set(rgb.subarray(0, 3 * n), 3 * n * k);
      this.ghosts.colour.needsUpdate = true;
    }
  }

  /** Shows or hides the ghosted replicas. */
  setGhostsVisible(visible: boolean): void {
    if (this.ghosts) this.ghosts.object.visible = visible;
  }

  dispose(): void {
    for (const m of [this.solid, this.ghosts]) {
      if (!m) continue;
      m.object.geometry.dispose();
      (m.object.material as THREE.Material).dispose();
      if (m.object instanceof THREE.InstancedMesh) m.object.dispose();
    }
  }
}
