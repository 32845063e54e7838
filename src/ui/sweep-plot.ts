/**
 * The sweep's figure: time-averaged G² over the second half against H on log–log axes
 * (uPlot, both scales logarithmic), the mean over paths as large points, each path's value
 * as small faint points (min and max), and the fitted line a·H^b dashed. Same dark theme
 * and Okabe–Ito colours as the trace panels (src/ui/plots.ts). A perturbation sweep (over ε
 * or δ) draws its distance against the size the same way, with the Monte Carlo band (min to
 * max over the copies) shaded.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatShort } from '../model/format';
import { SWEEP_OVER, type SweepOver } from '../model/kinds/sweep-over';
import { sweepX, type SweepResult } from '../model/sweep';

const COLOURS = {
  mean: '#E69F00',
  fit: '#56B4E9',
  paths: 'rgba(232, 234, 240, 0.55)',
  band: 'rgba(230, 159, 0, 0.18)',
  axis: '#c3c9d6',
  grid: 'rgba(255,255,255,0.09)',
} as const;

/** What the figure shows, as numbers (for the caption and tests). */
export interface SweepFigureData {
  /** The head counts of an H sweep (empty in a perturbation sweep). */
  heads: number[];
  /** The swept values drawn on the x axis (head counts or sizes). */
  x: number[];
  /** Mean G² over paths, per head count. */
  mean: number[];
  /** a·H^b at each head count. */
  fit: number[];
}

/** Decades only, plus 2 and 5 × 10^k on short ranges. */
function logTicks(_u: uPlot, splits: number[]): (number | null)[] {
  const mant = (v: number): number => v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const decade = (v: number): boolean => Math.abs(mant(v) - 1) < 1e-6;
  const few = splits.filter(decade).length < 2;
  return splits.map((v) => (decade(v) || (few && [2, 5].some((m) => Math.abs(mant(v) - m) < 1e-6)) ? v : null));
}

/** A tick label: 3 significant digits, one in exponent form outside [10⁻², 10⁴). */
function label(v: number): string {
  return formatShort(v, { expDigits: 1, expBelow: 1e-2 });
}

/** A padded log range around the positive values in `v` (decades widened by `pad`). */
function logRange(v: number[], pad: number): [number, number] {
  const ok = v.filter((x) => x > 0 && Number.isFinite(x));
  if (ok.length === 0) return [0.1, 10];
  const lo = Math.log10(Math.min(...ok)),
    hi = Math.log10(Math.max(...ok));
  const span = Math.max(hi - lo, 0.5);
  return [10 ** (lo - pad * span), 10 ** (hi + pad * span)];
}

/** The log–log plot inside `container`. */
export class SweepPlot {
  private readonly plot: uPlot;
  private shown: SweepFigureData = { heads: [], x: [], mean: [], fit: [] };

  constructor(
    container: HTMLElement,
    readonly over: SweepOver = 'heads',
    width = 440,
    height = 250,
  ) {
    const kind = SWEEP_OVER[over];
    const band = over !== 'heads';
    const font = '13px system-ui, sans-serif';
    const axis = (scale: string, name: string): uPlot.Axis => ({
      scale,
      label: name,
      font,
      labelFont: font,
      stroke: COLOURS.axis,
      gap: 3,
      labelSize: 20,
      grid: { stroke: COLOURS.grid, width: 1, filter: logTicks },
      ticks: { stroke: 'rgba(255,255,255,0.25)', size: 4, filter: logTicks },
      filter: logTicks,
      values: (_u, splits) => splits.map((v) => (v == null ? '' : label(v))),
      size: scale === 'y' ? 56 : 34,
    });
    const pts = (size: number, fill: string): uPlot.Series.Points => ({
      show: true,
      size,
      fill,
      stroke: fill,
      width: 1,
    });
    this.plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        padding: [12, 16, 0, 0],
        cursor: { show: false },
        scales: {
          x: { time: false, distr: 3, log: 10, range: (u) => logRange(u.data[0] as number[], 0.12) },
          y: {
            distr: 3,
            log: 10,
            range: (u) =>
              logRange(
                (u.data.slice(1) as (number | null)[][]).flat().filter((v): v is number => v != null),
                0.12,
              ),
          },
        },
        axes: [
          axis('x', band ? kind.symbol : 'heads H'),
          axis('y', band ? 'RMS distance, max over [0, T]' : 'G² (mean over t ≥ T/2)'),
        ],
        series: [
          { label: kind.symbol },
          { label: `fit a·${kind.symbol}^b`, stroke: COLOURS.fit, width: 2, dash: [8, 5], points: { show: false } },
          band
            ? { label: 'path min', stroke: COLOURS.paths, width: 1, points: pts(5, COLOURS.paths) }
            : { label: 'path min', stroke: 'transparent', paths: () => null, points: pts(5, COLOURS.paths) },
          band
            ? { label: 'path max', stroke: COLOURS.paths, width: 1, points: pts(5, COLOURS.paths) }
            : { label: 'path max', stroke: 'transparent', paths: () => null, points: pts(5, COLOURS.paths) },
          { label: 'mean over paths', stroke: COLOURS.mean, paths: () => null, points: pts(11, COLOURS.mean) },
        ],
        ...(band && { bands: [{ series: [3, 2] as [number, number], fill: COLOURS.band }] }),
      },
      [[], [], [], [], []],
      container,
    );
  }

  /** Draws a result (points sorted by H). */
  show(r: SweepResult): void {
    const pts = [...r.points].sort((a, b) => sweepX(a) - sweepX(b));
    const x = pts.map(sweepX);
    const mean = pts.map((p) => p.mean);
    const fit = x.map((h) => r.fit.a * h ** r.fit.b);
    const lo = pts.map((p) => (p.perPath.length > 1 ? Math.min(...p.perPath) : null));
    const hi = pts.map((p) => (p.perPath.length > 1 ? Math.max(...p.perPath) : null));
    this.shown = { heads: r.over ? [] : x, x, mean, fit };
    this.plot.setData([
      x,
      fit.map((v) => (Number.isFinite(v) && v > 0 ? v : null)),
      lo,
      hi,
      mean.map((v) => (v > 0 ? v : null)),
    ] as uPlot.AlignedData);
  }

  /** Empties the plot (a new sweep started). */
  clear(): void {
    this.shown = { heads: [], x: [], mean: [], fit: [] };
    this.plot.setData([[], [], [], [], []]);
  }

  /** The numbers last drawn. */
  data(): SweepFigureData {
    const { heads, x, mean, fit } = this.shown;
    return { heads: [...heads], x: [...x], mean: [...mean], fit: [...fit] };
  }

  destroy(): void {
    this.plot.destroy();
  }
}
