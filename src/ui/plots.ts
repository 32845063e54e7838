/**
 * Live trace plots (uPlot) for the playground's side panel, drawn from the trace worker's
 * decimated Traces: (a) energy E(t) with the Monte Carlo min–max band; (b) G²(t) and 𝒟(t) on a
 * log axis; (c) the energy balance ΔE vs the paper's and the exact right side, with the two
 * residuals in a small panel below (the H > 1 gap of the paper's balance shows there);
 * (d) the cluster count with, for P > 1, the replica distances on a log axis and their fitted
 * growth rate (for P = 1, mean |⟨x_i,x_j⟩|). Okabe–Ito colours on the dark theme; each plot is
 * built once and fed with setData (the caller throttles update()). A "log t" box above the
 * panels puts every time axis on a log scale (rows at t ≤ 0 are left out there), for long runs
 * whose dynamics span decades (metastability: the energy staircase).
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './plots.css';
import { formatShort as fmt } from '../model/format';
import type { Series, Traces } from '../worker/protocol';
import { GROWTH_HINT, growthCurve, growthTitle } from './growth-label';
import { type Ghost, ghostLegend, ghostSeries, withGhosts } from './plot-ghosts';

/** Okabe–Ito colours (colour-blind safe), plus the theme's text colour. */
export const PALETTE = {
  sky: '#56B4E9',
  orange: '#E69F00',
  green: '#009E73',
  yellow: '#F0E442',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  text: '#E8EAF0',
} as const;

import type { PanelName } from './plot-names';

export type { PanelName };
type Column = (number | null | undefined)[];
type Data = Column[];
interface Line {
  label: string;
  color: string;
  dash?: number[];
  width?: number;
  scale?: string;
  band?: boolean;
}
interface Spec {
  name: PanelName;
  title: (tr?: Traces) => string;
  /** Tooltip of the title: the formula or how to read the panel. */
  hint?: string;
  lines: Line[];
  /** The y axes, left one first: scale key, label, logarithmic or not, side 1 = right. */
  axes: { scale: string; label: string; log?: boolean; side?: 1 }[];
  data: (tr: Traces) => Data;
  /** Relative height in a one-column layout. */
  weight: number;
}

const col = (a: Float64Array, log = false): Column =>
  Array.from(a, (v) => (Number.isFinite(v) && (!log || v > 0) ? v : null));
/** Series joined on the union of their times (each series has its own decimation). */
function joined(series: Series[], log = false): Data {
  return uPlot.join(series.map((s) => [Array.from(s.t), col(s.mean, log)] as uPlot.AlignedData)) as Data;
}
const hasBand = (s: Series): boolean => s.lo.some((v, i) => v !== s.hi[i]);

const RATE_NOTE =
  "G² = (1/n)Σᵢ|vᵢ|² / ((1/H)Σₕ n/Nᵢʰ), the paper's metric slope; 𝒟 = −dE/dt along the flow. Log axis: values ≤ 0 are not drawn.";

function structureSpec(multi: boolean): Spec {
  return {
    name: 'structure',
    weight: 1,
    title: (tr) => (multi ? growthTitle(tr) : 'Clusters · mean |⟨xᵢ, xⱼ⟩|'),
    ...(multi && { hint: GROWTH_HINT }),
    lines: multi
      ? [
          { label: 'clusters (⟨xᵢ,xⱼ⟩ > 1 − ε)', color: PALETTE.purple },
          { label: 'maxᵢ |xᵢ − yᵢ|', color: PALETTE.vermillion, scale: 'aux' },
          { label: 'RMS |x − y|', color: PALETTE.yellow, scale: 'aux', dash: [7, 4] },
          { label: 'fit a·exp(λt) to RMS', color: PALETTE.green, scale: 'aux', dash: [2, 4], width: 2.5 },
        ]
      : [
          { label: 'clusters (⟨xᵢ,xⱼ⟩ > 1 − ε)', color: PALETTE.purple },
          { label: 'mean |⟨xᵢ,xⱼ⟩|', color: PALETTE.yellow, scale: 'aux' },
        ],
    axes: [
      { scale: 'y', label: 'clusters' },
      multi ? { scale: 'aux', label: 'distance', log: true, side: 1 } : { scale: 'aux', label: 'mean |cos|', side: 1 },
    ],
    data: (tr) => (multi ? alignStructure(tr) : joined([tr.clusters, tr.meanAbsCos])),
  };
}

