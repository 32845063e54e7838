/**
 * `npx tsx bench/screenshot-presenter.ts [query] [out.png]`: a 1920×1080 screenshot of presenter
 * mode (built app, headless Chromium) after the run has gone on for a while; written to
 * docs/screenshot-presenter.png by default. Default query: the S² oscillating preset, 3 heads.
 */
import { writeFileSync } from 'node:fs';
import { hookState, openRun, serveApp } from './serve-app';

const query = process.argv[2] ?? '?preset=s2-oscillating&n=200&heads=3';
const out = process.argv[3] ?? 'docs/screenshot-presenter.png';
const untilTime = Number(process.argv[4] ?? 4);

const app = await serveApp();
try {
  const page = await openRun(app, query, { width: 1920, height: 1080 });
  await page.keyboard.press('p');
  await page.waitForFunction(() => document.querySelectorAll('.presenter-panel .katex').length > 4, undefined, {
    timeout: 60_000,
  });
  await page.waitForFunction(
    (t) => (window.__playground?.state().time ?? 0) >= t || window.__playground?.state().finished,
    untilTime,
    { timeout: 300_000, polling: 250 },
  );
  await page.keyboard.press(' ');
  await page.waitForTimeout(600);
  writeFileSync(out, await page.screenshot());
  const s = await hookState(page);
  process.stdout.write(`${out}: t = ${s.time.toFixed(2)}, ${s.engineLabel}\n`);
} finally {
  await app.close();
}
