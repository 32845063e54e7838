/**
 * `npx tsx bench/fallback-threads.ts [seconds] [reps]`: steps/s of the browser's float64 CPU
 * fallback (navigator.gpu removed) in headless Chromium, 1 thread against 2 — on shared memory
 * (the preview server sends COOP/COEP) and by transferred copies (a static server without
 * headers) — at n = 1,000, H = 10 and n = 2,048, H = 8 (S² oscillating preset). The settings are
 * alternated within each repetition; each figure is the steps between two batch arrivals about
 * `seconds` apart, after the first step and a 3 s warm-up, with enough steps per frame that the
 * engine sets the pace (and a 480 × 320 window, cheap to draw in software). Prints every run and a markdown table of medians. Not a test.
 */
import type { Browser } from 'playwright-core';
import { buildApp, launchBrowser, servePreview, serveStatic } from '../tests/e2e/browser';
import type { HookState } from '../src/app/test-hook';

const seconds = Number(process.argv[2] ?? 20);
const reps = Number(process.argv[3] ?? 3);
/** Steps per frame: enough that the engine, not the frame rate (software WebGL here), sets the pace. */
const SIZES = [
  { n: 1000, heads: 10, spf: 5 },
  { n: 2048, heads: 8, spf: 2 },
];
const SETTINGS = [
  { name: '1 thread', threads: 1, server: 'isolated' },
  { name: '2 threads, shared memory', threads: 2, server: 'isolated' },
  { name: '2 threads, transferred copies', threads: 2, server: 'plain' },
] as const;

const dir = await buildApp();
const isolated = await servePreview(dir);
const plain = await serveStatic(dir);
const browser: Browser = await launchBrowser();
const state = (page: import('playwright-core').Page) =>
  page.evaluate(() => window.__playground!.state()) as Promise<HookState>;

async function rate(
  n: number,
  heads: number,
  spf: number,
  threads: number,
  base: string,
): Promise<{ rate: number; label: string }> {
  // A small window: software WebGL draws it quickly, so frames do not set the pace.
  const context = await browser.newContext({ viewport: { width: 480, height: 320 } });
  await context.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  const page = await context.newPage();
  try {
    await page.goto(`${base}?preset=s2-oscillating&n=${n}&heads=${heads}&threads=${threads}&spf=${spf}`);
    await page.waitForFunction(() => window.__playground !== undefined);
    // A heavy run waits for "run it anyway".
    const button = page.locator('.banner[data-key="cost"] .banner-action');
    const deadline = Date.now() + 120_000;
    while ((await state(page)).stepIndex === 0 && Date.now() < deadline) {
      if (await button.isVisible().catch(() => false)) await button.click();
      await page.waitForTimeout(250);
    }
    await page.waitForTimeout(3000);
    // Steps arrive a batch (spf steps) at a time: the rate is taken between two batch arrivals,
    // the first after the warm-up and the last before `seconds` have passed (polled every 100 ms).
    let first: { t: number; step: number } | undefined;
    let last: { t: number; step: number } | undefined;
    let prev = (await state(page)).stepIndex;
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end || !last || last.step === first!.step) {
      await page.waitForTimeout(100);
      const step = (await state(page)).stepIndex;
      if (step !== prev) {
        const at = { t: Date.now(), step };
        first ??= at;
        last = at;
        prev = step;
      }
      if (Date.now() > end + 120_000) throw new Error(`n = ${n}: fewer than two batches in ${seconds + 120} s`);
    }
    return { rate: (last.step - first!.step) / ((last.t - first!.t) / 1000), label: (await state(page)).engineLabel };
  } finally {
    await context.close();
  }
}

const median = (v: number[]) => {
  const s = [...v].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const results = new Map<string, number[]>();
try {
  for (let r = 0; r < reps; r++)
    for (const { n, heads, spf } of SIZES)
      for (const st of SETTINGS) {
        const base = st.server === 'isolated' ? isolated.url : plain.url;
        const { rate: v, label } = await rate(n, heads, spf, st.threads, base);
        const key = `${n}|${heads}|${st.name}`;
        results.set(key, [...(results.get(key) ?? []), v]);
        process.stderr.write(`rep ${r + 1}: n = ${n}, H = ${heads}, ${st.name}: ${v.toFixed(2)} steps/s (${label})\n`);
      }
} finally {
  await browser.close();
  await isolated.close();
  await plain.close();
}
const rows = [...results].map(([key, v]) => {
  const [n, heads, name] = key.split('|');
  return `| ${n} | ${heads} | ${name} | ${v.map((x) => x.toFixed(2)).join(', ')} | ${median(v).toFixed(2)} |`;
});
process.stdout.write(
  ['| n | H | rows on | steps/s (in run order) | median |', '|---|---|---|---|---|', ...rows].join('\n') + '\n',
);
