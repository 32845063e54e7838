/**
 * Stills and data exports: PNG of a canvas or of the view beside the plots, token positions
 * (JSON, CSV), traces (JSON, CSV), a download helper and sanitized file names.
 */
import { composeFrame, fitRect, sourceSize, type ComposeTarget, type Layer, type PaneLabel } from './compose';

/** Milliseconds an object URL stays alive after the download click (long enough to start it). */
const REVOKE_DELAY_MS = 10_000;

/** Saves `blob` as `filename` through a temporary object URL and a download link. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
}

/**
 * `scenario_t3.25.ext`: the scenario name with anything but letters, digits, '.', '_' and '-'
 * replaced by '-', at most 60 characters ('playground' when empty), then the simulated time.
 */
export function exportFilename(scenario: string, t: number, ext: string): string {
  const name =
    scenario
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 60) || 'playground';
  const time = Number.isFinite(t) ? t.toFixed(2) : '0.00';
  return `${name}_t${time}.${ext.replace(/[^A-Za-z0-9]/g, '')}`;
}

/**
 * PNG of `canvas`. For a WebGL/WebGPU canvas call it right after a render (in the same task),
 * before the browser presents and clears the drawing buffer.
 */
async function pngOf(canvas: ComposeTarget): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined' && canvas instanceof OffscreenCanvas) {
    return canvas.convertToBlob({ type: 'image/png' });
  }
  const c = canvas as HTMLCanvasElement;
  return new Promise((resolve, reject) =>
    c.toBlob((b) => (b ? resolve(b) : reject(new Error('pngOf: the canvas could not be encoded'))), 'image/png'),
  );
}

/**
 * PNG still of the view at its own size with the plots stacked in a column to its right (each
 * 1/k of the view's height, aspect kept) and `label` (e.g. timeLabel(t)) in the top-left corner.
 */
export async function composePng(
  view: CanvasImageSource,
  plots: readonly CanvasImageSource[],
  label?: string,
  panes?: readonly PaneLabel[],
): Promise<Blob> {
  const v = sourceSize(view);
  const width0 = Math.max(1, Math.round(v.w));
  const height = Math.max(1, Math.round(v.h));
  const cellH = plots.length > 0 ? height / plots.length : 0;
  const columnW = Math.ceil(
    plots.reduce((m, p) => {
      const s = sourceSize(p);
      return Math.max(m, s.h > 0 ? (s.w * cellH) / s.h : 0);
    }, 0),
  );
  const canvas = new OffscreenCanvas(width0 + columnW, height);
  const layers: Layer[] = [{ source: view, x: 0, y: 0, w: width0, h: height }];
  plots.forEach((p, i) => {
    layers.push({ source: p, ...fitRect(sourceSize(p), { x: width0, y: i * cellH, w: columnW, h: cellH }) });
  });
  composeFrame(canvas, layers, label, panes);
  return pngOf(canvas);
}

/** The shortest decimal (≤ 9 significant digits) that reads back as the same float32. */
function f32(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p < 9; p++) {
    const r = Number(v.toPrecision(p));
    if (Math.fround(r) === v) return r;
  }
  return Number(v.toPrecision(9));
}
const f64 = (v: number): number => v;

function checkShape(x: Float32Array | Float64Array, P: number, n: number, d: number): (v: number) => number {
  if (x.length !== P * n * d) {
    throw new RangeError(`positions: length ${x.length} is not P·n·d = ${P}·${n}·${d}`);
  }
  return x instanceof Float32Array ? f32 : f64;
}

/**
 * Token positions laid out [P][n][d] (replica, token, coordinate) as JSON:
 * `{ "t": …, "P": …, "n": …, "d": …, "positions": [[[x0, …, x_{d-1}], …n], …P] }`.
 */
export function positionsJson(x: Float32Array | Float64Array, P: number, n: number, d: number, t: number): string {
  const fmt = checkShape(x, P, n, d);
  const positions: number[][][] = [];
  for (let r = 0; r < P; r++) {
    const rep: number[][] = [];
    for (let i = 0; i < n; i++) {
      const at = (r * n + i) * d;
      rep.push(Array.from(x.subarray(at, at + d), fmt));
    }
    positions.push(rep);
  }
  return JSON.stringify({ t, P, n, d, positions });
}

/** Token positions [P][n][d] as CSV with columns replica,token,x0,…,x_{d-1}; one row per token. */
export function positionsCsv(x: Float32Array | Float64Array, P: number, n: number, d: number): string {
  const fmt = checkShape(x, P, n, d);
  const header = ['replica', 'token', ...Array.from({ length: d }, (_, k) => `x${k}`)].join(',');
  const rows = [header];
  for (let r = 0; r < P; r++) {
    for (let i = 0; i < n; i++) {
      const at = (r * n + i) * d;
      rows.push(`${r},${i},${Array.from(x.subarray(at, at + d), (v) => String(fmt(v))).join(',')}`);
    }
  }
  return rows.join('\n') + '\n';
}

/** Typed arrays become plain arrays; NaN and ±∞ become null (JSON has no such numbers). */
function plainReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  }
  return value;
}

/** The traces object (e.g. the worker's Traces) as JSON, typed arrays written as arrays. */
export function tracesJson(traces: object): string {
  return JSON.stringify(traces, plainReplacer);
}

interface SeriesLike {
  t: ArrayLike<number>;
  mean: ArrayLike<number>;
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
}

function isSeries(v: unknown): v is SeriesLike {
  const s = v as Partial<SeriesLike> | null;
  return typeof s === 'object' && s !== null && !!s.t && !!s.mean && !!s.lo && !!s.hi;
}

/**
 * Every series-shaped field ({t, mean, lo, hi}) of `traces` as long-format CSV with columns
 * series,t,mean,lo,hi. (Full-resolution per-step rows come from the trace worker's csv().)
 */
export function tracesCsv(traces: object): string {
  const rows = ['series,t,mean,lo,hi'];
  for (const [name, s] of Object.entries(traces)) {
    if (!isSeries(s)) continue;
    for (let k = 0; k < s.t.length; k++) rows.push(`${name},${s.t[k]},${s.mean[k]},${s.lo[k]},${s.hi[k]}`);
  }
  return rows.join('\n') + '\n';
}
