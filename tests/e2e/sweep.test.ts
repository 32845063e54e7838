/**
 * The in-app H sweep in the real browser (built app): a tiny sweep (S² OU at n = 32, H = 1, 4,
 * 16, T = 0.5, one path) runs in its worker while the live run goes on, and its log–log plot
 * shows three points whose fitPowerLaw is the b printed under it; a long sweep shows its
 * progress with the time left and can be cancelled.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fitPowerLaw } from '../../src/model/analysis';
import { formatExponent } from '../../src/app/sweep-panel';
import { open, setGuiOption, state, useApp, waitForSteps } from './app-page';

useApp();

const FOLDER = 'Sweep H (G² vs H)';

function row(page: Page, name: string) {
  return page.locator('.lil-controller', {
    has: page.locator('.lil-name', { hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) }),
  });
}

/** Opens the sweep folder and fills its fields. */
async function fillSweep(page: Page, v: { heads: string; paths: string; n: string; T: string }): Promise<void> {
  await page.locator('.lil-title', { hasText: FOLDER }).first().click();
  for (const [name, value] of [
    ['heads H (list)', v.heads],
    ['paths', v.paths],
    ['tokens n', v.n],
    ['T (shorter: quick look)', v.T],
  ] as const) {
    const input = row(page, name).locator('input').last();
    await input.scrollIntoViewIfNeeded();
    await input.fill(value);
    await input.press('Enter');
  }
}

async function runSweep(page: Page): Promise<void> {
  const button = page.locator('.lil-controller button', { hasText: 'Run sweep' });
  await button.scrollIntoViewIfNeeded();
  await button.click();
}

describe('H sweep panel', () => {
  it('a tiny sweep completes; the plot has 3 points and the shown b is their fitPowerLaw', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32');
    await waitForSteps(page, 5);
    await fillSweep(page, { heads: '1, 4, 16', paths: '1', n: '32', T: '0.5' });
    await runSweep(page);
    await page.waitForFunction(() => window.__playground!.sweep().status === 'done', undefined, {
      timeout: 120_000,
      polling: 250,
    });
    const sw = await page.evaluate(() => window.__playground!.sweep());
    expect(sw.plotted.heads).toEqual([1, 4, 16]);
    expect(sw.plotted.mean).toHaveLength(3);
    for (const g of sw.plotted.mean) expect(g).toBeGreaterThan(0);
    const fit = fitPowerLaw(sw.plotted.heads, sw.plotted.mean);
    const shown = await page.locator('.sweep-fit').textContent();
    expect(shown).toContain(`b = ${formatExponent(fit.b)}`);
    expect(sw.result!.fit.b).toBeCloseTo(fit.b, 12);
    expect(sw.result!.points.map((p) => p.perPath.length)).toEqual([1, 1, 1]);
    // The card says which engine ran and that the live run went on; the live run is unchanged.
    expect(await page.locator('.sweep-progress-text').textContent()).toMatch(
      /float64 engine in a worker; the live run was not touched/,
    );
    expect(await page.locator('.sweep-what').textContent()).toMatch(
      /n = 32 · T = 0\.5 · dt = 0\.005 · 1 path · H = 1, 4, 16/,
    );
    expect(await page.locator('.sweep-table tr').count()).toBe(4);
    const live = await state(page);
    expect(live.heads).toBe(1);
    expect(live.playing).toBe(true);
    expect(await page.locator('.sweep-plot canvas').count()).toBeGreaterThan(0);
    if (process.env.SCREENSHOTS)
      writeFileSync(process.env.SCREENSHOTS + '/screenshot-sweep-test.png', await page.screenshot());
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the WebGPU engine gives the float64 sweep's G² to float32 accuracy (same noise stream), b likewise", async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32&play=0');
    await fillSweep(page, { heads: '1, 4, 16', paths: '2', n: '32', T: '0.5' });
    const sweep = async (engine: string) => {
      await setGuiOption(page, FOLDER, 'engine', engine);
      await runSweep(page);
      await page.waitForFunction(() => ['done', 'error'].includes(window.__playground!.sweep().status), undefined, {
        timeout: 120_000,
        polling: 250,
      });
      return page.evaluate(() => window.__playground!.sweep());
    };
    const cpu = await sweep('float64 CPU (exact)');
    expect(cpu.status).toBe('done');
    const gpu = await sweep('WebGPU (float32, fast on a GPU)');
    expect(gpu.status, gpu.message).toBe('done');
    expect(await page.locator('.sweep-progress-text').textContent()).toMatch(/WebGPU engine in a worker/);
    const c = cpu.result!.points,
      g = gpu.result!.points;
    expect(g.map((p) => p.heads)).toEqual([1, 4, 16]);
    for (let k = 0; k < 3; k++) {
      expect(g[k]!.perPath).toHaveLength(2);
      // σ² = 2: the two paths differ, and each GPU path follows its CPU twin (same Philox stream).
      expect(Math.abs(c[k]!.perPath[0]! - c[k]!.perPath[1]!)).toBeGreaterThan(1e-3 * c[k]!.mean);
      for (let r = 0; r < 2; r++)
        expect(Math.abs(g[k]!.perPath[r]! - c[k]!.perPath[r]!)).toBeLessThan(1e-4 * c[k]!.perPath[r]!);
    }
    expect(Math.abs(gpu.result!.fit.b - cpu.result!.fit.b)).toBeLessThan(1e-3);
    // …and it really is another engine: float32 sums are not bit-identical to float64 ones.
    expect(g.some((p, k) => p.perPath[0] !== c[k]!.perPath[0])).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a long sweep shows progress with the time left, and cancels', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32&play=0');
    await fillSweep(page, { heads: '1, 10, 100', paths: '2', n: '64', T: '20' });
    await runSweep(page);
    await page.waitForFunction(
      () => {
        const s = window.__playground!.sweep();
        return s.status === 'running' && (s.progress?.done ?? 0) > 0;
      },
      undefined,
      { timeout: 60_000, polling: 200 },
    );
    await expect
      .poll(() => page.locator('.sweep-progress-text').textContent(), { timeout: 20_000 })
      .toMatch(/^H = 1 \(1 of 3\) · 2 paths together · step \d+ \/ 4000 · \d+ % · .* left$/);
    await page.locator('.sweep-cancel').click();
    await expect.poll(async () => (await page.evaluate(() => window.__playground!.sweep())).status).toBe('cancelled');
    expect(await page.locator('.sweep-cancel').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
