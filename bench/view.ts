/**
 * `npx tsx bench/view.ts [dir=label …]`: the view's own cost per frame — the mean
 * requestAnimationFrame interval with the run paused (`play=0`: no steps, no readbacks), so only
 * drawing counts — at n = 4,096, 16,384 and 65,536 (S² oscillating preset, H = 1, P = 1), in
 * headless Chromium (SwiftShader where there is no GPU). Each argument is a built app (`vite build
 * --outDir DIR`) and its label; without arguments the working tree is built and measured. Builds
 * are alternated, ROUNDS times each, and the medians printed, so a before/after ratio comes from
 * one run on one machine. To measure an older commit: `git worktree add /tmp/before <commit>`,
 * build it there with `npx vite build --outDir /tmp/dist-before`, and pass `/tmp/dist-before=before`.
 */
import { loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { preview } from 'vite';
import { buildApp, launchBrowser, ROOT } from '../tests/e2e/browser';

const SIZES = (process.env.BENCH_SIZES ?? '4096,16384,65536').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);

/** Page-side source (passed as text: see bench/frame.ts) of the mean rAF interval over `ms`. */
function meanFrameMs(ms: number): string {
  return `new Promise((done) => {
    const deltas = [];
    let last = performance.now();
    const end = last + ${ms};
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else done(deltas.reduce((a, b) => a + b, 0) / deltas.length);
    };
    requestAnimationFrame(tick);
  })`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(browser: Browser, url: string, n: number): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  try {
    await page.goto(`${url}?preset=s2-oscillating&n=${n}&heads=1&play=0`);
    await page.waitForFunction(() => window.__playground?.state().building === false, undefined, { timeout: 300_000 });
    // The first frames compile pipelines and upload; then only drawing is left.
    await page.waitForTimeout(3000);
    return (await page.evaluate(meanFrameMs(SECONDS * 1000))) as number;
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
const results = new Map<string, number[]>();
console.log(`load average at start: ${loadavg()[0]!.toFixed(1)}`);
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of SIZES) {
      for (const [k, b] of builds.entries()) {
        const ms = await measure(browser, servers[k]!.resolvedUrls!.local[0]!, n);
        const key = `${b.label}|${n}`;
        results.set(key, [...(results.get(key) ?? []), ms]);
        console.error(`round ${round + 1}: ${b.label}, n = ${n}: ${ms.toFixed(1)} ms`);
      }
    }
  }
} finally {
  await browser.close();
  await Promise.all(servers.map((s) => s.close()));
}
console.log(`load average at end: ${loadavg()[0]!.toFixed(1)}\n`);
console.log(`| n | ${builds.map((b) => `${b.label} (ms/frame, median of ${ROUNDS})`).join(' | ')} |`);
console.log(`|---|${builds.map(() => '---').join('|')}|`);
for (const n of SIZES)
  console.log(`| ${n} | ${builds.map((b) => median(results.get(`${b.label}|${n}`)!).toFixed(1)).join(' | ')} |`);
