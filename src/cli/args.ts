/** Command-line arguments of `npm run sim`, parsed strictly: unknown flags and bad values are errors. */

export interface SimArgs {
  /** Path of a scenario JSON file, or undefined when --preset is given. */
  scenarioPath?: string;
  preset?: string;
  heads?: number;
  engine: 'cpu' | 'gpu';
  out: string;
  every: number;
  quiet: boolean;
  /** Run even when the cost estimate is past the limits (src/model/cost.ts). */
  yes: boolean;
  /** Print stacks of unexpected errors. */
  debug: boolean;
  /** Threads of the float64 engine (default: the cores available). */
  threads?: number;
}

export const USAGE = `usage: npm run sim -- <scenario.json | --preset ID [--heads H]> [--engine cpu|gpu] [--out DIR] [--every K] [--quiet] [--yes] [--debug]
  writes DIR/trace.csv (one row per recorded step per replica), DIR/final.json ({status, t, x, D}) and
  DIR/STATUS (complete, interrupted, non-finite or failed); files are written as NAME.partial and renamed when complete
  --engine   cpu (float64 reference, default) or gpu (WebGPU through dawn.node)
  --out      output folder (default: out)
  --every    record every K-th step (default 1); step 0 and the last step are always recorded
  --preset   run a named preset instead of a file (see src/model/presets.ts)
  --heads    with --preset: the number of heads H
  --quiet    no progress on stderr
  --yes      run even when the cost estimate (time, memory, output) is past the limits
  --debug    print the stack of an unexpected error
  --threads  threads of the float64 engine (default: the cores available; results are the same bits)
exit codes: 0 done, 2 bad input (nothing run), 3 engine failed to start, 4 non-finite (stopped on the last
  good state), 5 output failed (disk full, I/O), 130/143 interrupted (SIGINT/SIGTERM), 1 unexpected`;

function positiveInt(v: string, flag: string): number {
  if (!/^[1-9][0-9]*$/.test(v)) throw new Error(`${flag}: expected a positive integer, got "${v}"`);
  return Number(v);
}

/** The flags that take a value, each with how it stores the value. */
const VALUE_FLAGS = new Map<string, (args: SimArgs, v: string, flag: string) => void>([
  [
    '--engine',
    (args, v) => {
      if (v !== 'cpu' && v !== 'gpu') throw new Error(`--engine: expected cpu or gpu, got "${v}"`);
      args.engine = v;
    },
  ],
  [
    '--out',
    (args, v) => {
      if (v.length === 0) throw new Error('--out: expected a folder path, got an empty string');
      args.out = v;
    },
  ],
  ['--every', (args, v, flag) => Object.assign(args, { every: positiveInt(v, flag) })],
  ['--preset', (args, v) => Object.assign(args, { preset: v })],
  ['--heads', (args, v, flag) => Object.assign(args, { heads: positiveInt(v, flag) })],
  ['--threads', (args, v, flag) => Object.assign(args, { threads: positiveInt(v, flag) })],
]);

/** Parses argv (without node and script); throws an Error with a message naming the flag. */
export function parseArgs(argv: string[]): SimArgs {
  const args: SimArgs = { engine: 'cpu', out: 'out', every: 1, quiet: false, yes: false, debug: false };
  const seen = new Set<string>();
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      if (seen.has(a)) throw new Error(`${a} given twice`);
      seen.add(a);
    }
    const store = VALUE_FLAGS.get(a);
    if (store) {
      store(args, value(i++, a), a);
      continue;
    }
    switch (a) {
      case '--quiet':
        args.quiet = true;
        break;
      case '--yes':
        args.yes = true;
        break;
      case '--debug':
        args.debug = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        if (a.startsWith('-')) throw new Error(`unknown flag ${JSON.stringify(a.slice(0, 60)).slice(1, -1)}`);
        if (a.length === 0) throw new Error('the scenario file path is an empty string');
        if (args.scenarioPath !== undefined)
          throw new Error(`only one scenario file, got "${args.scenarioPath}" and "${a}"`);
        args.scenarioPath = a;
    }
  }
  if ((args.scenarioPath === undefined) === (args.preset === undefined))
    throw new Error('give either a scenario file or --preset ID');
  if (args.heads !== undefined && args.preset === undefined)
    throw new Error('--heads works with --preset only (edit "heads" in the file instead)');
  return args;
}
