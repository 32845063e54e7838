/**
 * `npm run sweep -- --over epsilon|delta` end to end (short child processes): bad input refused
 * before any work naming the flag; a sweep writes sweep.json with every copy's distances and a
 * slope; `--shard k/N` for every k then `--merge` gives sweep.json and sweep.svg byte for byte
 * those of one run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const sweep = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts', 'cli.mjs'), 'sweep', ...args], { cwd: root, encoding: 'utf8' });
const CASE = ['--over', 'delta', '--preset', 's2-oscillating', '--heads', '3', '--n', '12', '--T', '0.2'];
const more = ['--sizes', '1e-3,1e-2,1e-1', '--paths', '2', '--samples', '10', '--times', '0.1,0.2'];

describe('npm run sweep -- --over epsilon|delta', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sweep-over-'));
  const dir = (name: string) => join(tmp, name);

  it('refuses bad input before any work, naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--over', 'eta'], /^--over: expected heads, epsilon, delta, got "eta"/],
      [['--over', 'epsilon', '--sizes', '1e-3'], /^--sizes: a sweep needs at least two distinct sizes/],
      [['--over', 'epsilon', '--sizes', '1e-3,-1'], /^--sizes: expected a positive number, got "-1"/],
      [['--over', 'epsilon', '--heads', '1,2'], /^--heads: a sweep over epsilon runs one head count/],
      [['--over', 'epsilon', '--T', '1', '--times', '2'], /^--times: 2 is not in \(0, T\] with T = 1/],
      [['--sizes', '1e-3,1e-2'], /^--sizes: applies to --over epsilon or delta/],
    ];
    for (const [args, message] of cases) {
      const r = sweep(...args, '--out', dir('bad'));
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(dir('bad'))).toBe(false);
  }, 60_000);

  it('writes the distances and the slope; shards merged are byte-equal to one run', () => {
    const whole = sweep(...CASE, ...more, '--out', dir('whole'));
    expect(whole.status, whole.stderr).toBe(0);
    expect(whole.stdout).toMatch(/fit RMS distance ≈ .*·δ\^/);
    const json = JSON.parse(readFileSync(join(dir('whole'), 'sweep.json'), 'utf8'));
    expect(json[0].over).toBe('delta');
    expect(json[0].times).toEqual([0.1, 0.2]);
    expect(json[0].points.map((p: { size: number }) => p.size)).toEqual([1e-3, 1e-2, 1e-1]);
    for (const p of json[0].points) {
      expect(p.distances).toHaveLength(2);
      expect(p.perPath).toEqual(p.distances.map((d: { supRms: number }) => d.supRms));
    }
    expect(Number.isFinite(json[0].fit.b)).toBe(true);
    expect(readFileSync(join(dir('whole'), 'STATUS'), 'utf8')).toMatch(/^complete: δ sweep of s2-oscillating/);
    for (const k of [0, 1, 2]) {
      const r = sweep(...CASE, ...more, '--shard', `${k}/3`, '--out', dir(`s${k}`));
      expect(r.status, r.stderr).toBe(0);
    }
    const merged = sweep('--merge', dir('s0'), dir('s1'), dir('s2'), '--out', dir('merged'));
    expect(merged.status, merged.stderr).toBe(0);
    for (const f of ['sweep.json', 'sweep.svg'])
      expect(readFileSync(join(dir('merged'), f), 'utf8')).toBe(readFileSync(join(dir('whole'), f), 'utf8'));
  }, 120_000);
});
