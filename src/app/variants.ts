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

/** One colour per variant (Okabe–Ito: orange, green, vermillion, purple). */
export const VARIANT_COLOURS = ['#E69F00', '#009E73', '#D55E00', '#CC79A7'] as const;

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

  /** Per frame: steps every variant alike and draws its pane. */
  tick(playing: boolean, stepsPerFrame: number): void {
    for (const r of this.runs) {
      r.session.tick(playing, stepsPerFrame);
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

  /** Replica 0's tokens of `r`, projected with the view's camera, on the unit sphere's outline. */
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
    if (!ctx) return;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, c.width, c.height);
    const { n, d } = r.variant.scenario;
    const x = r.x;
    const side = Math.min(c.width, c.height);
    const scale = side * 0.42;
    const cx = c.width / 2,
      cy = c.height / 2;
    // The camera's rotation only (the panes are orthographic views along its direction).
    const q = this.camera.quaternion.clone().invert();
    ctx.strokeStyle = 'rgba(255,255,255,0.25)';
    ctx.lineWidth = dpr;
    ctx.beginPath();
    ctx.arc(cx, cy, scale, 0, 2 * Math.PI);
    ctx.stroke();
    if (!x) return;
    const dot = Math.max(1.5, Math.min(5, (side / Math.sqrt(n)) * 0.12)) * dpr * 0.5;
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
}
