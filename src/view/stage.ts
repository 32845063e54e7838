/**
 * The Three.js stage: three's WebGPURenderer — on the engine's own GPUDevice when there is one
 * (so the view can draw from the engine's buffers), else on a device of its own, else on its
 * WebGL 2 backend (a page without WebGPU) — scene, camera, lights and OrbitControls, sized to its
 * container and crisp at devicePixelRatio (capped; fewer pixels while a slow picture moves: setRenderScale). `setDevice` moves it to a new device (after
 * a lost one) by replacing the renderer and its canvas; the scene, camera and controls stay.
 */
import * as THREE from 'three/webgpu';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { HEMISPHERE, KEY_LIGHT } from './lights';

/** Background of the canvas (the page uses the same colour, styles.css --bg). */
export const BACKGROUND = 0x111318;
/** Camera distance factor in split panes (see fitDistance). */
const SPLIT_ZOOM = 0.82;
/** Above this devicePixelRatio the extra pixels cost more than they show. */
const MAX_PIXEL_RATIO = 2;

/**
 * A renderer on `device` (undefined: three picks WebGPU with its own device, else WebGL 2),
 * initialised. Multisampling only on a hardware adapter: on a software rasteriser (a fallback
 * adapter, e.g. SwiftShader) four samples a pixel cost about four times the CPU time a frame.
 */
async function createRenderer(device: GPUDevice | undefined): Promise<THREE.WebGPURenderer> {
  const antialias = device ? device.adapterInfo?.isFallbackAdapter === false : true;
  const renderer = new THREE.WebGPURenderer({ antialias, powerPreference: 'high-performance', device });
  await renderer.init();
  renderer.setClearColor(BACKGROUND, 1);
  renderer.domElement.className = 'view-canvas';
  return renderer;
}

/** Owns the renderer and camera; `render()` draws one frame. */
export class Stage {
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(32, 1, 0.05, 50);
  readonly controls: OrbitControls;
  private readonly resizeObserver: ResizeObserver;
  /** Camera distance that fits the unit ball plus head axes at aspect 1. */
  private baseDistance = 5.2;
  /** CSS pixels on the right covered by an overlay (the GUI): the scene centres in the rest. */
  private inset = 0;
  /** Aspect ratio of the uncovered part (of one pane when split). */
  private freeAspect = 1;
  /** Two panes side by side (original | copy) sharing the camera: see setSplit. */
  private split = false;
  private readonly size = new THREE.Vector2();
  /** The device passed to the renderer (undefined: three's own choice). */
  private device: GPUDevice | undefined;
  /** The share of the full pixel ratio drawn at (src/view/render-scale.ts). */
  private renderScale = 1;
  /** Set while the renderer is replaced (render() draws nothing meanwhile). */
  private moving: Promise<void> | undefined;

  private constructor(
    private readonly container: HTMLElement,
    private current: THREE.WebGPURenderer,
    device: GPUDevice | undefined,
  ) {
    this.device = device;
    this.adopt(current);
    this.scene.add(new THREE.HemisphereLight(HEMISPHERE.sky, HEMISPHERE.ground, HEMISPHERE.intensity));
    const key = new THREE.DirectionalLight(0xffffff, KEY_LIGHT.intensity);
    key.position.set(...KEY_LIGHT.position);
    this.camera.add(key);
    this.scene.add(this.camera);
    this.controls = new OrbitControls(this.camera, this.current.domElement);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.12;
    this.controls.minDistance = 1.5;
    this.controls.maxDistance = 20;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
  }

  /** A stage in `container` drawing on `device` (see createRenderer). */
  static async create(container: HTMLElement, device: GPUDevice | undefined): Promise<Stage> {
    return new Stage(container, await createRenderer(device), device);
  }

  get renderer(): THREE.WebGPURenderer {
    return this.current;
  }

