/**
 * A touch screen (a tablet at the lectern), Chromium with touch events: the lesson strip's
 * buttons step a lesson when tapped, and in edit mode a finger drags a token (touch events, not a
 * mouse) to where it is lifted, the rest staying put.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { open, state, useApp, waitForSteps } from './app-page';
import { expectOnlyMoved, onScreen, positions } from './token-page';

useApp();

const lessonIndex = (page: Page) => page.evaluate(() => window.__playground!.lesson().index);

/** Taps the centre of `selector` with a touch (not a click). */
async function tap(page: Page, selector: string): Promise<void> {
  const box = (await page.locator(selector).first().boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
}

describe('touch', () => {
  it('tapping the lesson buttons steps the lesson', async () => {
    const { page, context, errors } = await open('?lesson=clustering', { touch: true });
    await expect.poll(() => lessonIndex(page), { timeout: 60_000 }).toBe(0);
    await tap(page, '.lesson-next');
    await expect.poll(() => lessonIndex(page), { timeout: 30_000 }).toBe(1);
    await tap(page, '.lesson-prev');
    await expect.poll(() => lessonIndex(page), { timeout: 30_000 }).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a finger drags a token in edit mode', async () => {
    const { page, context, errors } = await open('?preset=clustering-beta1&n=24', { touch: true });
    await waitForSteps(page, 5);
    await page.keyboard.press(' ');
    await expect.poll(async () => (await state(page)).playing).toBe(false);
    // Edit mode from the panel's button, tapped.
    const button = page
      .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: /^edit tokens by hand/ }) })
      .locator('button');
    const b = (await button.boundingBox())!;
    await page.touchscreen.tap(b.x + b.width / 2, b.y + b.height / 2);
    await expect.poll(() => page.evaluate(() => window.__playground!.tokenEdit().active)).toBe(true);
    // Wait for the paused state to be read back, then pick a token facing the camera.
    await page.waitForTimeout(1000);
    const x0 = await positions(page);
    // A front token with no other token near it on screen, so the finger picks that one.
    const shown = await Promise.all(Array.from({ length: 24 }, (_, k) => onScreen(page, k)));
    let i = -1,
      room = 0;
    shown.forEach((p, k) => {
      if (!p?.front) return;
      const near = Math.min(...shown.map((q, m) => (m === k || !q ? Infinity : Math.hypot(q.x - p.x, q.y - p.y))));
      if (near > room) {
        room = near;
        i = k;
      }
    });
    expect(room, 'a front token clear of the others').toBeGreaterThan(12);
    const from = (await onScreen(page, i))!;
    const to = { x: from.x + 40, y: from.y + 30 };
    // Touch events straight from the browser's input layer (no mouse involved).
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x, y, radiusX: 4, radiusY: 4, force: 1, id: 1 }],
      });
    await touch('touchStart', from.x, from.y);
    for (let k = 1; k <= 8; k++) await touch('touchMove', from.x + (40 * k) / 8, from.y + (30 * k) / 8);
    await touch('touchEnd', to.x, to.y);
    await expectOnlyMoved(page, i, to, x0, 24);
    expect(errors).toEqual([]);
    await context.close();
  });
});
