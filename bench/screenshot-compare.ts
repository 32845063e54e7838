/**
 * `npx tsx bench/screenshot-compare.ts [compare|sweep|both]`: the README screenshots of the
 * comparison and the H sweep (built app, headless Chromium, 1600×900), written to
 * docs/screenshot-compare.png and docs/screenshot-sweep.png.
 *   compare: residual flow at β = 9 (clustering-beta9, n = 200), one copy with token noise
 *            ε = 0.03, side by side, paused at t ≈ 7 where the copy has visibly drifted (RMS ≈ 0.18).
 *   sweep:   S² OU at n = 64, T = 5, H = 1, 10, 100, 2 paths (float64 worker; about a minute).
 */
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { hookState, openRun, serveApp } from './serve-app';

const which = process.argv[2] ?? 'both';

function row(page: Page, name: string) {
  return page.locator('.lil-controller', { has: page.locator('.lil-name', { hasText: name }) });
}

async function toggleFolder(page: Page, title: string): Promise<void> {
  await page.locator('.lil-title', { hasText: title }).first().click();
}

async function compare(page: Page): Promise<void> {
  await toggleFolder(page, 'Run');
  await toggleFolder(page, 'Compare (perturbed copies)');
  await row(page, 'perturb').locator('select').selectOption({ label: 'token noise ε' });
  await page.waitForFunction(
    () => window.__playground!.state().replicas === 2 && !window.__playground!.state().building,
    undefined,
    { timeout: 60_000 },
  );
  const size = row(page, 'size ε').locator('input');
  await size.fill('0.03');
  await size.press('Enter');
  await page.waitForFunction(() => window.__playground!.state().stepIndex < 50, undefined, { timeout: 60_000 });
  await row(page, 'layout').locator('select').selectOption({ label: 'side by side' });
  await page.waitForFunction(() => window.__playground!.state().time >= 7, undefined, {
    timeout: 600_000,
    polling: 250,
  });
  await page.keyboard.press(' ');
  await page.waitForTimeout(800);
  writeFileSync('docs/screenshot-compare.png', await page.screenshot());
  const s = await hookState(page);
  const tr = await page.evaluate(() => window.__playground!.traces(100));
  process.stdout.write(
    `docs/screenshot-compare.png: t = ${s.time.toFixed(2)}, λ = ${tr.growthRate.toFixed(3)} on [${tr.growthFit.t0}, ${tr.growthFit.t1}], ${s.engineLabel}\n`,
  );
}

async function sweep(page: Page): Promise<void> {
  await toggleFolder(page, 'Run');
  await toggleFolder(page, 'Sweep H (G² vs H)');
  for (const [name, value] of [
    ['heads H (list)', '1, 10, 100'],
    ['paths', '2'],
    ['tokens n', '64'],
    ['T (shorter', '5'],
  ] as const) {
    const input = row(page, name).locator('input').last();
    await input.fill(value);
    await input.press('Enter');
  }
  await page.locator('.lil-controller button', { hasText: 'Run sweep' }).click();
  await page.waitForFunction(() => window.__playground!.sweep().status === 'done', undefined, {
    timeout: 600_000,
    polling: 500,
  });
  await page.waitForTimeout(300);
  writeFileSync('docs/screenshot-sweep.png', await page.screenshot());
  const sw = await page.evaluate(() => window.__playground!.sweep());
  process.stdout.write(`docs/screenshot-sweep.png: ${sw.fitText}; ${sw.message}\n`);
}

const app = await serveApp();
try {
  if (which !== 'sweep') await compare(await openRun(app, '?preset=clustering-beta9&n=200'));
  if (which !== 'compare') {
    // The live run goes to t = 2, then pauses: its traces stay on screen, the sweep gets the cores.
    const page = await openRun(app, '?preset=s2-ou&n=64');
    await page.waitForFunction(() => window.__playground!.state().time >= 2, undefined, {
      timeout: 300_000,
      polling: 250,
    });
    await page.keyboard.press(' ');
    await sweep(page);
  }
} finally {
  await app.close();
}
