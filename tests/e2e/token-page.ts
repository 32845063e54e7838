/** Reading the tokens of a page through the test hook, for the tokens-by-hand tests. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const positions = (page: Page): Promise<number[]> => page.evaluate(() => window.__playground!.positions());
export const onScreen = (page: Page, i: number) => page.evaluate((k) => window.__playground!.tokenOnScreen(k), i);
export const edit = (page: Page) => page.evaluate(() => window.__playground!.tokenEdit());
export const row = (x: number[], i: number): number[] => x.slice(3 * i, 3 * i + 3);
export const dist = (a: number[], b: number[]): number => Math.hypot(...a.map((v, k) => v - b[k]!));

/**
 * After one drag edit: token i ends under `to` (once the last restore is read back), it moved
 * from `x0`, and no other of the n tokens did. Returns the positions after.
 */
export async function expectOnlyMoved(
  page: Page,
  i: number,
  to: { x: number; y: number },
  x0: number[],
  n: number,
): Promise<number[]> {
  await expect.poll(async () => (await edit(page)).edits, { timeout: 20_000 }).toBe(1);
  await expect
    .poll(
      async () => {
        const p = (await onScreen(page, i))!;
        return Math.hypot(p.x - to.x, p.y - to.y);
      },
      { timeout: 20_000 },
    )
    .toBeLessThan(4);
  const x1 = await positions(page);
  expect(dist(row(x1, i), row(x0, i))).toBeGreaterThan(0.05);
  for (let j = 0; j < n; j++) if (j !== i) expect(dist(row(x1, j), row(x0, j))).toBeLessThan(1e-6);
  return x1;
}
