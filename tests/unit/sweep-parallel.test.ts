/**
 * The sweep on all cores and across machines: the (H, path) jobs run in worker threads give the
 * same per-path G² bits as runHeadSweep on CpuSimEngine; `npm run sweep -- --shard k/N` then
 * `--merge` writes sweep.json and sweep.svg byte for byte equal to one unsharded run; merging
 * refuses a missing, repeated or foreign shard, naming it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweepJobs } from '../../src/cli/sweep-parallel';
import { CpuSimEngine } from '../../src/model/engine';
import { preset } from '../../src/model/presets';
import { assembleSweep, runHeadSweep, sweepJobs } from '../../src/model/sweep';

const root = resolve(__dirname, '../..');
const sweep = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts', 'cli.mjs'), 'sweep', ...args], { cwd: root, encoding: 'utf8' });
const CASE = ['--preset', 's2-ou', '--heads', '1,3,4', '--n', '24', '--T', '0.3', '--paths', '2'];

describe('parallel sweep jobs', () => {
  it('give the same per-path G² bits as runHeadSweep on CpuSimEngine', async () => {
    const base = { ...preset('s2-ou').build(1), n: 30, T: 0.4, replicas: 3 };
    const items = [{ id: 's2-ou', heads: [1, 2, 5], base }];
    const parallel = assembleSweep(items, await runSweepJobs(items, sweepJobs(items), { jobs: 2, threads: 1 }))[0]!;
    const serial = await runHeadSweep(base, [1, 2, 5], { makeEngine: (s) => new CpuSimEngine(s) });
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(serial));
    expect(parallel.points.every((p) => p.perPath.every((g) => g > 0))).toBe(true);
  });
});

describe('sharded sweep', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sweep-shards-'));
  const dir = (name: string) => join(tmp, name);

  it('--shard k/N for every k, then --merge: sweep.json and sweep.svg byte-equal to one run', () => {
    const whole = sweep(...CASE, '--out', dir('whole'));
    expect(whole.status, whole.stderr).toBe(0);
    for (const k of [0, 1, 2]) {
      const r = sweep(...CASE, '--shard', `${k}/3`, '--jobs', '1', '--out', dir(`s${k}`));
      expect(r.status, r.stderr).toBe(0);
    }
    const merged = sweep('--merge', dir('s2'), dir('s0'), dir('s1'), '--out', dir('merged'));
    expect(merged.status, merged.stderr).toBe(0);
    for (const f of ['sweep.json', 'sweep.svg'])
      expect(readFileSync(join(dir('merged'), f), 'utf8')).toBe(readFileSync(join(dir('whole'), f), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir('merged'), 'sweep.json'), 'utf8'))[0].points).toHaveLength(3);
  });

  it('refuses a missing, a repeated and a foreign shard, naming it', () => {
    const missing = sweep('--merge', dir('s0'), dir('s2'), '--out', dir('bad'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('shard 1 of 3 missing');
    const twice = sweep('--merge', dir('s0'), dir('s0'), dir('s1'), dir('s2'), '--out', dir('bad'));
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('shard 0 of 3 is given twice');
    const file = join(dir('s1'), 'shard-1-of-3.json');
    const other = JSON.parse(readFileSync(file, 'utf8'));
    other.items[0].base.n = 25;
    mkdirSync(dir('foreign'));
    writeFileSync(join(dir('foreign'), 'shard-1-of-3.json'), JSON.stringify(other));
    const foreign = sweep('--merge', dir('s0'), dir('foreign'), dir('s2'), '--out', dir('bad'));
    expect(foreign.status).toBe(2);
    expect(foreign.stderr).toContain('belongs to another sweep');
    const flag = sweep('--merge', dir('s0'), '--heads', '1,2', '--out', dir('bad'));
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('with --merge only --out and --debug apply');
    const threads = sweep(...CASE, '--threads', '0', '--out', dir('bad'));
    expect(threads.status).toBe(2);
    expect(threads.stderr).toContain('--threads: expected a positive integer');
    const gpu = sweep(...CASE, '--engine', 'gpu', '--jobs', '2', '--out', dir('bad'));
    expect(gpu.status).toBe(2);
    expect(gpu.stderr).toContain('apply to the float64 engine');
    const badShard = sweep(...CASE, '--shard', '3/3', '--out', dir('bad'));
    expect(badShard.status).toBe(2);
    expect(badShard.stderr).toContain('--shard: k must be below N');
  });
});
