/**
 * Tokens moved by hand (issue #14), Chromium: in edit mode (key e, paused) dragging a token moves
 * that token (the hook's positions follow the pointer onto the sphere) and the run continues from
 * there at the same step; a tap on a token removes it (n − 1) and u undoes that; a link made
 * after an edit starts from the edited tokens.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { open, state, useApp, waitForSteps } from './app-page';
import { dist, edit, expectOnlyMoved, onScreen, positions, row } from './token-page';

useApp();

/** Waits until the paused run's last steps have landed and been read back (positions unchanged for 600 ms). */
async function settled(page: Page) {
  await expect.poll(async () => (await state(page)).playing).toBe(false);
  let last = '';
  await expect
    .poll(
      async () => {
        const now = JSON.stringify([(await state(page)).stepIndex, await positions(page)]);
        const same = now === last;
        last = now;
        return same;
      },
      { timeout: 30_000, interval: 600 },
    )
    .toBe(true);
  return state(page);
}

/** A token facing the camera, near the middle of the sphere's disc (so a drag stays on the sphere). */
async function frontToken(page: Page, n: number, avoid = -1): Promise<number> {
  const c = await page.locator('#view canvas').boundingBox();
  let best = -1,
    bestD = Infinity;
  for (let i = 0; i < n; i++) {
    const p = await onScreen(page, i);
    if (!p?.front || i === avoid) continue;
    const d = Math.hypot(p.x - (c!.x + c!.width * 0.4), p.y - (c!.y + c!.height / 2));
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  expect(best).toBeGreaterThanOrEqual(0);
  return best;
}

/** Drags a front token by (70, −50) px in edit mode; checks it follows the pointer and nothing else moved. */
async function dragOne(page: Page): Promise<{ i: number; x0: number[]; x1: number[]; step: number }> {
  const s0 = await settled(page);
  const x0 = await positions(page);
  const n = s0.n;
  const i = await frontToken(page, n);
  const from = (await onScreen(page, i))!;
  const to = { x: from.x + 70, y: from.y - 50 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(from.x + (70 * k) / 8, from.y - (50 * k) / 8);
  await page.mouse.up();
  // That token is now under the pointer, and only it moved.
  const x1 = await expectOnlyMoved(page, i, to, x0, n);
  expect(dist(row(x1, i), row(x0, i))).toBeGreaterThan(0.1);
  const s1 = await state(page);
  expect(s1.stepIndex).toBe(s0.stepIndex);
  expect(s1.n).toBe(n);
  return { i, x0, x1, step: s1.stepIndex };
}

describe('editing tokens by hand', () => {
  it('a dragged token moves and the run continues from there; a tap removes one, u undoes, a link keeps the edit', async () => {
    const { page, context, errors } = await open('?preset=clustering-beta1&n=24');
    await waitForSteps(page, 5);
    await page.keyboard.press(' ');
    await expect.poll(async () => (await state(page)).playing).toBe(false);
    await page.keyboard.press('e');
    expect((await edit(page)).active).toBe(true);
    const { i, x0, x1, step } = await dragOne(page);
    const s1 = { stepIndex: step };

    // The run continues from the edited state: later steps, token i near where it was dropped.
    await page.keyboard.press('e');
    await page.keyboard.press(' ');
    await waitForSteps(page, s1.stepIndex + 3);
    await page.keyboard.press(' ');
    const s2 = await settled(page);
    const x2 = await positions(page);
    expect(s2.stepIndex).toBeGreaterThan(s1.stepIndex);
    expect(dist(row(x2, i), row(x1, i))).toBeLessThan(0.02 * (s2.stepIndex - s1.stepIndex) + 1e-3);
    expect(dist(row(x2, i), row(x0, i))).toBeGreaterThan(0.05);

    // A tap on a token removes it; u undoes the removal.
    await page.keyboard.press('e');
    const j = await frontToken(page, 24);
    const pj = (await onScreen(page, j))!;
    await page.mouse.click(pj.x, pj.y);
    await expect.poll(async () => (await state(page)).n, { timeout: 30_000 }).toBe(23);
    await expect.poll(async () => (await positions(page)).length, { timeout: 30_000 }).toBe(69);
    const removed = await positions(page);
    // The others are where they were, in order, token j left out.
    const kept = [...x2.slice(0, 3 * j), ...x2.slice(3 * j + 3)];
    for (let k = 0; k < 69; k++) expect(removed[k]).toBeCloseTo(kept[k]!, 5);
    // A link now carries the 23 edited tokens.
    await page.evaluate(() => {
      const b = [...document.querySelectorAll('.lil-controller')].find(
        (e) => e.querySelector('.lil-name')?.textContent === 'copy link',
      );
      b?.querySelector('button')?.click();
    });
    await expect
      .poll(() => page.evaluate(() => window.__playground!.shareLink()), { timeout: 20_000 })
      .toMatch(/\?s=z1\./);
    const link = await page.evaluate(() => window.__playground!.shareLink());
    await page.keyboard.press('u');
    await expect.poll(async () => (await state(page)).n, { timeout: 30_000 }).toBe(24);
    expect(errors).toEqual([]);
    await context.close();

    const shared = await open(`${new URL(link).search}&play=0`);
    await expect.poll(async () => (await state(shared.page)).n, { timeout: 30_000 }).toBe(23);
    await expect.poll(async () => (await positions(shared.page)).length, { timeout: 30_000 }).toBe(69);
    const y = await positions(shared.page);
    for (let k = 0; k < 69; k++) expect(y[k]).toBeCloseTo(removed[k]!, 5);
    expect(shared.errors).toEqual([]);
    await shared.context.close();
  });

  it('the CPU engine (no WebGPU) takes the same drag and continues from it', async () => {
    const { page, context, errors } = await open('?preset=clustering-beta1&n=16', { noWebGpu: true });
    await waitForSteps(page, 5);
    expect((await state(page)).engineKind).toBe('cpu');
    await page.keyboard.press(' ');
    await page.keyboard.press('e');
    const { i, x1, step } = await dragOne(page);
    await page.keyboard.press('e');
    await page.keyboard.press(' ');
    await waitForSteps(page, step + 3);
    await page.keyboard.press(' ');
    const s2 = await settled(page);
    const x2 = await positions(page);
    expect(dist(row(x2, i), row(x1, i))).toBeLessThan(0.02 * (s2.stepIndex - step) + 1e-3);
    expect(errors).toEqual([]);
    await context.close();
  });
});
