/**
 * The scenario's plain choices, one descriptor each: integrator, attention normalisation and
 * flow sign. The validator's option lists, the panel's options and the presenter's names come
 * from here; a `Record` over the union makes a new member fail to compile until described.
 */
import type { AttentionKind, FlowSign, Integrator } from '../scenario';
import { kindsOf } from './field';

export interface Choice {
  /** Option text in the panel. */
  readonly label: string;
  /** Name in prose and in the presenter. */
  readonly name: string;
}

/** Runge–Kutta schemes (tableaux in integrators.ts). */
export const INTEGRATOR_KINDS: { readonly [K in Integrator]: Choice } = {
  euler: { label: 'euler', name: 'Euler' },
  heun: { label: 'heun', name: 'Heun' },
  rk4: { label: 'rk4', name: 'RK4' },
};
export const INTEGRATOR_LIST = kindsOf(INTEGRATOR_KINDS);

/** Attention normalisation: softmax divides by N_i (the paper), unnormalized by n. */
export const ATTENTION_KINDS: { readonly [K in AttentionKind]: Choice } = {
  softmax: { label: 'softmax', name: 'softmax attention' },
  unnormalized: { label: 'unnormalized', name: 'unnormalised attention' },
};
export const ATTENTION_LIST = kindsOf(ATTENTION_KINDS);

/** dx/dt = ∓v (named keys: integer-like keys would reorder). */
export const FLOW_SIGN_KINDS: { readonly [K in 'paper' | 'residual']: Choice & { readonly value: FlowSign } } = {
  paper: { label: 'paper: −v (descent)', name: 'paper sign', value: -1 },
  residual: { label: 'residual: +v', name: 'residual sign', value: 1 },
};
export const FLOW_SIGN_LIST: FlowSign[] = Object.values(FLOW_SIGN_KINDS).map((c) => c.value);
