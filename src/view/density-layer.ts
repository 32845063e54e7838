/**
 * The density view of μ_t: a sphere mesh just outside the unit sphere, coloured by the kernel
 * density of replica 0's tokens (src/gpu/density.ts on the renderer's WebGPU device; its
 * float64 reference is src/model/density.ts) on the equal-area octahedral grid. The mesh's
 * vertices are that grid mapped to S² and its UVs the grid's, so the N×N texture lands cell on
 * cell. For d ≥ 4 (and d = 2) the density is of the tokens projected on the view's axes and
 * renormalised. Colours: a perceptual ramp of ρ / max ρ, more opaque where denser. Refreshed
 * from the position readbacks (at their low rate), one computation in flight at a time.
 */
import * as THREE from 'three/webgpu';
import { GpuDensity } from '../gpu/density';
import { DEFAULT_GRID, octahedralPoint } from '../model/density';

/** Viridis at five stops. */
const STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
] as const;

function ramp(t: number, out: Uint8Array, at: number): void {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - k;
  for (let c = 0; c < 3; c++) out[at + c] = Math.round(STOPS[k]![c]! * (1 - f) + STOPS[k + 1]![c]! * f);
  out[at + 3] = Math.round(255 * (0.35 + 0.6 * Math.min(1, Math.max(0, t))));
}

/** The sphere of the octahedral grid: (N+1)² vertices, UV = the grid's (u, v) in [0, 1]². */
function gridSphere(N: number, radius: number): THREE.BufferGeometry {
  const pos = new Float32Array(3 * (N + 1) ** 2);
  const uv = new Float32Array(2 * (N + 1) ** 2);
  for (let i = 0; i <= N; i++)
    for (let j = 0; j <= N; j++) {
      const k = i * (N + 1) + j;
      const p = octahedralPoint(-1 + (2 * j) / N, -1 + (2 * i) / N);
      pos.set([p[0] * radius, p[1] * radius, p[2] * radius], 3 * k);
      uv.set([j / N, i / N], 2 * k);
    }
  const index: number[] = [];
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      const a = i * (N + 1) + j,
        b = a + 1,
        c = a + N + 1,
        e = c + 1;
      index.push(a, b, e, a, e, c);
    }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
  g.setAttribute('uv', new THREE.BufferAttribute(uv, 2));
  g.setIndex(index);
  return g;
}

export class DensityLayer {
  readonly mesh: THREE.Mesh;
  private readonly texture: THREE.DataTexture;
  private readonly rgba: Uint8Array;
  private kernel: Promise<GpuDensity> | undefined;
  private device: GPUDevice | undefined;
  private upload: GPUBuffer | undefined;
  private busy = false;
  /** Densities drawn so far, and the last one's peak and integral (for tests and the caption). */
  updates = 0;
  peak = 0;
  integral = 0;
  /** Why no density is drawn (no WebGPU device, a failure), or ''. */
  problem = '';

  constructor(
    readonly n: number,
    readonly d: number,
  ) {
    const N = DEFAULT_GRID.nz;
    this.rgba = new Uint8Array(4 * N * N);
    this.texture = new THREE.DataTexture(this.rgba, N, N, THREE.RGBAFormat);
    this.texture.magFilter = THREE.LinearFilter;
    this.texture.minFilter = THREE.LinearFilter;
    this.texture.needsUpdate = true;
    const material = new THREE.MeshBasicMaterial({ map: this.texture, transparent: true, depthWrite: false });
    this.mesh = new THREE.Mesh(gridSphere(N, 1.004), material);
    this.mesh.renderOrder = 0;
    this.mesh.visible = false;
  }

  /**
   * Recomputes the density of tokens x[off .. off + n·d) on `device` with bandwidth h and the
   * view's axes (three rows of d numbers), then recolours the texture. Skipped while one runs.
   */
  refresh(device: GPUDevice | undefined, x: ArrayLike<number>, off: number, axes: number[][], h: number): void {
    if (!device) {
      this.problem = 'the density needs a WebGPU device (this view draws with WebGL)';
      return;
    }
    if (this.busy) return;
    this.busy = true;
    void this.compute(device, x, off, axes, h)
      .catch((e: unknown) => {
        this.problem = `density: ${e instanceof Error ? e.message : String(e)}`;
      })
      .finally(() => {
        this.busy = false;
      });
  }

  private async compute(device: GPUDevice, x: ArrayLike<number>, off: number, axes: number[][], h: number) {
    const { n, d } = this;
    if (device !== this.device) {
      this.dispose();
      this.device = device;
      const grid = { ...DEFAULT_GRID, bandwidth: h };
      this.kernel = GpuDensity.create(device, d, grid);
      this.upload = device.createBuffer({
        label: 'density.tokens',
        size: Math.max(16, n * d * 4),
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      });
    }
    const kernel = await this.kernel!;
    const tokens = new Float32Array(n * d);
    for (let k = 0; k < n * d; k++) tokens[k] = x[off + k]!;
    device.queue.writeBuffer(this.upload!, 0, tokens);
    kernel.setAxes(axes);
    kernel.setBandwidth(h);
    const rho = await kernel.compute(this.upload!, n);
    let peak = 0,
      sum = 0;
    for (const v of rho) {
      peak = Math.max(peak, v);
      sum += v;
    }
    const N = kernel.grid.nz;
    for (let k = 0; k < rho.length; k++) ramp(peak > 0 ? rho[k]! / peak : 0, this.rgba, 4 * k);
    this.texture.needsUpdate = true;
    this.peak = peak;
    this.integral = (sum * 4 * Math.PI) / (N * N);
    this.problem = '';
    this.updates++;
  }

  dispose(): void {
    void this.kernel?.then((k) => k.destroy()).catch(() => undefined);
    this.kernel = undefined;
    this.upload?.destroy();
    this.upload = undefined;
    this.device = undefined;
  }

  /** Frees the GPU buffers, the texture and the mesh. */
  destroy(): void {
    this.dispose();
    this.texture.dispose();
    this.mesh.geometry.dispose();
    (this.mesh.material as THREE.Material).dispose();
  }
}
