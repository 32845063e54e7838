/**
 * Faults as a user meets them in the built app: a run that becomes non-finite stops on its last
 * good state and says which parameter to lower; a size beyond the engine's capacity is refused
 * with the largest n that fits, and the running simulation carries on untouched.
 */
import { describe, expect, it } from 'vitest';
import { banner, open, setGuiNumber, setGuiOption, state, useApp, waitForSteps } from './app-page';

useApp();

describe('faults', () => {
  it('an overflowing run (unnormalised attention, β = 100) stops on the last good state with a message', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&heads=1&n=32');
    await waitForSteps(page, 10);
    await setGuiOption(page, 'Attention', 'attention', 'unnormalized');
    await setGuiNumber(page, 'Attention', 'β', '100');
    await expect.poll(banner(page, 'run'), { timeout: 60_000 }).toMatch(/non-finite.*Lower dt or β/);
    const stopped = await state(page);
    expect(stopped.playing).toBe(false);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/stopped/);
    // Stopped means stopped: the step counter does not move any more.
    await page.waitForTimeout(1500);
    expect((await state(page)).stepIndex).toBe(stopped.stepIndex);
    // Every trace point the plots got is finite (the last good state, not the overflow).
    const energy = await page.evaluate(async () => Array.from((await window.__playground!.traces(500)).energy.mean));
    expect(energy.every(Number.isFinite)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("n beyond the CPU fallback's capacity is refused with the largest n that fits; the run goes on", async () => {
    const { page, context } = await open('?preset=one-vs-many&n=48', { noWebGpu: true });
    await waitForSteps(page, 10);
    await setGuiNumber(page, 'Tokens', 'tokens n', '100000');
    await expect.poll(banner(page, 'run'), { timeout: 30_000 }).toMatch(/largest n that fits is \d+/);
    const s = await state(page);
    expect(s.n).toBe(48);
    const later = await waitForSteps(page, s.stepIndex + 20);
    expect(later.n).toBe(48);
    expect(later.playing).toBe(true);
    await context.close();
  });

  it('a lost GPU device: the app rebuilds on a new device from the last state and keeps running', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&heads=2&n=48', { keepDevices: true });
    const before = await waitForSteps(page, 30);
    expect(before.engineKind).toBe('gpu');
    expect(await page.evaluate(() => (window as unknown as { __e2eDevices: GPUDevice[] }).__e2eDevices.length)).toBe(1);
    await page.evaluate(() => (window as unknown as { __e2eDevices: GPUDevice[] }).__e2eDevices[0]!.destroy());
    await expect.poll(banner(page, 'engine'), { timeout: 30_000 }).toMatch(/device was lost/);
    // A second device was requested, and the run goes on on it (the clock restarts at t = 0 from the last state).
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __e2eDevices: GPUDevice[] }).__e2eDevices.length), {
        timeout: 30_000,
      })
      .toBe(2);
    const rebuilt = await waitForSteps(page, 1);
    const later = await waitForSteps(page, rebuilt.stepIndex + 30);
    expect(later.engineKind).toBe('gpu');
    expect(later.playing).toBe(true);
    expect(later.n).toBe(48);
    const energy = await page.evaluate(async () => Array.from((await window.__playground!.traces(500)).energy.mean));
    expect(energy.length).toBeGreaterThan(10);
    expect(energy.every(Number.isFinite)).toBe(true);
    // The lost device's own rejections are expected; nothing else may reach the console.
    expect(errors.filter((e) => !/lost|destroyed/i.test(e))).toEqual([]);
    await context.close();
  });
});
