/**
 * The "log t" box above the trace plots (src/ui/plots.ts): with the run paused, ticking it redraws
 * every panel on a log time axis (the picture changes), and unticking it redraws them linear
 * again (the picture changes back; not pixel for pixel: the panels are rebuilt and the last
 * trace poll after the pause may add a row).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { open, state, useApp, waitForSteps } from './app-page';

useApp();

describe('log t axis', () => {
  it('ticking it changes every time plot; unticking redraws them linear', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32');
    await waitForSteps(page, 40);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press(' ');
    await expect.poll(async () => (await state(page)).playing).toBe(false);
    await page.waitForTimeout(600);
    const plots = page.locator('#plots');
    const linear = await plots.screenshot();
    const box = page.locator('.tp-logt input');
    await box.check();
    await page.waitForTimeout(600);
    const log = await plots.screenshot();
    if (process.env.SCREENSHOTS) writeFileSync(join(process.env.SCREENSHOTS, 'plots-log-t.png'), log);
    expect(await box.isChecked()).toBe(true);
    expect(log.equals(linear)).toBe(false);
    await box.uncheck();
    await page.waitForTimeout(600);
    expect(await box.isChecked()).toBe(false);
    expect((await plots.screenshot()).equals(log)).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
