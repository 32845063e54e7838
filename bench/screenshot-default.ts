/**
 * `npx tsx bench/screenshot-default.ts`: what a newcomer sees — the default preset at 1600×900
 * (built app, headless Chromium) once the run has reached t = 4, paused; writes
 * docs/screenshot-default.png and the plots panel alone as docs/plots.png.
 */
import { writeFileSync } from 'node:fs';
import { hookState, openRun, serveApp } from './serve-app';

const untilTime = Number(process.argv[2] ?? 4);

const app = await serveApp();
try {
  const page = await openRun(app, '');
  await page.waitForFunction((t) => (window.__playground?.state().time ?? 0) >= t, untilTime, {
    timeout: 300_000,
    polling: 250,
  });
  await page.keyboard.press(' ');
  await page.waitForTimeout(800);
  writeFileSync('docs/screenshot-default.png', await page.screenshot());
  writeFileSync('docs/plots.png', await page.locator('#plots').screenshot());
  const s = await hookState(page);
  process.stdout.write(`docs/screenshot-default.png, docs/plots.png: t = ${s.time.toFixed(2)}, ${s.engineLabel}\n`);
} finally {
  await app.close();
}
