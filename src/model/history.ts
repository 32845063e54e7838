/**
 * A run's history: engine snapshots (src/model/engine.ts) keyed by step, within a byte budget.
 * Pure (no timers, no engine): the session adds snapshots as the run goes on, the timeline asks
 * for the kept steps and for the snapshot to restore at a chosen step.
 *
 * Budget: the bytes of the kept snapshots' arrays (positions + weights, their byteLength; the
 * drift object and the map's bookkeeping are not counted). When an added snapshot takes the
 * total over the budget, interior snapshots are dropped one at a time, each time the one whose
 * removal leaves the smallest gap relative to its age (distance to the newest step), until the
 * total fits. That keeps the spacing roughly proportional to age — recent history dense, old
 * history geometrically thinned — and always keeps the first snapshot (step 0 of a run) and the
 * newest. So bytesKept ≤ max(budget, bytes of the first + the newest snapshot).
 */
import type { EngineSnapshot } from './engine';

/** Default budget of a run's history: 256 MiB. */
export const HISTORY_BUDGET_BYTES = 256 * 1024 ** 2;

/** Bytes a snapshot counts for: its positions and weights arrays. */
export function snapshotBytes(s: EngineSnapshot): number {
  return s.positions.byteLength + s.weights.byteLength;
}

/** Snapshots of one run, oldest first, thinned to a byte budget. */
export class History {
  private readonly list: EngineSnapshot[] = [];
  private bytes = 0;
  private budget: number;

  constructor(budgetBytes = HISTORY_BUDGET_BYTES) {
    this.budget = History.checkBudget(budgetBytes);
  }

  private static checkBudget(b: number): number {
    if (!Number.isFinite(b) || b <= 0)
      throw new RangeError(`history budget must be a positive number of bytes, got ${b}`);
    return b;
  }

  /** The budget in bytes. */
  get budgetBytes(): number {
    return this.budget;
  }

  /** Sets the budget (thins at once if the kept snapshots exceed it). */
  setBudget(bytes: number): number[] {
    this.budget = History.checkBudget(bytes);
    return this.thin();
  }

  /** Bytes of the kept snapshots (snapshotBytes summed). */
  get bytesKept(): number {
    return this.bytes;
  }

  get size(): number {
    return this.list.length;
  }

  /** Kept steps, ascending. */
  steps(): number[] {
    return this.list.map((s) => s.stepIndex);
  }

  /** The first and newest kept steps, or undefined when empty. */
  range(): { first: number; last: number } | undefined {
    if (this.list.length === 0) return undefined;
    return { first: this.list[0]!.stepIndex, last: this.list[this.list.length - 1]!.stepIndex };
  }

  /**
   * Adds `snap` (the caller gives up the arrays). Its step must not be before the newest kept
   * one; the same step replaces it. Returns the steps dropped to keep the budget.
   */
  add(snap: EngineSnapshot): number[] {
    const last = this.list[this.list.length - 1];
    if (last && snap.stepIndex < last.stepIndex)
      throw new RangeError(
        `history: snapshot at step ${snap.stepIndex} is before the newest kept one (${last.stepIndex}); truncate first`,
      );
    if (last && snap.stepIndex === last.stepIndex) {
      this.bytes -= snapshotBytes(last);
      this.list.pop();
    }
    this.list.push(snap);
    this.bytes += snapshotBytes(snap);
    return this.thin();
  }

  /** The kept snapshot at the largest step ≤ `step`, or undefined (before the first). */
  atOrBefore(step: number): EngineSnapshot | undefined {
    let lo = 0,
      hi = this.list.length - 1,
      found: EngineSnapshot | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.list[mid]!;
      if (s.stepIndex <= step) {
        found = s;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Drops the snapshots after `step` (a replay or branch from there writes its own). Returns their steps. */
  truncateAfter(step: number): number[] {
    const dropped: number[] = [];
    while (this.list.length > 0 && this.list[this.list.length - 1]!.stepIndex > step) {
      const s = this.list.pop()!;
      this.bytes -= snapshotBytes(s);
      dropped.push(s.stepIndex);
    }
    return dropped.reverse();
  }

  clear(): void {
    this.list.length = 0;
    this.bytes = 0;
  }

  /** Drops interior snapshots (see the file comment) until the budget holds; their steps. */
  private thin(): number[] {
    const dropped: number[] = [];
    const L = this.list;
    while (this.bytes > this.budget && L.length > 2) {
      const newest = L[L.length - 1]!.stepIndex;
      let best = -1,
        cost = Infinity;
      for (let i = 1; i < L.length - 1; i++) {
        const gap = L[i + 1]!.stepIndex - L[i - 1]!.stepIndex;
        const c = gap / (newest - L[i]!.stepIndex);
        if (c < cost) {
          cost = c;
          best = i;
        }
      }
      const [s] = L.splice(best, 1);
      this.bytes -= snapshotBytes(s!);
      dropped.push(s!.stepIndex);
    }
    return dropped;
  }
}
