/**
 * Ctrl-C on a real `npm run sim` process: SIGINT during a long float64 run stops it within a
 * second, exit 130, with every written row complete and the folder marked "interrupted".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ouWeights, scenarioFile, smallScenario } from './helpers';
import { startSim } from './sim-process';

describe('npm run sim under SIGINT', () => {
  it('stops within a second with complete rows and an "interrupted" result', async () => {
    // ~10⁵ pair-heads a step, 10⁵ steps: minutes of work, so only the signal can end it.
    const { dir, file } = scenarioFile(
      'sim-sigint-',
      smallScenario({ n: 160, heads: 4, dt: 0.01, T: 1000, seed: 1, weights: ouWeights(2) }),
    );
    const out = join(dir, 'out');
    const sim = startSim(file, out);
    // Wait until it is stepping (the progress line), then interrupt.
    await sim.waitFor((err) => /step \d+\/100000/.test(err), 20_000, 'progress');
    const { code, ms } = await sim.interrupt();
    const err = sim.stderr();
    expect(code).toBe(130);
    expect(ms).toBeLessThan(1000);
    expect(err).toMatch(/interrupted at step \d+ of 100000/);
    const lines = readFileSync(join(out, 'trace.csv'), 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(0);
    rows.forEach((row, i) => {
      expect(row).toHaveLength(11);
      expect(Number(row[1])).toBe(i);
    });
    const final = JSON.parse(readFileSync(join(out, 'final.json'), 'utf8'));
    expect(final.status).toBe('interrupted');
    expect(final.step).toBe(rows.length);
    expect(readFileSync(join(out, 'STATUS'), 'utf8')).toMatch(/^interrupted \(SIGINT\)/);
  }, 30000);
});
