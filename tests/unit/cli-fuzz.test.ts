/**
 * Fuzz of `npm run sim`'s arguments and output paths, in-process (simMain), 1,200 seeded cases:
 * whatever the argv, the command ends with a known exit code, one short message and no stack;
 * a refused command (exit 2) leaves no result files; a finished one leaves exactly its results.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/model/analysis';
import { EXIT } from '../../src/cli/output';
import { simMain } from '../../src/cli/sim-main';
import type { Scenario } from '../../src/model/scenario';
import { scenarioFile, smallScenario } from './helpers';

/** The seeded generator of the cases (the same cases on every run). */
const rng = mulberry32;

/** Two steps of three points under constant identity weights: the quickest run that writes every result file. */
const weights: Scenario['weights'] = {
  init: { kind: 'identity', scale: 1 },
  drift: { kind: 'frozen' },
  noiseVariance: 0,
};
const goodScenario = smallScenario({ d: 2, n: 3, heads: 1, dt: 0.5, T: 1, seed: 1, weights });
const { dir: root, file: good } = scenarioFile('sim-fuzz-', goodScenario, 'good.json');
const bad = join(root, 'bad.json');
writeFileSync(bad, '{"d": 3, "n": -1');
const aFile = join(root, 'a-file');
writeFileSync(aFile, 'x');
mkdirSync(join(root, 'has-results', 'trace.csv'), { recursive: true });

const WEIRD = [
  '',
  ' ',
  '-',
  '--',
  '-1',
  '0',
  '1e9',
  '1.5',
  'NaN',
  'Infinity',
  '0x10',
  '∞',
  'é',
  '\u202e',
  '%00',
  'a'.repeat(300),
];

describe('sim CLI fuzz', () => {
  it('1,200 seeded argument lists end with a known code, one message and no stack', async () => {
    const next = rng(20260611);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    let n = 0;
    const outPath = (): string => {
      n++;
      return pick([
        () => join(root, `o${n}`),
        () => join(root, `o${n}`, 'deep', 'er'),
        () => join(aFile, 'sub'),
        () => aFile,
        () => join(root, 'has-results'),
        () => '',
        () => '/proc/self/fdinfo',
        () => '/proc/1/x',
        () => '/sys/fs',
        () => '/dev/null',
        () => '/dev/full',
        () => join(root, `o${n}\0x`),
        () => join(root, 'x'.repeat(300)),
        () => join(root, `o${n}`, '..', `p${n}`),
      ])();
    };
    const scenario = (): string[] =>
      pick([
        () => [good],
        () => [good],
        () => [bad],
        () => [root],
        () => [join(root, 'missing.json')],
        () => ['/dev/zero'],
        () => ['/proc/self/status'],
        () => ['--preset', pick(['nope', 's2-ou', '', 'layers'])],
        () => [good, good],
        () => [],
      ])();
    const flag = (): string[] =>
      pick([
        () => ['--out', outPath()],
        () => ['--out', outPath()],
        () => ['--every', pick(['1', '2', '3', ...WEIRD])],
        () => ['--engine', pick(['cpu', 'CPU', 'gpu0', 'cuda', ...WEIRD])],
        () => ['--heads', pick(['1', '2', '300', ...WEIRD])],
        () => ['--quiet'],
        () => ['--yes'],
        () => ['--debug'],
        () => [pick(['--bogus', '-x', '--out=', '--every=2', '---', '--QUIET', ...WEIRD])],
        () => ['--out'],
        () => ['--every'],
      ])();
    const codes = new Map<number, number>();
    for (let c = 0; c < 1200; c++) {
      const argv = [...scenario()];
      const k = Math.floor(next() * 5);
      for (let i = 0; i < k; i++) argv.splice(Math.floor(next() * (argv.length + 1)), 0, ...flag());
      // Valid presets run for seconds: only with something that refuses the command first.
      if (argv.includes('s2-ou') || argv.includes('layers')) argv.push('--bogus');
      if (!argv.includes('--out')) argv.push('--out', join(root, `o${++n}`));
      const out = argv[argv.lastIndexOf('--out') + 1];
      const existed = out !== undefined && !out.includes('\0') && existsSync(out);
      let err = '';
      const code = await simMain(argv, { stderr: (t) => (err += t) });
      codes.set(code, (codes.get(code) ?? 0) + 1);
      const context = `case ${c}: ${JSON.stringify(argv)} → ${code}: ${err.slice(0, 400)}`;
      expect([EXIT.ok, EXIT.usage, EXIT.nonFinite], context).toContain(code);
      expect(err, context).not.toMatch(/\n\s+at |\.ts:\d+|TypeError|ReferenceError|Cannot read properties/);
      const message = err.split('\nusage:')[0]!.trim();
      if (code !== EXIT.ok) expect(message.split('\n').length, context).toBeLessThanOrEqual(2);
      if (code === EXIT.ok && out) {
        expect(readdirSync(out).sort(), context).toEqual(['STATUS', 'final.json', 'trace.csv']);
        expect(readFileSync(join(out, 'STATUS'), 'utf8'), context).toMatch(/^complete/);
      }
      // A refused command creates nothing (a folder it made for --out stays empty).
      if (
        code === EXIT.usage &&
        out &&
        !existed &&
        !out.includes('\0') &&
        existsSync(out) &&
        statSync(out).isDirectory()
      )
        expect(readdirSync(out), context).toEqual([]);
    }
    // The grammar reaches both outcomes often.
    expect(codes.get(EXIT.ok) ?? 0).toBeGreaterThan(50);
    expect(codes.get(EXIT.usage) ?? 0).toBeGreaterThan(500);
  }, 60000);
});
