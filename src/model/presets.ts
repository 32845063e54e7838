/**
 * Named scenarios: the paper's six Section 6 experiments (MODEL.md table) and teaching demos.
 * Each preset is a function of nothing that returns a fresh, valid Scenario; the paper's
 * presets take H (one of the values the paper sweeps) and default to the first.
 */
import { DEFAULT_PERTURBATION, PAPER_OSCILLATION, type Drift, type Scenario, type TokenSpec } from './scenario';

export interface Preset {
  id: string;
  title: string;
  /** One or two sentences: what to look for. */
  lookFor: string;
  /** The head counts the paper sweeps for this experiment (for the H sweep), if any. */
  sweepHeads?: number[];
  build: (heads?: number) => Scenario;
}

const OU: Drift = { kind: 'ou', theta: 1, target: 'identity' };

function paper(
  d: number,
  n: number,
  tokens: TokenSpec,
  drift: Drift,
  noiseVariance: number,
  replicas: number,
  heads: number,
  name: string,
  description: string,
): Scenario {
  return {
    name,
    description,
    d,
    n,
    heads,
    replicas,
    beta: 1,
    flowSign: -1,
    attention: 'softmax',
    integrator: 'euler',
    dt: 5e-3,
    T: 20,
    seed: 2026,
    tokens,
    weights: { init: { kind: 'random-symmetric', scale: 1 }, drift, noiseVariance },
    perturbation: { ...DEFAULT_PERTURBATION },
  };
}

const S1_TOKENS: TokenSpec = { kind: 'circle-clusters', clusters: 5, noise: 0.05 };
const S2_TOKENS: TokenSpec = { kind: 'octahedral', noise: 0.05 };
const S4_TOKENS: TokenSpec = { kind: 'cross-polytope', noise: 0.05 };
const OSC_LOOK =
  'Under oscillating weights the clusters keep orbiting: G² does not decay in time. Compare one head with many: the phase-shifted head targets cancel in the average.';
const OU_LOOK =
  'Under Ornstein–Uhlenbeck weights the tokens cluster while the weights jitter; the time-averaged G² falls roughly like 1/H (run the H sweep).';

/** A symmetric matrix from its upper triangle, for hand-written layer schedules. */
function sym(rows: number[][]): number[][] {
  return rows.map((row, i) => row.map((v, j) => (j >= i ? v : rows[j]![i]!)));
}

/** The paper's three spheres (§6); each runs with oscillating and with OU weights. */
const PAPER_RUNS = [
  { id: 's1', sphere: 'S¹', d: 2, n: 100, tokens: S1_TOKENS, sweepHeads: [1, 5, 20], ouT: 10 },
  { id: 's2', sphere: 'S²', d: 3, n: 200, tokens: S2_TOKENS, sweepHeads: [1, 10, 100], ouT: 10 },
  { id: 's4', sphere: 'S⁴', d: 5, n: 200, tokens: S4_TOKENS, sweepHeads: [1, 10, 100], ouT: 20 },
];

const PAPER_PRESETS: Preset[] = PAPER_RUNS.flatMap((r): Preset[] => [
  {
    id: `${r.id}-oscillating`,
    title: `${r.sphere} oscillating (paper §6)`,
    lookFor: OSC_LOOK,
    sweepHeads: [...r.sweepHeads],
    build: (H = 1) => paper(r.d, r.n, r.tokens, { ...PAPER_OSCILLATION }, 0, 1, H, `${r.sphere} oscillating`, OSC_LOOK),
  },
  {
    id: `${r.id}-ou`,
    title: `${r.sphere} Ornstein–Uhlenbeck (paper §6)`,
    lookFor: OU_LOOK,
    sweepHeads: [...r.sweepHeads],
    build: (H = 1) => paper(r.d, r.n, r.tokens, OU, 2, r.ouT, H, `${r.sphere} OU`, OU_LOOK),
  },
]);

