/**
 * What a sweep runs over: the head count H (the paper's G² ~ H^b), or the size of an input
 * perturbation, as the Compare folder defines it (compare.ts): token noise ε or a weight
 * perturbation δ of D_h(0). A perturbation sweep runs, for each size, P perturbed copies against
 * the unperturbed flow under the same noise and records their distance (src/model/sweep-distance.ts).
 * The one table the CLI, the app's Sweep folder and the figures read their names from.
 */
import type { CompareKind } from './compare';

export type SweepOver = 'heads' | 'epsilon' | 'delta';

export interface SweepOverDescriptor {
  /** The symbol of the swept value. */
  readonly symbol: string;
  /** The x-axis label. */
  readonly axis: string;
  /** The y-axis label (the quantity fitted against the swept value). */
  readonly quantity: string;
  /** The Compare kind whose perturbation the size sets (perturbation sweeps only). */
  readonly compare?: CompareKind;
  /** Sizes swept when none are given (perturbation sweeps only). */
  readonly defaultSizes?: readonly number[];
}

export const SWEEP_OVER: { readonly [K in SweepOver]: SweepOverDescriptor } = {
  heads: { symbol: 'H', axis: 'heads H', quantity: 'time-averaged G² over [T/2, T]' },
  epsilon: {
    symbol: 'ε',
    axis: 'token noise ε',
    quantity: 'max over [0, T] of the RMS distance',
    compare: 'token noise ε',
    defaultSizes: [1e-4, 1e-3, 1e-2, 1e-1],
  },
  delta: {
    symbol: 'δ',
    axis: 'weight perturbation δ = ‖D_h(0)′ − D_h(0)‖_F',
    quantity: 'max over [0, T] of the RMS distance',
    compare: 'weights D(0) + δ',
    defaultSizes: [1e-3, 1e-2, 1e-1, 1],
  },
};
export const SWEEP_OVER_LIST = Object.keys(SWEEP_OVER) as SweepOver[];

/** Whether `v` names a sweep kind. */
export function isSweepOver(v: unknown): v is SweepOver {
  return typeof v === 'string' && (SWEEP_OVER_LIST as string[]).includes(v);
}
