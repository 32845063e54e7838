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
}

export const USAGE = `usage: npm run sim -- <scenario.json | --preset ID [--heads H]> [--engine cpu|gpu] [--out DIR] [--every K] [--quiet]
  writes DIR/trace.csv (one row per recorded step per replica) and DIR/final.json ({t, x, D})
  --engine   cpu (float64 reference, default) or gpu (WebGPU through dawn.node)
  --out      output folder (default: out)
  --every    record every K-th step (default 1); step 0 and the last step are always recorded
  --preset   run a named preset instead of a file (see src/model/presets.ts)
  --heads    with --preset: the number of heads H
  --quiet    no progress on stderr`;

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
  ['--out', (args, v) => Object.assign(args, { out: v })],
  ['--every', (args, v, flag) => Object.assign(args, { every: positiveInt(v, flag) })],
  ['--preset', (args, v) => Object.assign(args, { preset: v })],
  ['--heads', (args, v, flag) => Object.assign(args, { heads: positiveInt(v, flag) })],
]);

/** Parses argv (without node and script); throws an Error with a message naming the flag. */
export function parseArgs(argv: string[]): SimArgs {
  const args: SimArgs = { engine: 'cpu', out: 'out', every: 1, quiet: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const store = VALUE_FLAGS.get(a);
    if (store) {
      store(args, value(i++, a), a);
      continue;
    }
    switch (a) {
      case '--quiet':
        args.quiet = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        if (a.startsWith('-')) throw new Error(`unknown flag ${a}`);
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