/** Clusters and (log) distances on one time axis. */
function alignStructure(tr: Traces): Data {
  const a = [Array.from(tr.clusters.t), col(tr.clusters.mean)] as uPlot.AlignedData;
  const b = [Array.from(tr.distanceMax.t), col(tr.distanceMax.mean, true)] as uPlot.AlignedData;
  const c = [
    Array.from(tr.distanceRms.t),
    col(tr.distanceRms.mean, true),
    growthCurve(tr, tr.distanceRms.t),
  ] as uPlot.AlignedData;
  return uPlot.join([a, b, c]) as Data;
}

const SPECS: Spec[] = [
  {
    name: 'energy',
    weight: 1,
    title: () => 'Energy E(t)',
    hint: 'E = (1/2βHn²) Σₕ Σᵢⱼ exp(β⟨xᵢ, Dₕxⱼ⟩)',
    lines: [
      { label: 'E (mean over paths)', color: PALETTE.sky, width: 2.5 },
      { label: 'min–max over paths', color: PALETTE.sky, band: true },
    ],
    axes: [{ scale: 'y', label: 'E' }],
    data: (tr) => [Array.from(tr.energy.t), col(tr.energy.mean), col(tr.energy.lo), col(tr.energy.hi)],
  },
  {
    name: 'rates',
    weight: 1,
    title: () => 'Dissipation rates G²(t) and 𝒟(t)',
    hint: RATE_NOTE,
    lines: [
      { label: 'G² (paper, log)', color: PALETTE.orange },
      { label: '𝒟 exact (gaps where ≤ 0)', color: PALETTE.green, dash: [8, 4] },
    ],
    axes: [{ scale: 'y', label: 'rate', log: true }],
    data: (tr) => joined([tr.G2, tr.dissipation], true),
  },
  {
    name: 'balance',
    weight: 1,
    title: () => 'Energy balance ΔE vs ∫(∂ₜE ∓ rate)dt + ΣΔM',
    hint: 'ΔE = E(t) − E(0); right sides: Σ (∂ₜE + s·G²)·dt + ΣΔM (paper) and with 𝒟 in place of G² (exact), s the flow sign',
    lines: [
      { label: 'ΔE', color: PALETTE.text, width: 3 },
      { label: 'paper (G²)', color: PALETTE.orange, dash: [9, 5] },
      { label: 'exact (𝒟)', color: PALETTE.green, dash: [4, 4] },
    ],
    axes: [{ scale: 'y', label: 'ΔE' }],
    data: (tr) => joined([tr.deltaE, tr.rhsPaper, tr.rhsExact]),
  },
  {
    name: 'residual',
    weight: 0.75,
    title: (tr) => `Residual ΔE − rhs: paper ${fmt(lastOf(tr?.balancePaper))} · exact ${fmt(lastOf(tr?.balanceExact))}`,
    hint: "Left minus right side of each balance. For H > 1 the paper's leaves an O(1) gap (G² < 𝒟); the exact one shrinks with dt.",
    lines: [
      { label: 'paper (G²): gap if H > 1', color: PALETTE.orange },
      { label: 'exact (𝒟): → 0 with dt', color: PALETTE.green },
    ],
    axes: [{ scale: 'y', label: 'residual' }],
    data: (tr) => joined([tr.balancePaper, tr.balanceExact]),
  },
  structureSpec(false),
];

/** The rows of `data` with t > 0 (a log time axis cannot place t ≤ 0). */
function positiveTime(data: Data): Data {
  const t = data[0] ?? [];
  const keep: number[] = [];
  for (let i = 0; i < t.length; i++) if ((t[i] ?? 0) > 0) keep.push(i);
  if (keep.length === t.length) return data;
  return data.map((c) => keep.map((i) => c[i]));
}

function lastOf(s: Series | undefined): number {
  return s && s.mean.length > 0 ? s.mean[s.mean.length - 1]! : NaN;
}

