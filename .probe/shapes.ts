import { launchBrowser, servePreview } from '../tests/e2e/browser';
const browser = await launchBrowser();
for (const [dir, label] of [['/tmp/dist-mesh', 'mesh'], ['/tmp/dist-imp', 'imp']]) {
  const server = await servePreview(dir);
  for (const n of [200, 2048]) {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(`${server.url}?preset=s2-oscillating&n=${n}&heads=1`);
    await page.waitForFunction(() => (window.__playground?.state().time ?? 0) >= 2, undefined, { timeout: 120000 });
    await page.keyboard.press(' ');
    await page.waitForTimeout(1500);
    await page.locator('canvas.view-canvas').screenshot({ path: `/tmp/shape-${label}-${n}.png` });
    await page.close();
  }
  await server.close();
}
await browser.close();
