/**
 * `npm run sweep -- --preset s2-ou [--heads 1,10,100] [--paths P] [--T T] [--n n] [--engine cpu|gpu] [--out DIR]`:
 * the paper's G² ~ H^b experiment. Writes DIR/sweep.json (per-path and mean time-averaged G²,
 * the fit) and DIR/sweep.svg (log–log figure). Several presets may be given, comma-separated;
 * they share the figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuSimEngine, type SimEngine } from '../model/engine';
import { preset } from '../model/presets';
import { runHeadSweep, type SweepResult } from '../model/sweep';
import { validateScenario } from '../model/validate';
import type { Scenario } from '../model/scenario';
import { sweepFigure } from './loglog-svg';

const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

function numberFlag(argv: string[], name: string): number | undefined {
  const v = flag(argv, name);
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new Error(`${name}: expected a positive number, got "${v}"`);
  return x;
}

async function engineFactory(kind: string): Promise<(s: Scenario) => SimEngine | Promise<SimEngine>> {
  if (kind === 'cpu') return (s) => new CpuSimEngine(s);
  if (kind !== 'gpu') throw new Error(`--engine: expected cpu or gpu, got "${kind}"`);
  const { nodeGpu } = await import('../gpu/node-env');
  const { createGpuEngine } = await import('../gpu/index');
  const gpu = await nodeGpu();
  return (s) => createGpuEngine(s, { gpu });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const known = new Set(['--preset', '--heads', '--paths', '--T', '--n', '--engine', '--out']);
  argv.forEach((a, i) => {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown flag ${a}`);
    if (!a.startsWith('--') && !known.has(argv[i - 1] ?? '')) throw new Error(`unexpected argument "${a}"`);
  });
  const ids = (flag(argv, '--preset') ?? 's2-ou').split(',');
  const out = flag(argv, '--out') ?? 'out/sweep';
  const make = await engineFactory(flag(argv, '--engine') ?? 'cpu');
  const results: { id: string; result: SweepResult }[] = [];
  for (const id of ids) {
    const p = preset(id);
    const headsArg = flag(argv, '--heads');
    const heads = headsArg
      ? headsArg.split(',').map((h) => {
          if (!/^[1-9][0-9]*$/.test(h))
            throw new Error(`--heads: expected comma-separated positive integers, got "${headsArg}"`);
          return Number(h);
        })
      : (p.sweepHeads ?? [1, 10, 100]);
    const base = p.build(heads[0]);
    const T = numberFlag(argv, '--T') ?? base.T;
    const scenario = validateScenario({
      ...base,
      T,
      n: numberFlag(argv, '--n') ?? base.n,
      replicas: numberFlag(argv, '--paths') ?? base.replicas,
    });
    const start = performance.now();
    const result = await runHeadSweep(scenario, heads, {
      makeEngine: make,
      onProgress: (i, done, total) => {
        if (done % 200 === 0 || done === total)
          process.stderr.write(
            `\r${id}: H = ${heads[i]} (${i + 1}/${heads.length})  step ${done}/${total}  ${((performance.now() - start) / 1000).toFixed(0)} s   `,
          );
      },
    });
    process.stderr.write('\n');
    for (const pt of result.points)
      console.log(
        `${id}  H = ${String(pt.heads).padStart(4)}  G² = ${pt.mean.toPrecision(4)} ± ${pt.spread.toPrecision(2)}  (paths: ${pt.perPath.map((g) => g.toPrecision(3)).join(', ')})`,
      );
    console.log(
      `${id}  fit G² ≈ ${result.fit.a.toPrecision(3)}·H^${result.fit.b.toFixed(3)}  (r² = ${result.fit.r2.toFixed(3)})`,
    );
    results.push({ id, result });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'sweep.json'),
    JSON.stringify(
      results.map(({ id, result }) => ({ preset: id, ...result })),
      null,
      1,
    ),
  );
  const s0 = results[0]!.result.scenario;
  writeFileSync(
    join(out, 'sweep.svg'),
    sweepFigure(
      `G² vs H (n = ${s0.n}, T = ${s0.T}, dt = ${s0.dt}, ${s0.replicas} path${s0.replicas > 1 ? 's' : ''})`,
      results.map(({ id, result }, k) => ({ label: preset(id).title, colour: COLOURS[k % COLOURS.length]!, result })),
    ),
  );
  console.log(`wrote ${join(out, 'sweep.json')} and ${join(out, 'sweep.svg')}`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
});
