/**
 * Branch states (src/model/branch.ts): the same shape carries the whole state over; a change of
 * H keeps the tokens and takes fresh weights; a change of n keeps the common tokens; a branch
 * run equals the base run up to the branch step and differs after; the change is labelled.
 */
import { describe, expect, it } from 'vitest';
import { branchState, canBranch, describeChange, sameTraceShape } from '../../src/model/branch';
import { CpuSimEngine } from '../../src/model/engine';
import { ouWeights, smallScenario } from './helpers';

const BASE = smallScenario({ heads: 2, weights: ouWeights(1), T: 0.4 });

describe('branch', () => {
  it('same shape: the whole state, the step kept, the drift of the branch', async () => {
    const e = new CpuSimEngine(BASE);
    await e.advance(10);
    const snap = await e.snapshot();
    const next = { ...BASE, beta: 3, weights: { ...BASE.weights, drift: { kind: 'frozen' as const } } };
    const st = branchState(snap, next, await new CpuSimEngine(next).snapshot());
    expect(st.stepIndex).toBe(10);
    expect(Array.from(st.positions)).toEqual(Array.from(snap.positions));
    expect(Array.from(st.weights)).toEqual(Array.from(snap.weights));
    expect(st.drift).toEqual({ kind: 'frozen' });
    expect(sameTraceShape(BASE, next)).toBe(true);
    expect(describeChange(BASE, next)).toBe('β 1 → 3, schedule ou → frozen');
  });

  it('H changes: tokens kept, fresh weights of the new H; n changes: the common tokens kept', async () => {
    const e = new CpuSimEngine(BASE);
    await e.advance(10);
    const snap = await e.snapshot();
    const moreHeads = { ...BASE, heads: 5 };
    const fresh = await new CpuSimEngine(moreHeads).snapshot();
    const st = branchState(snap, moreHeads, fresh);
    expect(st.shape.heads).toBe(5);
    expect(Array.from(st.positions)).toEqual(Array.from(snap.positions));
    expect(Array.from(st.weights)).toEqual(Array.from(fresh.weights));
    const fewer = { ...BASE, n: 10 };
    const st2 = branchState(snap, fewer, await new CpuSimEngine(fewer).snapshot());
    expect(Array.from(st2.positions)).toEqual(Array.from(snap.positions.subarray(0, 30)));
    const more = { ...BASE, n: 20 };
    const f3 = await new CpuSimEngine(more).snapshot();
    const st3 = branchState(snap, more, f3);
    expect(Array.from(st3.positions.subarray(0, 48))).toEqual(Array.from(snap.positions));
    expect(Array.from(st3.positions.subarray(48))).toEqual(Array.from(f3.positions.subarray(48)));
    // The restored engine runs from the branch step.
    const b = new CpuSimEngine(moreHeads);
    await b.restore(st);
    expect(b.stepIndex).toBe(10);
    expect(() => branchState(snap, { ...BASE, d: 4 }, fresh)).toThrow(/not of the branched scenario/);
    expect(canBranch(BASE, { ...BASE, d: 4 }, 10)).toBe(false);
    expect(canBranch(BASE, { ...BASE, T: 0.05 }, 10)).toBe(false);
    expect(describeChange(BASE, moreHeads)).toBe('H 2 → 5');
  });

  it('a branch equals the base up to the branch step and differs after', async () => {
    const base = new CpuSimEngine(BASE);
    const rows = Array.from((await base.advance(30)).records);
    const replay = new CpuSimEngine(BASE);
    const before = Array.from((await replay.advance(12)).records);
    const next = { ...BASE, beta: 2 };
    const branch = new CpuSimEngine(next);
    await branch.restore(branchState(await replay.snapshot(), next, await branch.snapshot()));
    const after = Array.from((await branch.advance(18)).records);
    const width = rows.length / 30;
    expect(before).toEqual(rows.slice(0, 12 * width));
    // The row at the branch step already has β = 2 in its energy.
    expect(after.slice(0, width)).not.toEqual(rows.slice(12 * width, 13 * width));
    expect(after.length).toBe(18 * width);
  });
});
