/**
 * `npm run bench:device`: the figures to take on a machine with a real GPU (Linux, Vulkan loader
 * and the vendor's ICD installed; on a machine without one it runs on SwiftShader and says so).
 *
 * 1. The dawn.node WebGPU engine at d = 3 (S² oscillating preset, Euler, σ² = 0, P = 1,
 *    diagnostics every step) for n ∈ {1,024 … 65,536} × H ∈ {1, 2, 4, 8}: seconds per step from
 *    the difference of two runs (k and 2k steps, each one submit), so start-up and pipeline
 *    compilation are not in it; pair-heads per second (n²·H per step); and, only when the adapter
 *    is a GPU of bench/device-peaks.ts, the fraction of its fp32 exp+FMA limit for this kernel.
 *    A size whose predicted time exceeds BENCH_MAX_SECONDS (default 30) is skipped with a note.
 * 2. The app's frame time and steps/s in headless Chromium at n = 1,024 and 4,096, H = 8, when
 *    /usr/bin/chromium exists (BENCH_FRAME=0 skips it): Vulkan on the GPU where one is evident,
 *    else SwiftShader.
 * It prints the kernel tunables the engine chose for the adapter (src/gpu/tunables.ts).
 * BENCH_SIZES, BENCH_HEADS (comma lists) restrict the grid.
 */
import { cpus, loadavg } from 'node:os';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { acquireDevice } from '../src/gpu/device';
import { createGpuEngine } from '../src/gpu/index';
import { chooseTunables } from '../src/gpu/tunables';
import { hasHardwareGpu, nodeGpu, releaseNodeGpu } from '../src/gpu/node-env';
import { preset } from '../src/model/presets';
import type { Scenario } from '../src/model/scenario';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser';
import { knownPeak, pairHeadLimit } from './device-peaks';
import { type BenchApp, hookState, serveApp, meanFrameMs } from './serve-app';

const list = (v: string | undefined, dflt: number[]) => (v ? v.split(',').map(Number) : dflt);
const SIZES = list(process.env.BENCH_SIZES, [1024, 4096, 16_384, 65_536]);
const HEADS = list(process.env.BENCH_HEADS, [1, 2, 4, 8]);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 30);
/** Wall time aimed at for the k-step run of one size. */
const TARGET_SECONDS = 1;

function scenario(n: number, H: number): Scenario {
  const s = { ...preset('s2-oscillating').build(H), n, replicas: 1 };
  if (s.integrator !== 'euler' || s.d !== 3 || s.weights.noiseVariance !== 0)
    throw new Error('bench:device expects the S² oscillating preset to be d = 3, Euler, σ² = 0');
  return s;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await run();
  return (performance.now() - t) / 1000;
}

interface EngineRow {
  n: number;
  H: number;
  steps: number;
  secondsPerStep: number;
  note?: string;
}

/** Seconds per step at (n, H) on `device`: (time of 2k steps − time of k steps) / k. */
async function engineRow(device: GPUDevice, n: number, H: number, pairRate: number | undefined): Promise<EngineRow> {
  const pairs = n * n * H;
  // Warm-up step plus 3k ≥ 3 measured steps at the best rate so far.
  if (pairRate && (4 * pairs) / pairRate > MAX_SECONDS)
    return {
      n,
      H,
      steps: 0,
      secondsPerStep: NaN,
      note: `skipped: ~${((4 * pairs) / pairRate).toFixed(0)} s predicted`,
    };
  const engine = await createGpuEngine(scenario(n, H), { device });
  try {
    await engine.advance(1);
    const one = await timed(() => engine.advance(1));
    const k = Math.max(1, Math.min(1000, Math.round(TARGET_SECONDS / Math.max(one, 1e-5))));
    const tk = await timed(() => engine.advance(k));
    const t2k = await timed(() => engine.advance(2 * k));
    // On a noisy machine the difference can vanish; then fall back to the 2k run's mean.
    const perStep = t2k > tk ? (t2k - tk) / k : t2k / (2 * k);
    return { n, H, steps: 3 * k, secondsPerStep: perStep };
  } finally {
    engine.destroy();
  }
}

