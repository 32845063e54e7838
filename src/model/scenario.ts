/**
 * The scenario: one typed object that says everything about a run. Its JSON form is
 * the same object; `validateScenario` (validate.ts) turns untrusted input into it.
 * Field names are a public contract (scripts, URLs and saved files rely on them).
 */
import { DRIFT_KINDS, type Drift, type DriftOf } from './kinds/drift';
import { numberDefaults } from './kinds/field';
import type { TokenSpec } from './kinds/tokens';
import type { WeightInit } from './kinds/weight-init';

export type Matrix = number[][];

export type { Drift } from './kinds/drift';
export type { TokenSpec } from './kinds/tokens';
export type { WeightInit } from './kinds/weight-init';

export interface WeightSpec {
  init: WeightInit;
  drift: Drift;
  /** σ², the variance of the symmetric Brownian forcing (paper: 2 for OU runs, else 0). */
  noiseVariance: number;
}

/**
 * How replicas 1…P−1 differ from replica 0 (the original). With all three at their
 * defaults the replicas are independent Monte Carlo paths of the same input (they
 * differ only by their noise, when σ² > 0).
 */
export interface Perturbation {
  /** ε: each token of replicas ≥ 1 moves by ε along a random unit tangent direction, then is renormalised. */
  tokens: number;
  /** δ: each head's initial matrix of replicas ≥ 1 gets δ·S, S random symmetric with ‖S‖_F = 1. */
  weights: number;
  /** true: every replica sees replica 0's noise (compare inputs under one noise path); false: independent paths. */
  sharedNoise: boolean;
}

export type FlowSign = -1 | 1;
export type AttentionKind = 'softmax' | 'unnormalized';
export type Integrator = 'euler' | 'heun' | 'rk4';

export interface Scenario {
  /** Optional human title and a sentence on what to look for. */
  name?: string;
  description?: string;
  /** Ambient dimension: tokens live on S^{d−1}. */
  d: number;
  /** Tokens per replica. */
  n: number;
  /** Number of attention heads H. */
  heads: number;
  /** P: replicas (Monte Carlo paths, or an original and perturbed copies). */
  replicas: number;
  /** Inverse temperature β > 0 (paper: 1). */
  beta: number;
  /** −1: dx/dt = −v (the paper); +1: dx/dt = +v (residual update, Geshkovski et al.). */
  flowSign: FlowSign;
  /** softmax: divide by N_i (paper); unnormalized: divide by n ("USA"). */
  attention: AttentionKind;
  integrator: Integrator;
  /** Time step and horizon; T must be a whole multiple of dt. */
  dt: number;
  T: number;
  /** Seed of every random draw of the run (integer, 0 ≤ seed < 2⁵³). */
  seed: number;
  tokens: TokenSpec;
  weights: WeightSpec;
  perturbation: Perturbation;
}

/** The scenario's plain scalar fields, in the order of its JSON form (the validator's field list). */
export const SCALAR_FIELDS = [
  'd',
  'n',
  'heads',
  'replicas',
  'beta',
  'flowSign',
  'attention',
  'integrator',
  'dt',
  'T',
  'seed',
] as const satisfies readonly (keyof Scenario)[];
export type ScalarField = (typeof SCALAR_FIELDS)[number];

/** Size limits enforced by the validator (the GPU engine may impose tighter ones). */
export const LIMITS = {
  dMax: 16,
  nMax: 1 << 20,
  headsMax: 256,
  replicasMax: 64,
  /** P·n, total tokens of a run. */
  tokensMax: 1 << 22,
  /** Largest number of steps T/dt. */
  stepsMax: 1e8,
  betaMax: 1000,
  layersMax: 1024,
  /** L·H·d², all entries of a layer schedule. */
  layerEntriesMax: 1 << 22,
} as const;

export const DEFAULT_PERTURBATION: Perturbation = { tokens: 0, weights: 0, sharedNoise: false };

/** The paper's oscillating targets (MODEL.md): the oscillating kind's defaults. */
export const PAPER_OSCILLATION: Readonly<DriftOf<'oscillating'>> = {
  kind: 'oscillating',
  ...(numberDefaults(DRIFT_KINDS.oscillating) as Omit<DriftOf<'oscillating'>, 'kind'>),
};

/** Number of steps K = T/dt (the validator guarantees it is a whole number). */
export function stepCount(s: Pick<Scenario, 'T' | 'dt'>): number {
  return Math.round(s.T / s.dt);
}
