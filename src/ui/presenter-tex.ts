/**
 * The model's equations as TeX for presenter mode (typeset by KaTeX in presenter.ts), with the
 * running scenario's values substituted: the token ODE (sign, softmax or unnormalised attention,
 * n, H, β), the energy E, and the weight schedule with its parameters. The forms and signs are
 * MODEL.md's; heads are numbered h = 1…H, so the oscillating phase is 2π(h−1)/H. Pure strings:
 * unit-tested without a DOM. `\val{…}` marks a substituted value (a KaTeX macro, coloured;
 * `##` is a literal `#` inside a macro).
 */
import { INTEGRATOR_KINDS } from '../model/kinds/choices';
import { driftTex } from '../model/kinds/drift';
import type { Scenario } from '../model/scenario';
import { texNumber, val } from '../model/tex';

/** KaTeX macros the TeX below uses. */
export const TEX_MACROS: Record<string, string> = {
  '\\val': '\\textcolor{##7cc4ff}{#1}',
  '\\ip': '\\langle #1,\\, #2 \\rangle',
};

export { texMatrix, texNumber } from '../model/tex';

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

/** The schedule's TeX and name (from its kind's descriptor). */
function schedule(s: Scenario, t: number): { tex: string; name: string } {
  return driftTex(s.weights.drift, { d: s.d, heads: s.heads, noiseVariance: s.weights.noiseVariance, t });
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
  const integrator = INTEGRATOR_KINDS[s.integrator].name;
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
