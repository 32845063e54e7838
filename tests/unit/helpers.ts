/** Shared test helpers: reference fixtures of the paper's code and scenario builders. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SimEngine } from '../../src/model/engine';
import type { Drift, Scenario } from '../../src/model/scenario';
import { DEFAULT_PERTURBATION, PAPER_OSCILLATION } from '../../src/model/scenario';

/** One run of the official code (shared/reference, copied under tests/fixtures). */
export interface Reference {
  d: number;
  n: number;
  heads: number;
  drift: 'frozen' | 'ou' | 'oscillating';
  ouTheta: number;
  ouTarget: 'identity';
  dt: number;
  T: number;
  beta: number;
  flowSign: -1 | 1;
  x0: number[][];
  D0: number[][][];
  t: number[];
  E: number[];
  G2: number[];
  balance_paper: number[];
  x_final: number[][];
}

export const REFERENCE_FILES = ['s1-ou-nonoise-h3.json', 's2-frozen-h1.json', 's2-oscillating-h2.json'];

export function loadReference(file: string): Reference {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', file), 'utf8')) as Reference;
}

/** The scenario that reproduces a reference run: explicit points and matrices, no noise. */
export function referenceScenario(ref: Reference): Scenario {
  const drift: Drift =
    ref.drift === 'frozen'
      ? { kind: 'frozen' }
      : ref.drift === 'ou'
        ? { kind: 'ou', theta: ref.ouTheta, target: 'identity' }
        : { ...PAPER_OSCILLATION };
  return {
    d: ref.d,
    n: ref.n,
    heads: ref.heads,
    replicas: 1,
    beta: ref.beta,
    flowSign: ref.flowSign,
    attention: 'softmax',
    integrator: 'euler',
    dt: ref.dt,
    T: ref.T,
    seed: 1,
    tokens: { kind: 'explicit', points: ref.x0 },
    weights: { init: { kind: 'explicit', matrices: ref.D0 }, drift, noiseVariance: 0 },
    perturbation: { ...DEFAULT_PERTURBATION },
  };
}

/** A small scenario with overridable fields, for property tests. */
export function smallScenario(over: Partial<Scenario> = {}): Scenario {
  return {
    d: 3,
    n: 16,
    heads: 1,
    replicas: 1,
    beta: 1,
    flowSign: -1,
    attention: 'softmax',
    integrator: 'euler',
    dt: 0.01,
    T: 0.5,
    seed: 7,
    tokens: { kind: 'uniform' },
    weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    perturbation: { ...DEFAULT_PERTURBATION },
    ...over,
  };
}

/** Random symmetric D(0) (scale 1) under OU weights toward the identity (θ = 1) with noise σ². */
export function ouWeights(noiseVariance = 2): Scenario['weights'] {
  return {
    init: { kind: 'random-symmetric', scale: 1 },
    drift: { kind: 'ou', theta: 1, target: 'identity' },
    noiseVariance,
  };
}

/** Rows, tokens and weights after m steps, as plain arrays (compared with toEqual: bit for bit). */
export interface RunRead {
  rows: number[];
  x: number[];
  w: number[];
}

/** Advances an engine m steps and reads back its rows, tokens and weights. */
export async function advanceAndRead(e: SimEngine, m: number): Promise<RunRead> {
  const batch = await e.advance(m);
  return {
    rows: Array.from(batch.records),
    x: Array.from(await e.readPositions()),
    w: Array.from(await e.readWeights()),
  };
}

/** The same rows, tokens and weights bit for bit, each checked on its own. */
export function expectSameRun(actual: RunRead, expected: RunRead): void {
  expect(actual.rows).toEqual(expected.rows);
  expect(actual.x).toEqual(expected.x);
  expect(actual.w).toEqual(expected.w);
}

/** A fresh temporary folder named from `prefix`, with `scenario` written as JSON to `name` in it. */
export function scenarioFile(prefix: string, scenario: object, name = 's.json'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(scenario));
  return { dir, file };
}

/** s·I_d as a d×d array of rows. */
export function scaledIdentity(d: number, s: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? s : 0)));
}
