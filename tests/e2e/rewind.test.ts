/**
 * Rewind and replay in the browser (GPU engine and the CPU fallback): a noisy run keeps
 * snapshots; scrubbing the timeline back pauses on a kept state with the plots' marker there;
 * playing on replays, and the trace rows (the CSV export, every step) equal the original's
 * exactly, past the point where the original was paused.
 */
import { describe, expect, it } from 'vitest';
import { open, state, useApp, waitForSteps } from './app-page';
import { csvRows, hist, pause, togglePlay } from './run-csv';

useApp();

describe('timeline: rewind and replay', () => {
  it.each([
    ['GPU', false],
    ['CPU fallback', true],
  ] as const)('%s engine: scrub back, play: the replayed rows equal the original exactly', async (_name, noWebGpu) => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32&heads=2&spf=2', { noWebGpu });
    expect((await waitForSteps(page, 5)).engineKind).toBe(noWebGpu ? 'cpu' : 'gpu');
    await waitForSteps(page, 40, 120_000);
    const stopped = await pause(page);
    const original = await csvRows(page);
    const P = (await state(page)).replicas;
    // Header + one row per step and replica.
    expect(original.length).toBe(1 + P * stopped);
    const h = await hist(page);
    expect(h.steps[0]).toBe(0);
    expect(h.steps.length).toBeGreaterThan(2);
    expect(h.bytesKept).toBe(h.steps.length * P * (32 * 3 + 2 * 9) * (noWebGpu ? 8 : 4));
    expect(h.rewoundAt).toBeNull();

    // Scrub to about a third of the way: the kept snapshot at or before it.
    const want = Math.floor(stopped / 3);
    const expected = Math.max(...h.steps.filter((s) => s <= want));
    await page.locator('.timeline .tl-slider').fill(String(want));
    await expect.poll(async () => (await hist(page)).rewoundAt, { timeout: 30_000 }).toBe(expected);
    await expect.poll(async () => (await state(page)).stepIndex).toBe(expected);
    const dt = 0.005;
    await expect.poll(async () => (await hist(page)).marker).toBeCloseTo(expected * dt, 12);
    await expect.poll(() => page.locator('.timeline .tl-label').textContent()).toMatch(/^rewound to t = /);
    // Scrubbing leaves the original's traces alone until play.
    expect(await csvRows(page)).toEqual(original);
    expect((await state(page)).playing).toBe(false);

    await togglePlay(page);
    await page.waitForFunction((k) => window.__playground!.state().stepIndex >= k + 10, stopped, {
      timeout: 120_000,
      polling: 200,
    });
    await pause(page);
    const replay = await csvRows(page);
    expect(replay.length).toBeGreaterThanOrEqual(original.length + 10 * P);
    expect(replay.slice(0, original.length)).toEqual(original);
    await expect.poll(async () => (await hist(page)).marker).toBeNull();
    const after = await hist(page);
    expect(after.rewoundAt).toBeNull();
    expect(after.steps.at(-1)!).toBeGreaterThan(stopped);
    // The CPU fallback's notice is the only banner (no trace worker or rewind error).
    const { engine, ...others } = (await state(page)).banners;
    expect(others).toEqual({});
    if (noWebGpu) expect(engine).toMatch(/^CPU fallback/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
