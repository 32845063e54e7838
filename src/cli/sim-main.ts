/**
 * `npm run sim` as a function of its arguments and its surroundings (stderr, a stop signal, how
 * files are opened), so tests drive it in-process. Everything is checked before any work: the
 * flags, the scenario, the cost (past the limits only with --yes), the output folder. Then the
 * run streams its rows to DIR/trace.csv.partial, writes DIR/final.json.partial, and renames
 * both when complete; an interrupt, a non-finite step or a failed write leaves a STATUS line
 * (and final.json's "status") that says so. No stack reaches the user unless --debug.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeCost, costWarnings, estimateCost } from '../model/cost';
import type { NonFiniteError, SimEngine } from '../model/engine';
import { ThreadCpuEngine } from './engine-thread';
import { preset, PRESETS } from '../model/presets';
import type { Scenario } from '../model/scenario';
import { MAX_SHARED_BYTES } from '../model/share';
import { parseScenarioJson, ScenarioError, validateScenario } from '../model/validate';
import { parseArgs, type SimArgs, USAGE } from './args';
import { defaultThreadCount, setDefaultThreads } from '../model/kernel/row-kernel';
import { CliError, EXIT, oneLine, type OpenFile, openFresh, type OutputFile, prepareOutDir, RunOutput } from './output';
import { type RunEnd, runToEnd, TRACE_COLUMNS } from './run';

/** What the command touches besides its arguments. */
export interface SimIo {
  stderr: (text: string) => void;
  /** Aborted on SIGINT/SIGTERM; its reason is the signal's name. */
  signal?: AbortSignal;
  /** How output files are opened (tests inject a failing device). */
  openFile?: OpenFile;
}

/** The largest scenario file read (the same cap as a shared link). */
export const MAX_SCENARIO_BYTES = MAX_SHARED_BYTES;
const RESULT_FILES = ['trace.csv', 'final.json'] as const;

async function loadScenario(args: SimArgs): Promise<Scenario> {
  if (args.preset !== undefined) {
    if (!PRESETS.some((p) => p.id === args.preset))
      throw new CliError(
        `--preset: unknown preset "${args.preset.slice(0, 60)}" (known: ${PRESETS.map((p) => p.id).join(', ')})`,
        EXIT.usage,
      );
    const s = validateScenario(preset(args.preset).build(args.heads));
    if (args.heads !== undefined && s.heads !== args.heads)
      throw new CliError(
        `--heads: preset ${args.preset} has a fixed H = ${s.heads}; it cannot run H = ${args.heads}`,
        EXIT.usage,
      );
    return s;
  }
  const path = args.scenarioPath!;
  const where = JSON.stringify(path.slice(0, 120));
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (e) {
    throw new CliError(
      `scenario file ${where}: cannot read it (${(e as NodeJS.ErrnoException).code ?? oneLine(e)})`,
      EXIT.usage,
    );
  }
  // A pipe, a device or a folder could block or never end: only regular files are read.
  if (!st.isFile()) throw new CliError(`scenario file ${where}: not a regular file`, EXIT.usage);
  if (st.size > MAX_SCENARIO_BYTES)
    throw new CliError(
      `scenario file ${where}: ${st.size} bytes, more than the ${MAX_SCENARIO_BYTES} accepted`,
      EXIT.usage,
    );
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_SCENARIO_BYTES)
      throw new CliError(`scenario file ${where}: more than the ${MAX_SCENARIO_BYTES} bytes accepted`, EXIT.usage);
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`scenario file ${where}: cannot read it as UTF-8 text (${oneLine(e)})`, EXIT.usage);
  }
  return parseScenarioJson(text);
}

async function createEngine(kind: 'cpu' | 'gpu', s: Scenario): Promise<SimEngine> {
  // On a worker thread: the main thread stays free for signals, progress and writes.
  if (kind === 'cpu') return new ThreadCpuEngine(s);
  const { nodeGpu } = await import('../gpu/node-env');
  const { createGpuEngine } = await import('../gpu/index');
  return createGpuEngine(s, { gpu: await nodeGpu() });
}

/**
 * Progress on stderr about twice a second: percent, the step (with the share of a long step in
 * progress), steps/s, elapsed time and time left.
 */
export function progressReporter(quiet: boolean, write: (t: string) => void): (done: number, total: number) => void {
  const start = performance.now();
  let last = Number.NEGATIVE_INFINITY;
  return (done, total) => {
    const now = performance.now();
    // 400 ms: a 500 ms heartbeat that fires a little early still prints.
    if (quiet || (now - last < 400 && done < total)) return;
    last = now;
    const seconds = (now - start) / 1000;
    const rate = done / seconds;
    const whole = Math.floor(done);
    const inStep = done > whole ? ` (${Math.floor(100 * (done - whole))}% of step ${whole + 1})` : '';
    const left = rate > 0 ? `~${((total - done) / rate).toFixed(0)} s left` : 'time left not known yet';
    const speed = rate >= 0.1 ? `${rate.toFixed(1)} steps/s` : `${(seconds / Math.max(done, 1e-9)).toFixed(1)} s/step`;
    write(
      `\r${((100 * done) / total).toFixed(1).padStart(5)}%  step ${whole}/${total}${inStep}  ${done > 0 ? speed : ''}  ${seconds.toFixed(0)} s elapsed  ${left}   ${done === total ? '\n' : ''}`,
    );
  };
}

