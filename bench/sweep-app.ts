/**
 * `npm run bench:sweep-app [-- cpu|gpu]`: the paper's S² OU H sweep (n = 200, T = 20, dt = 5e-3,
 * σ² = 2, 2 paths, H = 1, 10, 100) run from the app's Sweep folder in headless Chromium as a user
 * would, on the chosen engine (default gpu). Prints each H's G², the fitted b and the wall time,
 * and saves a screenshot of the result card as docs/screenshot-sweep-paper.png.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openRun, serveApp } from './serve-app';

const engine = process.argv[2] === 'cpu' ? 'float64 CPU (exact)' : 'WebGPU (float32, fast on a GPU)';
const FOLDER = 'Sweep H (G² vs H)';

async function fill(page: Page, name: string, value: string): Promise<void> {
  const input = page
    .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: name }) })
    .locator('input')
    .last();
  await input.scrollIntoViewIfNeeded();
  await input.fill(value);
  await input.press('Enter');
}

const app = await serveApp();
try {
  const page = await openRun(app, '?preset=s2-ou');
  await page.keyboard.press(' ');
  await page.locator('.lil-title', { hasText: FOLDER }).first().click();
  await fill(page, 'heads H (list)', '1, 10, 100');
  await fill(page, 'paths', '2');
  await fill(page, 'tokens n', '200');
  await fill(page, 'T (shorter: quick look)', '20');
  await page
    .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: /^engine$/ }) })
    .locator('select')
    .selectOption({ label: engine });
  const t0 = Date.now();
  await page.locator('.lil-controller button', { hasText: 'Run sweep' }).click();
  await page.waitForFunction(
    () => ['done', 'error', 'cancelled'].includes(window.__playground!.sweep().status),
    undefined,
    { timeout: 3_600_000, polling: 1000 },
  );
  const wall = (Date.now() - t0) / 1000;
  const sw = await page.evaluate(() => window.__playground!.sweep());
  if (sw.status !== 'done') throw new Error(`sweep ${sw.status}: ${sw.message}`);
  for (const p of sw.result!.points)
    process.stdout.write(
      `H = ${p.heads}: G² = ${p.mean.toPrecision(4)} (paths ${p.perPath.map((v) => v.toPrecision(4)).join(', ')})\n`,
    );
  process.stdout.write(
    `b = ${sw.result!.fit.b.toFixed(3)} (r² = ${sw.result!.fit.r2.toFixed(3)}), engine: ${engine}, wall ${wall.toFixed(1)} s\n${sw.message}\n`,
  );
  writeFileSync('docs/screenshot-sweep-paper.png', await page.screenshot());
} finally {
  await app.close();
}
