/**
 * `npx tsx bench/svg-png.ts A.svg [B.svg …]`: renders each SVG figure (e.g. a sweep.svg) in
 * headless Chromium and writes A.png beside it, for docs that show PNGs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { launchBrowser } from '../tests/e2e/browser';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: npx tsx bench/svg-png.ts FILE.svg [FILE.svg …]');
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ deviceScaleFactor: 2 });
  for (const f of files) {
    const svg = readFileSync(f, 'utf8');
    const m = /width="([0-9.]+)" height="([0-9.]+)"/.exec(svg);
    if (!m) throw new Error(`${f}: no width and height on the <svg> element`);
    await page.setViewportSize({ width: Math.ceil(Number(m[1])), height: Math.ceil(Number(m[2])) });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    const out = f.replace(/\.svg$/, '.png');
    writeFileSync(out, await page.locator('svg').screenshot());
    process.stdout.write(`wrote ${out}\n`);
  }
} finally {
  await browser.close();
}
