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
import { assembleSweep, runHeadSweep, type SweepResult } from '../model/sweep';
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
async function runCpuJobs(plan: SweepItem[], args: SweepArgs): Promise<Map<string, number>> {
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
  const output = await RunOutput.start(dir, `H sweep of ${plan.map((p) => p.id).join(', ')}`);
  if (args.shard && shardName) {
    const g2 = await runCpuJobs(plan, args);
    try {
      await (await output.file(shardName)).write(shardText(plan, args.shard, g2));
      await output.commit(`complete: shard ${args.shard.index}/${args.shard.count} of the H sweep`);
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
    for (const { id, heads, base: scenario } of plan) {
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
      results.push({ id, result });
    }
  }
  for (const { id, result } of results) {
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
    await svg.write(
      sweepFigure(
        `G² vs H (n = ${s0.n}, T = ${s0.T}, dt = ${s0.dt}, ${s0.replicas} path${s0.replicas > 1 ? 's' : ''})`,
        results.map(({ id, result }, k) => ({ label: preset(id).title, colour: COLOURS[k % COLOURS.length]!, result })),
      ),
    );
    await output.commit(`complete: H sweep of ${plan.map((p) => p.id).join(', ')}`);
  } catch (e) {
    await output.fail(`failed: ${oneLine(e)}`);
    throw e;
  }
  console.log(`wrote ${join(out, 'sweep.json')} and ${join(out, 'sweep.svg')}`);
  return EXIT.ok;
}

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
