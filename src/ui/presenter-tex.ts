/**
 * The model's equations as TeX for presenter mode (typeset by KaTeX in presenter.ts), with the
 * running scenario's values substituted: the token ODE (sign, softmax or unnormalised attention,
 * n, H, β), the energy E, and the weight schedule with its parameters. The forms and signs are
 * MODEL.md's; heads are numbered h = 1…H, so the oscillating phase is 2π(h−1)/H. Pure strings:
 * unit-tested without a DOM. `\val{…}` marks a substituted value (a KaTeX macro, coloured;
 * `##` is a literal `#` inside a macro).
 */
import { layerIndex } from '../model/schedule';
import type { Matrix, Scenario } from '../model/scenario';

/** KaTeX macros the TeX below uses. */
export const TEX_MACROS: Record<string, string> = {
  '\\val': '\\textcolor{##7cc4ff}{#1}',
  '\\ip': '\\langle #1,\\, #2 \\rangle',
};

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

const val = (v: number | string): string => `\\val{${typeof v === 'number' ? texNumber(v) : v}}`;

/** A small matrix as a pmatrix (entries to 3 significant digits). */
export function texMatrix(m: Matrix): string {
  const cell = (v: number): string => (v === 0 ? '0' : String(Number(v.toPrecision(3))));
  return `\\begin{pmatrix}${m.map((r) => r.map(cell).join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
}

/** The equations of one scenario at time t. */
export interface PresenterTex {
  /** n, d, H, β, dt, integrator. */
  params: string;
  /** The token ODE. */
  flow: string;
  /** The projection and the sphere. */
  projection: string;
  /** The interaction energy, with its current value when known. */
  energy: string;
  /** The weight schedule. */
  schedule: string;
  /** Plain-text name of the schedule ("Ornstein–Uhlenbeck weights", …). */
  scheduleName: string;
  /** The clock. */
  time: string;
}

/** Several display lines, centred. */
function lines(...rows: string[]): string {
  return `\\begin{gathered}${rows.join(' \\\\ ')}\\end{gathered}`;
}

function isIdentity(m: Matrix): boolean {
  return m.every((r, i) => r.every((v, j) => v === (i === j ? 1 : 0)));
}

function noiseTerm(s: Scenario): string {
  const v = s.weights.noiseVariance;
  return v > 0 ? ` + \\sigma\\,\\tfrac{1}{2}\\big(dW_h + dW_h^{\\top}\\big)` : '';
}

function noiseNote(s: Scenario): string {
  const v = s.weights.noiseVariance;
  return v > 0 ? `,\\quad \\sigma^2 = ${val(v)}` : '';
}

/** The schedule's TeX and name. */
function schedule(s: Scenario, t: number): { tex: string; name: string } {
  const drift = s.weights.drift;
  const d = s.d;
  switch (drift.kind) {
    case 'frozen':
      return s.weights.noiseVariance > 0
        ? {
            name: 'Frozen drift, Brownian weights',
            tex: `dD_h = \\sigma\\,\\tfrac{1}{2}\\big(dW_h + dW_h^{\\top}\\big)${noiseNote(s)}`,
          }
        : { name: 'Frozen weights', tex: `D_h(t) = D_h(0),\\qquad h = 1,\\dots,${val(s.heads)}` };
    case 'ou': {
      const M =
        drift.target === 'identity' || isIdentity(drift.target)
          ? `I_{${d}}`
          : drift.target.every((r) => r.every((v) => v === 0))
            ? '0'
            : d <= 4
              ? texMatrix(drift.target)
              : `\\text{custom } ${d}\\times ${d}`;
      return {
        name: 'Ornstein–Uhlenbeck weights',
        tex: lines(
          `dD_h = \\theta\\,(M - D_h)\\,dt${noiseTerm(s)}`,
          `\\theta = ${val(drift.theta)},\\quad M = \\val{${M}}${noiseNote(s)}`,
        ),
      };
    }
    case 'oscillating': {
      const c = val(drift.center),
        a = val(drift.amplitude),
        b = drift.offAmplitude === 1 ? '' : `${val(drift.offAmplitude)}\\,`;
      const tau = `\\tau_h = ${drift.frequency === 1 ? '' : `${val(drift.frequency)}\\,`}t + \\tfrac{2\\pi (h-1)}{${val(s.heads)}}`;
      let T: string;
      if (d === 2) {
        T = `T_h = \\begin{pmatrix} ${c} + ${a}\\cos\\tau_h & ${b}\\sin 2\\tau_h \\\\ ${b}\\sin 2\\tau_h & ${c} - ${a}\\cos\\tau_h \\end{pmatrix}`;
      } else if (d === 3) {
        T = `T_h = \\begin{pmatrix} ${c} + ${a}\\cos\\tau_h & ${b}\\sin 2\\tau_h & ${b}\\sin\\tau_h \\\\ \\cdot & ${c} + ${a}\\sin\\tau_h & ${b}\\cos 2\\tau_h \\\\ \\cdot & \\cdot & ${c} + ${a}\\cos(\\tau_h + \\frac{\\pi}{4}) \\end{pmatrix}`;
      } else {
        // Three rows (gathered): the diagonal, the off-diagonal, and what k, l and p_kl are.
        T = [
          `(T_h)_{kk} = ${c} + ${a}\\cos\\!\\big(\\tau_h + \\tfrac{2\\pi k}{${d}}\\big),`,
          `(T_h)_{kl} = (T_h)_{lk} = ${b}\\sin\\!\\big(2\\tau_h + \\tfrac{2\\pi p_{kl}}{${(d * (d - 1)) / 2}}\\big),`,
          `\\text{\\small $k, l = 0, \\dots, ${d - 1}$, $k < l$; $p_{kl} = 0, 1, \\dots$ numbers the pairs in row order}`,
        ].join(' \\\\ ');
      }
      const rate = drift.rate === 1 ? '' : `${val(drift.rate)}\\,`;
      return {
        name: 'Oscillating weights',
        tex: lines(`dD_h = ${rate}\\big(T_h(t) - D_h\\big)\\,dt${noiseTerm(s)},\\qquad ${tau}${noiseNote(s)}`, T),
      };
    }
    case 'layers': {
      const L = drift.layers.length;
      const k = layerIndex(drift, t);
      const shown = d <= 4 ? `,\\quad D_1^{(${k + 1})} = ${texMatrix(drift.layers[k]![0]!)}` : '';
      return {
        name: 'Layer-by-layer weights',
        tex: lines(
          `D_h(t) = D_h^{(\\ell)}\\ \\text{ for } t \\in [(\\ell - 1)\\Delta,\\, \\ell\\Delta),\\quad \\ell = 1,\\dots,${val(L)},\\quad \\Delta = ${val(drift.layerDuration)}`,
          `\\text{now } \\ell = ${val(k + 1)}${shown}`,
        ),
      };
    }
  }
}

/** The equations of `s` at time t (energy: the current mean energy, NaN when unknown). */
export function presenterTex(s: Scenario, t: number, energy = NaN): PresenterTex {
  const { n, d, heads: H, beta } = s;
  const sign = s.flowSign === -1 ? '-' : '+';
  const exp = `e^{${val(beta)}\\,\\ip{x_i}{D_h(t)\\,x_j}}`;
  const weight =
    s.attention === 'softmax'
      ? `\\frac{${exp}}{\\sum_{k=1}^{${val(n)}} e^{${val(beta)}\\,\\ip{x_i}{D_h(t)\\,x_k}}}`
      : `\\frac{1}{${val(n)}}\\,${exp}`;
  const flow = `\\dot x_i = ${sign}\\,P_{x_i}\\!\\Big[\\frac{1}{${val(H)}}\\sum_{h=1}^{${val(H)}}\\sum_{j=1}^{${val(n)}} ${weight}\\; D_h(t)\\,x_j\\Big]`;
  const sched = schedule(s, t);
  const current = Number.isFinite(energy) ? `\\; = ${val(energy)}` : '';
  const integrator = { euler: 'Euler', heun: 'Heun', rk4: 'RK4' }[s.integrator];
  return {
    params: `n = ${n},\\ \\ d = ${d},\\ \\ H = ${H},\\ \\ \\beta = ${texNumber(beta)},\\ \\ dt = ${texNumber(s.dt)}\\ \\text{(${integrator})}`,
    flow,
    projection: `P_{x}w = w - \\ip{w}{x}\\,x,\\qquad x_i \\in S^{${d - 1}} \\subset \\mathbb{R}^{${d}},\\quad ${s.flowSign === -1 ? '\\text{paper sign: } -' : '\\text{residual sign: } +'}${s.attention === 'softmax' ? '' : ',\\ \\text{unnormalised attention}'}`,
    energy: `E(t) = \\frac{1}{2\\cdot${val(beta)}\\cdot${val(H)}\\cdot${val(n)}^2}\\sum_{h=1}^{${val(H)}}\\sum_{i,j=1}^{${val(n)}} ${exp}${current}`,
    schedule: sched.tex,
    scheduleName: sched.name,
    time: `t = ${texNumber(Number(t.toFixed(2)))}\\ /\\ T = ${texNumber(s.T)}`,
  };
}
