/**
 * TeX building blocks shared by the kind descriptors (each kind's equation) and the presenter
 * (src/ui/presenter-tex.ts). Pure strings. `\val{…}` marks a substituted value (a KaTeX macro
 * defined in presenter-tex.ts, coloured).
 */
import type { Matrix } from './scenario';

/** A number for display: up to 4 significant digits, exponent form for tiny or huge values. */
export function texNumber(v: number): string {
  if (!Number.isFinite(v)) return '\\text{n/a}';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = v.toExponential(2).split('e');
    return `${String(Number(m))}\\times 10^{${Number(e)}}`;
  }
  return String(Number(v.toPrecision(4)));
}

/** A substituted value, marked for colouring. */
export const val = (v: number | string): string => `\\val{${typeof v === 'number' ? texNumber(v) : v}}`;

/** A small matrix as a pmatrix (entries to 3 significant digits). */
export function texMatrix(m: Matrix): string {
  const cell = (v: number): string => (v === 0 ? '0' : String(Number(v.toPrecision(3))));
  return `\\begin{pmatrix}${m.map((r) => r.map(cell).join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
}

/** Several display lines, centred. */
export function lines(...rows: string[]): string {
  return `\\begin{gathered}${rows.join(' \\\\ ')}\\end{gathered}`;
}

export function isIdentity(m: Matrix): boolean {
  return m.every((r, i) => r.every((v, j) => v === (i === j ? 1 : 0)));
}

/** The Brownian term of dD_h when σ² > 0. */
export function noiseTerm(noiseVariance: number): string {
  return noiseVariance > 0 ? ` + \\sigma\\,\\tfrac{1}{2}\\big(dW_h + dW_h^{\\top}\\big)` : '';
}

/** ", σ² = …" when σ² > 0. */
export function noiseNote(noiseVariance: number): string {
  return noiseVariance > 0 ? `,\\quad \\sigma^2 = ${val(noiseVariance)}` : '';
}
