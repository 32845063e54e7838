/**
 * `npx tsx bench/cli-memory.ts [MB]`: one `npm run sim` process that writes
 * at least MB megabytes of trace.csv (default 550), its resident memory sampled from
 * /proc/<pid>/status every 50 ms (VmRSS; VmHWM, the kernel's peak, read at the end). The CLI
 * streams rows to disk, so the peak should not grow with the output (it grew to 5 GB before).
 * Linux only (reads /proc). Not a test: it takes tens of seconds.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const targetMb = Number(process.argv[2] ?? 550);
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-cli-memory-'));
// Tiny steps, many rows: P = 64 replicas of n = 2 tokens, one row per replica per step (~150 bytes).
const P = 64;
const steps = Math.ceil((targetMb * 1e6) / (150 * P));
const dt = 0.01;
const scenario = {
  d: 2,
  n: 2,
  heads: 1,
  replicas: P,
  dt,
  T: Number((steps * dt).toFixed(2)),
  seed: 1,
  tokens: { kind: 'uniform' },
  weights: { init: { kind: 'random-symmetric' }, drift: { kind: 'ou' }, noiseVariance: 2 },
};
const file = join(dir, 'scenario.json');
writeFileSync(file, JSON.stringify(scenario));
const out = join(dir, 'out');

function kb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

// One node process (no tsx wrapper process), so its pid is the one that runs the CLI.
// SIM=path/to/sim.ts measures another copy of the CLI (e.g. an older commit's, extracted with git archive).
const sim = process.env.SIM ?? join(root, 'src/cli/sim.ts');
const child = spawn(process.execPath, ['--import', 'tsx', sim, file, '--out', out, '--quiet'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
const start = performance.now();
let maxRss = 0;
let hwm = 0;
let samples = 0;
const timer = setInterval(() => {
  const rss = kb(child.pid!, 'VmRSS');
  hwm = kb(child.pid!, 'VmHWM') ?? hwm;
  if (rss !== undefined) {
    maxRss = Math.max(maxRss, rss);
    samples++;
  }
}, 50);
const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
clearInterval(timer);
const seconds = (performance.now() - start) / 1000;
const csvBytes = statSync(join(out, 'trace.csv')).size;
console.log(
  JSON.stringify(
    {
      exit: code,
      rows: steps + 1,
      replicas: P,
      csvMB: +(csvBytes / 1e6).toFixed(1),
      seconds: +seconds.toFixed(1),
      maxRssMB: +(maxRss / 1024).toFixed(1),
      peakRssMB_VmHWM: +(hwm / 1024).toFixed(1),
      samples,
      status: existsSync(join(out, 'STATUS')) ? readFileSync(join(out, 'STATUS'), 'utf8').trim() : '(no STATUS file)',
    },
    null,
    1,
  ),
);
rmSync(dir, { recursive: true, force: true });
if (code !== 0 || csvBytes < targetMb * 1e6 * 0.9) process.exit(1);
