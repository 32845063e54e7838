/**
 * The transferred-copies path of the browser's CPU fallback (src/model/kernel/row-split.ts): the
 * float64 engine with its row loads split over 1, 2 and 3 row workers by message gives the same
 * bits as one thread — every diagnostic row, the final tokens and weights — and counts every row
 * pair. The workers here are in-process ports that do what postMessage does (a structured clone
 * with the arrays transferred, the answer on a later task) and answer with serveRows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIAG_SIZE } from '../../src/model/attention';
import { CpuSimEngine } from '../../src/model/engine';
import { TABLEAUX } from '../../src/model/integrators';
import { rowPairsPerEvaluation, setRowProgress, THREAD_MIN_PAIR_HEADS } from '../../src/model/kernel/row-kernel';
import { evenSplit, type RowPort, type RowRequest, RowSplitter, serveRows } from '../../src/model/kernel/row-split';
import { PAPER_OSCILLATION, type Scenario } from '../../src/model/scenario';
import { ouWeights, smallScenario } from './helpers';

/** A port to an in-process "worker": the request is cloned with its arrays transferred, answered on a later task. */
class FakePort implements RowPort {
  requests: { p0: number; p1: number }[] = [];
  constructor(private readonly fail = false) {}
  request(r: RowRequest): Promise<Float64Array> {
    const sent = structuredClone(r, { transfer: [r.x.buffer, r.u.buffer] });
    // The caller's copies are gone, as after postMessage with transfer.
    expect(r.x.length).toBe(0);
    this.requests.push({ p0: sent.p0, p1: sent.p1 });
    return new Promise((ok, ko) =>
      setTimeout(() => {
        if (this.fail) return ko(new Error('row worker crashed'));
        const out = serveRows(sent);
        ok(structuredClone(out, { transfer: [out.buffer] }));
      }, 0),
    );
  }
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

async function run(s: Scenario, splitter?: RowSplitter) {
  const e = new CpuSimEngine(s, splitter ? { rows: splitter } : { threads: 1 });
  const batch = e.advance(3);
  const batch2 = e.advance(2);
  // Calls are ordered: this read sees the state after both advances, though neither has settled.
  const x = e.readPositions();
  expect(e.stepIndex).toBe(5);
  const rows = [...(await batch).records, ...(await batch2).records, ...(await e.evaluate())];
  return { rows, x: await x, D: await e.readWeights() };
}

afterEach(() => setRowProgress(undefined));

describe('row loads split over row workers by message', () => {
  const cases: [string, Scenario][] = [
    [
      'oscillating, Euler, 2 replicas, odd n',
      smallScenario({
        n: 151,
        heads: 8,
        replicas: 2,
        weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 0 },
      }),
    ],
    [
      'OU σ² = 2 (Itô rows), Heun',
      smallScenario({ n: 130, d: 3, heads: 9, weights: ouWeights(2), integrator: 'heun' }),
    ],
    ['d = 5, RK4', smallScenario({ n: 90, d: 5, heads: 20, integrator: 'rk4' })],
  ];
  it.each(cases)('%s: 1, 2, 3 workers give the bits of one thread for every row and the final state', async (_, s) => {
    expect(s.n * s.n * s.heads).toBeGreaterThanOrEqual(THREAD_MIN_PAIR_HEADS);
    const one = await run(s);
    expect(one.rows.length).toBe(6 * s.replicas * DIAG_SIZE);
    expect(one.rows.every(Number.isFinite)).toBe(true);
    for (const workers of [1, 2, 3]) {
      const ports = Array.from({ length: workers }, () => new FakePort());
      const many = await run(s, new RowSplitter(ports));
      expect(sameBits(many.rows, one.rows)).toBe(-1);
      expect(sameBits(many.x, one.x)).toBe(-1);
      expect(sameBits(many.D, one.D)).toBe(-1);
      // Every worker ran rows of every evaluation (5 steps × stages × replicas + the final one).
      const evaluations = (5 * TABLEAUX[s.integrator].b.length + 1) * s.replicas;
      for (const p of ports) expect(p.requests.length).toBe(evaluations);
    }
  });

  it('counts every row pair (the fallback worker posts "next step NN %" from it)', async () => {
    const s = smallScenario({ n: 101, heads: 8, integrator: 'heun' });
    const counter = new BigInt64Array(1);
    setRowProgress(counter);
    const e = new CpuSimEngine(s, { rows: new RowSplitter([new FakePort(), new FakePort()]) });
    await e.advance(2);
    expect(Number(counter[0])).toBe(2 * 2 * rowPairsPerEvaluation(s.n, s.heads));
  });

  it('rejects the step when a row worker fails', async () => {
    const s = smallScenario({ n: 101, heads: 8 });
    const e = new CpuSimEngine(s, { rows: new RowSplitter([new FakePort(true)]) });
    await expect(e.advance(1)).rejects.toThrow(/row worker crashed/);
  });

  it('splits pairs into contiguous near-equal ranges', () => {
    expect(evenSplit(10, 3)).toEqual([0, 3, 6, 10]);
    expect(evenSplit(2, 2)).toEqual([0, 1, 2]);
  });

  it('refuses a request whose arrays do not match its sizes, naming them', () => {
    const r: RowRequest = {
      n: 4,
      d: 3,
      heads: 1,
      ito: false,
      p0: 0,
      p1: 2,
      x: new Float64Array(12),
      u: new Float64Array(5),
    };
    expect(() => serveRows(r)).toThrow(/sizes do not match n = 4, d = 3, heads = 1, pairs 0…2/);
  });
});
