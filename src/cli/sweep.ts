/**
 * `npm run sweep -- --preset s2-ou [--heads 1,10,100] [--paths P] [--T T] [--n n] [--engine cpu|gpu] [--out DIR]`:
 * the paper's G² ~ H^b experiment. Writes DIR/sweep.json (per-path and mean time-averaged G²,
 * the fit) and DIR/sweep.svg (log–log figure). Several presets may be given, comma-separated;
 * they share the figure. On the float64 engine the (H, path) jobs run in parallel (--jobs,
 * --threads), and `--shard k/N` / `--merge DIR…` spread one sweep over machines (sweep-merge.ts).
 */
import { join } from 'node:path';
import { CpuSimEngine, NonFiniteError, type SimEngine } from '../model/engine';
import { preset } from '../model/presets';
import { SWEEP_OVER } from '../model/kinds/sweep-over';
import { assembleSweep, distanceResult, type JobValue, runSweep, type SweepResult, sweepX } from '../model/sweep';
import type { Scenario } from '../model/scenario';
import { sweepFigure } from './loglog-svg';
import { CliError, EXIT, oneLine, prepareOutDir, RunOutput } from './output';
import { describeSweep, parseSweepArgs, planSweep, type SweepArgs } from './sweep-args';
import { mergeShards, shardFileName, shardJobs, shardText, splitMerge } from './sweep-merge';
import { runSweepJobs, type SweepItem } from './sweep-parallel';

const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];

async function engineFactory(kind: string): Promise<(s: Scenario) => SimEngine | Promise<SimEngine>> {
  if (kind === 'cpu') return (s) => new CpuSimEngine(s);
  if (kind !== 'gpu') throw new Error(`--engine: expected cpu or gpu, got "${kind}"`);
  const { nodeGpu } = await import('../gpu/node-env');
  const { createGpuEngine } = await import('../gpu/index');
  const gpu = await nodeGpu();
  return (s) => createGpuEngine(s, { gpu });
}

/** The float64 sweep's (H, path) jobs on all cores (src/cli/sweep-parallel.ts), with one progress line. */
async function runCpuJobs(plan: SweepItem[], args: SweepArgs): Promise<Map<string, JobValue>> {
  const start = performance.now();
  let shown = 0;
  const g2 = await runSweepJobs(plan, shardJobs(plan, args.shard), {
    jobs: args.jobs,
    threads: args.threads,
    onProgress: (done, total) => {
      const now = performance.now();
      if ((now - shown < 500 && done < total) || shown < 0) return;
      shown = done < total ? now : -1;
      process.stderr.write(`\rsweep: ${done}/${total} steps of all jobs  ${((now - start) / 1000).toFixed(0)} s   `);
    },
  });
  process.stderr.write('\n');
  return g2;
}

