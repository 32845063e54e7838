/**
 * Compare kinds: the panel's front end over the scenario's `replicas` and `perturbation`
 * (scenario.ts `Perturbation`, which stays the contract). Each kind says how it sets them.
 *   token noise ε      copies' tokens moved by ε along random unit tangents, renormalised;
 *                      same weights, same weight noise (sharedNoise) as the original;
 *   weights D(0) + δ   copies' D_h(0) get δ·S, ‖S‖_F = 1; same tokens, same noise;
 *   own noise path     copies identical at t = 0, each with its own weight noise (σ² > 0
 *                      needed; this is also what Monte Carlo paths are).
 */
import type { Perturbation } from '../scenario';

export type CompareKind = 'off' | 'token noise ε' | 'weights D(0) + δ' | 'own noise path';

export interface CompareDescriptor {
  /** Which perturbation size the kind sets, and the panel's label for it, if any. */
  readonly size?: { readonly field: 'tokens' | 'weights'; readonly label: string; readonly default: number };
  /** Whether copies share replica 0's noise. */
  readonly sharedNoise: boolean;
  /** Whether the kind has copies at all. */
  readonly copies: boolean;
}

/** Sizes a kind starts from when switched on are small: the linearised regime lasts longer. */
export const COMPARE_KINDS: { readonly [K in CompareKind]: CompareDescriptor } = {
  off: { sharedNoise: false, copies: false },
  'token noise ε': { size: { field: 'tokens', label: 'size ε', default: 1e-4 }, sharedNoise: true, copies: true },
  'weights D(0) + δ': {
    size: { field: 'weights', label: 'size δ (‖·‖_F)', default: 1e-3 },
    sharedNoise: true,
    copies: true,
  },
  'own noise path': { sharedNoise: false, copies: true },
};
export const COMPARE_KIND_LIST = Object.keys(COMPARE_KINDS) as CompareKind[];

/** The kind a scenario's replicas and perturbation describe. */
export function compareKindOf(replicas: number, p: Perturbation): CompareKind {
  if (replicas < 2) return 'off';
  if (p.tokens > 0) return 'token noise ε';
  if (p.weights > 0) return 'weights D(0) + δ';
  return 'own noise path';
}

/** The replicas and perturbation of a kind with its size and number of copies. */
export function comparePerturbation(
  kind: CompareKind,
  size: number,
  copies: number,
): { replicas: number; perturbation: Perturbation } {
  const d = COMPARE_KINDS[kind];
  if (!d.copies) return { replicas: 1, perturbation: { tokens: 0, weights: 0, sharedNoise: false } };
  const c = Math.max(1, Math.round(copies));
  const amount = d.size ? (size > 0 ? size : d.size.default) : 0;
  return {
    replicas: c + 1,
    perturbation: {
      tokens: d.size?.field === 'tokens' ? amount : 0,
      weights: d.size?.field === 'weights' ? amount : 0,
      sharedNoise: d.sharedNoise,
    },
  };
}
