/**
 * The CPU fallback's rows on several Web Workers, in headless Chromium (navigator.gpu removed):
 * 2 threads give exactly the trace of 1 thread — with shared memory where the page is
 * cross-origin isolated (the preview server sends COOP/COEP) and with transferred copies where it
 * is not (a static server that sends no headers, as GitHub Pages).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtApp, type Served, serveStatic } from './browser';
import { open, state, useApp } from './app-page';
import { csvRows } from './run-csv';

useApp();

let plain: Served | undefined;
beforeAll(async () => {
  plain = await serveStatic(await builtApp());
});
afterAll(async () => {
  await plain?.close();
});

/** n²·H = 262,144 pair-heads per evaluation: past the kernel's crossover, so the rows are split. */
const QUERY = '?preset=one-vs-many&n=256&heads=4&play=0';
const STEPS = 6;

/** Steps the paused run STEPS times (→) and returns its label, whether the page is isolated, and its CSV rows. */
async function run(threads: number, base?: string): Promise<{ label: string; isolated: boolean; rows: string[] }> {
  const { page, context, errors } = await open(`${QUERY}&threads=${threads}`, { noWebGpu: true, base });
  try {
    await page.waitForFunction(() => window.__playground!.state().engineKind === 'cpu', undefined, { timeout: 60_000 });
    for (let k = 1; k <= STEPS; k++) {
      await stepOnce(page);
      await page.waitForFunction((s) => window.__playground!.state().stepIndex >= s, k, { timeout: 60_000 });
    }
    const rows = await csvRowsAt(page, STEPS);
    const isolated = await page.evaluate(() => crossOriginIsolated);
    expect(errors).toEqual([]);
    return { label: (await state(page)).engineLabel, isolated, rows };
  } finally {
    await context.close();
  }
}

async function stepOnce(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('ArrowRight');
}

/** The CSV once it holds the rows of steps 0 … steps − 1 (the trace worker receives them after the step). */
async function csvRowsAt(page: Page, steps: number): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await csvRows(page);
    if (rows.length >= steps + 1 || Date.now() > deadline) return rows;
    await page.waitForTimeout(200);
  }
}

describe('CPU fallback on several workers', () => {
  it('cross-origin isolated: 2 threads on shared memory give the 1-thread trace exactly', async () => {
    const one = await run(1);
    const two = await run(2);
    expect(one.isolated).toBe(true);
    expect(one.label).toMatch(/1 thread\)/);
    expect(two.label).toMatch(/2 threads, shared memory/);
    expect(one.rows.length).toBeGreaterThanOrEqual(STEPS + 1);
    expect(two.rows).toEqual(one.rows);
  }, 240_000);

  it('not isolated (no COOP/COEP): 2 threads by transferred copies give the 1-thread trace exactly', async () => {
    const one = await run(1, plain!.url);
    const two = await run(2, plain!.url);
    expect(two.isolated).toBe(false);
    expect(two.label).toMatch(/2 threads, transferred copies/);
    expect(one.rows.length).toBeGreaterThanOrEqual(STEPS + 1);
    expect(two.rows).toEqual(one.rows);
  }, 240_000);
});
