/**
 * `npm run sim -- <scenario.json> [--engine cpu|gpu] [--out DIR] [--every K] [--yes] [--debug]`:
 * runs a scenario headless and writes DIR/trace.csv, DIR/final.json and DIR/STATUS
 * (src/cli/sim-main.ts). Bad input exits 2 with a message that names the field or flag; nothing
 * in the file is ever evaluated as code. The first SIGINT/SIGTERM stops the run after the
 * engine call in progress (≤ ~0.2 s of work; the float64 engine runs on a worker thread, so this
 * thread sees the signal at once), or at once, on the state before it, when one step is longer
 * (src/cli/run.ts), and writes what it has, marked "interrupted"; a
 * second one exits at once, leaving the .partial files and a STATUS that says "running".
 */
import { simMain } from './sim-main';
import { EXIT } from './output';

const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stop.signal.aborted) {
      process.stderr.write(`\n${sig} again: exiting at once; the output folder holds only .partial files\n`);
      process.exit(sig === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM);
    }
    stop.abort(sig);
  });
}

simMain(process.argv.slice(2), { stderr: (t) => process.stderr.write(t), signal: stop.signal }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
    process.exit(EXIT.unexpected);
  },
);
