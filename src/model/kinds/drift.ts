/**
 * Weight schedules: the `Drift` union of the scenario and one descriptor per kind. The
 * validator's field lists, bounds and defaults, the panel's option list and controllers, the
 * presenter's equation, and the GPU kernel's id (weights-stage.wgsl `DRIFT`) all come from
 * `DRIFT_KINDS`. The maths of each kind is schedule.ts `driftInto` (float64) and
 * weights-stage.wgsl (float32); both switch over every kind.
 */
import { layerIndex } from '../schedule';
import type { Matrix } from '../scenario';
import { isIdentity, lines, noiseNote, noiseTerm, texMatrix, val } from '../tex';
import { type KindBase, kindsOf, type Member } from './field';

export type Drift =
  /** f = 0. */
  | { kind: 'frozen' }
  /** f = θ (M − D); `target` "identity" or a symmetric d×d matrix M. Paper: θ = 1, M = I. */
  | { kind: 'ou'; theta: number; target: 'identity' | Matrix }
  /**
   * f = rate · (T_h(t) − D) with the targets T_h of MODEL.md (schedule.ts `oscillatingTarget`),
   * τ = frequency·t + 2πh/H; `center` and `amplitude` replace MODEL.md's 2 and 1.5 on the diagonal,
   * `offAmplitude` scales its off-diagonal terms (1 in MODEL.md). Paper: rate 1, frequency 1,
   * center 2, amplitude 1.5, offAmplitude 1.
   */
  | { kind: 'oscillating'; rate: number; frequency: number; center: number; amplitude: number; offAmplitude: number }
  /**
   * The discrete transformer: layer k (k = 0…L−1) holds its own H matrices on
   * t ∈ [k·layerDuration, (k+1)·layerDuration); the last layer holds afterwards.
   * `layers` is L×H×d×d. D(t) is the schedule itself (no SDE; noiseVariance must be 0).
   */
  | { kind: 'layers'; layerDuration: number; layers: Matrix[][] }
  /**
   * f = rate · (R_h(t) Λ R_h(t)ᵀ − D): the weights relax towards a target turning in the (e₁, e₂)
   * plane, R_h(t) the rotation by θ_h = omega·t + 2πh/H, Λ = diag(center + amplitude,
   * center − amplitude, center, …). Entry-wise: T₀₀ = center + amplitude·cos 2θ,
   * T₁₁ = center − amplitude·cos 2θ, T₀₁ = amplitude·sin 2θ, T_kk = center (k ≥ 2), else 0.
   */
  | { kind: 'rotating'; rate: number; omega: number; center: number; amplitude: number };

export type DriftKind = Drift['kind'];
export type DriftOf<K extends DriftKind> = Member<Drift, K>;

/** What the presenter needs to write a schedule's equation. */
export interface TexContext {
  d: number;
  heads: number;
  noiseVariance: number;
  /** Current time (the layer schedule shows the active layer). */
  t: number;
}

interface DriftExtras<S> {
  /** Value of weights-stage.wgsl's `DRIFT` override (checked against the kernel by a test). */
  readonly gpuId: number;
  /** The schedule in prose ("layer schedule"), for messages. */
  readonly noun: string;
  /**
   * true: the schedule sets D(t) itself (no drift, no weight SDE: σ² must be 0; the engines
   * read the schedule instead of integrating).
   */
  readonly setsWeights: boolean;
  /**
   * The schedule's phase at time t, for kernels that need one per stage (StepParams.phase,
   * reduced mod 2π by the caller); 0 for kinds without one.
   */
  readonly phase: (drift: S, t: number) => number;
  /** Plain-text name and TeX of the schedule, with values substituted (presenter mode). */
  readonly tex: (drift: S, c: TexContext) => { name: string; tex: string };
}

/** The oscillating defaults: the paper's targets (MODEL.md). */
const OSC = { maxAbs: 1e3 } as const;
/** A schedule integrated as a drift (not set by itself) and offered in the panel. */
const INTEGRATED = { inPanel: true, setsWeights: false } as const;
/** The relaxation rate of a schedule that relaxes towards a target. */
const RATE = { default: 1, min: 0, max: 1e3 } as const;

