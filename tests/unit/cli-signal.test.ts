/**
 * Ctrl-C on a real `npm run sim` process: SIGINT during a long float64 run stops it within a
 * second, exit 130, with every written row complete and the folder marked "interrupted".
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ouWeights, scenarioFile, smallScenario } from './helpers';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

describe('npm run sim under SIGINT', () => {
  it('stops within a second with complete rows and an "interrupted" result', async () => {
    // ~10⁵ pair-heads a step, 10⁵ steps: minutes of work, so only the signal can end it.
    const { dir, file } = scenarioFile(
      'sim-sigint-',
      smallScenario({ n: 160, heads: 4, dt: 0.01, T: 1000, seed: 1, weights: ouWeights(2) }),
    );
    const out = join(dir, 'out');
    const child = spawn(tsx, [join(root, 'src', 'cli', 'sim.ts'), file, '--out', out, '--yes'], { cwd: root });
    let err = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Wait until it is stepping (the progress line), then interrupt.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress within 20 s: ${err}`)), 20000);
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString();
        if (/step \d+\/100000/.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const sent = performance.now();
    child.kill('SIGINT');
    const code = await exited;
    const ms = performance.now() - sent;
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
