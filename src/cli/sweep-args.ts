/**
 * Arguments of `npm run sweep`, parsed strictly and checked before any work: unknown, repeated or
 * malformed flags, unknown presets, every head count of every preset validated as a scenario (a
 * preset whose H cannot change is refused here, not half-way through), at least two distinct H
 * (a power-law fit needs two), and the summed cost estimate (past the limits only with --yes).
 * Each problem is a CliError (exit 2) naming the flag.
 */
import { costWarnings, describeCost, estimateCost, formatBytes, formatSeconds, type RunCost } from '../model/cost';
import { PRESETS, preset } from '../model/presets';
import type { Scenario } from '../model/scenario';
import { ScenarioError, validateScenario } from '../model/validate';
import { CliError, EXIT } from './output';
import { parseShard, type ShardSpec } from './sweep-merge';

export interface SweepArgs {
  presets: string[];
  heads?: number[];
  paths?: number;
  T?: number;
  n?: number;
  engine: 'cpu' | 'gpu';
  out: string;
  yes: boolean;
  debug: boolean;
  /** Threads of each job's float64 engine, parallel jobs, and this run's shard (src/cli/sweep-parallel.ts, sweep-merge.ts). */
  threads?: number;
  jobs?: number;
  shard?: ShardSpec;
}

export const SWEEP_USAGE = `usage: npm run sweep -- [--preset ID[,ID…]] [--heads H1,H2,…] [--paths P] [--T T] [--n n] [--engine cpu|gpu] [--out DIR] [--yes] [--debug]
  writes DIR/sweep.json and DIR/sweep.svg (as .partial files, renamed when complete) and DIR/STATUS
  --heads  at least two distinct head counts (default: the preset's sweep)
  --yes    run even when the cost estimate is past the limits
  --jobs J     (H, path) jobs run in parallel, float64 engine (default: the cores)
  --threads N  threads of each job's engine (default: the cores / J)
  --shard k/N  run every N-th job only (0 ≤ k < N) and write DIR/shard-k-of-N.json
  --merge DIR… combine the N shard files of those folders into DIR/sweep.json and sweep.svg (with --out)
exit codes: 0 done, 2 bad input (nothing run), 5 output failed, 130/143 interrupted, 1 unexpected`;

/** Estimated seconds past which a sweep needs --yes. */
export const SWEEP_SECONDS_LIMIT = 3600;

const usage = (m: string): CliError => new CliError(m, EXIT.usage);

function positiveInt(v: string, flag: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(v)) throw usage(`${flag}: expected a positive integer, got "${v.slice(0, 40)}"`);
  return Number(v);
}

function positiveNumber(v: string, flag: string): number {
  const x = /^[0-9.eE+-]+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(x) || x <= 0) throw usage(`${flag}: expected a positive number, got "${v.slice(0, 40)}"`);
  return x;
}

const VALUE_FLAGS = new Map<string, (a: SweepArgs, v: string, flag: string) => void>([
  [
    '--preset',
    (a, v, flag) => {
      const ids = v.split(',');
      for (const id of ids)
        if (!PRESETS.some((p) => p.id === id))
          throw usage(`${flag}: unknown preset "${id.slice(0, 40)}" (known: ${PRESETS.map((p) => p.id).join(', ')})`);
      if (new Set(ids).size !== ids.length) throw usage(`${flag}: a preset is listed twice in "${v.slice(0, 60)}"`);
      a.presets = ids;
    },
  ],
  [
    '--heads',
    (a, v, flag) => {
      if (!/^[1-9][0-9]{0,8}(,[1-9][0-9]{0,8})*$/.test(v))
        throw usage(`${flag}: expected comma-separated positive integers, got "${v.slice(0, 60)}"`);
      a.heads = v.split(',').map(Number);
    },
  ],
  ['--paths', (a, v, flag) => Object.assign(a, { paths: positiveInt(v, flag) })],
  ['--n', (a, v, flag) => Object.assign(a, { n: positiveInt(v, flag) })],
  ['--T', (a, v, flag) => Object.assign(a, { T: positiveNumber(v, flag) })],
  [
    '--engine',
    (a, v, flag) => {
      if (v !== 'cpu' && v !== 'gpu') throw usage(`${flag}: expected cpu or gpu, got "${v.slice(0, 40)}"`);
      a.engine = v;
    },
  ],
  ['--threads', (a, v, flag) => Object.assign(a, { threads: positiveInt(v, flag) })],
  ['--jobs', (a, v, flag) => Object.assign(a, { jobs: positiveInt(v, flag) })],
  ['--shard', (a, v, flag) => Object.assign(a, { shard: parseShard(v, flag) })],
  [
    '--out',
    (a, v, flag) => {
      if (v.length === 0) throw usage(`${flag}: expected a folder path, got an empty string`);
      a.out = v;
    },
  ],
]);