async function main(): Promise<number> {
  const { dirs: mergeDirs, rest } = splitMerge(process.argv.slice(2));
  // Everything is checked before any work (src/cli/sweep-args.ts): flags, presets, every H, cost, --out.
  const args = parseSweepArgs(rest);
  if (args.engine === 'gpu' && (args.shard || args.jobs || args.threads))
    throw new CliError('--shard, --jobs and --threads apply to the float64 engine (--engine cpu)', EXIT.usage);
  const merged = mergeDirs ? await mergeShards(mergeDirs) : undefined;
  const plan = merged?.items ?? planSweep(args);
  const out = args.out;
  const shardName = args.shard ? shardFileName(args.shard) : undefined;
  const dir = await prepareOutDir(out, shardName ? [shardName] : ['sweep.json', 'sweep.svg']);
  if (!merged) process.stderr.write(`estimate: ${describeSweep(plan, args.engine)}\n`);
  const what = `${plan[0]?.over && plan[0].over !== 'heads' ? `${SWEEP_OVER[plan[0].over].symbol} sweep` : 'H sweep'} of ${plan.map((p) => p.id).join(', ')}`;
  const output = await RunOutput.start(dir, what);
  if (args.shard && shardName) {
    const g2 = await runCpuJobs(plan, args);
    try {
      await (await output.file(shardName)).write(shardText(plan, args.shard, g2));
      await output.commit(`complete: shard ${args.shard.index}/${args.shard.count} of the ${what}`);
    } catch (e) {
      await output.fail(`failed: ${oneLine(e)}`);
      throw e;
    }
    console.log(`wrote ${join(out, shardName)} (${g2.size} jobs; merge the shards with --merge)`);
    return EXIT.ok;
  }
  const results: { id: string; result: SweepResult }[] = [];
  if (merged || args.engine === 'cpu') {
    const all = merged?.results ?? assembleSweep(plan, await runCpuJobs(plan, args));
    for (const [k, { id }] of plan.entries()) results.push({ id, result: all[k]! });
  } else {
    const make = await engineFactory(args.engine);
    for (const item of plan) {
      const { id, heads } = item;
      const start = performance.now();
      const over = SWEEP_OVER[item.over ?? 'heads'];
      const values = item.sizes ?? heads;
      const result = await runSweep(item, {
        makeEngine: make,
        onProgress: (i, done, total) => {
          if (done % 200 === 0 || done === total)
            process.stderr.write(
              `\r${id}: ${over.symbol} = ${values[i]} (${i + 1}/${values.length})  step ${done}/${total}  ${((performance.now() - start) / 1000).toFixed(0)} s   `,
            );
        },
      });
      process.stderr.write('\n');
      results.push({ id, result });
    }
  }
  for (const { id, result } of results) {
    if (result.over) {
      printDistances(id, result);
      continue;
    }
    for (const pt of result.points)
      console.log(
        `${id}  H = ${String(pt.heads).padStart(4)}  G² = ${pt.mean.toPrecision(4)} ± ${pt.spread.toPrecision(2)}  (paths: ${pt.perPath.map((g) => g.toPrecision(3)).join(', ')})`,
      );
    console.log(
      `${id}  fit G² ≈ ${result.fit.a.toPrecision(3)}·H^${result.fit.b.toFixed(3)}  (r² = ${result.fit.r2.toFixed(3)})`,
    );
  }
  try {
    const json = await output.file('sweep.json');
    await json.write(
      JSON.stringify(
        results.map(({ id, result }) => ({ preset: id, ...result })),
        null,
        1,
      ),
    );
    const s0 = results[0]!.result.scenario;
    const svg = await output.file('sweep.svg');
    const over = results[0]!.result.over;
    const paths = `${s0.replicas} ${over ? 'cop' : 'path'}${s0.replicas > 1 ? (over ? 'ies' : 's') : over ? 'y' : ''}`;
    await svg.write(
      over
        ? sweepFigure(
            `distance vs ${SWEEP_OVER[over].symbol} (n = ${s0.n}, H = ${s0.heads}, T = ${s0.T}, dt = ${s0.dt}, ${paths})`,
            results.flatMap(({ id, result }, k) => [
              { label: `${preset(id).title}, RMS`, colour: COLOURS[k % COLOURS.length]!, result },
              {
                label: `${preset(id).title}, max over tokens`,
                colour: COLOURS[k % COLOURS.length]!,
                result: distanceResult(result, 'max'),
                secondary: true,
              },
            ]),
          )
        : sweepFigure(
            `G² vs H (n = ${s0.n}, T = ${s0.T}, dt = ${s0.dt}, ${paths})`,
            results.map(({ id, result }, k) => ({
              label: preset(id).title,
              colour: COLOURS[k % COLOURS.length]!,
              result,
            })),
          ),
    );
    await output.commit(`complete: ${what}`);
  } catch (e) {
    await output.fail(`failed: ${oneLine(e)}`);
    throw e;
  }
  console.log(`wrote ${join(out, 'sweep.json')} and ${join(out, 'sweep.svg')}`);
  return EXIT.ok;
}

/** A perturbation sweep's lines on stdout: per size, both distances (mean ± spread over the copies), then both fits. */
function printDistances(id: string, result: SweepResult): void {
  const sym = SWEEP_OVER[result.over!].symbol;
  const max = distanceResult(result, 'max');
  for (const [k, pt] of result.points.entries()) {
    const m = max.points[k]!;
    const at = (result.times ?? [])
      .map((t, i) => `t = ${t}: ${mean(pt.distances!.map((d) => d.rms[i]!)).toPrecision(3)}`)
      .join(', ');
    console.log(
      `${id}  ${sym} = ${sweepX(pt).toPrecision(3).padStart(8)}  max over [0,T]: RMS ${pt.mean.toPrecision(4)} ± ${pt.spread.toPrecision(2)}, max ${m.mean.toPrecision(4)} ± ${m.spread.toPrecision(2)}  (RMS at ${at})`,
    );
  }
  for (const [name, r] of [
    ['RMS', result],
    ['max', max],
  ] as const)
    console.log(
      `${id}  fit ${name} distance ≈ ${r.fit.a.toPrecision(3)}·${sym}^${r.fit.b.toFixed(3)}  (r² = ${r.fit.r2.toFixed(3)})`,
    );
}

const mean = (v: number[]): number => v.reduce((p, q) => p + q, 0) / v.length;

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(e.code);
    }
    if (e instanceof NonFiniteError) {
      process.stderr.write(`stopped: ${e.message} No sweep files were written.\n`);
      process.exit(EXIT.nonFinite);
    }
    const debug = process.argv.includes('--debug');
    process.stderr.write(
      debug ? `error: ${(e as Error).stack ?? String(e)}\n` : `error: ${oneLine(e)} (run with --debug for the stack)\n`,
    );
    process.exit(EXIT.unexpected);
  },
);
