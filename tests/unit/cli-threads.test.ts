/**
 * `npm run sim -- --threads N` (the compiled CLI): the float64 engine on 1 and 3 threads writes
 * the same trace.csv and final.json byte for byte; a bad count is refused naming the flag.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THREAD_MIN_PAIR_HEADS } from '../../src/model/kernel/row-kernel';
import { ouWeights, scenarioFile, smallScenario } from './helpers';

const root = resolve(__dirname, '../..');
const sim = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts', 'cli.mjs'), 'sim', ...args], { cwd: root, encoding: 'utf8' });

describe('sim --threads', () => {
  it('1 and 3 threads write the same files', () => {
    const s = smallScenario({ n: 90, heads: 6, T: 0.04, weights: ouWeights(2) });
    expect(s.n * s.n * s.heads).toBeGreaterThanOrEqual(THREAD_MIN_PAIR_HEADS);
    const { dir: tmp, file } = scenarioFile('sim-threads-', s, 'scenario.json');
    const read = (threads: string) => {
      const out = join(tmp, `t${threads}`);
      const r = sim(file, '--threads', threads, '--out', out, '--quiet');
      expect(r.status, r.stderr).toBe(0);
      return ['trace.csv', 'final.json'].map((f) => readFileSync(join(out, f), 'utf8'));
    };
    const one = read('1');
    expect(one[0]!.split('\n').length).toBeGreaterThan(4);
    expect(read('3')).toEqual(one);
  });

  it('refuses a thread count that is not a positive integer', () => {
    const r = sim('--preset', 's2-ou', '--threads', '0', '--out', mkdtempSync(join(tmpdir(), 'sim-threads-')));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--threads: expected a positive integer');
  });
});
