/**
 * `npx tsx bench/screenshot-variants.ts [overlaid [t [n]]]`: the README screenshots of variants —
 * the S² oscillating preset (n = 200, or `n`) from one start under H = 1, 10 and 100, side by side (a variants
 * link, `v=heads:1,10,100`) or overlaid in one pane (`&vl=overlaid`), taken at t ≈ 2 (or `t`;
 * built app, headless Chromium, 1600×900), written to docs/figures/variants-h1-10-100.png or
 * variants-h1-10-100-overlaid.png.
 */
import { writeFileSync } from 'node:fs';
import { serveApp } from './serve-app';

const layout = process.argv[2] ?? 'side by side';
const T_SHOT = Number(process.argv[3] ?? 2);
if (!(T_SHOT > 0)) throw new Error(`t should be a positive time, got "${process.argv[3]}"`);
const N = process.argv[4];
if (N !== undefined && !/^[1-9]\d*$/.test(N)) throw new Error(`n should be a positive integer, got "${N}"`);
if (layout !== 'side by side' && layout !== 'overlaid')
  throw new Error(`layout should be "overlaid" or absent (side by side), got "${layout}"`);
const overlaid = layout === 'overlaid';
const app = await serveApp();
try {
  // The variants pause the live run at once, so wait on them, not on the live run's steps.
  const page = await app.browser.newPage({ viewport: { width: 1600, height: 900 } });
  const size = N === undefined ? '' : `&n=${N}`;
  await page.goto(`${app.url}?preset=s2-oscillating${size}&v=heads:1,10,100${overlaid ? '&vl=overlaid' : ''}`);
  await page.waitForFunction(() => window.__playground !== undefined, undefined, { timeout: 120_000 });
  await page.waitForFunction(() => window.__playground!.variants().labels.length === 3, undefined, {
    timeout: 120_000,
  });
  const dt = 0.005;
  await page.waitForFunction((k) => Math.min(...window.__playground!.variants().steps) >= k, Math.round(T_SHOT / dt), {
    timeout: 900_000,
    polling: 500,
  });
  // Pause the variants (Compare › variants › pause variants) so the page settles, then let the plots catch up.
  await page.locator('.lil-title', { hasText: /^\s*Compare \(perturbed copies\)\s*$/ }).click();
  await page.locator('.lil-title', { hasText: /^\s*variants \(side by side\)\s*$/ }).click();
  await page
    .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: /^pause variants$/ }) })
    .locator('input')
    .check();
  await page.waitForTimeout(3000);
  // Fold the whole panel: it would cover the third pane.
  await page
    .locator('.lil-title', { hasText: /^\s*Attention flow\s*$/ })
    .first()
    .click();
  await page.waitForTimeout(1500);
  const file = `docs/figures/variants-h1-10-100${overlaid ? '-overlaid' : ''}.png`;
  writeFileSync(file, await page.screenshot({ timeout: 120_000 }));
  const v = await page.evaluate(() => window.__playground!.variants());
  process.stdout.write(`${file}: ${v.labels.join(' / ')} at steps ${v.steps.join(', ')}\n`);
} finally {
  await app.close();
}
