/**
 * `npm run sim -- <scenario.json> [--engine cpu|gpu] [--out DIR] [--every K]`: runs a scenario
 * headless and writes DIR/trace.csv and DIR/final.json. Bad input exits 2 with a message that
 * names the field; nothing in the file is ever evaluated as code.
 */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, USAGE, type SimArgs } from './args';
import { runToEnd, TRACE_COLUMNS } from './run';
import { parseScenarioJson, validateScenario, ScenarioError } from '../model/validate';
import { preset } from '../model/presets';
import { CpuSimEngine, type SimEngine } from '../model/engine';
import type { Scenario } from '../model/scenario';

function loadScenario(args: SimArgs): Scenario {
  if (args.preset !== undefined) return validateScenario(preset(args.preset).build(args.heads));
  return parseScenarioJson(readFileSync(args.scenarioPath!, 'utf8'));
}

async function createEngine(kind: 'cpu' | 'gpu', s: Scenario): Promise<SimEngine> {
  if (kind === 'cpu') return new CpuSimEngine(s);
  const { nodeGpu } = await import('../gpu/node-env');
  const { createGpuEngine } = await import('../gpu/index');
  return createGpuEngine(s, { gpu: await nodeGpu() });
}

/** Progress on stderr at most twice a second: percent, steps/s, time left. */
function progressReporter(quiet: boolean): (done: number, total: number) => void {
  const start = performance.now();
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (quiet || (now - last < 500 && done < total)) return;
    last = now;
    const rate = done / ((now - start) / 1000);
    const left = (total - done) / rate;
    process.stderr.write(
      `\r${((100 * done) / total).toFixed(1).padStart(5)}%  step ${done}/${total}  ${rate.toFixed(1)} steps/s  ~${left.toFixed(0)} s left   ${done === total ? '\n' : ''}`,
    );
  };
}

async function main(): Promise<number> {
  let args: SimArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${(e as Error).message === USAGE ? '' : USAGE + '\n'}`);
    return 2;
  }
  let scenario: Scenario;
  try {
    scenario = loadScenario(args);
  } catch (e) {
    const prefix = e instanceof ScenarioError ? 'invalid scenario: ' : '';
    process.stderr.write(`${prefix}${(e as Error).message}\n`);
    return 2;
  }
  let engine: SimEngine;
  try {
    engine = await createEngine(args.engine, scenario);
  } catch (e) {
    process.stderr.write(`cannot start the ${args.engine} engine: ${(e as Error).message}\n`);
    return 3;
  }
  mkdirSync(args.out, { recursive: true });
  const csv = createWriteStream(join(args.out, 'trace.csv'));
  csv.write(TRACE_COLUMNS.join(',') + '\n');
  try {
    await runToEnd(engine, {
      every: args.every,
      onRow: (row) => csv.write(row.join(',') + '\n'),
      onProgress: progressReporter(args.quiet),
    });
    const x = await engine.readPositions();
    const D = await engine.readWeights();
    const { n, d, heads: H, replicas: P } = scenario;
    const nest = (a: ArrayLike<number>, dims: number[]): unknown => {
      if (dims.length === 1) return Array.from(a).slice(0, dims[0]);
      const size = dims.slice(1).reduce((p, q) => p * q, 1);
      return Array.from({ length: dims[0]! }, (_, i) =>
        nest(Array.prototype.slice.call(a, i * size, (i + 1) * size) as number[], dims.slice(1)),
      );
    };
    writeFileSync(
      join(args.out, 'final.json'),
      JSON.stringify({
        t: engine.stepIndex * scenario.dt,
        engine: engine.kind,
        x: nest(x, [P, n, d]),
        D: nest(D, [P, H, d, d]),
      }),
    );
  } finally {
    engine.destroy();
    await new Promise<void>((resolve) => csv.end(resolve));
  }
  if (!args.quiet) process.stderr.write(`wrote ${join(args.out, 'trace.csv')} and ${join(args.out, 'final.json')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`error: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
