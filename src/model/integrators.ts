/**
 * Explicit Runge–Kutta tableaux for the joint (tokens, weights) step. Stage i evaluates the
 * field at x_i = normalise(x_k + dt·Σ_j a_ij V_j) and D_i = D_k + dt·Σ_j a_ij F_j + c_i·σΔW,
 * at time t_k + c_i·dt; the step is x_{k+1} = normalise(x_k + dt·Σ_j b_j V_j),
 * D_{k+1} = D_k + dt·Σ_j b_j F_j + σΔW. Euler is exactly the paper's scheme. The noise is
 * additive, so Heun is the stochastic Heun scheme for additive noise.
 */
import type { Integrator } from './scenario';

export interface Tableau {
  /** a[i] lists the coefficients of stages 0…i−1 for stage i (a[0] is empty). */
  a: number[][];
  b: number[];
  c: number[];
  /** How the balances integrate the rates: left Riemann sums (Euler) or the trapezoid rule. */
  quadrature: 'left' | 'trapezoid';
}

export const TABLEAUX: Record<Integrator, Tableau> = {
  euler: { a: [[]], b: [1], c: [0], quadrature: 'left' },
  heun: { a: [[], [1]], b: [0.5, 0.5], c: [0, 1], quadrature: 'trapezoid' },
  rk4: {
    a: [[], [0.5], [0, 0.5], [0, 0, 1]],
    b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
    c: [0, 0.5, 0.5, 1],
    quadrature: 'trapezoid',
  },
};