export const PRESETS: Preset[] = [
  ...PAPER_PRESETS,
  {
    id: 'clustering-beta1',
    title: 'One head, D = I, β = 1 (residual sign)',
    lookFor:
      'The transformer residual flow (sign +1) with D = I: uniform tokens contract into a single cluster (Geshkovski et al.).',
    build: () =>
      teaching(
        'Clustering, β = 1',
        1,
        'The transformer residual flow (sign +1) with D = I: uniform tokens contract into a single cluster.',
      ),
  },
  {
    id: 'clustering-beta9',
    title: 'One head, D = I, β = 9 (metastable clusters)',
    lookFor:
      'At high β attention is local: tokens first gather into several clusters that linger for a long time, then merge slowly, one pair at a time.',
    build: () => ({
      ...teaching('Metastable clusters, β = 9', 9, 'At high β tokens gather into several clusters that merge slowly.'),
      T: 60,
    }),
  },
  {
    id: 'metastability',
    title: 'Metastability: the energy staircase (S¹, β = 50, T = 10⁴)',
    lookFor:
      'Tick "log t" above the plots: 64 tokens gather in a few time units into about ten clusters, which then merge one at a time after ever longer plateaux (t ≈ 30, ≈ 1,100): the energy climbs a staircase in log t. β can go up to ≈ 709 here (e^β must fit a float64); over T = 20 the float32 WebGPU engine stays within ~3·10⁻⁶ of the float64 one in token position at every such β (docs/EXPERIMENTS.md), but a merge time on a long plateau is sensitive to such differences.',
    build: () => ({
      ...teaching(
        'Metastability, β = 50',
        50,
        'At β = 50 the clusters formed early merge only after exponentially long plateaux: the energy is a staircase in log t.',
      ),
      d: 2,
      n: 64,
      dt: 0.05,
      T: 1e4,
    }),
  },
  {
    id: 'one-vs-many',
    title: 'One head vs many (frozen random weights)',
    lookFor:
      'Frozen random weights: with one head the tokens settle along the top eigen-directions of D; raise H and the averaged field becomes closer to isotropic.',
    build: (H = 1) => ({
      ...teaching('Frozen random heads', 1, 'Frozen random weights, paper sign: the energy can only fall.'),
      flowSign: -1,
      heads: H,
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    }),
  },
  {
    id: 'layers',
    title: 'Layer-by-layer transformer (3 layers × 2 heads)',
    lookFor:
      'Each layer holds its own matrices for two time units: watch the head axes jump at the layer boundaries and the energy jump with them (the balance accounts for it).',
    build: () => ({
      ...teaching('Layer schedule', 1, 'Three layers of two heads, each holding for two time units.'),
      heads: 2,
      T: 6,
      weights: {
        init: { kind: 'identity', scale: 1 },
        noiseVariance: 0,
        drift: {
          kind: 'layers',
          layerDuration: 2,
          // biome-ignore format: matrix rows
          layers: [
            [sym([[2, 0, 0], [0, 0.5, 0], [0, 0, -1]]), sym([[0.5, 1, 0], [0, 0.5, 0], [0, 0, 0.5]])],
            [sym([[-1, 0, 0], [0, 2, 0], [0, 0, 0.5]]), sym([[1, 0, 0.8], [0, 1, 0], [0, 0, 1]])],
            [sym([[1, 0, 0], [0, 1, 0], [0, 0, 3]]), sym([[2, 0, 0], [0, 2, 0], [0, 0, 2]])],
          ],
        },
      },
    }),
  },
];

/** A teaching demo: 512 uniform tokens on S², one head, D = I frozen, the residual sign (+1). */
function teaching(name: string, beta: number, description: string): Scenario {
  const s = paper(3, 512, { kind: 'uniform' }, { kind: 'frozen' }, 0, 1, 1, name, description);
  const weights = { ...s.weights, init: { kind: 'identity', scale: 1 } } as const;
  return { ...s, beta, flowSign: 1, dt: 0.01, T: 30, seed: 11, weights };
}

/** The preset with this id; throws with the list of known ids otherwise. */
export function preset(id: string): Preset {
  const p = PRESETS.find((q) => q.id === id);
  if (!p) throw new Error(`unknown preset "${id}" (known: ${PRESETS.map((q) => q.id).join(', ')})`);
  return p;
}

/** The playground's embedded default. */
export const DEFAULT_PRESET_ID = 's2-oscillating';
