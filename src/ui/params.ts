/**
 * The one typed object the GUI edits (STYLE.md §8), and the single function that turns it
 * into a Scenario (`paramsToScenario`, checked by `validateScenario`). Fields fall in three
 * groups, listed in LIVE_VIEW, LIVE_DRIFT and REBUILD_FROM_STATE; every other field rebuilds
 * the engine from t = 0.
 */
import { PRESETS, preset } from '../model/presets';
import type {
  AttentionKind,
  Drift,
  FlowSign,
  Integrator,
  Matrix,
  Scenario,
  TokenSpec,
  WeightInit,
} from '../model/scenario';
import { validateScenario } from '../model/validate';
import type { CompareLayout } from '../view/side-by-side';
import { cloneMatrix, fitLayers, fitMatrix, identity, type LayersDrift } from './matrix-model';

export type TokenKind = Exclude<TokenSpec['kind'], 'explicit'>;
export type DriftKind = Drift['kind'];
export type Colouring = 'initial cluster' | 'speed' | 'nearest cluster';
export type Projection = 'first three' | 'PCA';

/** Everything the GUI edits. Numbers are in the scenario's units (MODEL.md). */
export interface Params {
  preset: string;
  // Tokens.
  n: number;
  d: number;
  tokenKind: TokenKind;
  /** circle-clusters / vmf: number of initial clusters. */
  tokenClusters: number;
  /** circle-clusters / octahedral / cross-polytope: initial noise (angle or per coordinate). */
  tokenNoise: number;
  /** vmf concentration κ. */
  tokenKappa: number;
  seed: number;
  // Field.
  heads: number;
  beta: number;
  flowSign: FlowSign;
  attention: AttentionKind;
  integrator: Integrator;
  dt: number;
  T: number;
  stepsPerFrame: number;
  // Weights.
  initKind: Exclude<WeightInit['kind'], 'explicit'>;
  initScale: number;
  driftKind: DriftKind;
  ouTheta: number;
  /** OU target M: the identity, the zero matrix, or the carried matrix (edited in the matrix editor). */
  ouTarget: 'identity' | 'zero' | 'custom';
  noiseVariance: number;
  oscRate: number;
  oscFrequency: number;
  oscCenter: number;
  oscAmplitude: number;
  oscOffAmplitude: number;
  // Replicas.
  replicas: number;
  pertTokens: number;
  pertWeights: number;
  sharedNoise: boolean;
  // View.
  clusterEpsilon: number;
  colouring: Colouring;
  trails: boolean;
  projection: Projection;
  /** The replica drawn solid; the others are ghosted when `ghosts` is on. */
  showReplica: number;
  ghosts: boolean;
  /** Copies ghosted over the shown replica, or the original and copy `showReplica` side by side. */
  compareLayout: CompareLayout;
  showAxes: boolean;
}

/** Fields that only change the picture or the pace: applied at once, the engine untouched. */
export const LIVE_VIEW = [
  'stepsPerFrame',
  'clusterEpsilon',
  'colouring',
  'trails',
  'projection',
  'showReplica',
  'ghosts',
  'showAxes',
  'compareLayout',
] as const;
/**
 * Fields applied to the running engine through `setDrift`. Edits of the carried OU target and
 * layer schedule (matrix editor) take the same path; a switch into or out of `layers` rebuilds.
 */
export const LIVE_DRIFT = [
  'driftKind',
  'ouTheta',
  'ouTarget',
  'oscRate',
  'oscFrequency',
  'oscCenter',
  'oscAmplitude',
  'oscOffAmplitude',
] as const;
/**
 * Fields that rebuild the engine from the current tokens and weights (the clock restarts at 0).
 * σ² is here, not in LIVE_DRIFT: it is part of the weight spec, not of the Drift, and the GPU
 * engine compiles "noise on/off" into its pipelines, so no engine can change it in place.
 */
export const REBUILD_FROM_STATE = ['beta', 'flowSign', 'attention', 'integrator', 'dt', 'noiseVariance'] as const;

/** What a change of `key` needs. */
export function changeKind(key: keyof Params): 'view' | 'drift' | 'state' | 'rebuild' {
  if ((LIVE_VIEW as readonly string[]).includes(key)) return 'view';
  if ((LIVE_DRIFT as readonly string[]).includes(key)) return 'drift';
  if ((REBUILD_FROM_STATE as readonly string[]).includes(key)) return 'state';
  return 'rebuild';
}

/** Data of the preset that the GUI does not edit (layer matrices, explicit weights). */
interface Carried {
  layers?: LayersDrift;
  /** The OU target when `ouTarget` is 'custom'. */
  ouTarget?: Matrix;
  initMatrices?: Matrix[];
  name?: string;
  description?: string;
}
const carried = new WeakMap<Params, Carried>();

