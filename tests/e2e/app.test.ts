/**
 * The playground in a real browser: the built app (vite build, served by vite preview on
 * loopback, under its Content-Security-Policy) in headless Chromium with SwiftShader WebGPU.
 * Reads the app through its read-only test hook `window.__playground` (src/app/test-hook.ts).
 * Small n throughout: SwiftShader on two cores is slow.
 */
import { describe, expect, it } from 'vitest';
import { banner, litFraction, open, setGuiNumber, state, useApp, waitForSteps } from './app-page';

useApp();

describe('playground', () => {
  it('loads without console errors, advances, and draws the tokens', async () => {
    const { page, context, errors } = await open('?n=96');
    const first = await waitForSteps(page, 20);
    const later = await waitForSteps(page, first.stepIndex + 40);
    expect(later.time).toBeGreaterThan(first.time);
    expect(later.n).toBe(96);
    // This Chromium has WebGPU (SwiftShader): the default page runs the GPU engine, with no notice.
    expect(later.engineKind).toBe('gpu');
    expect(later.banners).toEqual({});
    expect(await page.locator('#status').textContent()).toContain('running');
    expect(await litFraction(page)).toBeGreaterThan(0.01);
    const traces = await page.evaluate(() => window.__playground!.traces(500));
    expect(traces.energy.t.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('one head, frozen weights, paper sign (?preset=one-vs-many): the energy never rises', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&heads=1&n=64');
    const s = await waitForSteps(page, 150);
    expect(s.heads).toBe(1);
    const energy = await page.evaluate(async () => Array.from((await window.__playground!.traces(2000)).energy.mean));
    expect(energy.length).toBeGreaterThan(50);
    // The float32 GPU reduction carries ~1e-7 relative rounding; the float64 engine none to speak of.
    const tol = (s.engineKind === 'gpu' ? 2e-5 : 1e-9) * Math.max(...energy.map(Math.abs));
    for (let k = 1; k < energy.length; k++) expect(energy[k]!).toBeLessThanOrEqual(energy[k - 1]! + tol);
    expect(energy[energy.length - 1]!).toBeLessThan(energy[0]!);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('changing n in the GUI rebuilds the run and keeps it running', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64');
    await waitForSteps(page, 10);
    await setGuiNumber(page, 'Tokens', 'tokens n', '40');
    await page.waitForFunction(() => window.__playground?.state().n === 40, undefined, { timeout: 30_000 });
    const rebuilt = await state(page);
    const later = await waitForSteps(page, rebuilt.stepIndex + 30);
    expect(later.n).toBe(40);
    expect(later.playing).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an invalid value shows the field and leaves the run untouched', async () => {
    const { page, context } = await open('?preset=one-vs-many&n=64');
    await waitForSteps(page, 10);
    await setGuiNumber(page, 'Run', 'dt', '0.0123');
    await expect.poll(banner(page, 'params'), { timeout: 10_000 }).toMatch(/\bT\b/);
    const s = await state(page);
    await waitForSteps(page, s.stepIndex + 20);
    expect((await state(page)).n).toBe(64);
    await context.close();
  });

  it('without WebGPU the CPU fallback runs and says so', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=48', { noWebGpu: true });
    const s = await waitForSteps(page, 30);
    expect(s.engineKind).toBe('cpu');
    expect(s.engineLabel).toMatch(/CPU fallback/);
    const notice = page.locator('.banner-notice', { hasText: 'CPU fallback' });
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toMatch(/enable-unsafe-webgpu/);
    expect(await page.locator('#status').textContent()).toMatch(/CPU fallback/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('runs to t = T, adds the final row, and obeys the keyboard (r, →, space)', async () => {
    // S¹ oscillating (T = 20, dt = 5e-3, n = 100): the tokens keep moving, so every trace stays in range.
    const { page, context, errors } = await open('?preset=s1-oscillating&spf=200', { noWebGpu: true });
    await page.waitForFunction(() => window.__playground?.state().finished === true, undefined, {
      timeout: 60_000,
      polling: 200,
    });
    const done = await state(page);
    expect(done.time).toBeCloseTo(done.T, 9);
    expect(done.playing).toBe(false);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/run finished/);
    // T/dt steps plus the evaluate() row at t = T.
    await expect
      .poll(async () => (await page.evaluate(() => window.__playground!.traces(10))).rows)
      .toBe(Math.round(done.T / 5e-3) + 1);
    await page.keyboard.press('r');
    await page.waitForFunction(
      () => {
        const s = window.__playground!.state();
        return !s.building && !s.finished && s.stepIndex === 0;
      },
      undefined,
      { timeout: 30_000, polling: 100 },
    );
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await state(page)).stepIndex).toBe(1);
    await page.keyboard.press(' ');
    await waitForSteps(page, 50);
    expect((await state(page)).playing).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
