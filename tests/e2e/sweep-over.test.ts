/**
 * The Sweep folder over a perturbation size in the real browser (built app): an ε sweep of 3
 * sizes (S² OU at n = 24, H = 2, T = 0.4, 2 copies, float64 in workers) shows a fitted slope
 * equal to a fit of the plotted points, near 1 (the linear regime of continuous dependence);
 * its CSV download holds every copy's row; "copy sweep link" opened in a new page reruns the
 * same sweep to the same bits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fitPowerLaw } from '../../src/model/analysis';
import { formatExponent } from '../../src/app/sweep-panel';
import { open, setGuiNumber, setGuiOption, useApp, waitForSteps } from './app-page';

useApp();

const FOLDER = 'Sweep H (G² vs H)';
const SIZES = [1e-4, 1e-3, 1e-2];

async function setText(page: Page, name: string, value: string): Promise<void> {
  await setGuiNumber(page, FOLDER, name, value);
}

const done = (page: Page) =>
  page.waitForFunction(() => ['done', 'error'].includes(window.__playground!.sweep().status), undefined, {
    timeout: 180_000,
    polling: 250,
  });

describe('sweep over ε', () => {
  it('3 sizes: the shown slope is the fit of the plotted points; CSV export; the link reruns it', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=24');
    await waitForSteps(page, 3);
    await setGuiOption(page, FOLDER, 'sweep over', 'token noise ε: distance vs ε');
    await setText(page, 'heads H (list)', '2');
    await setText(page, 'sizes ε or δ (list)', SIZES.join(', '));
    await setText(page, 'paths', '2');
    await setText(page, 'tokens n', '24');
    await setText(page, 'T (shorter: quick look)', '0.4');
    await page.locator('.lil-controller button', { hasText: 'Run sweep' }).click();
    await done(page);
    const sw = await page.evaluate(() => window.__playground!.sweep());
    expect(sw.status, sw.message).toBe('done');
    expect(sw.over).toBe('epsilon');
    expect(sw.plotted.x).toEqual(SIZES);
    expect(sw.plotted.mean).toHaveLength(3);
    const fit = fitPowerLaw(sw.plotted.x, sw.plotted.mean);
    expect(sw.result!.fit.b).toBeCloseTo(fit.b, 12);
    const shown = await page.locator('.sweep-fit').textContent();
    expect(shown).toContain(`slope b = ${formatExponent(fit.b)}`);
    // Short T, tiny ε: the linearised flow, distance ∝ ε.
    expect(Math.abs(fit.b - 1)).toBeLessThan(0.05);
    expect(sw.result!.points.map((p) => p.perPath.length)).toEqual([2, 2, 2]);
    expect(await page.locator('.sweep-what').textContent()).toMatch(/2 copies · H = 2 · ε = 1\.00e−4, 0\.001, 0\.01/);
    expect(await page.locator('.sweep-table tr').count()).toBe(4);
    if (process.env.SCREENSHOTS)
      writeFileSync(process.env.SCREENSHOTS + '/screenshot-sweep-epsilon.png', await page.screenshot());

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.sweep-export-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^epsilon,heads,path,sup_rms,sup_max,rms_t0\.1,max_t0\.1/);
    expect(csv).toHaveLength(1 + 3 * 2);
    expect(Number(csv[1]!.split(',')[3])).toBe(sw.result!.points[0]!.perPath[0]);

    await page.locator('.lil-controller button', { hasText: 'copy sweep link' }).click();
    await page.waitForFunction(() => (window.__playground!.sweep().link ?? '') !== '');
    const link = (await page.evaluate(() => window.__playground!.sweep().link))!;
    expect(link).toMatch(/[?&]s=.*&sweep=over%3Aepsilon/);
    const again = await context.newPage();
    await again.goto(link);
    await again.waitForFunction(() => window.__playground?.sweep().status === 'done', undefined, {
      timeout: 180_000,
      polling: 250,
    });
    const rerun = await again.evaluate(() => window.__playground!.sweep());
    expect(rerun.result!.points).toEqual(sw.result!.points);
    expect(rerun.fitText).toBe(sw.fitText);
    expect(errors).toEqual([]);
    await context.close();
  });
});