/** Parses argv (without node and script). */
export function parseSweepArgs(argv: string[]): SweepArgs {
  const a: SweepArgs = { presets: ['s2-ou'], engine: 'cpu', out: 'out/sweep', yes: false, debug: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    if (!f.startsWith('-')) throw usage(`unexpected argument "${f.slice(0, 60)}"`);
    if (seen.has(f)) throw usage(`${f} given twice`);
    seen.add(f);
    const store = VALUE_FLAGS.get(f);
    if (store) {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw usage(`${f} needs a value`);
      store(a, v, f);
      i++;
      continue;
    }
    if (f === '--yes') a.yes = true;
    else if (f === '--debug') a.debug = true;
    else if (f === '--help' || f === '-h') throw usage(SWEEP_USAGE);
    else throw usage(`unknown flag ${JSON.stringify(f.slice(0, 60)).slice(1, -1)}`);
  }
  return a;
}

/** One preset's sweep, checked: the base scenario and its head counts, each validated. */
export interface SweepPlanItem {
  id: string;
  heads: number[];
  base: Scenario;
}

/** The sweep's cost: the runs of every H of every preset, summed (memory: the largest). */
export function sweepCost(items: SweepPlanItem[], engine: 'cpu' | 'gpu'): RunCost {
  const costs = items.flatMap((it) => it.heads.map((H) => estimateCost({ ...it.base, heads: H }, engine, Infinity)));
  const sum = (f: (c: RunCost) => number): number => costs.reduce((p, c) => p + f(c), 0);
  return {
    pairHeadsPerStep: Math.max(...costs.map((c) => c.pairHeadsPerStep)),
    steps: sum((c) => c.steps),
    work: sum((c) => c.work),
    secondsPerStep: Math.max(...costs.map((c) => c.secondsPerStep)),
    seconds: sum((c) => c.seconds),
    memoryBytes: Math.max(...costs.map((c) => c.memoryBytes)),
    outputBytes: 0,
  };
}

/** Validates every run of the sweep and its cost; throws a CliError (exit 2) naming the flag. */
export function planSweep(a: SweepArgs): SweepPlanItem[] {
  const items = a.presets.map((id): SweepPlanItem => {
    const p = preset(id);
    const heads = a.heads ?? p.sweepHeads ?? [1, 10, 100];
    if (new Set(heads).size < 2)
      throw usage(`--heads: a sweep needs at least two distinct head counts to fit G² ~ H^b, got ${heads.join(',')}`);
    const built = p.build(heads[0]);
    const base = { ...built, T: a.T ?? built.T, n: a.n ?? built.n, replicas: a.paths ?? built.replicas };
    for (const H of heads) {
      try {
        // What runHeadSweep will run: the base scenario with heads = H.
        const s = validateScenario({ ...base, heads: H });
        if (s.heads !== H) throw usage(`--heads: preset ${id} cannot run H = ${H}`);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        const flag = ['T', 'dt'].includes(e.field)
          ? '--T'
          : e.field === 'n'
            ? '--n'
            : e.field === 'replicas'
              ? '--paths'
              : '--heads';
        throw usage(`${flag}: preset ${id} with H = ${H} is not a valid run: ${e.message}`);
      }
    }
    return { id, heads, base: validateScenario(base) };
  });
  const cost = sweepCost(items, a.engine);
  // A sweep is an experiment of many runs: an hour of compute before it asks (the README's takes ~7 min).
  const over = costWarnings(cost, { seconds: SWEEP_SECONDS_LIMIT });
  if (over.length > 0 && !a.yes)
    throw usage(
      `this sweep is estimated past the limits (${over.join(', ')}): ${describeCost(cost, a.engine)}. Pass --yes to run it anyway, or lower --heads, --n, --paths or --T.`,
    );
  return items;
}

/** One line for stderr: the sweep's estimated time and memory. */
export function describeSweep(items: SweepPlanItem[], engine: 'cpu' | 'gpu'): string {
  const c = sweepCost(items, engine);
  return `${items.reduce((p, it) => p + it.heads.length, 0)} runs, ~${formatSeconds(c.seconds)} on the ${engine} engine, at most ~${formatBytes(c.memoryBytes)} of memory`;
}
