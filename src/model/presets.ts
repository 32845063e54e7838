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

export const PRESETS: Preset[] = [
  {
    id: 's1-oscillating',
    title: 'S¹ oscillating (paper §6)',
    lookFor: OSC_LOOK,
    sweepHeads: [1, 5, 20],
    build: (H = 1) => paper(2, 100, S1_TOKENS, { ...PAPER_OSCILLATION }, 0, 1, H, 'S¹ oscillating', OSC_LOOK),
  },
  {
    id: 's1-ou',
    title: 'S¹ Ornstein–Uhlenbeck (paper §6)',
    lookFor: OU_LOOK,
    sweepHeads: [1, 5, 20],
    build: (H = 1) => paper(2, 100, S1_TOKENS, OU, 2, 10, H, 'S¹ OU', OU_LOOK),
  },
  {
    id: 's2-oscillating',
    title: 'S² oscillating (paper §6)',
    lookFor: OSC_LOOK,
    sweepHeads: [1, 10, 100],
    build: (H = 1) => paper(3, 200, S2_TOKENS, { ...PAPER_OSCILLATION }, 0, 1, H, 'S² oscillating', OSC_LOOK),
  },
  {
    id: 's2-ou',
    title: 'S² Ornstein–Uhlenbeck (paper §6)',
    lookFor: OU_LOOK,
    sweepHeads: [1, 10, 100],
    build: (H = 1) => paper(3, 200, S2_TOKENS, OU, 2, 10, H, 'S² OU', OU_LOOK),
  },
  {
    id: 's4-oscillating',
    title: 'S⁴ oscillating (paper §6)',
    lookFor: OSC_LOOK,
    sweepHeads: [1, 10, 100],
    build: (H = 1) => paper(5, 200, S4_TOKENS, { ...PAPER_OSCILLATION }, 0, 1, H, 'S⁴ oscillating', OSC_LOOK),
  },
  {
    id: 's4-ou',
    title: 'S⁴ Ornstein–Uhlenbeck (paper §6)',
    lookFor: OU_LOOK,
    sweepHeads: [1, 10, 100],
    build: (H = 1) => paper(5, 200, S4_TOKENS, OU, 2, 20, H, 'S⁴ OU', OU_LOOK),
  },
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
          layers: [
            [
              sym([
                [2, 0, 0],
                [0, 0.5, 0],
                [0, 0, -1],
              ]),
              sym([
                [0.5, 1, 0],
                [0, 0.5, 0],
                [0, 0, 0.5],
              ]),
            ],
            [
              sym([
                [-1, 0, 0],
                [0, 2, 0],
                [0, 0, 0.5],
              ]),
              sym([
                [1, 0, 0.8],
                [0, 1, 0],
                [0, 0, 1],
              ]),
            ],
            [
              sym([
                [1, 0, 0],
                [0, 1, 0],
                [0, 0, 3],
              ]),
              sym([
                [2, 0, 0],
                [0, 2, 0],
                [0, 0, 2],
              ]),
            ],
          ],
        },
      },
    }),
  },
];

function teaching(name: string, beta: number, description: string): Scenario {
  return {
    name,
    description,
    d: 3,
    n: 512,
    heads: 1,
    replicas: 1,
    beta,
    flowSign: 1,
    attention: 'softmax',
    integrator: 'euler',
    dt: 0.01,
    T: 30,
    seed: 11,
    tokens: { kind: 'uniform' },
    weights: { init: { kind: 'identity', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    perturbation: { ...DEFAULT_PERTURBATION },
  };
}

/** The preset with this id; throws with the list of known ids otherwise. */
export function preset(id: string): Preset {
  const p = PRESETS.find((q) => q.id === id);
  if (!p) throw new Error(`unknown preset "${id}" (known: ${PRESETS.map((q) => q.id).join(', ')})`);
  return p;
}

/** The playground's embedded default. */
export const DEFAULT_PRESET_ID = 's2-oscillating';
