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
import { isSweepOver, SWEEP_OVER, SWEEP_OVER_LIST, type SweepOver } from '../model/kinds/sweep-over';
import { DEFAULT_SAMPLES, defaultTimes, distanceScenario } from '../model/sweep-distance';
import type { SweepSpec } from '../model/sweep';
import { CliError, EXIT } from './output';
import { parseShard, type ShardSpec } from './sweep-merge';

export interface SweepArgs {
  presets: string[];
  /** What is swept (default heads) and, for ε or δ, the sizes, chosen times and sample count. */
  over: SweepOver;
  sizes?: number[];
  times?: number[];
  samples?: number;
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

export const SWEEP_USAGE = `usage: npm run sweep -- [--preset ID[,ID…]] [--over heads|epsilon|delta] [--heads H1,H2,…] [--sizes s1,s2,…] [--paths P] [--T T] [--n n] [--engine cpu|gpu] [--out DIR] [--yes] [--debug]
  writes DIR/sweep.json and DIR/sweep.svg (as .partial files, renamed when complete) and DIR/STATUS
  --over   heads (default): G² vs H; epsilon / delta: distance of P perturbed copies to the original vs the size
  --heads  at least two distinct head counts (default: the preset's sweep); with --over epsilon|delta one H
  --sizes  epsilon|delta: at least two distinct positive sizes (default epsilon 1e-4,1e-3,1e-2,1e-1; delta 1e-3,1e-2,1e-1,1)
  --times  epsilon|delta: times in (0, T] at which the distances are also kept (default T/4,T/2,T)
  --samples epsilon|delta: [0, T] is sampled at this many intervals for the max over time (default ${DEFAULT_SAMPLES})
  --paths  Monte Carlo paths (epsilon|delta: perturbed copies, default 4)
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

function numberList(v: string, flag: string): number[] {
  return v.split(',').map((t) => positiveNumber(t, flag));
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
  [
    '--over',
    (a, v, flag) => {
      if (!isSweepOver(v)) throw usage(`${flag}: expected ${SWEEP_OVER_LIST.join(', ')}, got "${v.slice(0, 40)}"`);
      a.over = v;
    },
  ],
  ['--sizes', (a, v, flag) => Object.assign(a, { sizes: numberList(v, flag) })],
  ['--times', (a, v, flag) => Object.assign(a, { times: numberList(v, flag) })],
  ['--samples', (a, v, flag) => Object.assign(a, { samples: positiveInt(v, flag) })],
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
  const a: SweepArgs = { presets: ['s2-ou'], over: 'heads', engine: 'cpu', out: 'out/sweep', yes: false, debug: false };
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
  if (a.over === 'heads')
    for (const f of ['sizes', 'times', 'samples'] as const)
      if (a[f] !== undefined) throw usage(`--${f}: applies to --over epsilon or delta, not to an H sweep`);
  return a;
}

/** One preset's sweep, checked: the base scenario and its head counts, each validated. */
export interface SweepPlanItem extends SweepSpec {
  id: string;
  heads: number[];
  base: Scenario;
}

/** The sweep's cost: the runs of every H of every preset, summed (memory: the largest). */
export function sweepCost(items: SweepPlanItem[], engine: 'cpu' | 'gpu'): RunCost {
  // A perturbation sweep runs the copies and the original per size (on the float64 engine, one original per copy).
  const copies = (it: SweepPlanItem) => (engine === 'cpu' ? 2 * it.base.replicas : it.base.replicas + 1);
  const costs = items.flatMap((it) =>
    it.sizes
      ? it.sizes.map(() => estimateCost({ ...it.base, replicas: copies(it) }, engine, Infinity))
      : it.heads.map((H) => estimateCost({ ...it.base, heads: H }, engine, Infinity)),
  );
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
    if (a.over !== 'heads') return planDistance(a, id);
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
        const flag = flagOf(e.field, '--heads');
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

/** The flag that sets the scenario field `field` a run was refused for: --T, --n, --paths, else `other`. */
function flagOf(field: string, other: string): string {
  if (field === 'T' || field === 'dt') return '--T';
  if (field === 'n') return '--n';
  return field === 'replicas' ? '--paths' : other;
}

/** A perturbation sweep of preset `id`, checked: one H, at least two sizes, times in (0, T], every run valid. */
function planDistance(a: SweepArgs, id: string): SweepPlanItem {
  const p = preset(id);
  const over = a.over;
  if (a.heads && a.heads.length !== 1)
    throw usage(`--heads: a sweep over ${over} runs one head count, got ${a.heads.join(',')}`);
  const sizes = a.sizes ?? [...SWEEP_OVER[over].defaultSizes!];
  if (new Set(sizes).size < 2)
    throw usage(`--sizes: a sweep needs at least two distinct sizes to fit a slope, got ${sizes.join(',')}`);
  const built = p.build(a.heads?.[0]);
  const heads = a.heads?.[0] ?? built.heads;
  const base = {
    ...built,
    heads,
    T: a.T ?? built.T,
    n: a.n ?? built.n,
    replicas: a.paths ?? 4,
    perturbation: { tokens: 0, weights: 0, sharedNoise: false },
  };
  const times = a.times ?? defaultTimes(base.T);
  for (const t of times)
    if (!(t > 0 && t <= base.T * (1 + 1e-12))) throw usage(`--times: ${t} is not in (0, T] with T = ${base.T}`);
  let checked: Scenario;
  try {
    checked = validateScenario(base);
    if (checked.heads !== heads) throw usage(`--heads: preset ${id} cannot run H = ${heads}`);
    for (const size of sizes) validateScenario(distanceScenario(checked, over, size));
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const flag = flagOf(e.field, e.field.startsWith('perturbation') ? '--sizes' : '--heads');
    throw usage(`${flag}: preset ${id}, a sweep over ${over}, is not a valid run: ${e.message}`);
  }
  return {
    id,
    heads: [heads],
    base: checked,
    over,
    sizes: [...sizes].sort((x, y) => x - y),
    times,
    samples: a.samples ?? DEFAULT_SAMPLES,
  };
}

/** One line for stderr: the sweep's estimated time and memory. */
export function describeSweep(items: SweepPlanItem[], engine: 'cpu' | 'gpu'): string {
  const c = sweepCost(items, engine);
  return `${items.reduce((p, it) => p + (it.sizes ?? it.heads).length, 0)} runs, ~${formatSeconds(c.seconds)} on the ${engine} engine, at most ~${formatBytes(c.memoryBytes)} of memory`;
}
