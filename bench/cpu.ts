/**
 * `npm run bench:cpu`: the float64 engine beside the paper's official engine (PyTorch float64,
 * ../shared/official/bench.py, all cores) in the same run: S² (d = 3), Euler, dt = 0.005, one
 * path, at n = 1,000, H = 10 and n = 200, H = 10 (oscillating; OU with σ² = 2). Each case runs
 * both engines BENCH_ROUNDS times (default 3), alternating which goes first, and prints the
 * medians and their ratio (engine time only: set-up and imports excluded on both sides), plus
 * our engine on one thread. Diagnostics every step on our side, as the CLI runs it. The load
 * average is printed: on a shared machine every figure moves with it.
 */
import { cpus } from 'node:os';
import { DIAG_SIZE } from '../src/model/attention';
import { CpuEngine } from '../src/model/engine-cpu';
import { availableCores, kernelIsWasm } from '../src/model/kernel/row-kernel';
import { preset } from '../src/model/presets';
import type { Scenario } from '../src/model/scenario';
import { load, median, type OfficialCase, officialAvailable, officialSeconds, sideBySide } from './official';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const CASES: OfficialCase[] = [
  { n: 1000, heads: 10, drift: 'oscillating', noise: 0, steps: 10 },
  { n: 200, heads: 10, drift: 'oscillating', noise: 0, steps: 150 },
  { n: 200, heads: 10, drift: 'ou', noise: 2, steps: 150 },
];

function scenario(c: OfficialCase): Scenario {
  const s = preset(c.drift === 'ou' ? 's2-ou' : 's2-oscillating').build(c.heads);
  return { ...s, n: c.n, replicas: 1, weights: { ...s.weights, noiseVariance: c.noise } };
}

/** Our steps/s over `steps` steps after two warm-up steps (engine time only). */
function ours(s: Scenario, steps: number, threads?: number): number {
  const engine = new CpuEngine(s, { threads });
  const rec = new Float64Array(s.replicas * DIAG_SIZE);
  engine.step(rec);
  engine.step(rec);
  const t = performance.now();
  for (let k = 0; k < steps; k++) engine.step(rec);
  return steps / ((performance.now() - t) / 1000);
}

async function main(): Promise<void> {
  const why = officialAvailable();
  if (why) throw new Error(`bench:cpu compares with the official engine, which cannot run: ${why}`);
  console.log(
    `float64 engine (${kernelIsWasm() ? 'WebAssembly SIMD' : 'JavaScript'} rows, ${availableCores()} threads) beside the official engine (PyTorch float64, ${availableCores()} threads); ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}; ${ROUNDS} rounds each, alternating, medians\n`,
  );
  console.log(`load average at start: ${load()}\n`);
  console.log('| n | H | weights | official steps/s | ours steps/s | ratio | ours, 1 thread | load (1 min) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const c of CASES) {
    const s = scenario(c);
    const r = await sideBySide(
      ROUNDS,
      () => c.steps / officialSeconds(c),
      () => ours(s, c.steps),
    );
    const single = median(Array.from({ length: ROUNDS }, () => ours(s, c.steps, 1)));
    console.log(
      `| ${c.n} | ${c.heads} | ${c.drift}${c.noise ? ` σ²=${c.noise}` : ''} | ${r.official.toPrecision(3)} | ${r.ours.toPrecision(3)} | **${(r.ours / r.official).toFixed(2)}×** | ${single.toPrecision(3)} | ${load().split(',')[0]} |`,
    );
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