/** Log-axis ticks at decades only (or at 1, 2, 5 × 10^k when the range spans less than two decades). */
function logFilter(_u: uPlot, splits: number[]): (number | null)[] {
  const mantissa = (v: number): number => v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const decade = (v: number): boolean => Math.abs(mantissa(v) - 1) < 1e-6;
  const few = splits.filter(decade).length < 2;
  return splits.map((v) => (decade(v) || (few && [2, 5].some((m) => Math.abs(mantissa(v) - m) < 1e-6)) ? v : null));
}

/** Values under the cursor, in the plot's corner (hidden when the cursor leaves). */
function showHover(u: uPlot, el: HTMLElement): void {
  const idx = u.cursor.idx;
  el.hidden = idx == null;
  if (idx == null) return;
  const rows = [`t = ${fmt(u.data[0][idx])}`];
  for (let i = 1; i < u.series.length; i++) rows.push(`${u.series[i]!.label}: ${fmt(u.data[i]![idx])}`);
  el.textContent = rows.join('\n');
}

interface Panel {
  spec: Spec;
  el: HTMLElement;
  title: HTMLElement;
  plot: uPlot;
  data: Data;
}

/** The four trace panels (the balance in two parts) in one container. */
export class TracePlots {
  /** Panel names, top to bottom. */
  static readonly panels: readonly PanelName[] = SPECS.map((s) => s.name);
  private readonly root: HTMLElement;
  private readonly panels: Panel[] = [];
  private readonly font: number;
  private multi = false;
  private marker: number | undefined;
  private ghosts: Ghost[] = [];
  private last: Traces | undefined;
  private observer: ResizeObserver | undefined;
  private logTime = false;
  /** The "log t" checkbox. */
  readonly logTimeBox: HTMLInputElement;

  /**
   * `large`: 14 px axis labels (else 11); `font` overrides that size (presenter mode);
   * `only`: the panels to show (all by default).
   */
  constructor(
    private readonly container: HTMLElement,
    opts: { large?: boolean; font?: number; only?: readonly PanelName[] } = {},
  ) {
    this.font = opts.font ?? (opts.large ? 14 : 11);
    this.root = document.createElement('div');
    this.root.className = `trace-plots${opts.large ? ' large' : ''}`;
    container.appendChild(this.root);
    const bar = document.createElement('label');
    bar.className = 'tp-logt';
    bar.title = 'Time on a log axis (every panel): long runs, metastable plateaux';
    this.logTimeBox = document.createElement('input');
    this.logTimeBox.type = 'checkbox';
    this.logTimeBox.addEventListener('change', () => this.setLogTime(this.logTimeBox.checked));
    bar.append(this.logTimeBox, 'log t');
    this.root.appendChild(bar);
    for (const spec of SPECS) if (!opts.only || opts.only.includes(spec.name)) this.panels.push(this.build(spec));
    this.resize();
    if (typeof ResizeObserver !== 'undefined') {
      this.observer = new ResizeObserver(() => this.resize());
      this.observer.observe(container);
    }
  }

  /** Puts every panel's time axis on a log scale (or back); redraws the last traces. */
  setLogTime(on: boolean): void {
    if (on === this.logTime) return;
    this.logTime = on;
    this.logTimeBox.checked = on;
    this.rebuildAll();
  }

  /** Whether the time axes are logarithmic. */
  get logTimeAxis(): boolean {
    return this.logTime;
  }

  /** Draws new traces (cheap: setData on the existing plots). */
  update(tr: Traces): void {
    const multi = tr.distanceRms.t.length > 0;
    if (multi !== this.multi) {
      this.multi = multi;
      const i = this.panels.findIndex((p) => p.spec.name === 'structure');
      if (this.panels[i]) {
        this.rebuild(i, structureSpec(multi));
        this.resize();
      }
    }
    this.last = tr;
    for (const p of this.panels) {
      const data = withGhosts(
        p.spec.data(tr),
        this.ghosts.map((g) => p.spec.data(g.traces)),
      );
      p.data = this.logTime ? positiveTime(data) : data;
      p.title.textContent = p.spec.title(tr);
      if (p.spec.name === 'energy') p.el.classList.toggle('with-band', hasBand(tr.energy));
      p.plot.setData(p.data as uPlot.AlignedData);
    }
  }

