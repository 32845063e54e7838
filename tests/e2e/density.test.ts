/**
 * The density view of μ_t in the real browser (built app, WebGPU on SwiftShader): ticking
 * "density of μ_t (GPU)" in the View folder colours the sphere (the canvas's dark-purple pixels of
 * the ramp's low end appear, and go again when it is unticked), the GPU density integrates to ≈ 1,
 * and a recorded video's last frame shows it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { configureRecording, open, pixelFraction, recordButton, useApp, useTempDir, waitForSteps } from './app-page';

useApp();
const tmpDir = useTempDir('e2e-density-');

const TOGGLE = 'density of μ_t (GPU)';

/** Viridis's low end over the dark background: red and blue well above green. */
/** The 'purple' rule of pixelFraction (app-page.ts), for the decoded video frame. */
const purple = (r: number, g: number, b: number): boolean => r > g + 18 && b > g + 25 && b < 200;

/** Fraction of the view canvas's pixels that are the density's dark purple. */
const purpleFraction = (page: Page): Promise<number> => pixelFraction(page, 'purple');

async function toggle(page: Page): Promise<void> {
  const title = page.locator('.lil-title', { hasText: /^\s*View\s*$/ }).first();
  const host = title.locator('xpath=..');
  if (await host.evaluate((el) => el.classList.contains('lil-closed') || el.classList.contains('closed')))
    await title.click();
  const box = host
    .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: TOGGLE }) })
    .locator('input')
    .first();
  await box.scrollIntoViewIfNeeded();
  await box.click();
}

const density = (page: Page) => page.evaluate(() => window.__playground!.view().density);

describe('density view', () => {
  it('toggling it changes the picture; the density integrates to 1; it is in a recorded frame', async () => {
    const { page, context, errors } = await open('?preset=clustering-beta9&n=256');
    await waitForSteps(page, 3);
    const before = await purpleFraction(page);
    await toggle(page);
    await page.waitForFunction(() => window.__playground!.view().density.updates >= 2, undefined, {
      timeout: 60_000,
      polling: 200,
    });
    const d = await density(page);
    expect(d.shown).toBe(true);
    expect(d.problem).toBe('');
    expect(Math.abs(d.integral - 1)).toBeLessThan(5e-3);
    const on = await purpleFraction(page);
    if (process.env.SCREENSHOTS)
      writeFileSync(join(process.env.SCREENSHOTS, 'screenshot-density.png'), await page.screenshot());
    expect(on).toBeGreaterThan(before + 0.02);

    // Recorded with the density on: the last frame holds its colours.
    await configureRecording(page, 1, 1);
    const download = page.waitForEvent('download', { timeout: 300_000 });
    await recordButton(page).click();
    const file = join(tmpDir(), (await download).suggestedFilename());
    await (await download).saveAs(file);
    const r = spawnSync(
      'ffmpeg',
      ['-v', 'error', '-sseof', '-0.1', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      {
        maxBuffer: 64 << 20,
      },
    );
    if (r.error) throw new Error(`ffmpeg is not available (${r.error.message}): apt-get install -y ffmpeg`);
    const px = r.stdout as Buffer;
    expect(px.length).toBe(1280 * 720 * 3);
    let hit = 0;
    for (let i = 0; i < px.length; i += 3) if (purple(px[i]!, px[i + 1]!, px[i + 2]!)) hit++;
    expect(hit / (1280 * 720)).toBeGreaterThan(0.02);

    await toggle(page);
    await expect.poll(() => purpleFraction(page), { timeout: 20_000 }).toBeLessThan(before + 0.01);
    expect((await density(page)).shown).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
