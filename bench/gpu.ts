/**
 * `npm run bench:gpu`: steps/s and pair-head evaluations/s (P·n²·H per step × stages) of the
 * WebGPU engine at d = 3 (S² oscillating preset, Euler, diagnostics every step, one submit and
 * one readback per batch) for n ∈ {256 … 65,536} × H ∈ {1, 8}, beside the float64 CPU engine at
 * n = 200 and n = 1,000 (H = 10). Sizes whose predicted time exceeds BENCH_MAX_SECONDS (60) on
 * this adapter are skipped with a note (SwiftShader); then the target size n = 1,000, H = 10 on
 * the GPU engine. Prints a markdown table. BENCH_SIZES, BENCH_HEADS (comma lists), BENCH_TARGET=0,
 * BENCH_CPU=0, BENCH_SECONDS, BENCH_MAX_SECONDS shorten a run. "CPU ms/step" is this process's CPU
 * time per step over all its threads (SwiftShader runs the shaders on worker threads in-process):
 * on a shared machine it stays meaningful when the wall-clock steps/s do not (load average printed).
 */
import { cpus, loadavg } from 'node:os';
import { createGpuEngine } from '../src/gpu/index';
import { nodeGpu, releaseNodeGpu } from '../src/gpu/node-env';
import { CpuSimEngine } from '../src/model/engine';
import { TABLEAUX } from '../src/model/integrators';
import { preset } from '../src/model/presets';
import type { Scenario } from '../src/model/scenario';
import { load, officialAvailable, officialSeconds, sideBySide } from './official';

const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 60);
/** Wall time to spend measuring one size (after warm-up). */
const TARGET_SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
/** BENCH_SIZES / BENCH_HEADS (comma lists) restrict the grid for quick iteration. */
const list = (v: string | undefined, dflt: number[]) => (v ? v.split(',').map(Number) : dflt);
const SIZES = list(process.env.BENCH_SIZES, [256, 1024, 4096, 16_384, 65_536]);
const HEADS = list(process.env.BENCH_HEADS, [1, 8]);
/** The target size (n = 1,000, H = 10), run on both engines; BENCH_TARGET=0 skips it. */
const TARGET = process.env.BENCH_TARGET !== '0';
/** BENCH_CPU=0 skips the float64 rows. */
const CPU = process.env.BENCH_CPU !== '0';
/** BENCH_OFFICIAL=0 skips the side-by-side with the paper's official engine at n = 1,000, H = 10. */
const OFFICIAL = process.env.BENCH_OFFICIAL !== '0';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function scenario(n: number, H: number): Scenario {
  return { ...preset('s2-oscillating').build(H), n, replicas: 1 };
}

function pairsPerStep(s: Scenario): number {
  return s.replicas * s.n * s.n * s.heads * TABLEAUX[s.integrator].b.length;
}

/** cpuSeconds: this process's CPU time (all threads: SwiftShader's workers included) while measuring. */
/** bytes: the GPU engine's `totalBufferBytes` for this size (every buffer it holds). */
interface Row {
  engine: string;
  n: number;
  H: number;
  steps: number;
  seconds: number;
  cpuSeconds?: number;
  bytes?: number;
  note?: string;
}

/** Process CPU seconds (user + system, all threads) since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

async function gpuRow(gpu: GPU, n: number, H: number, pairRate: number | undefined): Promise<Row> {
  const s = scenario(n, H);
  const pairs = pairsPerStep(s);
  // Predicted seconds for the warm-up step plus 3 measured steps at the best rate seen so far.
  const engine = await createGpuEngine(s, { gpu });
  const bytes = engine.totalBufferBytes;
  if (pairRate && (4 * pairs) / pairRate > MAX_SECONDS) {
    engine.destroy();
    return {
      engine: 'gpu',
      n,
      H,
      steps: 0,
      seconds: 0,
      bytes,
      note: `skipped: ~${((4 * pairs) / pairRate).toFixed(0)} s predicted at ${(pairRate / 1e6).toFixed(0)} M pair-heads/s`,
    };
  }
  try {
    await engine.advance(1); // first dispatches: the driver finishes compiling the pipelines
    let t = performance.now();
    await engine.advance(1);
    const warm = (performance.now() - t) / 1000;
    const steps = Math.max(3, Math.min(2000, Math.round(TARGET_SECONDS / Math.max(warm, 1e-4))));
    const cpu = process.cpuUsage();
    t = performance.now();
    await engine.advance(steps);
    return { engine: 'gpu', n, H, steps, seconds: (performance.now() - t) / 1000, cpuSeconds: cpuSince(cpu), bytes };
  } finally {
    engine.destroy();
  }
}

async function cpuRow(n: number, H: number): Promise<Row> {
  const engine = new CpuSimEngine(scenario(n, H));
  await engine.advance(2);
  let steps = 0;
  const cpu = process.cpuUsage();
  const t = performance.now();
  while (performance.now() - t < TARGET_SECONDS * 1000) {
    await engine.advance(1);
    steps++;
  }
  return { engine: 'cpu float64', n, H, steps, seconds: (performance.now() - t) / 1000, cpuSeconds: cpuSince(cpu) };
}

/**
 * The WebGPU engine beside the official engine (PyTorch float64, all cores) at n = 1,000, H = 10
 * (S² oscillating, Euler, dt = 0.005): ROUNDS rounds of each, alternating, medians and ratio.
 */
