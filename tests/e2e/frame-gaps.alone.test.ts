/**
 * The page stays responsive through a run whose single step takes far longer than a frame:
 * n = 16,384, H = 8 on SwiftShader (a step of 5–30 s): 95 % of requestAnimationFrame gaps within
 * 250 ms and none over 500 ms while the run steps, through at least one step's end (its readback,
 * history snapshot, the trace worker's pass and the draw of the new state). What makes it hold:
 * the frame budget splits each
 * attention dispatch into submits of ~FRAME_BUDGET_MS (100 ms) of GPU time, the estimate of that
 * time kept from collapsing (src/gpu/submit-pace.ts: before, it fell to zero and whole steps went
 * as one submit, 0.4–8 s stalls at step ends); the next step's compute waits for the frame that
 * draws a finished one and for that draw's GPU work (GpuEngine.setBatchGate); the view draws only when the picture can change (a
 * step done, a readback, the camera), so the frames in between cost no drawing; and the one draw
 * at a step's end is made at a lower resolution while the run plays (src/view/render-scale.ts: a
 * full 1600×900 frame of 16,384 tokens costs ~230 ms on SwiftShader, a quarter of the pixels ~125;
 * its cost is read from the gaps of the frames after it, where it shows).
 * Timing-sensitive: this file runs alone, after the rest of the suite (package.json).
 */
import { describe, expect, it } from 'vitest';
import { banner, open, pixelFraction, state, useApp } from './app-page';

useApp();

/** The longest rAF gap allowed (the bound), for 95 % of the frames. */
const MAX_GAP_MS = 250;
/**
 * No frame longer than this, a step's end included (seen on a 2-core Xeon: at most 133–183 ms
 * with the batch gate waiting for the draw; on a 2-core EPYC up to 467 ms before it; before the
 * budget fixes 4–8 s).
 */
const MAX_END_GAP_MS = 500;
/** How long the frames are watched while the run steps. */
const WATCH_MS = 45_000;
/**
 * After a step ends, the frames of its readback and draw (reported apart, bounded alike). Short
 * enough that a faster machine's steps (5 s on a 2-core Xeon, 15–27 s on a 2-core EPYC) leave
 * frames between the ends.
 */
const END_SETTLE_MS = 2000;

describe('responsive at n = 16,384, H = 8', () => {
  it('requestAnimationFrame keeps firing through split steps and their ends: 95 % within 250 ms, none over 500 ms', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=16384&heads=8');
    await expect.poll(banner(page, 'cost'), { timeout: 60_000 }).toMatch(/heavy .*per step/);
    await page.locator('.banner[data-key="cost"] .banner-action').click();
    await page.waitForFunction(
      () => window.__playground?.state().n === 16_384 && !window.__playground.state().building,
      undefined,
      {
        timeout: 120_000,
      },
    );
    // Warm-up: the first submits run before anything is measured (the prior), the fine pipeline
    // is built in the background; the share of the step must be seen rising before watching.
    const shareOf = async () =>
      Number.parseFloat(
        (await page
          .locator('.status-item.step-share .status-value')
          .textContent({ timeout: 200 })
          .catch(() => null)) ?? 'NaN',
      );
    await expect.poll(shareOf, { timeout: 120_000, interval: 500 }).toBeGreaterThan(0);
    await page.waitForTimeout(5000);
    const before = await state(page);
    const drawnBefore = (await page.evaluate(() => window.__playground!.view())).framesDrawn;
    // Each frame's gap and the steps completed at that frame.
    await page.evaluate(() => {
      const w = window as unknown as { __frames: [number, number][] };
      w.__frames = [];
      let last = performance.now();
      const tick = (t: number): void => {
        w.__frames.push([t - last, window.__playground!.state().stepIndex]);
        last = t;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.waitForTimeout(WATCH_MS);
    const frames = (await page.evaluate(() => (window as unknown as { __frames: [number, number][] }).__frames)).slice(
      1,
    );
    const after = await state(page);
    const view = await page.evaluate(() => window.__playground!.view());
    // Frames while a step runs, and those within END_SETTLE_MS after a step ended (its readback,
    // history snapshot, trace-worker pass and the one draw of the new state: not yet bounded).
    const between: number[] = [];
    const atEnds: number[] = [];
    // A step's end shows in the frame that first sees the new step count (its gap holds the
    // wait for the batch's records); the frames of the next END_SETTLE_MS follow it.
    let endAt = Number.NEGATIVE_INFINITY;
    let t = 0;
    frames.forEach(([gap, step], k) => {
      t += gap;
      if (k > 0 && step !== frames[k - 1]![1]) endAt = t;
      (t - endAt <= END_SETTLE_MS ? atEnds : between).push(gap);
    });
    const sorted = [...between].sort((a, b) => a - b);
    const summary = `${frames.length} frames in ${WATCH_MS / 1000} s; while steps ran: ${between.length} frames, median ${sorted[between.length >> 1]?.toFixed(0)} ms, longest ${sorted.at(-1)?.toFixed(0)} ms; within ${END_SETTLE_MS / 1000} s of a step's end: longest ${Math.max(0, ...atEnds).toFixed(0)} ms; steps ${before.stepIndex} → ${after.stepIndex}; drawn ${view.framesDrawn - drawnBefore}; render scale ${view.renderScale.toFixed(2)}`;
    console.log(summary);
    // The run was stepping all the while (the share rose or a step completed).
    expect(after.stepIndex > before.stepIndex || (await shareOf()) > 0, summary).toBe(true);
    // Frames kept coming: on average at least one per MAX_GAP_MS, whatever share the step ends took.
    expect(frames.length, summary).toBeGreaterThan(WATCH_MS / MAX_GAP_MS);
    // A step ended while watched, so the bound covers its end too.
    expect(atEnds.length, summary).toBeGreaterThan(0);
    // The bound is no gap over 250 ms. It held in every run on a 2-core Xeon (longest
    // 133–183 ms); on a 2-core EPYC, a slower host (measured in other sessions), step ends measured
    // 217–467 ms before the batch gate waited for the draw (docs/BENCHMARKS.md). Asserted, so that
    // it holds on either, also right after the rest of the suite: 95 % of all frames (step ends
    // included) within 250 ms, and none past MAX_END_GAP_MS.
    const all = frames.map(([gap]) => gap).sort((a, b) => a - b);
    expect(all[Math.floor(0.95 * (all.length - 1))]!, summary).toBeLessThanOrEqual(MAX_GAP_MS);
    expect(all.at(-1)!, summary).toBeLessThanOrEqual(MAX_END_GAP_MS);
    // Tokens are on the canvas (drawn as impostors at this size).
    expect(view.tokenShape).toBe('impostor');
    expect(await pixelFraction(page, 'lit')).toBeGreaterThan(0.005);
    expect(errors).toEqual([]);
    await context.close();
  }, 420_000);
});
