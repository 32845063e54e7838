/**
 * The frame budget (GpuEngine.setFrameBudget): steps whose attention dispatches are split into
 * token ranges over several submits give the same rows, tokens and weights bit for bit as the
 * whole-batch run (the sums per token do not depend on how tokens are grouped into dispatches),
 * and match float64 within the tolerances of compare.ts; every case of cases.ts (all three
 * kernels, noise, a layer schedule with its jump-energy dispatch, P > 1), ranges of one and two
 * token workgroups and the adaptive (milliseconds) budget.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  BATCH_GATE_MAX_MS,
  createGpuEngine,
  type FrameBudget,
  type GpuEngine,
  MEASURED_CAP,
} from '../../src/gpu/index';
import type { SubmitPace } from '../../src/gpu/submit-pace';
import { attentionShape, FINE_WG, fineShape } from '../../src/gpu/attention-pass';
import { CpuSimEngine } from '../../src/model/engine';
import { TABLEAUX } from '../../src/model/integrators';
import type { Scenario } from '../../src/model/scenario';
import { DEFAULT_TUNABLES } from '../../src/gpu/tunables';
import { CASES } from './cases';
import { runAndCompare } from './compare';
import { releaseTestDevice, testDevice } from './device';
import { advanceAndRead, expectSameRun } from '../unit/helpers';

afterAll(releaseTestDevice);

/** Token workgroups of one attention dispatch of `s`. */
function groups(s: Scenario): number {
  return Math.ceil(s.n / attentionShape(s).tokensPerWorkgroup);
}

/** The case with n doubled until its attention dispatch has at least two token workgroups. */
function withGroups(s: Scenario): Scenario {
  let n = s.n;
  while (groups({ ...s, n }) < 2) n *= 2;
  return { ...s, n };
}

/** Counts the submits on `device`'s queue until `restore()`. */
function countSubmits(device: GPUDevice): { readonly submits: number; restore(): void } {
  const queue = device.queue;
  const submit = queue.submit.bind(queue);
  const counter = {
    submits: 0,
    restore: () => {
      queue.submit = submit;
    },
  };
  queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
    counter.submits++;
    submit(buffers);
  };
  return counter;
}

const BUDGETS: FrameBudget[] = [{ columns: 1 }, { columns: 3 }, { ms: 1e-3 }];