/**
 * Pair-head evaluations (P·n²·H) per frame the suggested pace aims at. Measured in headless
 * Chromium on SwiftShader (2 cores, n = 1,024, H = 8, i.e. 8.4e6 per step): 1 step per frame gave
 * 3.8 steps/s at 6.6 fps, 4 gave 12 steps/s at 5.0 fps, 16 gave 28 steps/s at 2.8 fps — each
 * submit has a fixed round-trip cost, so a few steps per frame buy speed for little smoothness.
 */
export const PAIR_HEADS_PER_FRAME = 3e7;
/** Upper end of the suggested pace (the default presets are small and would otherwise race). */
const MAX_SUGGESTED_STEPS = 10;

/** Steps per frame that keep a run of this size (n, H, P) responsive: fewer for heavier steps. */
export function suggestedStepsPerFrame(s: Pick<Scenario, 'n' | 'heads' | 'replicas'>): number {
  const work = s.n * s.n * s.heads * s.replicas;
  return Math.max(1, Math.min(MAX_SUGGESTED_STEPS, Math.round(PAIR_HEADS_PER_FRAME / Math.max(work, 1))));
}

/** Params holding exactly the given scenario (view fields at their defaults). */
export function paramsFromScenario(s: Scenario, presetId: string): Params {
  const tok = s.tokens;
  const drift = s.weights.drift;
  const init = s.weights.init;
  const osc =
    drift.kind === 'oscillating' ? drift : { rate: 1, frequency: 1, center: 2, amplitude: 1.5, offAmplitude: 1 };
  const p: Params = {
    preset: presetId,
    n: s.n,
    d: s.d,
    tokenKind: tok.kind === 'explicit' ? 'uniform' : tok.kind,
    tokenClusters: 'clusters' in tok ? tok.clusters : 5,
    tokenNoise: 'noise' in tok ? tok.noise : 0.05,
    tokenKappa: tok.kind === 'vmf' ? tok.kappa : 50,
    seed: s.seed,
    heads: s.heads,
    beta: s.beta,
    flowSign: s.flowSign,
    attention: s.attention,
    integrator: s.integrator,
    dt: s.dt,
    T: s.T,
    stepsPerFrame: suggestedStepsPerFrame(s),
    initKind: init.kind === 'explicit' ? 'random-symmetric' : init.kind,
    initScale: init.kind === 'explicit' ? 1 : init.scale,
    driftKind: drift.kind,
    ouTheta: drift.kind === 'ou' ? drift.theta : 1,
    ouTarget:
      drift.kind !== 'ou' || drift.target === 'identity'
        ? 'identity'
        : drift.target.every((r) => r.every((v) => v === 0))
          ? 'zero'
          : 'custom',
    noiseVariance: s.weights.noiseVariance,
    oscRate: osc.rate,
    oscFrequency: osc.frequency,
    oscCenter: osc.center,
    oscAmplitude: osc.amplitude,
    oscOffAmplitude: osc.offAmplitude,
    replicas: s.replicas,
    pertTokens: s.perturbation.tokens,
    pertWeights: s.perturbation.weights,
    sharedNoise: s.perturbation.sharedNoise,
    clusterEpsilon: 0.05,
    colouring: 'initial cluster',
    trails: s.d <= 3,
    projection: 'PCA',
    showReplica: 0,
    ghosts: true,
    showAxes: true,
    compareLayout: 'overlaid',
  };
  carried.set(p, {
    ...(drift.kind === 'layers' && { layers: drift }),
    ...(drift.kind === 'ou' && drift.target !== 'identity' && { ouTarget: drift.target }),
    ...(init.kind === 'explicit' && { initMatrices: init.matrices }),
    ...(s.name !== undefined && { name: s.name }),
    ...(s.description !== undefined && { description: s.description }),
  });
  return p;
}

/** Params of a preset, optionally with H heads. */
export function paramsFromPreset(id: string, heads?: number): Params {
  return paramsFromScenario(preset(id).build(heads), id);
}

/** Ids of the presets, for the GUI's drop-down. */
export const PRESET_IDS = PRESETS.map((p) => p.id);

function tokenSpec(p: Params): TokenSpec {
  switch (p.tokenKind) {
    case 'uniform':
      return { kind: 'uniform' };
    case 'circle-clusters':
      return { kind: 'circle-clusters', clusters: p.tokenClusters, noise: p.tokenNoise };
    case 'octahedral':
      return { kind: 'octahedral', noise: p.tokenNoise };
    case 'cross-polytope':
      return { kind: 'cross-polytope', noise: p.tokenNoise };
    case 'vmf':
      return { kind: 'vmf', clusters: p.tokenClusters, kappa: p.tokenKappa };
  }
}

