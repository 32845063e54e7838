/**
 * A step longer than a second: the float64 engine thread counts the row pairs it finishes, so
 * progress moves inside the step, and Ctrl-C ends `npm run sim` within a second without waiting
 * for the step, writing the state before it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuSimEngine } from '../../src/model/engine';
import { ThreadCpuEngine } from '../../src/cli/engine-thread';
import { scenarioFile, smallScenario } from './helpers';
import { startSim } from './sim-process';

describe('progress inside one long float64 step', () => {
  const s = smallScenario({ n: 5000, heads: 4, dt: 0.01, T: 0.02, seed: 3 });
  const engine = new ThreadCpuEngine(s);
  afterAll(() => engine.destroy());

  it('stepsDone moves through the step, ends on whole steps, and the rows are those of the plain engine', async () => {
    const seen: number[] = [];
    let settled = false;
    const call = engine.advance(1).finally(() => {
      settled = true;
    });
    while (!settled) {
      seen.push(engine.stepsDone());
      await new Promise((r) => setTimeout(r, 20));
    }
    const batch = await call;
    const inside = [...new Set(seen.filter((v) => v > 0 && v < 1))];
    // The counter moves many times during the step (about every few ms of work).
    expect(inside.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(engine.stepsDone()).toBe(1);
    // A final evaluation adds pairs but no step.
    await engine.evaluate();
    expect(engine.stepsDone()).toBe(1);
    const plain = new CpuSimEngine(s);
    expect(Array.from(batch.records)).toEqual(Array.from((await plain.advance(1)).records));
    plain.destroy();
  }, 60_000);
});

describe('npm run sim: Ctrl-C inside a long step', () => {
  it('shows progress within the step and stops within a second on the state before it', async () => {
    // ~6·10⁸ pair-heads a step: several seconds a step on this machine, two steps in all.
    const { dir, file } = scenarioFile(
      'sim-long-step-',
      smallScenario({ n: 12_000, heads: 4, dt: 0.01, T: 0.02, seed: 5 }),
    );
    const out = join(dir, 'out');
    const sim = startSim(file, out);
    // Wait for two progress lines inside step 1 (the share of the step rising), then interrupt.
    await sim.waitFor((err) => (err.match(/% of step 1\)/g) ?? []).length >= 2, 60_000, 'in-step progress');
    const shares = [...sim.stderr().matchAll(/\((\d+)% of step 1\)/g)].map((m) => Number(m[1]));
    expect(shares.at(-1)!).toBeGreaterThan(shares[0]!);
    const { code, ms } = await sim.interrupt();
    const err = sim.stderr();
    expect(code).toBe(130);
    expect(ms).toBeLessThan(1000);
    expect(err).toMatch(/interrupted at step 0 of 2/);
    // No row was finished: the header only, complete.
    expect(readFileSync(join(out, 'trace.csv'), 'utf8').split('\n')).toHaveLength(2);
    const final = JSON.parse(readFileSync(join(out, 'final.json'), 'utf8'));
    expect(final.status).toBe('interrupted');
    expect(final.step).toBe(0);
    expect(final.x[0]).toHaveLength(12_000);
    // The state written is the initial one.
    const start = new CpuSimEngine(smallScenario({ n: 12_000, heads: 4, dt: 0.01, T: 0.02, seed: 5 }));
    const x0 = await start.readPositions();
    expect(final.x[0][11_999]).toEqual(Array.from(x0.subarray(3 * 11_999, 3 * 12_000)));
    start.destroy();
    expect(readFileSync(join(out, 'STATUS'), 'utf8')).toMatch(/^interrupted \(SIGINT\) at step 0/);
  }, 90_000);
});
