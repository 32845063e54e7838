/**
 * Branches: a run continued from a kept state of another run under changed settings. A branch is
 * (base scenario, branch step, branched scenario): rerunning the base to the branch step (the
 * noise depends on the step only, so it is the same state) and continuing under the branched
 * scenario reproduces it — what a branch link carries (src/app/url.ts).
 *
 * When the shape changes (n, H or P; d cannot change), the state is carried over as far as it
 * fits: token i of replica r keeps its position when both exist in the two shapes, other tokens
 * take the branched scenario's own initial positions; the weights are kept when H and P are
 * unchanged, otherwise every head starts from the branched scenario's initial weights. The clock
 * goes on from the branch step either way.
 */
import { type EngineShape, type EngineSnapshot, engineShape } from './engine';
import type { Scenario } from './scenario';

/** What a branch link and the branch list hold. */
export interface BranchSpec {
  base: Scenario;
  /** The step the branch starts from (a kept snapshot of the base run). */
  at: number;
  /** The branched scenario (the base with the change). */
  next: Scenario;
}

/** Whether `next` can branch from a state of `base`: the same dimension d (and a step inside next's T). */
export function canBranch(base: Scenario, next: Scenario, at: number): boolean {
  return base.d === next.d && at * next.dt < next.T + 1e-12;
}

/** Whether the traces can go on from the base's (the same rows: P and the balance's dt, sign and quadrature). */
export function sameTraceShape(base: Scenario, next: Scenario): boolean {
  return (
    base.replicas === next.replicas &&
    base.n === next.n &&
    base.dt === next.dt &&
    base.flowSign === next.flowSign &&
    base.integrator === next.integrator
  );
}

const same = (a: EngineShape, b: EngineShape): boolean =>
  a.replicas === b.replicas && a.n === b.n && a.d === b.d && a.heads === b.heads;

/**
 * The state a branch starts from: `snap` (of the base run) fitted to `next`'s shape with
 * `fresh` (a step-0 snapshot of an engine built for `next`) filling what does not carry over
 * (see the file comment); the step is snap's, the drift next's.
 */
export function branchState(snap: EngineSnapshot, next: Scenario, fresh: EngineSnapshot): EngineSnapshot {
  const shape = engineShape(next);
  if (!same(fresh.shape, shape))
    throw new RangeError('branchState: the fresh snapshot is not of the branched scenario');
  if (snap.shape.d !== shape.d)
    throw new RangeError(`branchState: d changes (${snap.shape.d} → ${shape.d}); start anew`);
  const drift = structuredClone(next.weights.drift);
  if (same(snap.shape, shape))
    return { ...snap, positions: snap.positions.slice(), weights: snap.weights.slice(), drift };
  const { d } = shape;
  const positions = fresh.positions.slice();
  const { replicas: P0, n: n0 } = snap.shape;
  for (let r = 0; r < Math.min(P0, shape.replicas); r++)
    for (let i = 0; i < Math.min(n0, shape.n); i++)
      for (let c = 0; c < d; c++) positions[(r * shape.n + i) * d + c] = snap.positions[(r * n0 + i) * d + c]!;
  const keepWeights = snap.shape.heads === shape.heads && P0 === shape.replicas;
  const weights = keepWeights ? Float64Array.from(snap.weights) : fresh.weights.slice();
  return { shape, stepIndex: snap.stepIndex, positions, weights, drift };
}

/** A short label of what `next` changes from `base` ("β 1 → 2", "H 1 → 10, schedule ou → frozen"). */
export function describeChange(base: Scenario, next: Scenario): string {
  const parts: string[] = [];
  const diff = (name: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) parts.push(`${name} ${short(a)} → ${short(b)}`);
  };
  diff('H', base.heads, next.heads);
  diff('n', base.n, next.n);
  diff('P', base.replicas, next.replicas);
  diff('β', base.beta, next.beta);
  diff('σ²', base.weights.noiseVariance, next.weights.noiseVariance);
  diff('schedule', base.weights.drift.kind, next.weights.drift.kind);
  if (base.weights.drift.kind === next.weights.drift.kind) diff('schedule', base.weights.drift, next.weights.drift);
  diff('integrator', base.integrator, next.integrator);
  diff('dt', base.dt, next.dt);
  diff('T', base.T, next.T);
  diff('seed', base.seed, next.seed);
  diff('attention', base.attention, next.attention);
  diff('sign', base.flowSign, next.flowSign);
  diff('D(0)', base.weights.init, next.weights.init);
  diff('tokens', base.tokens, next.tokens);
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}