/** The drift the params describe (the preset's layer schedule for `layers`). */
export function paramsDrift(p: Params): Drift {
  switch (p.driftKind) {
    case 'frozen':
      return { kind: 'frozen' };
    case 'ou':
      return { kind: 'ou', theta: p.ouTheta, target: p.ouTarget === 'identity' ? 'identity' : ouTargetMatrix(p) };
    case 'oscillating':
      return {
        kind: 'oscillating',
        rate: p.oscRate,
        frequency: p.oscFrequency,
        center: p.oscCenter,
        amplitude: p.oscAmplitude,
        offAmplitude: p.oscOffAmplitude,
      };
    case 'layers': {
      const layers = carried.get(p)?.layers;
      // No schedule carried: an empty list, which the validator reports against weights.drift.layers.
      return layers ? fitLayers(layers, p.d, p.heads) : { kind: 'layers', layerDuration: 1, layers: [] };
    }
  }
}

/** The OU target matrix of the params (d×d): zero, the carried custom matrix, or the identity. */
export function ouTargetMatrix(p: Params): Matrix {
  if (p.ouTarget === 'zero') return Array.from({ length: p.d }, () => new Array<number>(p.d).fill(0));
  const m = p.ouTarget === 'custom' ? carried.get(p)?.ouTarget : undefined;
  return m ? fitMatrix(m, p.d) : identity(p.d);
}

/** Makes `m` the OU target (ouTarget becomes 'custom'). */
export function setOuTargetMatrix(p: Params, m: Matrix): void {
  carried.set(p, { ...carried.get(p), ouTarget: cloneMatrix(m) });
  p.ouTarget = 'custom';
}

/** The layer schedule the params carry, fitted to their d and H (undefined when there is none). */
export function layerSchedule(p: Params): LayersDrift | undefined {
  const layers = carried.get(p)?.layers;
  return layers && fitLayers(layers, p.d, p.heads);
}

/** Replaces the carried layer schedule (used when driftKind is 'layers'). */
export function setLayerSchedule(p: Params, layers: LayersDrift): void {
  carried.set(p, { ...carried.get(p), layers });
}

/** Copies the preset data the GUI does not edit from `from` to `to` (after cloning params). */
export function carryOver(from: Params, to: Params): void {
  const c = carried.get(from);
  if (c) carried.set(to, c);
}

/**
 * The scenario of the params, validated: throws a ScenarioError (with `.field`) when a value
 * is out of range. Nothing here is evaluated: every field is a number, boolean or a fixed choice.
 */
export function paramsToScenario(p: Params): Scenario {
  const c = carried.get(p) ?? {};
  const init: WeightInit =
    p.initKind === 'identity'
      ? { kind: 'identity', scale: p.initScale }
      : { kind: 'random-symmetric', scale: p.initScale };
  const draft: Scenario = {
    ...(c.name !== undefined && { name: c.name }),
    ...(c.description !== undefined && { description: c.description }),
    d: p.d,
    n: p.n,
    heads: p.heads,
    replicas: p.replicas,
    beta: p.beta,
    flowSign: p.flowSign,
    attention: p.attention,
    integrator: p.integrator,
    dt: p.dt,
    T: p.T,
    seed: p.seed,
    tokens: tokenSpec(p),
    weights: { init, drift: paramsDrift(p), noiseVariance: p.driftKind === 'layers' ? 0 : p.noiseVariance },
    perturbation: { tokens: p.pertTokens, weights: p.pertWeights, sharedNoise: p.sharedNoise },
  };
  return validateScenario(draft);
}

/** A scenario that continues from a state: the given tokens and weights become the initial ones. */
export function continueFrom(s: Scenario, positions: ArrayLike<number>, weights: ArrayLike<number>): Scenario {
  const { n, d, heads: H } = s;
  const points: Matrix = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, k) => positions[i * d + k]!),
  );
  const matrices: Matrix[] = Array.from({ length: H }, (_, h) =>
    Array.from({ length: d }, (_, r) =>
      Array.from({ length: d }, (_, k) => {
        const a = weights[h * d * d + r * d + k]!,
          b = weights[h * d * d + k * d + r]!;
        return (a + b) / 2;
      }),
    ),
  );
  const weightsSpec =
    s.weights.drift.kind === 'layers' ? s.weights : { ...s.weights, init: { kind: 'explicit' as const, matrices } };
  return validateScenario({ ...s, tokens: { kind: 'explicit', points }, weights: weightsSpec });
}