  /** Fits the plots to the container: one column when tall, a grid when wide. */
  resize(): void {
    const W = this.container.clientWidth,
      H = this.container.clientHeight;
    if (W === 0 || H === 0) return;
    const n = this.panels.length;
    if (n === 0) return;
    let best = 1,
      score = Infinity;
    for (let cols = 1; cols <= n; cols++) {
      // Cells near 1.6:1, few empty cells.
      const rowsHere = Math.ceil(n / cols);
      const cost = Math.abs(Math.log(W / cols / (H / rowsHere) / 1.6)) + 0.25 * (rowsHere * cols - n);
      if (cost < score) {
        score = cost;
        best = cols;
      }
    }
    this.root.style.gridTemplateColumns = `repeat(${best}, minmax(0, 1fr))`;
    const rows = Math.ceil(n / best);
    const weights = best === 1 ? this.panels.map((p) => p.spec.weight) : this.panels.map(() => 1);
    const total = best === 1 ? weights.reduce((a, b) => a + b, 0) : rows;
    const chrome = this.panels[0]!.el.offsetHeight - this.panels[0]!.plot.height;
    const free = Math.max(0, H - 8 - rows * (chrome + 6));
    this.panels.forEach((p, i) => {
      const height = Math.max(110, Math.floor((free * weights[i]!) / total));
      p.plot.setSize({ width: Math.max(160, Math.floor(W / best) - 14), height });
    });
  }

  destroy(): void {
    this.observer?.disconnect();
    for (const p of this.panels) p.plot.destroy();
    this.root.remove();
  }

  /**
   * Runs drawn faint beside the live one (src/ui/plot-ghosts.ts), or none; the panels are rebuilt
   * when the list changes.
   */
  setGhosts(ghosts: readonly Ghost[]): void {
    if (ghosts.length === this.ghosts.length && ghosts.every((g, i) => g === this.ghosts[i])) return;
    const sameKeys =
      ghosts.length === this.ghosts.length &&
      ghosts.every((g, i) => g.label === this.ghosts[i]!.label && g.color === this.ghosts[i]!.color);
    this.ghosts = [...ghosts];
    if (sameKeys) {
      // New traces of the same runs (variants as they go on): new data only.
      if (this.last) this.update(this.last);
      return;
    }
    this.rebuildAll();
  }

  /** Labels of the runs drawn faint (for tests). */
  get ghostLabels(): string[] {
    return this.ghosts.map((g) => g.label);
  }

  /** A vertical line at time `t` on every panel (the timeline's rewound time), or none. */
  setMarker(t: number | undefined): void {
    if (t === this.marker) return;
    this.marker = t;
    for (const p of this.panels) p.plot.redraw(false, false);
  }

  /** The marker time drawn (for tests). */
  get markerTime(): number | undefined {
    return this.marker;
  }

  private drawMarker(u: uPlot): void {
    if (this.marker === undefined) return;
    const x = u.valToPos(this.marker, 'x', true);
    if (!Number.isFinite(x)) return;
    const { ctx } = u;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.strokeStyle = PALETTE.yellow;
    ctx.lineWidth = 2 * (devicePixelRatio || 1);
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.restore();
  }

  /** For tests: the data last given to each panel's plot (null and undefined as NaN). */
  data(): Record<string, number[][]> {
    return Object.fromEntries(
      this.panels.map((p) => [p.spec.name, p.data.map((c) => c.map((v) => (v == null ? NaN : v)))]),
    );
  }

  /** Replaces panel `i` by a new one of `spec` in its place. */
  private rebuild(i: number, spec: Spec): void {
    const old = this.panels[i]!;
    const next = this.build(spec, old.el);
    old.plot.destroy();
    old.el.remove();
    this.panels[i] = next;
  }

  /** Rebuilds every panel (same specs), fits them and redraws the last traces. */
  private rebuildAll(): void {
    for (const [i, old] of this.panels.entries()) this.rebuild(i, old.spec);
    this.resize();
    if (this.last) this.update(this.last);
  }