/** One drift kind's descriptor. */
export type DriftDescriptor<K extends DriftKind> = KindBase<DriftOf<K>> & DriftExtras<DriftOf<K>>;

export const DRIFT_KINDS: { readonly [K in DriftKind]: DriftDescriptor<K> } = {
  frozen: {
    label: 'frozen',
    noun: 'frozen schedule',
    numbers: {},
    data: [],
    ...INTEGRATED,
    gpuId: 0,
    phase: () => 0,
    tex: (_, c) =>
      c.noiseVariance > 0
        ? {
            name: 'Frozen drift, Brownian weights',
            tex: `dD_h = \\sigma\\,\\tfrac{1}{2}\\big(dW_h + dW_h^{\\top}\\big)${noiseNote(c.noiseVariance)}`,
          }
        : { name: 'Frozen weights', tex: `D_h(t) = D_h(0),\\qquad h = 1,\\dots,${val(c.heads)}` },
  },
  ou: {
    label: 'ou',
    noun: 'Ornstein–Uhlenbeck schedule',
    numbers: { theta: { label: 'OU θ', default: 1, min: 0, max: 1e3 } },
    data: ['target'],
    ...INTEGRATED,
    gpuId: 1,
    phase: () => 0,
    tex: (drift, c) => {
      const { d } = c;
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
          `dD_h = \\theta\\,(M - D_h)\\,dt${noiseTerm(c.noiseVariance)}`,
          `\\theta = ${val(drift.theta)},\\quad M = \\val{${M}}${noiseNote(c.noiseVariance)}`,
        ),
      };
    },
  },
  oscillating: {
    label: 'oscillating',
    noun: 'oscillating schedule',
    numbers: {
      rate: { label: 'osc. rate', ...RATE },
      frequency: { label: 'osc. frequency', default: 1, ...OSC },
      center: { label: 'osc. centre', default: 2, ...OSC },
      amplitude: { label: 'osc. amplitude', default: 1.5, ...OSC },
      offAmplitude: { label: 'osc. off-diagonal', default: 1, ...OSC },
    },
    data: [],
    ...INTEGRATED,
    gpuId: 2,
    phase: (drift, t) => drift.frequency * t,
    tex: (drift, c) => {
      const { d } = c;
      const cc = val(drift.center),
        a = val(drift.amplitude),
        b = drift.offAmplitude === 1 ? '' : `${val(drift.offAmplitude)}\\,`;
      const tau = `\\tau_h = ${drift.frequency === 1 ? '' : `${val(drift.frequency)}\\,`}t + \\tfrac{2\\pi (h-1)}{${val(c.heads)}}`;
      let T: string;
      if (d === 2) {
        T = `T_h = \\begin{pmatrix} ${cc} + ${a}\\cos\\tau_h & ${b}\\sin 2\\tau_h \\\\ ${b}\\sin 2\\tau_h & ${cc} - ${a}\\cos\\tau_h \\end{pmatrix}`;
      } else if (d === 3) {
        T = `T_h = \\begin{pmatrix} ${cc} + ${a}\\cos\\tau_h & ${b}\\sin 2\\tau_h & ${b}\\sin\\tau_h \\\\ \\cdot & ${cc} + ${a}\\sin\\tau_h & ${b}\\cos 2\\tau_h \\\\ \\cdot & \\cdot & ${cc} + ${a}\\cos(\\tau_h + \\frac{\\pi}{4}) \\end{pmatrix}`;
      } else {
        // Three rows (gathered): the diagonal, the off-diagonal, and what k, l and p_kl are.
        T = [
          `(T_h)_{kk} = ${cc} + ${a}\\cos\\!\\big(\\tau_h + \\tfrac{2\\pi k}{${d}}\\big),`,
          `(T_h)_{kl} = (T_h)_{lk} = ${b}\\sin\\!\\big(2\\tau_h + \\tfrac{2\\pi p_{kl}}{${(d * (d - 1)) / 2}}\\big),`,
          `\\text{\\small $k, l = 0, \\dots, ${d - 1}$, $k < l$; $p_{kl} = 0, 1, \\dots$ numbers the pairs in row order}`,
        ].join(' \\\\ ');
      }
      const rate = drift.rate === 1 ? '' : `${val(drift.rate)}\\,`;
      return {
        name: 'Oscillating weights',
        tex: lines(
          `dD_h = ${rate}\\big(T_h(t) - D_h\\big)\\,dt${noiseTerm(c.noiseVariance)},\\qquad ${tau}${noiseNote(c.noiseVariance)}`,
          T,
        ),
      };
    },
  },
  layers: {
    label: 'layers',
    noun: 'layer schedule',
    numbers: { layerDuration: { label: 'layer duration Δ', min: 0, gt: true, hidden: true } },
    data: ['layers'],
    inPanel: true,
    gpuId: 3,
    setsWeights: true,
    phase: () => 0,
    tex: (drift, c) => {
      const L = drift.layers.length;
      const k = layerIndex(drift, c.t);
      const shown = c.d <= 4 ? `,\\quad D_1^{(${k + 1})} = ${texMatrix(drift.layers[k]![0]!)}` : '';
      return {
        name: 'Layer-by-layer weights',
        tex: lines(
          `D_h(t) = D_h^{(\\ell)}\\ \\text{ for } t \\in [(\\ell - 1)\\Delta,\\, \\ell\\Delta),\\quad \\ell = 1,\\dots,${val(L)},\\quad \\Delta = ${val(drift.layerDuration)}`,
          `\\text{now } \\ell = ${val(k + 1)}${shown}`,
        ),
      };
    },
  },
  rotating: {
    label: 'rotating',
    noun: 'rotating schedule',
    numbers: {
      rate: { label: 'rot. rate', ...RATE },
      omega: { label: 'rot. ω', default: 1, ...OSC },
      center: { label: 'rot. centre', default: 2, ...OSC },
      amplitude: { label: 'rot. amplitude', default: 1.5, ...OSC },
    },
    data: [],
    ...INTEGRATED,
    gpuId: 4,
    phase: (drift, t) => drift.omega * t,
    tex: (drift, c) => ({
      name: 'Rotating weights',
      tex: lines(
        `dD_h = ${drift.rate === 1 ? '' : `${val(drift.rate)}\\,`}\\big(R_h \\Lambda R_h^{\\top} - D_h\\big)\\,dt${noiseTerm(c.noiseVariance)},\\qquad R_h = \\text{rotation of } (e_1, e_2) \\text{ by } ${val(drift.omega)}\\,t + \\tfrac{2\\pi (h-1)}{${val(c.heads)}}${noiseNote(c.noiseVariance)}`,
        `\\Lambda = \\operatorname{diag}(${val(drift.center + drift.amplitude)},\\ ${val(drift.center - drift.amplitude)}${c.d > 2 ? `,\\ ${val(drift.center)}, \\dots` : ''})`,
      ),
    }),
  },
};

/** The drift kinds in panel order. */
export const DRIFT_KIND_LIST = kindsOf(DRIFT_KINDS);

/** The descriptor of a drift, typed for its kind. */
export function driftKind<K extends DriftKind>(kind: K): (typeof DRIFT_KINDS)[K] {
  return DRIFT_KINDS[kind];
}

/** Helpers that call a descriptor's function with the drift of its own kind (TS cannot narrow a table lookup). */
export function driftTex(drift: Drift, c: TexContext): { name: string; tex: string } {
  return (DRIFT_KINDS[drift.kind].tex as (d: Drift, c: TexContext) => { name: string; tex: string })(drift, c);
}
export function driftPhase(drift: Drift, t: number): number {
  return (DRIFT_KINDS[drift.kind].phase as (d: Drift, t: number) => number)(drift, t);
}
