/**
 * `npm run sim` as a real child process (tsx on src/cli/sim.ts), for the signal tests: its stderr
 * as it comes, a wait for a pattern in it, and SIGINT with the time to exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

export interface SimProcess {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves once `done(stderr)` holds; rejects after `ms` with the stderr seen. */
  waitFor(done: (stderr: string) => boolean, ms: number, what: string): Promise<void>;
  /** Sends SIGINT; resolves with the exit code and the milliseconds it took to exit. */
  interrupt(): Promise<{ code: number | null; ms: number }>;
}

/** Starts `npm run sim -- file --out out --yes`. */
export function startSim(file: string, out: string): SimProcess {
  const child = spawn(tsx, [join(root, 'src', 'cli', 'sim.ts'), file, '--out', out, '--yes'], { cwd: root });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  return {
    child,
    stderr: () => err,
    waitFor: (done, ms, what) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms / 1000} s: ${err}`)), ms);
        const check = (): void => {
          if (!done(err)) return;
          clearTimeout(timer);
          child.stderr.off('data', check);
          resolve();
        };
        child.stderr.on('data', check);
        check();
      }),
    interrupt: async () => {
      const sent = performance.now();
      child.kill('SIGINT');
      const code = await exited;
      return { code, ms: performance.now() - sent };
    },
  };
}
