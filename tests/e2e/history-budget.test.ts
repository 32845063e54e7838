/**
 * The history's memory budget on a live run at n = 4,096 (GPU engine): the default is at most
 * 256 MiB; with the Branches folder's budget set to 0.25 MB the run keeps many more steps than fit,
 * so the history thins while it runs. Polled throughout, the bytes kept never pass the budget,
 * step 0 and the newest step stay, and the kept steps spread with age (older gaps wider).
 */
import { describe, expect, it } from 'vitest';
import { HISTORY_BUDGET_BYTES } from '../../src/model/history';
import { open, setGuiNumber, useApp, waitForSteps } from './app-page';
import { hist } from './run-csv';

useApp();

const MB = 1024 ** 2;

describe('history budget', () => {
  it('n = 4,096, budget 0.25 MB: bytes kept stay under it while the history thins geometrically', async () => {
    const { page, context, errors } = await open('?preset=s2-oscillating&n=4096&heads=1&spf=1');
    const first = await waitForSteps(page, 1, 120_000);
    expect(first.n).toBe(4096);
    expect(first.engineKind).toBe('gpu');
    const start = await hist(page);
    expect(start.budgetBytes).toBe(HISTORY_BUDGET_BYTES);
    expect(start.budgetBytes).toBeLessThanOrEqual(256 * MB);

    await setGuiNumber(page, 'Branches', 'history budget (MB)', '0.25');
    await expect.poll(async () => (await hist(page)).budgetBytes).toBe(MB / 4);
    // One snapshot: P × (n·d positions + H·d² weights) float32s.
    const P = first.replicas;
    const each = P * (4096 * 3 + 9) * 4;
    const fit = Math.floor(MB / 4 / each);
    // Poll until the run has made three times as many snapshots' worth of steps as fit.
    const seen = new Set<number>();
    let maxKept = 0;
    let h = await hist(page);
    const deadline = Date.now() + 500_000;
    while ((h.steps.at(-1) ?? 0) < 3 * fit || seen.size < 2 * fit) {
      expect(Date.now(), `steps kept ${h.steps.length}, newest ${h.steps.at(-1)}`).toBeLessThan(deadline);
      expect(h.bytesKept).toBeLessThanOrEqual(h.budgetBytes);
      expect(h.bytesKept).toBe(h.steps.length * each);
      maxKept = Math.max(maxKept, h.steps.length);
      for (const s of h.steps) seen.add(s);
      await page.waitForTimeout(200);
      h = await hist(page);
    }
    expect(h.bytesKept).toBeLessThanOrEqual(MB / 4);
    // Thinned: more steps were kept at some time than are kept now, and the history is full.
    expect(seen.size).toBeGreaterThan(h.steps.length);
    expect(maxKept).toBeLessThanOrEqual(fit);
    expect(h.steps.length).toBeGreaterThanOrEqual(fit - 1);
    const s = h.steps;
    expect(s[0]).toBe(0);
    // Geometric: the gaps grow with age, the oldest third's mean gap well above the newest third's.
    const gaps = s.slice(1).map((v, i) => v - s[i]!);
    const third = Math.floor(gaps.length / 3);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const old = mean(gaps.slice(0, third)),
      recent = mean(gaps.slice(-third));
    expect(old, `gaps ${gaps.join(' ')}`).toBeGreaterThan(2 * recent);
    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);
});
