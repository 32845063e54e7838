/**
 * The command line end to end: `tsx src/cli/sim.ts <scenario> --engine cpu` on the paper's
 * reference inputs (explicit points and matrices, all three drifts) writes a trace.csv and a
 * final.json that reproduce the paper's code; bad input exits 2 naming the field.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReference, REFERENCE_FILES, scenarioFile } from './helpers';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const sim = (args: string[]) =>
  spawnSync(tsx, [join(root, 'src', 'cli', 'sim.ts'), ...args], { cwd: root, encoding: 'utf8' });

describe('npm run sim', () => {
  it.each(REFERENCE_FILES)('reproduces the paper code on %s through the CLI', (file) => {
    const ref = loadReference(file);
    const drift = ref.drift === 'ou' ? { kind: 'ou', theta: ref.ouTheta, target: 'identity' } : { kind: ref.drift };
    const input = {
      d: ref.d,
      n: ref.n,
      heads: ref.heads,
      dt: ref.dt,
      T: ref.T,
      seed: 3,
      beta: ref.beta,
      flowSign: ref.flowSign,
      tokens: { kind: 'explicit', points: ref.x0 },
      weights: { init: { kind: 'explicit', matrices: ref.D0 }, drift, noiseVariance: 0 },
    };
    const { dir, file: scenario } = scenarioFile('sim-', input, 'scenario.json');
    execFileSync(tsx, [join(root, 'src', 'cli', 'sim.ts'), scenario, '--engine', 'cpu', '--out', dir, '--quiet'], {
      cwd: root,
    });
    const lines = readFileSync(join(dir, 'trace.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    expect(header).toEqual([
      'replica',
      'step',
      't',
      'energy',
      'dEdt',
      'G2',
      'dissipation',
      'dM',
      'jump',
      'balance_paper',
      'balance_exact',
    ]);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    expect(rows.length).toBe(ref.t.length);
    const col = (name: string) => header.indexOf(name);
    rows.forEach((row, k) => {
      expect(row[col('step')]).toBe(k);
      expect(Math.abs(row[col('t')]! - ref.t[k]!)).toBeLessThan(1e-12);
      expect(Math.abs(row[col('energy')]! - ref.E[k]!)).toBeLessThan(1e-10);
      expect(Math.abs(row[col('G2')]! - ref.G2[k]!)).toBeLessThan(1e-10);
      expect(Math.abs(row[col('balance_paper')]! - ref.balance_paper[k]!)).toBeLessThan(1e-10);
    });
    const final = JSON.parse(readFileSync(join(dir, 'final.json'), 'utf8')) as {
      t: number;
      x: number[][][];
      D: number[][][][];
    };
    expect(final.t).toBeCloseTo(ref.T, 12);
    expect(final.x.length).toBe(1);
    expect(final.D[0]!.length).toBe(ref.heads);
    final.x[0]!.forEach((p, i) => p.forEach((v, c) => expect(Math.abs(v - ref.x_final[i]![c]!)).toBeLessThan(1e-10)));
  });

  it('records step 0, every K-th step and the last step for every replica', () => {
    const weights = { init: { kind: 'random-symmetric' }, drift: { kind: 'ou' }, noiseVariance: 2 };
    const s = { d: 2, n: 6, heads: 2, replicas: 2, dt: 0.01, T: 0.25, seed: 1, tokens: { kind: 'uniform' }, weights };
    const { dir, file } = scenarioFile('sim-', s);
    const r = sim([file, '--every', '10', '--out', dir, '--quiet']);
    expect(r.status).toBe(0);
    const steps = readFileSync(join(dir, 'trace.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 2).join(':'));
    expect(steps).toEqual(['0:0', '1:0', '0:10', '1:10', '0:20', '1:20', '0:25', '1:25']);
  });

  it('rejects a bad scenario with exit code 2 and the field in the message', () => {
    const weights = { init: { kind: 'identity' }, drift: { kind: 'frozen' } };
    const bad = { d: 3, n: 10, heads: 1, dt: -1, T: 1, seed: 1, tokens: { kind: 'uniform' }, weights };
    const { dir, file } = scenarioFile('sim-', bad, 'bad.json');
    const r = sim([file, '--out', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('dt');
    const r2 = sim(['--bogus']);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain('unknown flag --bogus');
  });
});
