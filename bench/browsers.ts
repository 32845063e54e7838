/**
 * `npx tsx bench/browsers.ts`: the running app in both WebGPU browsers side by side — headless
 * Chromium (playwright) and Firefox ESR under Xvfb (puppeteer over WebDriver BiDi) — at
 * n = 200, 1,024 and 4,096 (S² oscillating preset, H = 1, P = 1, 1280×800): the mean
 * requestAnimationFrame interval and the steps per second over BENCH_SECONDS (default 6) after a
 * warm-up. The two browsers alternate which goes first, BENCH_ROUNDS rounds (default 3); medians
 * are printed with each browser's adapter as the status line names it and the load average.
 * BENCH_SIZES (comma list) changes the sizes.
 */
import { loadavg } from 'node:os';
import { buildApp, launchBrowser, servePreview } from '../tests/e2e/browser';
import { launchFirefox } from '../tests/e2e/firefox';
import { median } from './official';

const SIZES = (process.env.BENCH_SIZES ?? '200,1024,4096').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);

/** Page-side: the mean rAF interval over `ms` and the steps taken meanwhile (as text: no bundler helpers). */
const measureSource = (ms: number) => `new Promise((done) => {
  const h = window.__playground;
  const s0 = h.state().stepIndex, t0 = performance.now();
  let frames = 0;
  const tick = (now) => {
    frames++;
    if (now - t0 < ${ms}) requestAnimationFrame(tick);
    else done({ frameMs: (now - t0) / frames, stepsPerSecond: (h.state().stepIndex - s0) / ((now - t0) / 1000), engine: h.state().engineLabel });
  };
  requestAnimationFrame(tick);
})`;

interface Sample {
  frameMs: number;
  stepsPerSecond: number;
  engine: string;
}

/** Minimal page interface both drivers satisfy. */
interface AnyPage {
  goto(url: string): Promise<unknown>;
  evaluate(source: string): Promise<unknown>;
  close(): Promise<void>;
}

async function run(page: AnyPage, url: string, n: number): Promise<Sample> {
  await page.goto(`${url}?preset=s2-oscillating&n=${n}&heads=1`);
  const ready = `new Promise((done) => { const t = setInterval(() => { const s = window.__playground?.state(); if (s && !s.building && s.n === ${n} && s.stepIndex > 5) { clearInterval(t); done(true); } }, 200); })`;
  await page.evaluate(ready);
  await page.evaluate('new Promise((done) => setTimeout(done, 2000))');
  return (await page.evaluate(measureSource(SECONDS * 1000))) as Sample;
}

const dir = await buildApp();
const server = await servePreview(dir);
const chromium = await launchBrowser();
const firefox = await launchFirefox();
const results = new Map<string, Sample[]>();
console.log(`load average at start: ${loadavg()[0]!.toFixed(1)}`);
try {
  const browsers = [
    {
      name: 'Chromium',
      open: async (): Promise<AnyPage> => chromium.newPage({ viewport: { width: 1280, height: 800 } }),
    },
    {
      name: 'Firefox',
      open: async (): Promise<AnyPage> => {
        const p = await firefox.browser.newPage();
        await p.setViewport({ width: 1280, height: 800 });
        return p as unknown as AnyPage;
      },
    },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of SIZES) {
      const order = round % 2 === 0 ? browsers : [...browsers].reverse();
      for (const b of order) {
        const page = await b.open();
        try {
          const s = await run(page, server.url, n);
          const key = `${b.name}|${n}`;
          results.set(key, [...(results.get(key) ?? []), s]);
          console.error(
            `round ${round + 1}: ${b.name}, n = ${n}: ${s.frameMs.toFixed(1)} ms, ${s.stepsPerSecond.toFixed(1)} steps/s (${s.engine})`,
          );
        } finally {
          await page.close();
        }
      }
    }
  }
} finally {
  await chromium.close();
  await firefox.close();
  await server.close();
}
console.log(`load average at end: ${loadavg()[0]!.toFixed(1)}\n`);
console.log(`| n | Chromium ms/frame | Chromium steps/s | Firefox ms/frame | Firefox steps/s |`);
console.log('|---|---|---|---|---|');
for (const n of SIZES) {
  const cell = (b: string, f: (s: Sample) => number) => median((results.get(`${b}|${n}`) ?? []).map(f)).toFixed(1);
  console.log(
    `| ${n} | ${cell('Chromium', (s) => s.frameMs)} | ${cell('Chromium', (s) => s.stepsPerSecond)} | ${cell('Firefox', (s) => s.frameMs)} | ${cell('Firefox', (s) => s.stepsPerSecond)} |`,
  );
}
for (const b of ['Chromium', 'Firefox'])
  console.log(`${b} engine: ${results.get(`${b}|${SIZES[0]}`)?.[0]?.engine ?? '?'}`);
