/**
 * Runs drawn faint beside the live one in the trace plots (a branch's parent, kept runs): each
 * panel's own columns of the kept run's traces, joined on the union of times, drawn with the
 * panel's colours faded and dashed, one dash pattern per kept run, labelled in the legend.
 */
import uPlot from 'uplot';
import type { Traces } from '../worker/protocol';

/** A run drawn faint. */
export interface Ghost {
  label: string;
  traces: Traces;
  /** One solid colour for all its lines (variants); faded panel colours, dashed, when absent (kept runs). */
  color?: string;
}

/** Dash patterns of the kept runs, in order. */
export const GHOST_DASH = [
  [3, 3],
  [10, 4],
  [1, 3],
  [8, 3, 2, 3],
] as const;

type Data = (number | null | undefined)[][];

/** Live data [t, …series] joined with each ghost's [t, …series] (same series count each). */
export function withGhosts(live: Data, ghosts: Data[]): Data {
  if (ghosts.length === 0) return live;
  return uPlot.join([live, ...ghosts] as uPlot.AlignedData[]) as Data;
}

/** uPlot series of ghost `g` copying the live series `live` (without x): faint and dashed, or in its colour. */
export function ghostSeries(live: uPlot.Series[], g: number, color?: string): uPlot.Series[] {
  const dash = [...GHOST_DASH[g % GHOST_DASH.length]!];
  return live.map((s) => ({
    label: `${String(s.label ?? '')} (${color ? 'variant' : 'kept'} ${g + 1})`,
    stroke: color ?? (typeof s.stroke === 'string' ? `${s.stroke.slice(0, 7)}88` : s.stroke),
    width: color ? 2 : 1.5,
    ...(color ? { dash: s.dash } : { dash }),
    scale: s.scale,
    show: !/^(min|max)$/.test(String(s.label ?? '')),
    points: { show: false },
  }));
}

/** The legend entries of the ghosts: a dashed swatch and "kept k: label". */
export function ghostLegend(ghosts: readonly Ghost[]): HTMLElement[] {
  return ghosts.map((g, i) => {
    const item = document.createElement('span');
    item.className = 'tp-key tp-key-ghost';
    const sw = document.createElement('i');
    sw.style.borderTop = g.color ? `3px solid ${g.color}` : '2px dashed #c3c9d6';
    item.append(sw, g.color ? g.label : `faint ${'┄╌┈━'[i % 4]} kept ${i + 1}: ${g.label}`);
    return item;
  });
}
