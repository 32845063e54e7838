/**
 * Side-by-side comparison: the original (replica 0) in the left pane, a chosen copy in the
 * right pane, drawn by one renderer into two viewports of the one canvas with one camera
 * (src/view/stage.ts `setSplit`), so rotating either pane rotates both and one render loop
 * draws them. The copy gets its own tokens, trails and head axes in the same scene; each
 * pane's render shows only its own set through Three.js layers (the guide and lights are shared). Tokens keep the original's
 * colours, so token i has the same colour on both sides. Labels over the panes are DOM.
 */
import type * as THREE from 'three/webgpu';
import './side-by-side.css';
import type { EngineGpuResources } from '../model/engine';
import type { Axes } from './projection';
import type { TokenSource } from './token-source';
import type { PaneLabel } from '../record/compose';
import type { Stage } from './stage';
import { createPane, disposePane, type PaneObjects } from './pane';
import type { CompareLayout } from './view-options';

/** Re-exported for src/ui/params.ts until it imports view-options.ts. */

/**
 * Three.js layers: 0 holds what both panes share (guide, lights), LEFT the main view's tokens,
 * trails and axes, RIGHT the copy's. The camera sees 0 and LEFT except while drawing the right pane.
 */
const LEFT = 1,
  RIGHT = 2;

/** The right-hand pane and the labels; inactive (nothing drawn) unless split with P > 1. */
export class SideBySide {
  private pane: PaneObjects | undefined;
  private layout: CompareLayout = 'overlaid';
  private wanted = 1;
  private readonly overlay: HTMLElement;
  private readonly labels: [HTMLElement, HTMLElement];
  private readonly divider: HTMLElement;

  constructor(
    private readonly stage: Stage,
    container: HTMLElement,
  ) {
    this.overlay = document.createElement('div');
    this.overlay.className = 'sbs-overlay';
    this.overlay.hidden = true;
    this.labels = [document.createElement('div'), document.createElement('div')];
    this.labels.forEach((l) => {
      l.className = 'sbs-label';
    });
    this.divider = document.createElement('div');
    this.divider.className = 'sbs-divider';
    this.overlay.append(this.labels[0], this.labels[1], this.divider);
    container.appendChild(this.overlay);
    stage.camera.layers.enable(LEFT);
  }

  /** True when two panes are drawn. */
  get active(): boolean {
    return this.layout === 'side by side' && (this.pane?.P ?? 1) > 1;
  }

  /**
   * The panes' labels while two panes are drawn, for images that lack the DOM labels: each with
   * its pane's centre as a fraction of the canvas width — of a recorded frame (`'frame'`: the
   * panes halve the whole frame) or of the live canvas (`'live'`: they halve the width left of
   * the GUI strip).
   */
  paneLabels(of: 'frame' | 'live'): PaneLabel[] | undefined {
    if (!this.active) return undefined;
    const texts = ['original', `copy ${this.copy}`];
    if (of === 'frame') return texts.map((text, k) => ({ text, centre: (k + 0.5) / 2 }));
    const panes = this.stage.panes();
    const total = Math.max(1, this.stage.renderer.domElement.clientWidth);
    return texts.map((text, k) => ({ text, centre: (panes[k]!.x + panes[k]!.w / 2) / total }));
  }

  /** The replica drawn in the right pane (1 … P−1). */
  get copy(): number {
    const P = this.pane?.P ?? 2;
    return Math.min(Math.max(1, Math.round(this.wanted)), P - 1);
  }

  /** New run: the copy's objects (none for P = 1), drawn from the run's `source`. */
  setRun(source: TokenSource, H: number): void {
    this.disposePane();
    if (source.replicas > 1) {
      this.pane = createPane(source, H, 0);
      for (const o of [this.pane.tokens.group, this.pane.trails.lines, this.pane.axes.mesh]) {
        o.traverse((c) => c.layers.set(RIGHT));
        this.stage.scene.add(o);
      }
    }
    this.apply();
  }

  /** Layout, the copy to show (right pane), and the trails / axes toggles of the main view. */
  setOptions(layout: CompareLayout, copy: number, trails: boolean, axes: boolean): void {
    const changed = copy !== this.wanted || layout !== this.layout;
    this.layout = layout;
    this.wanted = copy;
    const p = this.pane;
    if (p && (changed || !trails)) p.trails.clear();
    if (p) {
      p.trails.lines.visible = trails;
      p.axes.mesh.visible = axes;
    }
    this.apply();
  }

  private apply(): void {
    const on = this.active;
    this.pane?.tokens.setShown(this.copy);
    this.stage.setSplit(on);
    this.overlay.hidden = !on;
    if (on) {
      this.labels[0].textContent = 'original';
      this.labels[1].textContent = `copy ${this.copy}`;
      this.place();
    }
    this.beforePane(0);
  }

  /** Positions the labels and the divider over the panes (after a resize too). */
  place(): void {
    if (!this.active) return;
    const [a, b] = this.stage.panes();
    if (!a || !b) return;
    this.labels[0].style.left = `${a.x + a.w / 2}px`;
    this.labels[1].style.left = `${b.x + b.w / 2}px`;
    this.divider.style.left = `${b.x}px`;
  }

  /**
   * A readback: the copy drawn solid with the original's colours; without the GPU copy its
   * trail takes the readback's positions (`x` [P][n][d]).
   */
  setPositions(x: ArrayLike<number>, rgb: Float32Array, fromCpu: boolean): void {
    const p = this.pane;
    if (!p) return;
    p.tokens.setShown(this.copy);
    p.tokens.setColours(rgb);
    p.trails.setColours(rgb);
    if (fromCpu && this.active && p.trails.lines.visible) p.trails.pushFromCpu(x, this.copy, p.n);
  }

  /** A frame with new steps on the GPU: the copy's trail takes them from the engine's buffer. */
  pushGpuTrail(renderer: THREE.WebGPURenderer, gpu: EngineGpuResources): void {
    const p = this.pane;
    if (p && this.active && p.trails.lines.visible) p.trails.pushFromGpu(renderer, gpu, this.copy, p.n);
  }

  /**
   * Weights [P][H][d][d]: the copy's head axes. Updated from the first readback on, split or
   * not: HeadAxes fixes its length scale on its first update, so both panes share the t = 0 scale.
   */
  setWeights(w: ArrayLike<number>, projection: Axes | undefined): void {
    const p = this.pane;
    if (p) p.axes.update(w, this.copy * p.H * p.d * p.d, projection);
  }

  /** Puts the main view's objects on the left pane's layer (after every rebuild). */
  bindMain(objects: readonly THREE.Object3D[]): void {
    for (const o of objects) o.traverse((c) => c.layers.set(LEFT));
  }

  /** Before each pane's render: the camera sees the shared layer 0 and that pane's own layer. */
  beforePane(pane: 0 | 1): void {
    const layers = this.stage.camera.layers;
    layers.set(0);
    layers.enable(pane === 0 ? LEFT : RIGHT);
  }

  private disposePane(): void {
    const p = this.pane;
    if (!p) return;
    this.stage.scene.remove(p.tokens.group, p.trails.lines, p.axes.mesh);
    disposePane(p);
    this.pane = undefined;
  }

  destroy(): void {
    this.disposePane();
    this.overlay.remove();
  }
}