async function engineTable(): Promise<void> {
  const gpu = await nodeGpu();
  const { device } = await acquireDevice({ gpu });
  const info = device.adapterInfo;
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const peak = knownPeak(text);
  console.log(`## WebGPU engine (dawn.node)\n`);
  console.log(
    `adapter: vendor "${info.vendor}", architecture "${info.architecture}", device "${info.device}", description "${info.description}"${info.isFallbackAdapter ? ' [fallback adapter]' : ''}`,
  );
  const chosen = chooseTunables(info);
  console.log(`kernel tunables (src/gpu/tunables.ts): ${chosen.row}: ${JSON.stringify(chosen.tunables)}`);
  console.log(
    `host: ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    peak
      ? `known GPU: ${peak.name} (${peak.sms} SMs × ${peak.fp32PerSm} fp32 lanes, ${peak.sfuPerSm} exp units, ${peak.boostGhz} GHz boost): fp32 exp+FMA limit of the d = 3 kernel ${(pairHeadLimit(peak, false) / 1e9).toFixed(0)} G pair-heads/s`
      : 'not a GPU of bench/device-peaks.ts (software or unknown adapter): no fraction of a hardware limit is computed.',
  );
  console.log('\nd = 3, Euler, S² oscillating weights, σ² = 0, P = 1, diagnostics every step\n');
  console.log('| n | H | steps timed | ms/step | steps/s | G pair-heads/s | fraction of fp32 exp+FMA limit | note |');
  console.log('|---|---|---|---|---|---|---|---|');
  let best: number | undefined;
  for (const H of HEADS) {
    for (const n of SIZES) {
      const r = await engineRow(device, n, H, best);
      const rate = (n * n * H) / r.secondsPerStep;
      if (Number.isFinite(rate)) best = Math.max(best ?? 0, rate);
      const fraction = peak && Number.isFinite(rate) ? (rate / pairHeadLimit(peak, false)).toFixed(3) : '—';
      const f = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
      console.log(
        `| ${n} | ${H} | ${r.steps} | ${f(r.secondsPerStep * 1e3, 2)} | ${f(1 / r.secondsPerStep, 1)} | ${f(rate / 1e9, 3)} | ${fraction} | ${r.note ?? ''} |`,
      );
    }
  }
  device.destroy();
  releaseNodeGpu();
}

/** Chromium flags: the real GPU through Vulkan where one is evident, else the tests' SwiftShader flags. */
function chromiumArgs(): string[] {
  if (!hasHardwareGpu() || process.env.WEBGPU_FORCE_SOFTWARE === '1') return CHROMIUM_ARGS;
  return [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--use-angle=vulkan',
    '--ignore-gpu-blocklist',
    '--disable-background-networking',
    '--no-first-run',
  ];
}

async function frameTable(): Promise<void> {
  console.log('\n## The app in headless Chromium\n');
  if (process.env.BENCH_FRAME === '0') return void console.log('skipped (BENCH_FRAME=0).');
  if (!existsSync(CHROMIUM_PATH)) return void console.log(`skipped: no browser at ${CHROMIUM_PATH}.`);
  const args = chromiumArgs();
  const served: BenchApp = await serveApp();
  // serveApp launched the tests' (SwiftShader) Chromium; use one with this machine's flags instead.
  await served.browser.close();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
  console.log(`flags: ${args.join(' ')}\n`);
  console.log('| n | H | adapter | frame ms (mean rAF interval) | steps/s |');
  console.log('|---|---|---|---|---|');
  try {
    for (const [n, H] of [
      [1024, 8],
      [4096, 8],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await page.goto(`${served.url}?preset=s2-oscillating&n=${n}&heads=${H}`);
      await page.waitForFunction(() => (window.__playground?.state().stepIndex ?? 0) > 0, undefined, {
        timeout: 300_000,
      });
      await page.waitForTimeout(2000);
      const a = await hookState(page);
      const t = performance.now();
      const frameMs = (await page.evaluate(meanFrameMs(5000))) as number;
      const b = await hookState(page);
      const rate = (b.stepIndex - a.stepIndex) / ((performance.now() - t) / 1000);
      console.log(`| ${n} | ${H} | ${b.engineLabel} | ${frameMs.toFixed(1)} | ${rate.toFixed(1)} |`);
      await page.close();
    }
  } finally {
    await browser.close();
    await served.close();
  }
}

await engineTable();
await frameTable();
