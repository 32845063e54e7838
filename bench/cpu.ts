/**
 * `npm run bench:cpu`: steps per second of the float64 engine (diagnostics on every step, as
 * the CLI runs it) at the paper's S² settings (n = 200; H = 1, 10, 100) and at n = 1,000,
 * H = 10, all measured in this one run so the ratios are comparable. Prints a markdown table.
 */
import { cpus } from 'node:os';
import { CpuEngine } from '../src/model/engine-cpu';
import { DIAG_SIZE } from '../src/model/attention';
import { preset } from '../src/model/presets';
import type { Scenario } from '../src/model/scenario';

/** The paper's PyTorch code, float64, on a 2-core machine (issue figures), steps/s. */
const PAPER_CODE: Record<string, string> = { '200x10': '60–85', '1000x10': '1.9' };

function measure(s: Scenario, seconds: number): { stepsPerSecond: number; steps: number } {
  const engine = new CpuEngine(s);
  const rec = new Float64Array(s.replicas * DIAG_SIZE);
  engine.step(rec); // warm-up: JIT
  engine.step(rec);
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    engine.step(rec);
    steps++;
  }
  return { stepsPerSecond: steps / ((performance.now() - start) / 1000), steps };
}

const cases: { n: number; H: number; drift: 'oscillating' | 'ou' }[] = [
  { n: 200, H: 1, drift: 'oscillating' },
  { n: 200, H: 10, drift: 'oscillating' },
  { n: 200, H: 100, drift: 'oscillating' },
  { n: 200, H: 10, drift: 'ou' },
  { n: 1000, H: 10, drift: 'oscillating' },
];
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
console.log(
  `float64 CPU engine, d = 3, Euler, diagnostics every step; ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}\n`,
);
console.log('| n | H | drift | steps/s | pair-heads/s | paper code (issue) | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const c of cases) {
  const s = preset(c.drift === 'ou' ? 's2-ou' : 's2-oscillating').build(c.H);
  const scenario: Scenario = { ...s, n: c.n, replicas: 1 };
  const { stepsPerSecond } = measure(scenario, seconds);
  const ref = PAPER_CODE[`${c.n}x${c.H}`];
  const refMid = ref ? Number(ref.split('–').at(-1)) : NaN;
  console.log(
    `| ${c.n} | ${c.H} | ${c.drift}${c.drift === 'ou' ? ' σ²=2' : ''} | ${stepsPerSecond.toFixed(1)} | ${((stepsPerSecond * c.n * c.n * c.H) / 1e6).toFixed(1)} M | ${ref ?? '—'} | ${ref ? (stepsPerSecond / refMid).toFixed(2) + '×' + (ref.includes('–') ? ' (vs upper)' : '') : '—'} |`,
  );
}