  private build(spec: Spec, replace?: HTMLElement): Panel {
    const el = document.createElement('section');
    el.className = `tp-panel tp-${spec.name}`;
    const title = document.createElement('h3');
    title.className = 'tp-title';
    title.textContent = spec.title();
    if (spec.hint) title.title = spec.hint;
    const legend = document.createElement('div');
    legend.className = 'tp-legend';
    for (const l of spec.lines) {
      const item = document.createElement('span');
      item.className = l.band ? 'tp-key tp-key-band' : 'tp-key';
      const sw = document.createElement('i');
      sw.style.borderTop = l.band ? 'none' : `${l.width ?? 2}px ${l.dash ? 'dashed' : 'solid'} ${l.color}`;
      if (l.band) sw.style.background = `${l.color}55`;
      item.append(sw, l.label);
      legend.appendChild(item);
    }
    legend.append(...ghostLegend(this.ghosts));
    el.append(title, legend);
    if (replace) replace.before(el);
    else this.root.appendChild(el);
    const opts = this.options(spec);
    const hover = document.createElement('div');
    hover.className = 'tp-hover';
    hover.hidden = true;
    opts.hooks = { setCursor: [(u) => showHover(u, hover)], draw: [(u) => this.drawMarker(u)] };
    const plot = new uPlot(opts, opts.series.map((): number[] => []) as unknown as uPlot.AlignedData, el);
    plot.over.appendChild(hover);
    return { spec, el, title, plot, data: [] };
  }

  private options(spec: Spec): uPlot.Options {
    const f = this.font;
    const font = `${f}px system-ui, sans-serif`;
    const axis = (scale: string, label: string, log?: boolean, side?: 1): uPlot.Axis => ({
      scale,
      label,
      ...(side ? { side } : {}),
      font,
      labelFont: font,
      stroke: '#c3c9d6',
      labelSize: scale === 'x' ? f + 2 : f + 6,
      gap: 3,
      grid: { show: side !== 1, stroke: 'rgba(255,255,255,0.09)', width: 1, ...(log ? { filter: logFilter } : {}) },
      ticks: { stroke: 'rgba(255,255,255,0.25)', width: 1, size: 4, ...(log ? { filter: logFilter } : {}) },
      values: (_u: uPlot, splits: number[]) => splits.map((v) => (v == null ? '' : fmt(v))),
      ...(log ? { filter: logFilter } : {}),
      size:
        scale === 'x'
          ? f + 10
          : (_u: uPlot, values: string[]) =>
              Math.ceil(Math.max(2, ...(values ?? []).map((v) => v.length)) * f * 0.62 + 12),
    });
    const series: uPlot.Series[] = [{ label: 't' }];
    for (const l of spec.lines) {
      if (l.band) {
        for (const part of ['min', 'max'])
          series.push({ label: part, stroke: `${l.color}59`, width: 1, points: { show: false } });
      } else {
        series.push({
          label: l.label,
          stroke: l.color,
          width: (l.width ?? 2) * (f >= 14 ? 1.1 : 1),
          dash: l.dash,
          scale: l.scale ?? 'y',
          points: { show: false },
        });
      }
    }
    const live = series.slice(1);
    for (let g = 0; g < this.ghosts.length; g++) series.push(...ghostSeries(live, g, this.ghosts[g]!.color));
    const scales: uPlot.Scales = { x: this.logTime ? { time: false, distr: 3, log: 10 } : { time: false } };
    for (const a of spec.axes) scales[a.scale] = a.log ? { distr: 3, log: 10 } : {};
    if (spec.name === 'structure') {
      scales.y = { range: (_u, _min, max) => [0, Math.max(2, Math.ceil((max ?? 1) * 1.1))] };
      if (!spec.axes[1]!.log) scales.aux = { range: [0, 1] };
    }
    return {
      width: 300,
      height: 150,
      legend: { show: false },
      padding: [10, 10, 0, 0],
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales,
      axes: [
        axis('x', this.logTime ? 't (log)' : 't', this.logTime),
        ...spec.axes.map((a) => axis(a.scale, a.label, a.log, a.side)),
      ],
      series,
      bands: spec.name === 'energy' ? [{ series: [3, 2], fill: `${PALETTE.sky}47` }] : [],
    };
  }
}
