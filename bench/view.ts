/**
 * `npx tsx bench/view.ts [dir=label …]`: the view's own cost per frame — the mean
 * requestAnimationFrame interval with the run paused (`play=0`: no steps, no readbacks) while the
 * camera orbits (a mouse drag, so every frame draws), so only drawing counts — at n = 4,096,
 * 16,384 and 65,536 (S² oscillating preset, H = 1, P = 1), in
 * headless Chromium (SwiftShader where there is no GPU). Each argument is a built app (`vite build
 * --outDir DIR`) and its label; without arguments the working tree is built and measured. Builds
 * are alternated, ROUNDS times each, and the medians printed, so a before/after ratio comes from
 * one run on one machine. BENCH_PLAY=1 measures the running app (frame time and steps/s),
 * BENCH_SIZES (comma list), BENCH_ROUNDS, BENCH_SECONDS, BENCH_VIEWPORT (WxH) change the grid. To measure an older commit: `git worktree add /tmp/before <commit>`,
 * build it there with `npx vite build --outDir /tmp/dist-before`, and pass `/tmp/dist-before=before`.
 */
import { meanFrameMs } from './serve-app';
import { loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { preview } from 'vite';
import { buildApp, launchBrowser, ROOT } from '../tests/e2e/browser';

const SIZES = (process.env.BENCH_SIZES ?? '4096,16384,65536').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** BENCH_PLAY=1: measure the running app instead (frame time and steps/s, engine included). */
const PLAY = process.env.BENCH_PLAY === '1';
/** BENCH_VIEWPORT=WxH: the page's size (default 1600x900). */
const [VW, VH] = (process.env.BENCH_VIEWPORT ?? '1600x900').split('x').map(Number) as [number, number];

/** The median of the results (ordered by their leading number, the frame ms). */
const median = (xs: string[]) =>
  [...xs].sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b))[Math.floor(xs.length / 2)]!;

async function measure(browser: Browser, url: string, n: number): Promise<string> {
  const page = await browser.newPage({ viewport: { width: VW, height: VH } });
  try {
    await page.goto(`${url}?preset=s2-oscillating&n=${n}&heads=1${PLAY ? '' : '&play=0'}`);
    // A size the cost notice holds back (65,536 on a software GPU) is started with its button.
    const heavy = page.getByRole('button', { name: 'run it anyway' });
    await page.waitForFunction(
      () =>
        window.__playground?.state().building === false || (document.body.textContent ?? '').includes('run it anyway'),
      undefined,
      { timeout: 300_000 },
    );
    if (await heavy.isVisible()) await heavy.click();
    await page.waitForFunction(
      (n) => window.__playground?.state().building === false && window.__playground.state().n === n,
      n,
      { timeout: 300_000 },
    );
    // The first frames compile pipelines and upload; then only drawing is left.
    await page.waitForTimeout(3000);
    const steps = () => page.evaluate(() => window.__playground!.state().stepIndex);
    const s0 = await steps();
    const t0 = performance.now();
    // The camera orbits all the while (a drag across the canvas, as a user turning the view),
    // so every frame draws: a still camera on a paused run draws nothing after the first frame.
    const box = (await page.locator('canvas.view-canvas').boundingBox())!;
    const cx = box.x + box.width / 2,
      cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    let measuring = true;
    const measured = page.evaluate(meanFrameMs(SECONDS * 1000)).finally(() => {
      measuring = false;
    });
    for (let k = 0; measuring; k++) {
      await page.mouse.move(cx + 120 * Math.sin(k / 8), cy + 40 * Math.cos(k / 8));
      await page.waitForTimeout(15);
    }
    const ms = (await measured) as number;
    await page.mouse.up();
    const rate = ((await steps()) - s0) / ((performance.now() - t0) / 1000);
    return PLAY ? `${ms.toFixed(1)} ms, ${rate.toFixed(1)} steps/s` : ms.toFixed(1);
  } finally {
    await page.close();
  }
}

const builds = process.argv.slice(2).map((a) => {
  const [dir, label] = a.split('=');
  return { dir: dir!, label: label ?? dir! };
});
if (builds.length === 0) builds.push({ dir: await buildApp(), label: 'working tree' });

const servers = await Promise.all(
  builds.map((b) =>
    preview({ root: ROOT, logLevel: 'silent', build: { outDir: b.dir }, preview: { host: '127.0.0.1', port: 0 } }),
  ),
);
const browser = await launchBrowser();
const results = new Map<string, string[]>();
console.log(`load average at start: ${loadavg()[0]!.toFixed(1)}`);
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of SIZES) {
      for (const [k, b] of builds.entries()) {
        const ms = await measure(browser, servers[k]!.resolvedUrls!.local[0]!, n);
        const key = `${b.label}|${n}`;
        results.set(key, [...(results.get(key) ?? []), ms]);
        console.error(`round ${round + 1}: ${b.label}, n = ${n}: ${ms}`);
      }
    }
  }
} finally {
  await browser.close();
  await Promise.all(servers.map((s) => s.close()));
}
console.log(`load average at end: ${loadavg()[0]!.toFixed(1)}\n`);
const what = PLAY ? 'running: ms/frame, steps/s' : 'paused: ms/frame';
console.log(`| n | ${builds.map((b) => `${b.label} (${what}, median of ${ROUNDS})`).join(' | ')} |`);
console.log(`|---|${builds.map(() => '---').join('|')}|`);
for (const n of SIZES)
  console.log(`| ${n} | ${builds.map((b) => median(results.get(`${b.label}|${n}`)!)).join(' | ')} |`);
