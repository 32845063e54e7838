/**
 * The playground's picture: the guide shape, the tokens (shown replica solid, the others
 * ghosted), fading trails and the heads' principal axes, all through one projection
 * R^d → R^3 applied in the vertex shaders. With the GPU engine on the renderer's device the
 * positions come from the engine's buffer every frame by a GPU-side copy (no readback); the
 * readbacks ([P][n][d] positions, [P][H][d][d] weights, at a low rate) serve what the CPU
 * computes: colours, the PCA projection for d ≥ 4, the head axes. Without that device the
 * readbacks are uploaded and drawn by the same shaders.
 */
import type { SimEngine } from '../model/engine';
import type { Scenario } from '../model/scenario';
import { initialLabels, labelColour, ramp, StableClusters } from './colours';
import { createGuide, disposeGuide } from './guide';
import { coordinateAxes, pcaAxes, type Axes } from './projection';
import { TokenSource } from './token-source';
import type { TokenShape } from './tokens';
import { SideBySide } from './side-by-side';
import { Stage } from './stage';
import { createPane, disposePane, type PaneObjects } from './pane';
import { DensityLayer } from './density-layer';
import type { ViewOptions } from './view-options';
import { RenderScale } from './render-scale';
import type * as THREE from 'three/webgpu';

interface Run extends PaneObjects {
  guide: THREE.Group;
  /** The density view of μ_t (View folder). */
  density: DensityLayer;
  source: TokenSource;
  /** The engine running it (its `gpu` buffers, when there are any, feed the picture). */
  engine: SimEngine | undefined;
  /** The positions have come from the engine's GPU buffer: readbacks are no longer uploaded. */
  gpuDrawn: boolean;
  /** The engine's step at the last GPU trail push. */
  trailStep: number;
  rgb: Float32Array;
  labels: Int32Array;
  initial?: Int32Array;
  clusters: StableClusters;
  prev?: { x: Float64Array; time: number };
  projection?: Axes;
  speedScale: number;
}

/** Draws a run; `setRun` on every rebuild, `setPositions`/`setWeights` on readbacks. */
export class FlowView {
  readonly stage: Stage;
  /** The right pane of the side-by-side layout. */
  readonly split: SideBySide;
  private run: Run | undefined;
  private options: ViewOptions;
  private weights: ArrayLike<number> | undefined;
  /** Clusters found by the last "nearest cluster" pass (for the status line), else NaN. */
  clusterCount = NaN;
  /** The dynamic resolution of frame()'s draws (src/view/render-scale.ts). */
  private readonly renderScale = new RenderScale();
  /** Frames drawn by `frame()` (the others found the picture unchanged). */
  framesDrawn = 0;
  /** Counts the changes to what is drawn that `frame()` cannot see in its other inputs. */
  private version = 0;
  /** `frame()`'s inputs when it last drew. */
  private drawnKey: number[] | undefined;

  private constructor(stage: Stage, container: HTMLElement, options: ViewOptions) {
    this.stage = stage;
    this.split = new SideBySide(this.stage, container);
    this.options = { ...options };
  }

  /**
   * The view in `container`, drawing on `device` (the engine's shared device; undefined: the
   * renderer's own WebGPU device, else WebGL 2). Rejects when the browser can draw with neither.
   */
  static async create(container: HTMLElement, options: ViewOptions, device: GPUDevice | undefined): Promise<FlowView> {
    return new FlowView(await Stage.create(container, device), container, options);
  }

  /**
   * Replaces the drawn objects for a new scenario (sizes may change). `engine`: the engine that
   * runs it; a GPU engine on another device than the renderer's (a lost device replaced) moves
   * the renderer to the engine's device.
   */
  setRun(s: Scenario, engine?: SimEngine): void {
    this.version++;
    const device = engine?.gpu?.device;
    if (device && device !== this.stage.gpuDevice) void this.stage.setDevice(device);
    const old = this.run;
    if (old) this.disposeRun(old);
    const { n, d, heads: H, replicas: P } = s;
    const source = new TokenSource(n, d, P);
    const run: Run = {
      ...createPane(source, H, P - 1),
      guide: createGuide(d),
      density: new DensityLayer(n, d),
      source,
      engine,
      gpuDrawn: false,
      trailStep: -1,
      rgb: new Float32Array(3 * n).fill(1),
      labels: new Int32Array(n),
      clusters: new StableClusters(d),
      speedScale: 0,
    };
    this.stage.scene.add(run.guide, run.density.mesh, run.trails.lines, run.tokens.group, run.axes.mesh);
    this.split.bindMain([run.trails.lines, run.tokens.group, run.axes.mesh]);
    this.split.setRun(source, H);
    if (!old || old.d !== d) this.stage.frame(d);
    this.run = run;
    this.weights = undefined;
    this.applyVisibility();
  }