async function officialSideBySide(gpu: GPU, adapter: string): Promise<void> {
  const why = officialAvailable();
  if (why) throw new Error(`the side-by-side needs the official engine (BENCH_OFFICIAL=0 skips it): ${why}`);
  const c = { n: 1000, heads: 10, drift: 'oscillating' as const, noise: 0, steps: 10 };
  const engine = await createGpuEngine(scenario(c.n, c.heads), { gpu });
  await engine.advance(2);
  const steps = 20;
  const r = await sideBySide(
    ROUNDS,
    () => c.steps / officialSeconds(c),
    async () => {
      const t = performance.now();
      await engine.advance(steps);
      return steps / ((performance.now() - t) / 1000);
    },
  );
  engine.destroy();
  console.log(`\nSide by side at n = 1,000, H = 10 (${ROUNDS} rounds, alternating, medians; load now ${load()}):\n`);
  console.log('| engine | steps/s | samples |');
  console.log('|---|---|---|');
  console.log(
    `| official (PyTorch float64) | ${r.official.toPrecision(3)} | ${r.samples.official.map((x) => x.toPrecision(3)).join(', ')} |`,
  );
  console.log(
    `| WebGPU on ${adapter} | ${r.ours.toPrecision(3)} | ${r.samples.ours.map((x) => x.toPrecision(3)).join(', ')} |`,
  );
  console.log(`\nratio: **${(r.ours / r.official).toFixed(2)}×** the official engine`);
}

async function main(): Promise<void> {
  const gpu = await nodeGpu();
  const probe = await createGpuEngine(scenario(16, 1), { gpu });
  const adapter = probe.adapterName;
  probe.destroy();
  console.log(
    `WebGPU engine on "${adapter}" (dawn.node), d = 3, Euler, oscillating weights, diagnostics every step, P = 1; ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}\n`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}\n`,
  );
  console.log('| engine | n | H | steps | steps/s | pair-heads/s | CPU ms/step | GPU buffers MiB | note |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  let bestRate: number | undefined;
  const print = (r: Row) => {
    const s = scenario(r.n, r.H);
    const rate = r.steps > 0 ? r.steps / r.seconds : 0;
    const pairRate = rate * pairsPerStep(s);
    const cpuMs = r.steps && r.cpuSeconds !== undefined ? ((1000 * r.cpuSeconds) / r.steps).toPrecision(3) : '–';
    console.log(
      `| ${r.engine} | ${r.n} | ${r.H} | ${r.steps || '–'} | ${r.steps ? rate.toPrecision(3) : '–'} | ${r.steps ? pairRate.toExponential(2) : '–'} | ${cpuMs} | ${r.bytes !== undefined ? (r.bytes / 2 ** 20).toFixed(1) : '–'} | ${r.note ?? ''} |`,
    );
    return pairRate;
  };
  for (const n of SIZES) {
    for (const H of HEADS) {
      const pairRate = print(await gpuRow(gpu, n, H, bestRate));
      if (pairRate > 0) bestRate = Math.max(bestRate ?? 0, pairRate);
    }
  }
  if (TARGET) print(await gpuRow(gpu, 1000, 10, bestRate));
  if (CPU) for (const n of [200, 1000]) print(await cpuRow(n, 10));
  if (OFFICIAL) await officialSideBySide(gpu, adapter);
  releaseNodeGpu();
}

void main();