describe('GPU engine frame budget', () => {
  CASES.forEach((c, index) => {
    const budget = BUDGETS[index % BUDGETS.length]!;
    it(`split steps are bit-identical to whole ones and match float64 (${c.name}, split at n = ${withGroups(c.scenario).n}, ${JSON.stringify(budget)})`, async () => {
      const scenario = withGroups(c.scenario);
      expect(groups(scenario), 'the case has several token workgroups to split').toBeGreaterThan(1);
      const device = await testDevice();
      const engines: GpuEngine[] = [];
      const engine = async (s: Scenario, b: FrameBudget | undefined) => {
        const e = await createGpuEngine(s, { device });
        engines.push(e);
        await e.setFrameBudget(b);
        return e;
      };
      try {
        // Against float64 on the case itself (its tolerances hold at its n).
        await runAndCompare(await engine(c.scenario, budget), new CpuSimEngine(c.scenario), 2, 4);
        // Bit for bit against the whole run at an n with several token workgroups.
        const whole = await engine(scenario, undefined);
        const split = await engine(scenario, budget);
        const [a, b] = [split.advance(3), split.advance(3)];
        const [wa, wb] = [whole.advance(3), whole.advance(3)];
        expect([await a, await b]).toEqual([await wa, await wb]);
        expect(split.stepIndex).toBe(6);
        expectSameRun(await advanceAndRead(split, 2), await advanceAndRead(whole, 2));
        expect(await split.evaluate()).toEqual(await whole.evaluate());
      } finally {
        for (const e of engines) e.destroy();
      }
    });
  });

  it('a millisecond budget splits only dispatches past it: from a prior before any measurement, then from measured time', async () => {
    const c = CASES[0]!;
    const scenario = withGroups(c.scenario);
    const device = await testDevice();
    const counted = countSubmits(device);
    const count = async (e: GpuEngine, k: number): Promise<number> => {
      const before = counted.submits;
      await e.advance(k);
      return counted.submits - before;
    };
    const roomy = await createGpuEngine(scenario, { device });
    const tight = await createGpuEngine(scenario, { device });
    const app = await createGpuEngine(scenario, { device });
    try {
      // Resolved once the latency of an empty submit is measured (those submits are not counted below).
      await roomy.setFrameBudget({ ms: 1e6 });
      await tight.setFrameBudget({ ms: 1e-3 });
      await app.setFrameBudget({ ms: 100 });
      // One submit per column of every attention dispatch: a dispatch per stage per step.
      const columns = groups(scenario) * scenario.heads * TABLEAUX[scenario.integrator].b.length * 3;
      // Before any measurement the prior (software rendering's rate) decides: a small case fits the
      // app's 100 ms and a huge budget whole, and is split column by column under 1 µs.
      expect(await count(roomy, 3)).toBe(1);
      expect(await count(app, 3)).toBe(1);
      expect(await count(tight, 3)).toBe(columns);
      // Measured: the same.
      expect(await count(roomy, 3)).toBe(1);
      expect(await count(app, 3)).toBe(1);
      expect(await count(tight, 3)).toBe(columns);
      // Split runs report their progress inside the batch and end on whole steps.
      expect(tight.stepsDone()).toBe(tight.stepIndex);
      // A budget of two whole dispatches: two to a submit.
      const ops = TABLEAUX[scenario.integrator].b.length * 3;
      void roomy.setFrameBudget({ columns: 2 * groups(scenario) * scenario.heads });
      expect(await count(roomy, 3)).toBe(Math.ceil(ops / 2));
    } finally {
      counted.restore();
      roomy.destroy();
      tight.destroy();
      app.destroy();
    }
  });

  it.each([
    ['d = 3 (eight tokens an invocation)', CASES[0]!.scenario],
    ['d = 5 with noise (two tokens an invocation)', CASES.find((c) => c.scenario.d > 3)!.scenario],
  ])(
    'one column past the budget: ranges of the fine pipeline, bit-identical to whole steps (%s)',
    async (_name, base) => {
      // Large enough that the regular workgroups are not shrunk: the fine ones hold a quarter of the tokens.
      const scenario = { ...base, n: 1024, heads: 4, replicas: 1 };
      const device = await testDevice();
      const whole = await createGpuEngine(scenario, { device });
      const split = await createGpuEngine(scenario, { device });
      const shape = attentionShape(scenario, split.kernelTunables.tunables);
      const fine = fineShape(shape);
      expect(shape.wg, 'the regular workgroups are larger than the fine ones at this size').toBeGreaterThan(FINE_WG);
      expect(fine.tokensPerWorkgroup).toBe((shape.tokensPerWorkgroup * FINE_WG) / shape.wg);
      const counted = countSubmits(device);
      try {
        // Resolves once the fine pipeline the prior calls for (one column is past 1 µs) is built.
        await split.setFrameBudget({ ms: 1e-3 });
        const before = counted.submits;
        const rows = await split.advance(2);
        // One submit per fine column of every attention dispatch (a dispatch per stage per step).
        const fineColumns = Math.ceil(scenario.n / fine.tokensPerWorkgroup) * scenario.heads;
        expect(counted.submits - before).toBe(fineColumns * TABLEAUX[scenario.integrator].b.length * 2);
        expect(rows).toEqual(await whole.advance(2));
        expectSameRun(await advanceAndRead(split, 2), await advanceAndRead(whole, 2));
        expect(await split.evaluate()).toEqual(await whole.evaluate());
      } finally {
        counted.restore();
        whole.destroy();
        split.destroy();
      }
      // And against float64 (the tolerances of compare.ts) at the case's own size, split finely.
      const own = await createGpuEngine(base, { device });
      try {
        await own.setFrameBudget({ ms: 1e-3 });
        await runAndCompare(own, new CpuSimEngine(base), 2, 4);
      } finally {
        own.destroy();
      }
    },
  );

  it('a split batch waits for the batch before it, then for the gate (at most BATCH_GATE_MAX_MS); whole batches never wait', async () => {
    const scenario = withGroups(CASES[0]!.scenario);
    const device = await testDevice();
    const gated = await createGpuEngine(scenario, { device });
    const plain = await createGpuEngine(scenario, { device });
    try {
      await gated.setFrameBudget({ columns: 1 });
      const opens: (() => void)[] = [];
      let calls = 0;
      // The first batch's gate opens at once, the second's when the test says.
      gated.setBatchGate(() => {
        calls++;
        return calls === 1 ? Promise.resolve() : new Promise<void>((resolve) => opens.push(resolve));
      });
      const a = gated.advance(1);
      const b = gated.advance(1);
      const ra = await a;
      await new Promise((resolve) => setTimeout(resolve, 50));
      // b asked its gate only once a had resolved, and has submitted nothing while it is shut.
      expect(calls).toBe(2);
      expect(gated.stepsDone()).toBe(1);
      opens[0]!();
      const rb = await b;
      expect(gated.stepsDone()).toBe(2);
      // The gate changes when batches go, not what they compute.
      expect([ra, rb]).toEqual([await plain.advance(1), await plain.advance(1)]);
      // A gate that never opens holds a batch BATCH_GATE_MAX_MS, then the batch goes.
      gated.setBatchGate(() => new Promise<void>(() => {}));
      const start = performance.now();
      expect(await gated.advance(1)).toEqual(await plain.advance(1));
      expect(performance.now() - start).toBeGreaterThanOrEqual(BATCH_GATE_MAX_MS - 5);
      // Batches that go whole (no budget) never ask the gate.
      let asked = 0;
      gated.setBatchGate(() => {
        asked++;
        return Promise.resolve();
      });
      await gated.setFrameBudget(undefined);
      expect(await gated.advance(2)).toEqual(await plain.advance(2));
      expect(asked).toBe(0);
      expectSameRun(await advanceAndRead(gated, 1), await advanceAndRead(plain, 1));
    } finally {
      gated.destroy();
      plain.destroy();
    }
  });

  // The j range split over workgroups (the jSplitWorkgroups tunable, one tile a share): the
  // shares and their merge match float64, and the frame budget's ranges over the split dispatch
  // (columns of token workgroup × share × head, the fine pipeline too) give the same bits as it.
  const J_CASES = [
    CASES[0]!,
    CASES.find((c) => c.scenario.weights.drift.kind === 'layers')!,
    CASES.find((c) => c.scenario.d === 5 && c.scenario.weights.noiseVariance > 0)!,
    CASES.find((c) => c.scenario.d > 8)!,
  ];
  // Tiles of 16 (so a few dozen tokens make several shares), at least 48 tokens.
  const J_TUNABLES = { jSplitWorkgroups: 1_000_000, wg: 16, shrinkTo: 8 };
  it.each(J_CASES.map((c) => [c.name, { ...c.scenario, n: Math.max(c.scenario.n, 48) }] as const))(
    'the j range split into shares matches float64, and split submits of it are bit-identical (%s)',
    async (_name, base) => {
      const device = await testDevice();
      const tunables = J_TUNABLES;
      const shape = attentionShape(base, { ...DEFAULT_TUNABLES, ...tunables });
      expect(shape.jSplits, 'the case splits the j range').toBeGreaterThan(2);
      const own = await createGpuEngine(base, { device, tunables });
      try {
        await runAndCompare(own, new CpuSimEngine(base), 2, 4);
      } finally {
        own.destroy();
      }
      const engines: GpuEngine[] = [];
      try {
        const make = async (b: FrameBudget | undefined) => {
          const e = await createGpuEngine(base, { device, tunables });
          engines.push(e);
          await e.setFrameBudget(b);
          return e;
        };
        for (const budget of [{ columns: 1 }, { columns: 5 }, { ms: 1e-3 }] as FrameBudget[]) {
          const [whole, split] = [await make(undefined), await make(budget)];
          expect(await split.advance(3)).toEqual(await whole.advance(3));
          expectSameRun(await advanceAndRead(split, 1), await advanceAndRead(whole, 1));
        }
      } finally {
        for (const e of engines) e.destroy();
      }
    },
  );

  it('a measured column time far past the software prior (others on a shared queue) is capped: a small run still goes whole', async () => {
    const scenario = withGroups(CASES[0]!.scenario);
    const device = await testDevice();
    const engine = await createGpuEngine(scenario, { device });
    const counted = countSubmits(device);
    try {
      await engine.setFrameBudget({ ms: 100 });
      // As three variants on one device measured: round trips of a frame or more for a column of microseconds.
      const pace = (engine as unknown as { pace: SubmitPace }).pace;
      for (let k = 0; k < 5; k++) pace.observe(400, 1);
      expect(pace.msPerColumn).toBeGreaterThan(100);
      const before = counted.submits;
      expect(await engine.advance(3)).toBeDefined();
      expect(counted.submits - before).toBe(1);
      // The cap is MEASURED_CAP × the prior, so a dispatch the prior itself puts past the budget still splits.
      expect(MEASURED_CAP).toBeGreaterThan(1);
    } finally {
      counted.restore();
      engine.destroy();
    }
  });

  it('refuses a budget that is not positive', async () => {
    const gpu = await createGpuEngine(CASES[0]!.scenario, { device: await testDevice() });
    try {
      expect(() => gpu.setFrameBudget({ ms: 0 })).toThrow(/ms must be a positive number/);
      expect(() => gpu.setFrameBudget({ columns: 1.5 })).toThrow(/columns must be a positive integer/);
    } finally {
      gpu.destroy();
    }
  });
});