  /** Live view settings. */
  setOptions(input: ViewOptions): void {
    this.version++;
    const prev = this.options;
    const o = { ...input };
    this.options = o;
    const run = this.run;
    if (!run) return;
    const moved = prev.showReplica !== o.showReplica || prev.compareLayout !== o.compareLayout;
    if (prev.projection !== o.projection || moved || (!o.trails && prev.trails)) run.trails.clear();
    if (prev.projection !== o.projection) run.projection = undefined;
    if (moved) run.prev = undefined;
    this.applyVisibility();
  }

  private applyVisibility(): void {
    const run = this.run;
    if (!run) return;
    run.trails.lines.visible = this.options.trails;
    run.axes.mesh.visible = this.options.showAxes;
    run.density.mesh.visible = this.options.density;
    const o = this.options;
    this.split.setOptions(o.compareLayout, o.showReplica, o.trails, o.showAxes);
    run.tokens.setGhostsVisible(o.ghosts && !this.split.active);
    run.tokens.setShown(this.shown(run));
  }

  private shown(run: Run): number {
    if (this.split.active) return 0;
    return Math.min(Math.max(0, Math.round(this.options.showReplica)), run.P - 1);
  }

  /**
   * A readback of the token positions [P][n][d] at simulated time `time`: colours, the
   * projection (d ≥ 4), and — unless the picture draws from the engine's GPU buffer — the
   * positions and trails themselves.
   */
  setPositions(x: Float32Array | Float64Array, time: number): void {
    this.version++;
    const run = this.run;
    if (!run) return;
    const { n, d } = run;
    const r = this.shown(run);
    const off = r * n * d;
    if (d >= 4) {
      run.projection = this.options.projection === 'PCA' ? pcaAxes(x, off, n, d, run.projection) : coordinateAxes(d);
    }
    run.source.setAxes(run.projection);
    if (this.options.density)
      run.density.refresh(
        this.stage.gpuDevice,
        x,
        0,
        (run.projection ?? coordinateAxes(d)) as number[][],
        this.options.densityBandwidth,
      );
    run.initial ??= initialLabels(x, off, n, d);
    this.colour(run, x, off, time);
    run.tokens.setShown(r);
    run.tokens.setColours(run.rgb);
    run.trails.setColours(run.rgb);
    const fromCpu = !run.gpuDrawn;
    if (fromCpu) {
      run.source.fromCpu(x);
      if (this.options.trails) run.trails.pushFromCpu(x, r, n);
    }
    if (this.weights) run.axes.update(this.weights, r * run.H * d * d, run.projection);
    this.split.setPositions(x, run.rgb, fromCpu);
  }

  /**
   * Per frame, before drawing: the GPU engine's current positions into the picture's buffers
   * (a copy on the device; trails take a sample when the engine has stepped since the last).
   */
  private pullFromGpu(run: Run): void {
    const gpu = run.engine?.gpu;
    if (!gpu || gpu.device !== this.stage.gpuDevice) return;
    const renderer = this.stage.renderer;
    if (!run.source.fromGpu(renderer, gpu)) return;
    run.gpuDrawn = true;
    const step = run.engine!.stepIndex;
    if (step === run.trailStep) return;
    run.trailStep = step;
    if (this.options.trails) run.trails.pushFromGpu(renderer, gpu, this.shown(run), run.n);
    this.split.pushGpuTrail(renderer, gpu);
  }

  /** New weights [P][H][d][d]. */
  setWeights(w: ArrayLike<number>): void {
    this.version++;
    this.weights = w;
    const run = this.run;
    if (run) run.axes.update(w, this.shown(run) * run.H * run.d * run.d, run.projection);
    if (run) this.split.setWeights(w, run.projection);
  }

