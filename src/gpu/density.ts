/**
 * The GPU kernel density of the tokens on S² (shaders/density.wgsl; its float64 reference is
 * src/model/density.ts): given the engine's positions buffer (f32 [P][n][d], replica 0 read) and
 * the view's three axes, fills a storage buffer of nz·nphi densities on the equal-area grid and
 * reads it back on request. D and the workgroup size are WGSL overrides; n, the grid and the
 * bandwidth are uniforms (changing the bandwidth needs no new pipeline).
 */
import { cellCentre, coordinateAxes, type DensityGrid, vmfKernel } from '../model/density';
import { bindGroup, bindGroupLayout, computePipeline } from './resources';
import { shaderSources } from './shaders';

/** Cells per workgroup. */
const WG = 64;

export class GpuDensity {
  private readonly uniforms: GPUBuffer;
  private readonly axes: GPUBuffer;
  readonly output: GPUBuffer;
  private readonly readback: GPUBuffer;
  private readonly centres: GPUBuffer;
  private bandwidth: number;

  private constructor(
    private readonly device: GPUDevice,
    private readonly pipeline: GPUComputePipeline,
    private readonly layout: GPUBindGroupLayout,
    readonly d: number,
    readonly grid: DensityGrid,
  ) {
    const cells = grid.nz * grid.nphi;
    this.uniforms = device.createBuffer({
      label: 'density.params',
      size: 32,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.axes = device.createBuffer({
      label: 'density.axes',
      size: 3 * d * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    this.output = device.createBuffer({
      label: 'density.out',
      size: cells * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    this.readback = device.createBuffer({
      label: 'density.readback',
      size: cells * 4,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const c = new Float32Array(4 * cells);
    for (let i = 0; i < grid.nz; i++)
      for (let q = 0; q < grid.nphi; q++) c.set(cellCentre(i, q, grid.nz, grid.nphi), 4 * (i * grid.nphi + q));
    this.centres = device.createBuffer({
      label: 'density.centres',
      size: c.byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(this.centres, 0, c);
    this.bandwidth = grid.bandwidth;
    this.setAxes(coordinateAxes(d));
  }

  /** A density kernel for tokens in R^d on `grid`. */
  static async create(device: GPUDevice, d: number, grid: DensityGrid): Promise<GpuDensity> {
    if (!(Number.isInteger(grid.nz) && grid.nz > 0 && Number.isInteger(grid.nphi) && grid.nphi > 0))
      throw new RangeError(`density grid: expected positive whole nz and nphi, got ${grid.nz} × ${grid.nphi}`);
    vmfKernel(grid.bandwidth);
    const layout = bindGroupLayout(device, 'density', ['uniform', 'read', 'read', 'rw', 'read']);
    const pipeline = await computePipeline(device, await shaderSources(), 'density', 'density', layout, { D: d, WG });
    return new GpuDensity(device, pipeline, layout, d, grid);
  }

  /** The projection: three rows of d numbers (coordinate axes by default). */
  setAxes(axes: number[][]): void {
    const a = new Float32Array(3 * this.d);
    for (let k = 0; k < 3; k++) for (let c = 0; c < this.d; c++) a[k * this.d + c] = axes[k]?.[c] ?? 0;
    this.device.queue.writeBuffer(this.axes, 0, a);
  }

  /** The bandwidth h in radians from the next compute on. */
  setBandwidth(h: number): void {
    vmfKernel(h);
    this.bandwidth = h;
  }

  /** Encodes the density of the n tokens at the start of `positions` into `output`. */
  encode(encoder: GPUCommandEncoder, positions: GPUBuffer, n: number): void {
    const { kappa, norm } = vmfKernel(this.bandwidth);
    const params = new ArrayBuffer(32);
    new Uint32Array(params, 0, 4).set([n, this.grid.nz, this.grid.nphi, 0]);
    new Float32Array(params, 16, 2).set([kappa, norm]);
    this.device.queue.writeBuffer(this.uniforms, 0, params);
    const group = bindGroup(this.device, 'density', this.layout, [
      this.uniforms,
      positions,
      this.axes,
      this.output,
      this.centres,
    ]);
    const pass = encoder.beginComputePass({ label: 'density' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil((this.grid.nz * this.grid.nphi) / WG));
    pass.end();
  }

  /** Computes and reads back the densities (row-major, nz rows of nphi). */
  async compute(positions: GPUBuffer, n: number): Promise<Float32Array> {
    const encoder = this.device.createCommandEncoder({ label: 'density' });
    this.encode(encoder, positions, n);
    encoder.copyBufferToBuffer(this.output, 0, this.readback, 0, this.output.size);
    this.device.queue.submit([encoder.finish()]);
    await this.readback.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    return out;
  }

  destroy(): void {
    for (const b of [this.uniforms, this.axes, this.output, this.readback, this.centres]) b.destroy();
  }
}