/** Writes `a` ([P][n][d] or [P][H][d][d], flat) as nested JSON arrays, a row at a time. */
async function writeNested(file: OutputFile, a: ArrayLike<number>, dims: number[]): Promise<void> {
  const inner = dims[dims.length - 1]!;
  const outer = dims.slice(0, -1);
  const rows = outer.reduce((p, q) => p * q, 1);
  let text = '';
  for (let r = 0; r < rows; r++) {
    // Open the brackets of every level this row starts.
    let opens = 0;
    for (let level = outer.length - 1, span = 1; level >= 0; level--) {
      span *= outer[level]!;
      if (r % span === 0) opens++;
      else break;
    }
    text += (r > 0 ? ',' : '') + '['.repeat(opens) + '[';
    for (let c = 0; c < inner; c++) text += (c > 0 ? ',' : '') + JSON.stringify(a[r * inner + c]);
    text += ']';
    let closes = 0;
    for (let level = outer.length - 1, span = 1; level >= 0; level--) {
      span *= outer[level]!;
      if ((r + 1) % span === 0) closes++;
      else break;
    }
    text += ']'.repeat(closes);
    if (text.length > 1 << 16) {
      await file.write(text);
      text = '';
    }
  }
  await file.write(text);
}

/** What became non-finite, where, and what to lower. */
export function nonFiniteAdvice(e: NonFiniteError): string {
  return `non-finite ${e.what} at step ${e.step} (replica ${e.replica}). Lower β, dt, or the size of the weights (D(0) scale, explicit matrix entries, the drift's targets).`;
}

/** The command: returns the exit code. */
export async function simMain(argv: string[], io: SimIo): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`${e.message}\n`);
      return e.code;
    }
    if (e instanceof ScenarioError) {
      io.stderr(`invalid scenario: ${oneLine(e)}\n`);
      return EXIT.usage;
    }
    io.stderr(
      debug ? `error: ${(e as Error).stack ?? String(e)}\n` : `error: ${oneLine(e)} (run with --debug for the stack)\n`,
    );
    return EXIT.unexpected;
  }
}

async function run(argv: string[], io: SimIo): Promise<number> {
  let args: SimArgs;
  try {
    args = parseArgs(argv);
    setDefaultThreads(args.threads);
  } catch (e) {
    const m = (e as Error).message;
    io.stderr(m === USAGE ? `${USAGE}\n` : `${m}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const scenario = await loadScenario(args);
  const cost = estimateCost(scenario, args.engine, args.every, defaultThreadCount());
  const over = costWarnings(cost);
  if (over.length > 0 && !args.yes)
    throw new CliError(
      `this run is estimated past the limits (${over.join(', ')}): ${describeCost(cost, args.engine)}. Pass --yes to run it anyway, or lower n, H, P, T/dt or raise --every.`,
      EXIT.usage,
    );
  const dir = await prepareOutDir(args.out, RESULT_FILES);
  if (!args.quiet) io.stderr(`estimate: ${describeCost(cost, args.engine)}\n`);
  let engine: SimEngine;
  try {
    engine = await createEngine(args.engine, scenario);
  } catch (e) {
    throw new CliError(`cannot start the ${args.engine} engine: ${oneLine(e)}`, EXIT.engine);
  }
  const K = Math.round(scenario.T / scenario.dt);
  const output = await RunOutput.start(dir, `${K} steps on the ${args.engine} engine`, io.openFile ?? openFresh);
  let end: RunEnd | undefined;
  try {
    const csv = await output.file('trace.csv');
    await csv.write(`${TRACE_COLUMNS.join(',')}\n`);
    end = await runToEnd(engine, {
      every: args.every,
      signal: io.signal,
      onRows: (text) => csv.write(text),
      onProgress: progressReporter(args.quiet, io.stderr),
    });
    // Interrupted inside a call: the engine is still busy with it, so the state before it is written.
    const x = end.state?.positions ?? (await engine.readPositions());
    const D = end.state?.weights ?? (await engine.readWeights());
    const { n, d, heads: H, replicas: P } = scenario;
    const final = await output.file('final.json');
    const head = {
      status: end.status,
      step: end.step,
      t: end.step * scenario.dt,
      steps: K,
      lastRow: end.lastRow,
      engine: engine.kind,
      ...(end.error && { error: nonFiniteAdvice(end.error) }),
    };
    await final.write(`${JSON.stringify(head).slice(0, -1)},"x":`);
    await writeNested(final, x, [P, n, d]);
    await final.write(',"D":');
    await writeNested(final, D, [P, H, d, d]);
    await final.write('}\n');
    const rows = end.lastRow < 0 ? 'no rows' : `rows of steps 0–${end.lastRow}`;
    const line =
      end.status === 'complete'
        ? `complete: ${K} steps to t = ${scenario.T} on the ${engine.kind} engine`
        : end.status === 'interrupted'
          ? `interrupted (${String(io.signal?.reason ?? 'signal')}) at step ${end.step} of ${K}: trace.csv holds ${rows}, final.json the state at step ${end.step}`
          : `non-finite: ${nonFiniteAdvice(end.error!)} trace.csv holds ${rows}, final.json the last good state (step ${end.step})`;
    await output.commit(line);
  } catch (e) {
    await output.fail(`failed: ${oneLine(e)}; the .partial files are incomplete`);
    throw e;
  } finally {
    engine.destroy();
  }
  const files = `${join(args.out, 'trace.csv')} and ${join(args.out, 'final.json')}`;
  if (end.status === 'complete') {
    if (!args.quiet) io.stderr(`wrote ${files}\n`);
    return EXIT.ok;
  }
  if (end.status === 'interrupted') {
    io.stderr(`\ninterrupted at step ${end.step} of ${K}; wrote ${files} (status "interrupted")\n`);
    return io.signal?.reason === 'SIGTERM' ? EXIT.SIGTERM : EXIT.SIGINT;
  }
  io.stderr(
    `\nstopped: ${nonFiniteAdvice(end.error!)} Wrote ${files} up to the last good state (step ${end.step}, status "non-finite").\n`,
  );
  return EXIT.nonFinite;
}
