/** Initial weights D_h(0): the `WeightInit` union of the scenario and one descriptor per kind. */
import type { Matrix } from '../scenario';
import { type KindBase, kindsOf, type Member } from './field';

export type WeightInit =
  /** The paper's D_h(0) = Z + Zᵀ, Z standard normal (seeded), times `scale` (default 1). */
  | { kind: 'random-symmetric'; scale: number }
  /** D_h(0) = scale · I. */
  | { kind: 'identity'; scale: number }
  /** H symmetric d×d matrices. */
  | { kind: 'explicit'; matrices: Matrix[] };

export type WeightInitKind = WeightInit['kind'];

const SCALE = { label: 'D(0) scale', default: 1, maxAbs: 1e3 } as const;

export const INIT_KINDS: { readonly [K in WeightInitKind]: KindBase<Member<WeightInit, K>> } = {
  'random-symmetric': { label: 'random-symmetric', numbers: { scale: SCALE }, data: [], inPanel: true },
  identity: { label: 'identity', numbers: { scale: SCALE }, data: [], inPanel: true },
  explicit: { label: 'explicit', numbers: {}, data: ['matrices'], inPanel: false },
};

export const INIT_KIND_LIST = kindsOf(INIT_KINDS);
