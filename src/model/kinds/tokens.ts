/**
 * Initial tokens: the `TokenSpec` union of the scenario and one descriptor per kind (fields,
 * bounds, defaults, panel labels, which d a kind needs). init.ts `initialTokens` draws each kind.
 */
import type { Matrix } from '../scenario';
import { type KindBase, kindsOf, type Member } from './field';

export type TokenSpec =
  /** Uniform on S^{d−1}. */
  | { kind: 'uniform' }
  /** d = 2: `clusters` equally spaced angles plus N(0, noise²) angle noise (paper: 5, 0.05). */
  | { kind: 'circle-clusters'; clusters: number; noise: number }
  /** d = 3: the six vertices ±e_k plus N(0, noise²) per coordinate, renormalised (paper: 0.05). */
  | { kind: 'octahedral'; noise: number }
  /** Any d: the 2d vertices ±e_k plus N(0, noise²) per coordinate, renormalised. */
  | { kind: 'cross-polytope'; noise: number }
  /** `clusters` von Mises–Fisher blobs of concentration `kappa` around uniformly drawn centres. */
  | { kind: 'vmf'; clusters: number; kappa: number }
  /** n×d user points, each renormalised to unit length (a zero row is rejected). */
  | { kind: 'explicit'; points: Matrix };

export type TokenKind = TokenSpec['kind'];

interface TokenExtras {
  /** The only d the kind lives in, and the validator's advice when d differs. */
  readonly onlyD?: { readonly d: number; readonly advice: string };
}

export type TokenDescriptor<K extends TokenKind> = KindBase<Member<TokenSpec, K>> & TokenExtras;

const CLUSTERS = { integer: true, min: 1, max: 1024 } as const;
const NOISE = { label: 'noise', default: 0.05, min: 0, max: 10 } as const;

export const TOKEN_KINDS: { readonly [K in TokenKind]: TokenDescriptor<K> } = {
  uniform: { label: 'uniform', numbers: {}, data: [], inPanel: true },
  'circle-clusters': {
    label: 'circle-clusters',
    numbers: { clusters: { label: 'clusters', default: 5, ...CLUSTERS }, noise: NOISE },
    data: [],
    inPanel: true,
    onlyD: {
      d: 2,
      advice:
        '"circle-clusters" lives on the circle and needs d = 2 (got d = {d}); use "cross-polytope", "vmf" or "uniform" instead',
    },
  },
  octahedral: {
    label: 'octahedral',
    numbers: { noise: NOISE },
    data: [],
    inPanel: true,
    onlyD: {
      d: 3,
      advice: '"octahedral" needs d = 3 (got d = {d}); use "cross-polytope" for the 2d vertices ±e_k in any d',
    },
  },
  'cross-polytope': { label: 'cross-polytope', numbers: { noise: NOISE }, data: [], inPanel: true },
  vmf: {
    label: 'vmf',
    numbers: {
      clusters: { label: 'clusters', default: 4, ...CLUSTERS },
      kappa: { label: 'κ (vMF)', default: 50, min: 0, gt: true, max: 1e6 },
    },
    data: [],
    inPanel: true,
  },
  explicit: { label: 'explicit', numbers: {}, data: ['points'], inPanel: false },
};

export const TOKEN_KIND_LIST = kindsOf(TOKEN_KINDS);
