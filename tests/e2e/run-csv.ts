/**
 * Helpers for the e2e tests that pause a run and compare its trace rows (rewind, branch): the
 * timeline history, the CSV export as rows, play/pause by the space key.
 */
import type { Page } from 'playwright-core';
import { state } from './app-page';

/** The timeline's history (kept snapshots, rewound step, plot marker). */
export const hist = (page: Page) => page.evaluate(() => window.__playground!.history());

/** The trace CSV export, split into rows. */
export const csvRows = async (page: Page): Promise<string[]> =>
  (await page.evaluate(() => window.__playground!.traceCsv())).trimEnd().split('\n');

/** Presses space (play/pause) with no form field focused. */
export async function togglePlay(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(' ');
}

/** Pauses and waits until the step count stops moving; returns it. */
export async function pause(page: Page): Promise<number> {
  await togglePlay(page);
  await page.waitForFunction(() => !window.__playground!.state().playing);
  let last = -1;
  for (;;) {
    const s = (await state(page)).stepIndex;
    if (s === last) return s;
    last = s;
    await page.waitForTimeout(300);
  }
}
