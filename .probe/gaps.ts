import { buildApp, launchBrowser, servePreview } from '../tests/e2e/browser';
const WATCH = Number(process.env.WATCH ?? 40000);
const Q = process.env.Q ?? '?preset=one-vs-many&n=16384&heads=8';
const out = process.env.DIST ?? (await buildApp());
const server = await servePreview(out);
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await page.goto(server.url + Q);
await page.waitForSelector('.banner[data-key="cost"] .banner-action', { timeout: 60000 });
await page.locator('.banner[data-key="cost"] .banner-action').click();
await page.waitForFunction(() => window.__playground?.state().n === 16384 && !window.__playground.state().building, undefined, { timeout: 120000 });
await page.waitForTimeout(8000);
await page.evaluate(`(() => {
  const w = window;
  w.__f = [];
  let last = performance.now();
  function tick(t) {
    const v = w.__playground.view();
    w.__f.push([Math.round(t - last), w.__playground.state().stepIndex, v.framesDrawn, v.renderScale]);
    last = t;
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})()`);
await page.waitForTimeout(WATCH);
const f = (await page.evaluate(() => (window as any).__f)) as [number, number, number, number][];
let prevStep = f[0]![1];
const lines: string[] = [];
f.forEach(([g, s, d, sc], k) => {
  if (s !== prevStep) {
    const w = f.slice(Math.max(0, k - 6), k + 10).map(([g2, s2, d2, sc2]) => `${g2}${d2 !== f[Math.max(0, k - 7)]![2] ? '*' : ''}`);
    lines.push(`step ${s}: ${w.join(' ')}`);
    prevStep = s;
  }
});
const sorted = f.map((x) => x[0]).sort((a, b) => a - b);
if (!process.env.QUIET) console.log(lines.join('\n'));
console.log(`${process.env.DIST} steps ${f[0]![1]}→${f.at(-1)![1]} frames ${f.length}, p95 ${sorted[Math.floor(0.95 * sorted.length)]}, max ${sorted.at(-1)}, top: ${sorted.slice(-8).join(' ')}`);
await browser.close();
await server.close();