  /** The GPUDevice the renderer draws with (undefined on the WebGL 2 backend). */
  get gpuDevice(): GPUDevice | undefined {
    const backend = this.current.backend as { isWebGPUBackend?: boolean; device?: GPUDevice };
    return backend.isWebGPUBackend ? backend.device : undefined;
  }

  /** True while the renderer is being replaced. */
  get busy(): boolean {
    return this.moving !== undefined;
  }

  private adopt(renderer: THREE.WebGPURenderer): void {
    // A lost device is handled by the app (it rebuilds on a new one and calls setDevice): no console error here.
    renderer.onDeviceLost = () => {};
    this.container.appendChild(renderer.domElement);
  }

  /**
   * Moves the renderer to `device` when it is not already on it (a device lost and replaced):
   * a new renderer and canvas in place of the old; resolves when it can draw.
   */
  setDevice(device: GPUDevice | undefined): Promise<void> {
    if (device === this.device) return this.moving ?? Promise.resolve();
    this.device = device;
    const moved = (this.moving ?? Promise.resolve()).then(async () => {
      const next = await createRenderer(device);
      const old = this.current;
      this.controls.disconnect();
      old.domElement.replaceWith(next.domElement);
      old.dispose();
      this.current = next;
      next.onDeviceLost = () => {};
      this.controls.connect(next.domElement);
      this.resize();
    });
    const done = moved.finally(() => {
      if (this.moving === done) this.moving = undefined;
    });
    this.moving = done;
    return done;
  }

  /** Looks at the origin from the front (d = 2) or from an oblique angle (d ≥ 3). */
  frame(d: number): void {
    const dir = d === 2 ? new THREE.Vector3(0, 0, 1) : new THREE.Vector3(0.55, 0.42, 0.72).normalize();
    this.baseDistance = d === 2 ? 4.4 : 4.9;
    this.camera.up.set(0, 1, 0);
    this.camera.position.copy(dir.multiplyScalar(this.fitDistance()));
    this.controls.target.set(0, 0, 0);
    this.controls.update();
  }

  /**
   * Distance that keeps the scene in view at the current aspect ratio (narrow → farther). Split
   * panes are narrow: there the unit sphere may fill more of the width (long head axes clip at
   * the pane's edge), or each pane's sphere would be small.
   */
  private fitDistance(): number {
    return (this.baseDistance / Math.min(1, this.freeAspect)) * (this.split ? SPLIT_ZOOM : 1);
  }

  /**
   * Draws at `scale` (0…1] of the full pixel ratio from the next frame on (dynamic resolution,
   * src/view/render-scale.ts); the CSS size is unchanged. 1 for a still that leaves the page (PNG).
   */
  setRenderScale(scale: number): void {
    if (scale === this.renderScale) return;
    this.renderScale = scale;
    this.resize();
  }

  /** The share of the full pixel ratio drawn at. */
  get scale(): number {
    return this.renderScale;
  }

  /** Centres the scene in the part of the canvas left of `px` CSS pixels covered on the right. */
  setRightInset(px: number): void {
    if (Math.abs(px - this.inset) < 1) return;
    this.inset = px;
    this.resize();
  }

  /**
   * Splits the uncovered part of the canvas into two panes, left and right, drawn with the
   * same camera (one OrbitControls: rotating either pane rotates both). `render(beforePane)`
   * then draws the scene twice, calling `beforePane(0)` and `beforePane(1)` first.
   */
  setSplit(split: boolean): void {
    if (split === this.split) return;
    const oldFit = this.fitDistance();
    this.split = split;
    this.resize(oldFit);
  }

  /** The panes in CSS pixels from the canvas's left edge (one when not split). */
  panes(): { x: number; w: number }[] {
    const w = Math.max(1, this.container.clientWidth);
    const free = w - this.usedInset(w);
    return this.split
      ? [
          { x: 0, w: free / 2 },
          { x: free / 2, w: free / 2 },
        ]
      : [{ x: 0, w }];
  }

