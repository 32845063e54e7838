/**
 * `npx tsx bench/threads.ts`: where threads start to pay for the float64 engine. For n²·H from
 * ~10⁴ to ~10⁷ pair-heads per evaluation, steps/s on 1 thread and on all cores (the crossover
 * forced off), alternating, medians of BENCH_ROUNDS (default 5). THREAD_MIN_PAIR_HEADS in
 * src/model/kernel/row-kernel.ts is set from this table.
 */
import { DIAG_SIZE } from '../src/model/attention';
import { CpuEngine } from '../src/model/engine-cpu';
import { availableCores, setThreadMinPairHeads } from '../src/model/kernel/row-kernel';
import { preset } from '../src/model/presets';
import { load, median } from './official';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const cores = availableCores();

function rate(n: number, H: number, threads: number): number {
  const s = { ...preset('s2-oscillating').build(H), n, replicas: 1 };
  const e = new CpuEngine(s, { threads });
  const rec = new Float64Array(DIAG_SIZE);
  e.step(rec);
  const steps = Math.max(3, Math.round(3e7 / (n * n * H)));
  const t = performance.now();
  for (let k = 0; k < steps; k++) e.step(rec);
  return steps / ((performance.now() - t) / 1000);
}

setThreadMinPairHeads(0);
console.log(`threads 1 vs ${cores}, S² oscillating, Euler, diagnostics every step; load at start ${load()}\n`);
console.log(`| n | H | n²·H | 1 thread steps/s | ${cores} threads steps/s | speed-up |`);
console.log('|---|---|---|---|---|---|');
for (const [n, H] of [
  [32, 10],
  [64, 10],
  [100, 10],
  [120, 10],
  [150, 10],
  [200, 10],
  [300, 10],
  [1000, 10],
] as const) {
  const one: number[] = [],
    many: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    one.push(rate(n, H, 1));
    many.push(rate(n, H, cores));
  }
  const a = median(one),
    b = median(many);
  console.log(`| ${n} | ${H} | ${n * n * H} | ${a.toPrecision(3)} | ${b.toPrecision(3)} | ${(b / a).toFixed(2)} |`);
}
