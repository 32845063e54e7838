/**
 * A small static log–log figure (SVG) of a sweep for docs and papers: the per-path
 * values, their mean, and the fitted line a·H^b (or a·ε^b, a·δ^b; a perturbation sweep also
 * shades the Monte Carlo band, min to max over its copies). Written by the sweep CLI; the
 * playground draws the same data live with uPlot.
 */
import { SWEEP_OVER } from '../model/kinds/sweep-over';
import { sweepX, type SweepResult } from '../model/sweep';

export interface FigureSeries {
  label: string;
  colour: string;
  result: SweepResult;
  /** Draw the per-path values hollow and the fit dotted (a second quantity of the same sweep). */
  secondary?: boolean;
}

const W = 640,
  H = 420,
  M = { l: 70, r: 20, t: 40, b: 55 };

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** SVG text of the figure; all series share log axes fitted to their data. */
export function sweepFigure(title: string, series: FigureSeries[]): string {
  const xs = series.flatMap((s) => s.result.points.map(sweepX));
  const over = SWEEP_OVER[series[0]?.result.over ?? 'heads'];
  const ys = series.flatMap((s) => s.result.points.flatMap((p) => [...p.perPath, p.mean])).filter((v) => v > 0);
  const lx0 = Math.floor(Math.log10(Math.min(...xs)) - 0.1),
    lx1 = Math.ceil(Math.log10(Math.max(...xs)) + 0.1);
  const ly0 = Math.floor(Math.log10(Math.min(...ys))),
    ly1 = Math.ceil(Math.log10(Math.max(...ys)));
  const px = (h: number) => M.l + ((Math.log10(h) - lx0) / (lx1 - lx0)) * (W - M.l - M.r);
  const py = (g: number) => H - M.b - ((Math.log10(g) - ly0) / (ly1 - ly0)) * (H - M.t - M.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
  ];
  for (let e = lx0; e <= lx1; e++) {
    out.push(
      `<line x1="${px(10 ** e)}" y1="${M.t}" x2="${px(10 ** e)}" y2="${H - M.b}" stroke="#ddd"/>`,
      `<text x="${px(10 ** e)}" y="${H - M.b + 18}" text-anchor="middle">10${e === 0 ? '⁰' : sup(e)}</text>`,
    );
  }
  for (let e = ly0; e <= ly1; e++) {
    out.push(
      `<line x1="${M.l}" y1="${py(10 ** e)}" x2="${W - M.r}" y2="${py(10 ** e)}" stroke="#ddd"/>`,
      `<text x="${M.l - 8}" y="${py(10 ** e) + 4}" text-anchor="end">10${sup(e)}</text>`,
    );
  }
  out.push(
    `<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#333"/>`,
    `<text x="${(W + M.l - M.r) / 2}" y="${H - 12}" text-anchor="middle">${esc(over.axis)}</text>`,
    `<text transform="translate(18 ${(H + M.t - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(series.length > 1 && series[0]!.result.over ? 'distance to the original, max over [0, T]' : over.quantity)}</text>`,
  );
  series.forEach((s, k) => {
    const { a, b } = s.result.fit;
    const hs = s.result.points.map(sweepX);
    const h0 = Math.min(...hs),
      h1 = Math.max(...hs);
    const band = s.result.over !== undefined && s.result.points.every((p) => p.perPath.length > 1);
    if (band) {
      const pts = [...s.result.points].sort((p, q) => sweepX(p) - sweepX(q));
      const edge = (f: (v: number[]) => number) =>
        pts.map((p) => `${px(sweepX(p)).toFixed(2)},${py(Math.max(f(p.perPath), 1e-300)).toFixed(2)}`);
      out.push(
        `<polygon points="${[...edge((v) => Math.max(...v)), ...edge((v) => Math.min(...v)).reverse()].join(' ')}" fill="${s.colour}" fill-opacity="0.15" stroke="none"/>`,
      );
    }
    out.push(
      `<line x1="${px(h0)}" y1="${py(a * h0 ** b)}" x2="${px(h1)}" y2="${py(a * h1 ** b)}" stroke="${s.colour}" stroke-dasharray="${s.secondary ? '2 3' : '6 4'}" stroke-width="1.5"/>`,
    );
    for (const p of s.result.points) {
      for (const g of p.perPath)
        if (g > 0)
          out.push(`<circle cx="${px(sweepX(p))}" cy="${py(g)}" r="2.5" fill="${s.colour}" fill-opacity="0.35"/>`);
      out.push(
        s.secondary
          ? `<circle cx="${px(sweepX(p))}" cy="${py(p.mean)}" r="5" fill="white" stroke="${s.colour}" stroke-width="1.5"/>`
          : `<circle cx="${px(sweepX(p))}" cy="${py(p.mean)}" r="5" fill="${s.colour}" stroke="black" stroke-width="0.7"/>`,
      );
    }
    out.push(
      // A distance rises with the size: its legend goes top left, clear of the points.
      s.result.over
        ? `<text x="${M.l + 10}" y="${M.t + 20 + 18 * k}" text-anchor="start" fill="${s.colour}">${esc(s.label)}: b = ${b.toFixed(2)}</text>`
        : `<text x="${W - M.r - 10}" y="${M.t + 20 + 18 * k}" text-anchor="end" fill="${s.colour}">${esc(s.label)}: b = ${b.toFixed(2)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

function sup(e: number): string {
  const map: Record<string, string> = {
    '-': '⁻',
    '0': '⁰',
    '1': '¹',
    '2': '²',
    '3': '³',
    '4': '⁴',
    '5': '⁵',
    '6': '⁶',
    '7': '⁷',
    '8': '⁸',
    '9': '⁹',
  };
  return String(e)
    .split('')
    .map((c) => map[c] ?? c)
    .join('');
}
