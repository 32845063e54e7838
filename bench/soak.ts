/**
 * `npx tsx bench/soak.ts [minutes=10]`: runs the default preset in headless Chromium for the
 * given time, resetting whenever a run finishes (so the rebuild path is exercised too), and
 * prints the JS heap (CDP Performance metrics) and the live GPU buffers of the shared device
 * (the app's instrumented device; NaN on the CPU fallback) at the start, every minute and at the end.
 */
import { hookState, openRun, serveApp } from './serve-app';

const minutes = Number(process.argv[2] ?? 10);
const app = await serveApp();
try {
  const page = await openRun(app, '');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const sample = async (label: string): Promise<string> => {
    await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    const s = await hookState(page);
    const buffers = await page.evaluate(() => window.__playground!.gpuBuffers());
    return `| ${label} | ${(heap / 2 ** 20).toFixed(1)} | ${buffers} | ${s.time.toFixed(2)} | ${s.engineLabel} |`;
  };
  const rows = [await sample('start')];
  const end = Date.now() + minutes * 60_000;
  let resets = 0;
  let nextSample = Date.now() + 60_000;
  while (Date.now() < end) {
    await page.waitForTimeout(1000);
    if ((await hookState(page)).finished) {
      // r rebuilds at t = 0 and keeps the play state (paused after a finished run): space plays.
      await page.keyboard.press('r');
      await page.waitForFunction(() => {
        const s = window.__playground!.state();
        return !s.building && !s.finished && s.stepIndex === 0;
      });
      if (!(await hookState(page)).playing) await page.keyboard.press(' ');
      resets++;
    }
    const now = await hookState(page);
    if (!now.playing && !now.finished)
      throw new Error(`soak: the run stopped at t = ${now.time} (banners: ${JSON.stringify(now.banners)})`);
    if (Date.now() >= nextSample) {
      rows.push(await sample(`${Math.round((Date.now() - end) / 60_000 + minutes)} min`));
      nextSample += 60_000;
    }
  }
  rows.push(await sample(`end (${resets} resets)`));
  process.stdout.write(
    ['| when | JS heap MiB | live GPU buffers | t | engine |', '|---|---|---|---|---|', ...rows].join('\n') + '\n',
  );
} finally {
  await app.close();
}
