/**
 * Comparing perturbed inputs in the real browser (built app, SwiftShader WebGPU): the Compare
 * folder turns on a copy with token noise ε, the trace worker's distance starts at ≈ ε and its
 * fitted growth rate is shown with its window in the plot title; the side-by-side layout draws
 * the original and the copy in two panes of the one canvas.
 * Scenario: the residual flow (sign +1) at β = 9 (preset clustering-beta9), where a small
 * input perturbation grows at first (float64 check: RMS 1e-4 → 5e-3 by t = 5.5 at n = 64).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configureRecording,
  litFraction,
  open,
  recordButton,
  setGuiOption,
  state,
  useApp,
  waitForSteps,
} from './app-page';
import { litInLastFrame } from './video';

useApp();

const EPS = 1e-4;

describe('compare perturbed inputs', () => {
  it('token noise ε: the distance starts at ≈ ε, grows, and its rate and window are in the title; side by side draws two panes', async () => {
    const { page, context, errors } = await open('?preset=clustering-beta9&n=64');
    await waitForSteps(page, 5);
    await setGuiOption(page, 'Compare (perturbed copies)', 'perturb', 'token noise ε');
    await page.waitForFunction(
      () => {
        const s = window.__playground!.state();
        return s.replicas === 2 && !s.building;
      },
      undefined,
      { timeout: 30_000 },
    );
    // t = 5 (500 steps at dt = 0.01): past the slow start, before saturation.
    await waitForSteps(page, 500, 90_000);
    const tr = await page.evaluate(() => window.__playground!.traces(2000));
    const rms = Array.from(tr.distanceRms.mean);
    expect(tr.distanceRms.t[0]).toBe(0);
    expect(rms[0]!).toBeGreaterThan(EPS / 3);
    expect(rms[0]!).toBeLessThan(EPS * 3);
    expect(tr.distanceMax.mean[0]!).toBeGreaterThanOrEqual(rms[0]!);
    expect(rms[rms.length - 1]!).toBeGreaterThan(3 * rms[0]!);
    expect(Number.isFinite(tr.growthRate)).toBe(true);
    expect(tr.growthRate).toBeGreaterThan(0);
    expect(tr.growthFit.t1).toBeGreaterThan(tr.growthFit.t0);
    await expect
      .poll(() => page.locator('.tp-structure .tp-title').textContent(), { timeout: 10_000 })
      .toMatch(/^λ ≈ [0-9.]+\/t · fit on t ∈ \[[0-9.]+, [0-9.]+\]$/);
    expect(await page.locator('#caption .caption-compare').textContent()).toMatch(/ε = 1e−4\b.*continuous dependence/);

    await setGuiOption(page, 'Compare (perturbed copies)', 'layout', 'side by side');
    await expect.poll(() => page.locator('.sbs-label').allTextContents()).toEqual(['original', 'copy 1']);
    const s = await state(page);
    await waitForSteps(page, s.stepIndex + 20);
    const box = (await page.locator('#view canvas').boundingBox())!;
    const [labelLeft, labelRight] = await page
      .locator('.sbs-label')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left + e.getBoundingClientRect().width / 2));
    // Each pane is half the canvas left of the GUI: the labels sit over the two pane centres.
    const split = (labelLeft! + labelRight!) / 2;
    expect(labelLeft!).toBeLessThan(split);
    const left = await litFraction(page, { x: box.x, y: box.y + 60, width: split - box.x, height: box.height - 160 });
    const right = await litFraction(page, {
      x: split,
      y: box.y + 60,
      width: 2 * (labelRight! - split),
      height: box.height - 160,
    });
    expect(left).toBeGreaterThan(0.01);
    expect(right).toBeGreaterThan(0.01);
    if (process.env.SCREENSHOTS)
      writeFileSync(process.env.SCREENSHOTS + '/screenshot-compare.png', await page.screenshot());

    // A recorded video has no DOM: the pane names are drawn into its frames, over each half.
    await configureRecording(page, 0.2, 1);
    const download = page.waitForEvent('download', { timeout: 300_000 });
    await recordButton(page).click();
    const dir = mkdtempSync(join(tmpdir(), 'e2e-compare-'));
    try {
      const file = join(dir, (await download).suggestedFilename());
      await (await download).saveAs(file);
      const top = { y0: 0.01, y1: 0.07 };
      expect(litInLastFrame(file, 1280, 720, { ...top, x0: 0.2, x1: 0.3 })).toBeGreaterThan(0.02);
      expect(litInLastFrame(file, 1280, 720, { ...top, x0: 0.7, x1: 0.8 })).toBeGreaterThan(0.02);
      // Between the labels the top of the frame stays background.
      expect(litInLastFrame(file, 1280, 720, { ...top, x0: 0.42, x1: 0.58 })).toBeLessThan(0.01);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
