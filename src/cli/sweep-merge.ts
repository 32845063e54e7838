/**
 * Sweeps past one machine: `--shard k/N` runs every N-th job of the sweep (jobs in the fixed
 * order of src/model/sweep.ts sweepJobs, job i in shard i mod N, k = 0…N−1: a Slurm array task
 * id or a Kubernetes completion index) and writes DIR/shard-k-of-N.json; `--merge DIR…` reads
 * the N shard files from those folders and gives the results of the whole sweep. Each job's G²
 * travels as a JSON number (which round-trips a double exactly), so the merged sweep.json is
 * byte for byte that of one unsharded run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../model/scenario';
import { assembleSweep, type JobValue, jobKey, sweepJobs, type SweepJob, type SweepResult } from '../model/sweep';
import { isPathDistances, type PathDistances } from '../model/sweep-distance';
import { CliError, EXIT } from './output';
import type { SweepItem } from './sweep-parallel';

export const SHARD_FORMAT = 'attention-flow-playground sweep shard';

export interface ShardSpec {
  index: number;
  count: number;
}

/** What a shard file holds: the whole sweep's plan and this shard's job results. */
export interface ShardFile {
  format: typeof SHARD_FORMAT;
  version: 1;
  shard: number;
  of: number;
  items: SweepItem[];
  /** Each job with its G² (H sweep) or its distances (perturbation sweep). */
  results: (SweepJob & ({ g2: number } | { distances: PathDistances }))[];
}

const usage = (m: string): CliError => new CliError(m, EXIT.usage);

/** Parses `k/N` (0 ≤ k < N). */
export function parseShard(v: string, flag = '--shard'): ShardSpec {
  const m = /^([0-9]{1,6})\/([1-9][0-9]{0,5})$/.exec(v);
  if (!m) throw usage(`${flag}: expected k/N with 0 ≤ k < N (e.g. 0/4), got "${v.slice(0, 40)}"`);
  const index = Number(m[1]),
    count = Number(m[2]);
  if (index >= count) throw usage(`${flag}: k must be below N (0 ≤ k < N), got ${index}/${count}`);
  return { index, count };
}

export const shardFileName = (s: ShardSpec): string => `shard-${s.index}-of-${s.count}.json`;

/** The jobs of one shard. */
export function shardJobs(items: SweepItem[], shard: ShardSpec | undefined): SweepJob[] {
  const all = sweepJobs(items);
  return shard ? all.filter((_, i) => i % shard.count === shard.index) : all;
}

/** The shard file's text. */
export function shardText(items: SweepItem[], shard: ShardSpec, g2: Map<string, JobValue>): string {
  const results = shardJobs(items, shard).map((j) => {
    const v = g2.get(jobKey(j))!;
    return typeof v === 'number' ? { ...j, g2: v } : { ...j, distances: v };
  });
  const file: ShardFile = { format: SHARD_FORMAT, version: 1, shard: shard.index, of: shard.count, items, results };
  return `${JSON.stringify(file, null, 1)}\n`;
}

/**
 * Splits `--merge DIR…` (the folders up to the next flag) from the other arguments; undefined
 * dirs when there is no --merge.
 */
export function splitMerge(argv: string[]): { dirs: string[] | undefined; rest: string[] } {
  const i = argv.indexOf('--merge');
  if (i < 0) return { dirs: undefined, rest: argv };
  let j = i + 1;
  while (j < argv.length && !argv[j]!.startsWith('--')) j++;
  const dirs = argv.slice(i + 1, j);
  if (dirs.length === 0) throw usage('--merge needs one or more folders holding shard-k-of-N.json files');
  const rest = [...argv.slice(0, i), ...argv.slice(j)];
  if (rest.includes('--merge')) throw usage('--merge given twice');
  const allowed = new Set(['--out', '--debug']);
  for (let k = 0; k < rest.length; k++) {
    const f = rest[k]!;
    if (f.startsWith('--') && !allowed.has(f))
      throw usage(`${f.slice(0, 40)}: with --merge only --out and --debug apply (the plan comes from the shards)`);
    if (f === '--out') k++;
  }
  return { dirs, rest };
}

function isShard(v: unknown): v is ShardFile {
  const f = v as ShardFile;
  return (
    typeof f === 'object' &&
    f !== null &&
    f.format === SHARD_FORMAT &&
    f.version === 1 &&
    Number.isInteger(f.shard) &&
    Number.isInteger(f.of) &&
    Array.isArray(f.items) &&
    Array.isArray(f.results) &&
    f.results.every(
      (r) =>
        Number.isInteger(r.item) &&
        Number.isInteger(r.heads) &&
        Number.isInteger(r.path) &&
        (r.size === undefined || typeof r.size === 'number') &&
        ('g2' in r ? typeof r.g2 === 'number' : 'distances' in r && isPathDistances(r.distances)),
    )
  );
}

/**
 * Reads the shard files in `dirs` and assembles the sweep: every shard 0…N−1 exactly once, all
 * of one plan, every job present. Throws a CliError naming the file or what is missing.
 */
export async function mergeShards(dirs: string[]): Promise<{ items: SweepItem[]; results: SweepResult[] }> {
  const files: { path: string; shard: ShardFile }[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => /^shard-[0-9]+-of-[0-9]+\.json$/.test(n)).sort();
    } catch (e) {
      throw usage(`--merge: cannot read the folder ${dir} (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    if (names.length === 0) throw usage(`--merge: ${dir} holds no shard-k-of-N.json file`);
    for (const name of names) {
      const path = join(dir, name);
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(path, 'utf8'));
      } catch (e) {
        throw usage(`--merge: ${path} is not readable JSON (${(e as Error).message})`);
      }
      if (!isShard(parsed)) throw usage(`--merge: ${path} is not a sweep shard file`);
      files.push({ path, shard: parsed });
    }
  }
  const first = files[0]!;
  const N = first.shard.of;
  const plan = JSON.stringify(first.shard.items);
  const seen = new Map<number, string>();
  for (const { path, shard } of files) {
    if (shard.of !== N) throw usage(`--merge: ${path} is shard ${shard.shard} of ${shard.of}, ${first.path} of ${N}`);
    if (JSON.stringify(shard.items) !== plan)
      throw usage(`--merge: ${path} belongs to another sweep than ${first.path} (presets, H, scenario differ)`);
    const other = seen.get(shard.shard);
    if (other) throw usage(`--merge: shard ${shard.shard} of ${N} is given twice (${other} and ${path})`);
    seen.set(shard.shard, path);
  }
  const missing = Array.from({ length: N }, (_, k) => k).filter((k) => !seen.has(k));
  if (missing.length > 0)
    throw usage(`--merge: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${N} missing`);
  const items = first.shard.items as (SweepItem & { base: Scenario })[];
  const g2 = new Map<string, JobValue>();
  for (const { path, shard } of files) {
    const expected = new Set(shardJobs(items, { index: shard.shard, count: N }).map(jobKey));
    for (const r of shard.results) {
      if (!expected.delete(jobKey(r))) throw usage(`--merge: ${path} holds a job not of its shard (${jobKey(r)})`);
      g2.set(jobKey(r), 'g2' in r ? r.g2 : r.distances);
    }
    if (expected.size > 0) throw usage(`--merge: ${path} lacks job(s) ${[...expected].join(', ')}`);
  }
  return { items, results: assembleSweep(items, g2) };
}
