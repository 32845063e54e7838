/**
 * Variants side by side (Compare › variants): the same start run under 2–4 settings of one field
 * (src/model/variants.ts). Each variant runs on its own engine (the GPU engine on the shared
 * device, else the float64 worker) with its own trace worker and session, stepped by the frame
 * loop with the same steps per frame; the live run pauses meanwhile. Their tokens are drawn in
 * panes over the view (side by side, one pane each, or overlaid, all in one pane in the variants'
 * colours with a legend), projected with the view's one camera (rotating the view turns every
 * pane), and their traces are overlaid in the plots, one colour each, labelled.
 */
import * as THREE from 'three/webgpu';
import { estimateCost, formatSeconds } from '../model/cost';
import type { Variant } from '../model/variants';
import { el } from '../ui/dom';
import type { Ghost } from '../ui/plot-ghosts';
import type { Traces } from '../worker/protocol';
import { createEngine } from './engine-factory';
import { Session } from './session';
import { createTraceSink, type TraceSink } from './trace-sink';
import './variants.css';

/** One colour per variant (Okabe–Ito: orange, green, purple, yellow; the live run's is sky blue). */
export const VARIANT_COLOURS = ['#E69F00', '#009E73', '#CC79A7', '#F0E442'] as const;

/** How the variants' tokens are drawn: a pane each, or all in one pane (a colour per variant). */
export const VARIANT_LAYOUTS = ['side by side', 'overlaid'] as const;
export type VariantLayout = (typeof VARIANT_LAYOUTS)[number];

interface Running {
  variant: Variant;
  colour: string;
  session: Session;
  sink: TraceSink;
  x: Float32Array | Float64Array | undefined;
  traces: Traces | undefined;
  /** Its pane (side by side). */
  canvas: HTMLCanvasElement;
}

export class Variants {
  private runs: Running[] = [];
  private readonly grid: HTMLElement;
  /** The one pane of the overlaid layout. */
  private readonly overlay = el('canvas', 'variant-pane');
  private layoutNow: VariantLayout = 'side by side';
  /** Why the last start failed ('' when it did not). */
  error = '';

  constructor(
    host: HTMLElement,
    private readonly camera: THREE.Camera,
    private readonly clusterEpsilon: () => number,
  ) {
    this.grid = el('div', 'variants-grid');
    this.grid.hidden = true;
    host.appendChild(this.grid);
  }

  get active(): boolean {
    return this.runs.length > 0;
  }

  /** Labels of the running variants, in order. */
  get labels(): string[] {
    return this.runs.map((r) => r.variant.label);
  }

  /** The cost of running `variants` together: per step of all of them, on the engine a variant gets. */
  static budget(variants: readonly Variant[], engine: 'cpu' | 'gpu'): string {
    const per = variants.reduce((a, v) => a + estimateCost(v.scenario, engine).secondsPerStep, 0);
    return `${variants.length} runs: ~${formatSeconds(per)} per step of all (${engine === 'gpu' ? 'GPU' : 'CPU'} estimate)`;
  }

  /** Starts `variants` from t = 0 (stopping any running ones). */
  async start(variants: readonly Variant[]): Promise<void> {
    await this.stop();
    const runs: Running[] = [];
    try {
      for (const [i, variant] of variants.entries()) {
        const { engine } = await createEngine(variant.scenario);
        const sink = createTraceSink();
        await sink.reset({ scenario: variant.scenario, clusterEpsilon: this.clusterEpsilon() });
        const canvas = el('canvas', 'variant-pane');
        const session: Session = new Session(engine, sink, {
          positions: (x) => {
            run.x = x;
          },
          weights: () => {},
          finished: () => {},
          failed: () => {},
        });
        const run: Running = {
          variant,
          colour: VARIANT_COLOURS[i]!,
          session,
          sink,
          x: undefined,
          traces: undefined,
          canvas,
        };
        session.read(true);
        runs.push(run);
      }
    } catch (e) {
      for (const r of runs) {
        void r.session.dispose();
        r.sink.dispose();
      }
      throw e;
    }
    this.runs = runs;
    this.arrange();
    this.grid.hidden = false;
  }

  /** The layout of the panes (the panel's "layout"). */
  get layout(): VariantLayout {
    return this.layoutNow;
  }

  set layout(l: VariantLayout) {
    if (!VARIANT_LAYOUTS.includes(l))
      throw new RangeError(`variants layout should be one of ${VARIANT_LAYOUTS.join(', ')}, got "${String(l)}"`);
    this.layoutNow = l;
    if (this.active) this.arrange();
  }

  /** The grid's cells for the layout: a labelled pane per variant, or one pane with a legend. */
  private arrange(): void {
    const label = (r: Running): HTMLElement => {
      const e = el('div', 'variant-label', r.variant.label);
      e.style.color = r.colour;
      return e;
    };
    if (this.layoutNow === 'overlaid') {
      const cell = el('div', 'variant-cell');
      const legend = el('div', 'variant-legend');
      legend.append(...this.runs.map(label));
      cell.append(this.overlay, legend);
      this.grid.replaceChildren(cell);
      this.grid.dataset.count = '1';
      return;
    }
    this.grid.replaceChildren(
      ...this.runs.map((r) => {
        const cell = el('div', 'variant-cell');
        cell.append(r.canvas, label(r));
        return cell;
      }),
    );
    this.grid.dataset.count = String(this.runs.length);
  }

  async stop(): Promise<void> {
    const old = this.runs;
    this.runs = [];
    this.grid.hidden = true;
    this.grid.replaceChildren();
    for (const r of old) {
      await r.session.dispose();
      r.sink.dispose();
    }
  }

  /** Paused by the panel's "pause variants" (they only draw then). */
  paused = false;