  /** The covered strip, when enough canvas is left beside it (else 0). */
  private usedInset(w: number): number {
    return this.inset > 0 && w - this.inset > 0.55 * w ? this.inset : 0;
  }

  /**
   * Matches the drawing buffer to the container's CSS size × devicePixelRatio (capped), and
   * moves the camera so the scene keeps its fit (`oldFit`: the fit distance before the change).
   */
  resize(oldFit = this.fitDistance()): void {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, MAX_PIXEL_RATIO) * this.renderScale);
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    // Use the covered strip only when enough canvas is left beside it.
    const inset = this.usedInset(w);
    this.freeAspect = (w - inset) / h;
    if (this.split) {
      // Each pane is its own viewport: half the free width, no offset.
      this.freeAspect /= 2;
      this.camera.aspect = this.freeAspect;
      this.camera.clearViewOffset();
    } else if (inset > 0) this.camera.setViewOffset(w, h, inset / 2, 0, w, h);
    else this.camera.clearViewOffset();
    this.camera.updateProjectionMatrix();
    const scale = this.fitDistance() / oldFit;
    if (Math.abs(scale - 1) > 1e-6) {
      this.camera.position.multiplyScalar(scale);
      this.controls.update();
    }
  }

  /**
   * What the camera and canvas look like now, as numbers: the camera's position, orientation and
   * projection (view offset included), the drawing buffer's size, the split, and whether the
   * renderer is being replaced. Equal between two frames ⇒ the same scene draws the same picture.
   * Updates the controls first (damping moves the camera after the pointer has stopped) unless
   * `update` is false (the key of the picture just drawn).
   */
  viewKey(update = true): number[] {
    if (update) this.controls.update();
    const c = this.camera;
    const size = this.renderer.getSize(this.size);
    return [
      ...c.position.toArray(),
      ...c.quaternion.toArray(),
      ...c.projectionMatrix.elements,
      size.x,
      size.y,
      this.renderer.getPixelRatio(),
      this.split ? 1 : 0,
      this.moving ? 1 : 0,
    ];
  }

  /** Updates the controls (damping) and draws (each pane, when split, after `beforePane`). */
  render(beforePane?: (pane: 0 | 1) => void): void {
    this.controls.update();
    if (this.moving) return;
    if (!this.split) {
      this.renderer.render(this.scene, this.camera);
      return;
    }
    const r = this.renderer;
    // The drawing buffer's CSS size: the container's when live; a video frame's when the
    // recorder has resized the renderer (then the panes halve the whole frame, no GUI strip).
    const { x: w, y: h } = r.getSize(this.size);
    const live = Math.abs(w - this.container.clientWidth) < 1 && Math.abs(h - this.container.clientHeight) < 1;
    const panes = live
      ? this.panes()
      : [
          { x: 0, w: w / 2 },
          { x: w / 2, w: w / 2 },
        ];
    const aspect = panes[0]!.w / Math.max(1, h);
    if (Math.abs(this.camera.aspect - aspect) > 1e-9 || this.camera.view?.enabled) {
      this.camera.aspect = aspect;
      this.camera.clearViewOffset();
      this.camera.updateProjectionMatrix();
    }
    // Clear the whole canvas once (the strip under the GUI included), then draw each pane
    // without clearing (a WebGPU render pass would clear the whole canvas, not the scissor).
    r.setScissorTest(false);
    r.setViewport(0, 0, w, h);
    r.clear();
    r.setScissorTest(true);
    r.autoClear = false;
    panes.forEach((p, i) => {
      beforePane?.(i as 0 | 1);
      r.setViewport(p.x, 0, p.w, h);
      r.setScissor(p.x, 0, p.w, h);
      r.render(this.scene, this.camera);
    });
    r.autoClear = true;
    r.setScissorTest(false);
    r.setViewport(0, 0, w, h);
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }
}
