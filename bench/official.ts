/**
 * The paper's official engine (../shared/official, PyTorch float64) timed from a benchmark, for
 * side-by-side ratios: both engines in the same run, alternated, medians quoted. bench.py
 * reports its engine's own time (imports and set-up excluded), as our rows do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OFFICIAL_BENCH = resolve(fileURLToPath(new URL('../../shared/official/bench.py', import.meta.url)));
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

export interface OfficialCase {
  n: number;
  heads: number;
  drift: 'oscillating' | 'ou';
  /** σ² of the weight noise (the paper's OU runs: 2). */
  noise: number;
  steps: number;
  d?: number;
}

/** Whether the official engine can run here (the script and a Python with torch). */
export function officialAvailable(): string | undefined {
  if (!existsSync(OFFICIAL_BENCH)) return `${OFFICIAL_BENCH} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.status !== 0) return `${PYTHON} has no torch (apt-get install -y python3-torch python3-numpy)`;
  return undefined;
}

/** One official run; its engine seconds for `c.steps` steps. */
export function officialSeconds(c: OfficialCase): number {
  const args = [OFFICIAL_BENCH, '--d', String(c.d ?? 3), '--n', String(c.n), '--heads', String(c.heads)];
  args.push('--drift', c.drift, '--noise', String(c.noise), '--steps', String(c.steps));
  const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`official bench.py failed: ${r.stderr.trim().split('\n').at(-1)}`);
  const line = r.stdout.trim().split('\n').at(-1)!;
  return (JSON.parse(line) as { seconds: number }).seconds;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');

/**
 * `rounds` rounds of both engines, alternating which goes first; each function returns steps/s.
 * Returns the medians and every sample.
 */
export async function sideBySide(
  rounds: number,
  official: () => number,
  ours: () => Promise<number> | number,
): Promise<{ official: number; ours: number; samples: { official: number[]; ours: number[] } }> {
  const o: number[] = [],
    u: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      o.push(official());
      u.push(await ours());
    } else {
      u.push(await ours());
      o.push(official());
    }
  }
  return { official: median(o), ours: median(u), samples: { official: o, ours: u } };
}