  /** Per frame: steps every variant alike (unless paused) and draws the panes. */
  tick(playing: boolean, stepsPerFrame: number): void {
    for (const r of this.runs) r.session.tick(playing && !this.paused, stepsPerFrame);
    if (this.layoutNow === 'overlaid') this.draw(this.overlay, this.runs);
    else for (const r of this.runs) this.draw(r.canvas, [r]);
  }

  /** Fresh decimated traces of every variant (the plots overlay them). */
  async poll(maxPoints: number): Promise<void> {
    await Promise.all(
      this.runs.map(async (r) => {
        r.traces = await r.sink.traces(maxPoints);
      }),
    );
  }

  /** The variants as plot overlays: one colour each, labelled. */
  ghosts(): Ghost[] {
    return this.runs
      .filter((r) => r.traces)
      .map((r) => ({ label: r.variant.label, traces: r.traces!, color: r.colour }));
  }

  /** Steps completed by each variant. */
  steps(): number[] {
    return this.runs.map((r) => r.session.completed);
  }

  /** Full-resolution trace rows of variant `i` (the CSV export's). */
  csv(i: number): Promise<string> {
    const r = this.runs[i];
    return r ? r.sink.csv() : Promise.resolve('');
  }

  private readonly v = new THREE.Vector3();
  private frame: HTMLCanvasElement | undefined;

  /** For the recorder: every variant exactly `k` steps on (its state read back), and fresh traces. */
  async advanceExactly(k: number): Promise<void> {
    await Promise.all(this.runs.map((r) => r.session.advanceExactly(k)));
    await this.poll(1500);
  }

  /**
   * The panes laid out as on screen in a width × height canvas: side by side 2 or 3 in a row,
   * 4 as 2 × 2, each labelled; overlaid, one pane with the labels as a legend.
   */
  composite(width: number, height: number): HTMLCanvasElement {
    this.frame ??= document.createElement('canvas');
    const c = this.frame;
    c.width = width;
    c.height = height;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, width, height);
    const px = height / 720;
    if (this.layoutNow === 'overlaid') {
      this.drawPane(ctx, 2, 2, width - 4, height - 4, this.runs, px, true);
      return c;
    }
    const n = this.runs.length;
    const cols = n === 4 ? 2 : n,
      rows = n === 4 ? 2 : 1;
    const w = width / cols,
      h = height / rows;
    this.runs.forEach((r, i) => {
      const x = (i % cols) * w,
        y = Math.floor(i / cols) * h;
      this.drawPane(ctx, x + 2, y + 2, w - 4, h - 4, [r], px, true);
    });
    return c;
  }

  /** Draws the tokens of `runs` on the pane canvas `c` (its DOM labels show the names). */
  private draw(c: HTMLCanvasElement, runs: readonly Running[]): void {
    const w = c.clientWidth,
      h = c.clientHeight;
    if (w === 0 || h === 0) return;
    const dpr = devicePixelRatio || 1;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = c.getContext('2d');
    if (ctx) this.drawPane(ctx, 0, 0, c.width, c.height, runs, dpr, false);
  }

  /**
   * Replica 0's tokens of `runs` in the box (x, y, w, h), projected with the view's camera on the
   * unit sphere's outline. One run: token i has the same hue in every pane; several (overlaid):
   * each run's tokens in its colour. `label`: the runs' labels in their colours at the top left,
   * one a line (false: the DOM labels show them).
   */
  private drawPane(
    ctx: CanvasRenderingContext2D,
    x0: number,
    y0: number,
    w: number,
    h: number,
    runs: readonly Running[],
    px: number,
    label: boolean,
  ): void {
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, y0, w, h);
    ctx.clip();
    ctx.fillStyle = '#111318';
    ctx.fillRect(x0, y0, w, h);
    const side = Math.min(w, h);
    const scale = side * 0.42;
    const cx = x0 + w / 2,
      cy = y0 + h / 2 + (label && runs.length === 1 ? side * 0.03 : 0);
    // The camera's rotation only (each pane is an orthographic view along its direction).
    const q = this.camera.quaternion.clone().invert();
    ctx.strokeStyle = 'rgba(255,255,255,0.25)';
    ctx.lineWidth = px;
    ctx.beginPath();
    ctx.arc(cx, cy, scale, 0, 2 * Math.PI);
    ctx.stroke();
    const byRun = runs.length > 1;
    for (const [k, r] of runs.entries()) {
      const x = r.x;
      if (!x) continue;
      const { n, d } = r.variant.scenario;
      // Overlaid, each run's dots are smaller than the one's before: where tokens coincide (the
      // common start) they show as rings in every run's colour.
      const dot = Math.max(2, Math.min(6, side / Math.sqrt(n) / 12)) * px * (byRun ? 1 - k / (runs.length + 1) : 1);
      for (let i = 0; i < n; i++) {
        const o = i * d;
        this.v.set(x[o]!, x[o + 1]!, d > 2 ? x[o + 2]! : 0).applyQuaternion(q);
        const front = this.v.z >= 0;
        if (byRun) {
          ctx.fillStyle = r.colour;
          ctx.globalAlpha = front ? 1 : 0.45;
        } else ctx.fillStyle = `hsla(${(360 * i) / n}, 80%, ${front ? 62 : 38}%, ${front ? 1 : 0.6})`;
        ctx.beginPath();
        ctx.arc(cx + this.v.x * scale, cy - this.v.y * scale, dot, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
    }
    if (label) {
      const size = Math.round(22 * px);
      ctx.font = `600 ${size}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      runs.forEach((r, i) => {
        ctx.fillStyle = r.colour;
        ctx.fillText(r.variant.label, x0 + 0.6 * size, y0 + 0.5 * size + i * 1.3 * size);
      });
    }
    ctx.restore();
  }
}