  private colour(run: Run, x: ArrayLike<number>, off: number, time: number): void {
    const { n, d, rgb } = run;
    const mode = this.options.colouring;
    this.clusterCount = NaN;
    if (mode === 'speed') {
      const prev = run.prev;
      const dt = prev ? time - prev.time : 0;
      let max = 0;
      const speeds = new Float64Array(n);
      if (prev && dt > 0) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += (x[off + i * d + c]! - prev.x[i * d + c]!) ** 2;
          speeds[i] = Math.sqrt(s) / dt;
          max = Math.max(max, speeds[i]!);
        }
        // A slowly adapting scale: the colours do not flicker with every frame's maximum.
        run.speedScale = run.speedScale === 0 ? max : Math.max(max, 0.97 * run.speedScale);
      }
      for (let i = 0; i < n; i++) rgb.set(ramp(run.speedScale > 0 ? speeds[i]! / run.speedScale : 0), 3 * i);
    } else {
      let labels = run.initial!;
      if (mode === 'nearest cluster') {
        this.clusterCount = run.clusters.assign(x, off, n, this.options.clusterEpsilon, run.labels);
        labels = run.labels;
      }
      for (let i = 0; i < n; i++) rgb.set(labelColour(labels[i]!), 3 * i);
    }
    const keep = run.prev?.x ?? new Float64Array(n * d);
    for (let e = 0; e < n * d; e++) keep[e] = x[off + e]!;
    run.prev = { x: keep, time };
  }

  /** three's backend: 'webgpu', or 'webgl2' where the browser has no WebGPU. */
  get backend(): 'webgpu' | 'webgl2' {
    return this.stage.gpuDevice ? 'webgpu' : 'webgl2';
  }

  /** Frames of the current run whose positions came from the engine's GPU buffer. */
  get gpuCopies(): number {
    return this.run?.source.gpuCopies ?? 0;
  }

  /** How the current run's solid tokens are drawn (undefined before a run). */
  get tokenShape(): TokenShape | undefined {
    return this.run?.tokens.shape;
  }

  /** True when the renderer draws on `engine`'s own GPU device. */
  sharesDevice(engine: SimEngine | undefined): boolean {
    const device = engine?.gpu?.device;
    return device !== undefined && device === this.stage.gpuDevice;
  }

  /** The density view's state (for the test hook): shown, densities drawn, last peak and integral, any problem. */
  densityState(): { shown: boolean; updates: number; peak: number; integral: number; problem: string } {
    const l = this.run?.density;
    return {
      shown: this.options.density,
      updates: l?.updates ?? 0,
      peak: l?.peak ?? 0,
      integral: l?.integral ?? 0,
      problem: l?.problem ?? '',
    };
  }

  /** The eigen-decompositions of the shown replica's D_h as the head axes last drew them. */
  headAxes(): { values: number[]; vectors: number[][] }[] {
    return this.run?.axes.last ?? [];
  }

  /**
   * The animation frame's draw: copies the GPU engine's positions (as every frame), then draws
   * only when the picture can differ from the last one drawn — a step completed (`completed`),
   * a readback, an option, the camera or the canvas changed. A paused run, or a step split over
   * many frames (a large n on a slow GPU), then costs no drawing per frame: the canvas keeps
   * showing the last picture and the page stays responsive. `moving`: the run is playing; while
   * it is (or the camera turns) and drawn frames are slow, fewer pixels are drawn (RenderScale),
   * and a still is drawn sharp (`now`: the frame's requestAnimationFrame time). Returns whether it drew.
   */
  frame(completed: number, moving = false, now = performance.now()): boolean {
    const drew = this.drawIfChanged(completed, this.renderScale.frame(now, moving));
    this.renderScale.drew(drew);
    return drew;
  }

  /**
   * Draws at `scale` when the picture changed, or when `scale` is full and the last picture was
   * not (a still drawn sharp). A new scale alone draws nothing: resizing the canvas clears it, so a
   * scale is taken up only by a frame that draws anyway, and stepping down costs no extra frame.
   */
  private drawIfChanged(completed: number, scale: number): boolean {
    const run = this.run;
    if (run && !this.stage.busy) this.pullFromGpu(run);
    const key = this.drawKey(completed);
    const same = this.drawnKey?.length === key.length && key.every((v, k) => v === this.drawnKey![k]);
    if (same && !(scale === 1 && this.stage.scale < 1)) return false;
    this.stage.setRenderScale(scale);
    this.draw();
    this.drawnKey = this.stage.busy ? undefined : this.drawKey(completed, false);
    this.framesDrawn++;
    return true;
  }

  /** What frame() draws from, as numbers: equal ⇒ the same picture (`update`: Stage.viewKey's). */
  private drawKey(completed: number, update = true): number[] {
    const run = this.run;
    return [this.version, completed, run?.trailStep ?? -1, run?.density.updates ?? 0, ...this.stage.viewKey(update)];
  }

  /** Draws one frame now (the recorder, a PNG export). */
  render(): void {
    if (this.run && !this.stage.busy) this.pullFromGpu(this.run);
    this.draw();
  }

  private draw(): void {
    this.split.place();
    this.stage.render((pane) => this.split.beforePane(pane));
    // Leave the camera on the left (main) layers for anyone else rendering the stage.
    this.split.beforePane(0);
  }

  private disposeRun(run: Run): void {
    this.stage.scene.remove(run.guide, run.density.mesh, run.trails.lines, run.tokens.group, run.axes.mesh);
    run.density.destroy();
    disposePane(run);
    disposeGuide(run.guide);
    run.source.dispose();
  }

  destroy(): void {
    if (this.run) this.disposeRun(this.run);
    this.split.destroy();
    this.stage.destroy();
  }
}
