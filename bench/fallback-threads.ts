/**
 * `npx tsx bench/fallback-threads.ts [seconds] [reps]`: steps/s of the browser's float64 CPU
 * fallback (navigator.gpu removed) in headless Chromium, 1 thread against 2 — on shared memory
 * (the preview server sends COOP/COEP) and by transferred copies (a static server without
 * headers) — at n = 1,000, H = 10 and n = 2,048, H = 8 (S² oscillating preset). The settings are
 * alternated within each repetition; each figure is the step count over `seconds` after the
 * first step (and a 3 s warm-up). Prints every run and a markdown table of medians. Not a test.
 */
import type { Browser } from 'playwright-core';
import { buildApp, launchBrowser, servePreview, serveStatic } from '../tests/e2e/browser';
import type { HookState } from '../src/app/test-hook';

const seconds = Number(process.argv[2] ?? 20);
const reps = Number(process.argv[3] ?? 3);
const SIZES = [
  { n: 1000, heads: 10 },
  { n: 2048, heads: 8 },
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

async function rate(n: number, heads: number, threads: number, base: string): Promise<{ rate: number; label: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  const page = await context.newPage();
  try {
    await page.goto(`${base}?preset=s2-oscillating&n=${n}&heads=${heads}&threads=${threads}&spf=1`);
    await page.waitForFunction(() => window.__playground !== undefined);
    // A heavy run waits for "run it anyway".
    const button = page.locator('.banner[data-key="cost"] .banner-action');
    const deadline = Date.now() + 120_000;
    while ((await state(page)).stepIndex === 0 && Date.now() < deadline) {
      if (await button.isVisible().catch(() => false)) await button.click();
      await page.waitForTimeout(250);
    }
    await page.waitForTimeout(3000);
    const a = await state(page);
    const t0 = Date.now();
    await page.waitForTimeout(seconds * 1000);
    const b = await state(page);
    return { rate: (b.stepIndex - a.stepIndex) / ((Date.now() - t0) / 1000), label: b.engineLabel };
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
    for (const { n, heads } of SIZES)
      for (const st of SETTINGS) {
        const base = st.server === 'isolated' ? isolated.url : plain.url;
        const { rate: v, label } = await rate(n, heads, st.threads, base);
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
