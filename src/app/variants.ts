/**
 * Variants side by side (Compare › variants): the same start run under 2–4 settings of one field
 * (src/model/variants.ts). Each variant runs on its own engine (the GPU engine on the shared
 * device, else the float64 worker) with its own trace worker and session, stepped by the frame
 * loop with the same steps per frame; the live run pauses meanwhile. Their tokens are drawn in
 * panes over the view, projected with the view's one camera (rotating the view turns every
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

interface Running {
  variant: Variant;
  colour: string;
  session: Session;
  sink: TraceSink;
  x: Float32Array | Float64Array | undefined;
  traces: Traces | undefined;
  canvas: HTMLCanvasElement;
  label: HTMLElement;
}

export class Variants {
  private runs: Running[] = [];
  private readonly grid: HTMLElement;
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
        const label = el('div', 'variant-label', variant.label);
        label.style.color = VARIANT_COLOURS[i]!;
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
          label,
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
    this.grid.replaceChildren(
      ...runs.map((r) => {
        const cell = el('div', 'variant-cell');
        cell.append(r.canvas, r.label);
        return cell;
      }),
    );
    this.grid.dataset.count = String(runs.length);
    this.grid.hidden = false;
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

  /** Per frame: steps every variant alike (unless paused) and draws its pane. */
  tick(playing: boolean, stepsPerFrame: number): void {
    for (const r of this.runs) {
      r.session.tick(playing && !this.paused, stepsPerFrame);
      this.draw(r);
    }
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

  /** The panes and labels as drawn, for the recorder and PNG (canvas, label, colour). */
  panes(): { canvas: HTMLCanvasElement; label: string; colour: string }[] {
    return this.runs.map((r) => ({ canvas: r.canvas, label: r.variant.label, colour: r.colour }));
  }

  private readonly v = new THREE.Vector3();
  private frame: HTMLCanvasElement | undefined;

  /** For the recorder: every variant exactly `k` steps on (its state read back), and fresh traces. */
  async advanceExactly(k: number): Promise<void> {
    await Promise.all(this.runs.map((r) => r.session.advanceExactly(k)));
    await this.poll(1500);
  }

  /** The panes laid out as on screen (2 or 3 in a row, 4 as 2 × 2), each labelled, in a width × height canvas. */
  composite(width: number, height: number): HTMLCanvasElement {
    this.frame ??= document.createElement('canvas');
    const c = this.frame;
    c.width = width;
    c.height = height;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, width, height);
    const n = this.runs.length;
    const cols = n === 4 ? 2 : n,
      rows = n === 4 ? 2 : 1;
    const w = width / cols,
      h = height / rows;
    this.runs.forEach((r, i) => {
      const x = (i % cols) * w,
        y = Math.floor(i / cols) * h;
      this.drawPane(ctx, x + 2, y + 2, w - 4, h - 4, r, height / 720);
    });
    return c;
  }

  /** Draws the pane of `r` on its own canvas. */
  private draw(r: Running): void {
    const c = r.canvas;
    const w = c.clientWidth,
      h = c.clientHeight;
    if (w === 0 || h === 0) return;
    const dpr = devicePixelRatio || 1;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = c.getContext('2d');
    if (ctx) this.drawPane(ctx, 0, 0, c.width, c.height, r, dpr, false);
  }

  /**
   * Replica 0's tokens of `r` in the box (x, y, w, h), projected with the view's camera on the unit
   * sphere's outline; token i has the same colour in every pane; the label in the variant's
   * colour at the top left (`label` false: the DOM label shows it).
   */
  private drawPane(
    ctx: CanvasRenderingContext2D,
    x0: number,
    y0: number,
    w: number,
    h: number,
    r: Running,
    px: number,
    label = true,
  ): void {
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, y0, w, h);
    ctx.clip();
    ctx.fillStyle = '#111318';
    ctx.fillRect(x0, y0, w, h);
    const { n, d } = r.variant.scenario;
    const side = Math.min(w, h);
    const scale = side * 0.42;
    const cx = x0 + w / 2,
      cy = y0 + h / 2 + (label ? side * 0.03 : 0);
    // The camera's rotation only (each pane is an orthographic view along its direction).
    const q = this.camera.quaternion.clone().invert();
    ctx.strokeStyle = 'rgba(255,255,255,0.25)';
    ctx.lineWidth = px;
    ctx.beginPath();
    ctx.arc(cx, cy, scale, 0, 2 * Math.PI);
    ctx.stroke();
    const x = r.x;
    if (x) {
      const dot = Math.max(2, Math.min(6, side / Math.sqrt(n) / 12)) * px;
      for (let i = 0; i < n; i++) {
        const o = i * d;
        this.v.set(x[o]!, x[o + 1]!, d > 2 ? x[o + 2]! : 0).applyQuaternion(q);
        const front = this.v.z >= 0;
        ctx.fillStyle = `hsla(${(360 * i) / n}, 80%, ${front ? 62 : 38}%, ${front ? 1 : 0.6})`;
        ctx.beginPath();
        ctx.arc(cx + this.v.x * scale, cy - this.v.y * scale, dot, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    if (label) {
      const size = Math.round(22 * px);
      ctx.font = `600 ${size}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      ctx.fillStyle = r.colour;
      ctx.fillText(r.variant.label, x0 + 0.6 * size, y0 + 0.5 * size);
    }
    ctx.restore();
  }
}
