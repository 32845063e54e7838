/**
 * Scenarios of the GPU-vs-float64 comparison. Together they cover every drift (frozen, OU with
 * σ² = 2, oscillating (also with noise), a layer schedule crossing layer boundaries), d ∈ {2, 3, 5},
 * H ∈ {1, 3, 4}, P ∈ {1, 2, 3}, n from 16 to 300 (one and several workgroups and tiles), Euler,
 * Heun and RK4, softmax and unnormalised attention, and both flow signs.
 */
import { PAPER_OSCILLATION, type Matrix, type Scenario } from '../../src/model/scenario';
import { smallScenario } from '../unit/helpers';

/** The GPU cases' base: the unit tests' small scenario with n = 32, T = 2, seed 11. */
export function gpuScenario(over: Partial<Scenario>): Scenario {
  return smallScenario({ n: 32, T: 2, seed: 11, ...over });
}

/** A symmetric d×d matrix with entries from a fixed formula (layer schedules). */
function symmetric(d: number, salt: number): Matrix {
  return Array.from({ length: d }, (_, a) =>
    Array.from({ length: d }, (_, b) => (a === b ? 1.5 : 0) + 0.6 * Math.sin(1.3 * (a + b) + salt * 0.7 + a * b)),
  );
}

export function layers(d: number, H: number, L: number, layerDuration: number): Scenario['weights']['drift'] {
  return {
    kind: 'layers',
    layerDuration,
    layers: Array.from({ length: L }, (_, l) => Array.from({ length: H }, (_, h) => symmetric(d, 3 * l + h))),
  };
}

const OU = { kind: 'ou', theta: 1, target: 'identity' } as const;

export interface Case {
  name: string;
  scenario: Scenario;
}

const ROTATING = { kind: 'rotating', rate: 2, omega: 1.5, center: 1, amplitude: 2 } as const;

export const CASES: Case[] = [
  {
    name: 'rotating d3 H3 P1 rk4',
    scenario: gpuScenario({
      heads: 3,
      integrator: 'rk4',
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: ROTATING, noiseVariance: 0 },
    }),
  },
  {
    name: 'rotating σ²=2 d2 H2 P2 euler (shared noise)',
    scenario: gpuScenario({
      d: 2,
      heads: 2,
      replicas: 2,
      n: 20,
      tokens: { kind: 'uniform' },
      weights: { init: { kind: 'identity', scale: 1 }, drift: ROTATING, noiseVariance: 2 },
      perturbation: { tokens: 1e-3, weights: 0, sharedNoise: true },
    }),
  },
  { name: 'frozen d3 H1 P1 euler', scenario: gpuScenario({}) },
  {
    name: 'ou σ²=2 d2 H4 P3 euler (independent noise)',
    scenario: gpuScenario({
      d: 2,
      heads: 4,
      replicas: 3,
      n: 24,
      tokens: { kind: 'circle-clusters', clusters: 5, noise: 0.05 },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: OU, noiseVariance: 2 },
    }),
  },
  {
    name: 'oscillating d5 H4 P1 heun',
    scenario: gpuScenario({
      d: 5,
      heads: 4,
      n: 16,
      integrator: 'heun',
      tokens: { kind: 'cross-polytope', noise: 0.05 },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 0 },
    }),
  },
  {
    name: 'layers (3 layers, 2 boundaries) d3 H4 P3 rk4, weight-perturbed replicas',
    scenario: gpuScenario({
      heads: 4,
      replicas: 3,
      n: 16,
      integrator: 'rk4',
      perturbation: { tokens: 0.01, weights: 0.1, sharedNoise: false },
      weights: { init: { kind: 'identity', scale: 1 }, drift: layers(3, 4, 3, 0.7), noiseVariance: 0 },
    }),
  },
  {
    name: 'frozen d2 H1 P1 euler unnormalized',
    scenario: gpuScenario({ d: 2, n: 24, attention: 'unnormalized' }),
  },
  {
    // d = 3 runs token-combine-d3.wgsl: its unnormalised branch, with two heads.
    name: 'frozen d3 H2 P1 heun unnormalized',
    scenario: gpuScenario({ d: 3, n: 40, heads: 2, integrator: 'heun', attention: 'unnormalized' }),
  },
  {
    name: 'oscillating d3 H1 P1 euler flowSign +1',
    scenario: gpuScenario({
      flowSign: 1,
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 0 },
    }),
  },
  {
    name: 'ou σ²=2 d5 H1 P3 rk4 (shared noise)',
    scenario: gpuScenario({
      d: 5,
      n: 16,
      replicas: 3,
      integrator: 'rk4',
      perturbation: { tokens: 0.05, weights: 0, sharedNoise: true },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: OU, noiseVariance: 2 },
    }),
  },
  {
    // d > 8: the generic kernel (online softmax), three token workgroups and a partial last tile.
    name: 'oscillating d10 H2 P2 euler σ²=2 (generic kernel)',
    scenario: gpuScenario({
      d: 10,
      n: 150,
      heads: 2,
      replicas: 2,
      tokens: { kind: 'cross-polytope', noise: 0.05 },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 2 },
    }),
  },
  {
    // n = 300: several workgroups of the d ≤ 3 kernel (256 tokens each) and a partial last tile.
    name: 'oscillating d3 H3 P2 euler n=300 σ²=2 (many tiles and workgroups)',
    scenario: gpuScenario({
      n: 300,
      heads: 3,
      replicas: 2,
      T: 20,
      tokens: { kind: 'octahedral', noise: 0.05 },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 2 },
    }),
  },
];
