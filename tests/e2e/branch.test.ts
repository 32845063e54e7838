/**
 * Branches in the browser (GPU engine): scrub back, change β: the branch's trace rows equal the
 * original's up to the branch step and differ after; the original is kept and drawn faint with
 * its label; the branch link reproduces the branch exactly in a new page.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { open, setGuiNumber, state, useApp, waitForSteps } from './app-page';
import { csvRows, hist, pause, togglePlay } from './run-csv';

useApp();

const branches = (page: Page) => page.evaluate(() => window.__playground!.branches());

const stepsAtLeast = (page: Page, k: number) =>
  page.waitForFunction((m) => window.__playground!.state().stepIndex >= m, k, { timeout: 120_000, polling: 200 });

describe('branches', () => {
  it('β changed after scrubbing back: equal rows up to the branch step, different after; the link reproduces it', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32&heads=2&spf=2');
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await waitForSteps(page, 40, 120_000);
    const stopped = await pause(page);
    const P = (await state(page)).replicas;
    const original = await csvRows(page);
    const h = await hist(page);
    const at = Math.max(...h.steps.filter((s) => s <= stopped / 2));
    expect(at).toBeGreaterThan(0);
    await page.locator('.timeline .tl-slider').fill(String(at));
    await expect.poll(async () => (await hist(page)).rewoundAt, { timeout: 30_000 }).toBe(at);

    await setGuiNumber(page, 'Attention', 'β', '3');
    await expect.poll(async () => (await branches(page)).live, { timeout: 30_000 }).toMatch(/^β 1 → 3 at t = /);
    await expect.poll(async () => (await branches(page)).faint).toEqual(['original']);
    expect((await branches(page)).kept).toEqual([{ label: 'original', visible: true }]);
    // The branch's engine is built from the rewound state (a new engine, its restore and the
    // trace worker's truncation: seen to take over 30 s in a clean CI run on a loaded 2-core host).
    await expect.poll(async () => (await hist(page)).rewoundAt, { timeout: 120_000 }).toBeNull();
    expect((await state(page)).stepIndex).toBe(at);

    await togglePlay(page);
    await stepsAtLeast(page, stopped + 4);
    await pause(page);
    const branch = await csvRows(page);
    const head = 1 + P * at;
    expect(branch.slice(0, head)).toEqual(original.slice(0, head));
    // Every row from the branch step on (all replicas) differs from the original's.
    for (let i = head; i < original.length; i++) expect(branch[i], `row ${i}`).not.toBe(original[i]);
    const step = (line: string) => Number(line.split(',')[1]);
    expect(step(branch[head]!)).toBe(at);

    // The branch link: the root scenario and the branch, rerun in a new page.
    await page.locator('.lil-title', { hasText: /^\s*Branches\s*$/ }).click();
    await page.locator('.lil-name', { hasText: /^copy branch link$/ }).click();
    await expect
      .poll(async () => (await branches(page)).link, { timeout: 30_000 })
      .toMatch(/\?s=z1\.[^&]+&b=\d+\.z1\./);
    const link = (await branches(page)).link;
    expect(link).toContain(`&b=${at}.`);
    // Export of both runs: one labelled column set each, equal before the branch time, different after.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.lil-name', { hasText: /^export runs CSV$/ }).click(),
    ]);
    const table = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\n');
    const header = table[0]!.match(/("([^"]|"")*"|[^,]+)/g)!;
    const liveE = header.findIndex((h) => /\(live\) \| energy"?$/.test(h));
    const origE = header.indexOf('original | energy');
    expect(liveE).toBeGreaterThan(0);
    expect(origE).toBeGreaterThan(liveE);
    const cells = table.slice(1).map((l) => l.split(','));
    const tb = at * 0.005;
    const before = cells.filter((c) => Number(c[0]) < tb - 1e-9 && c[origE] !== '');
    const later = cells.filter((c) => Number(c[0]) > tb + 1e-9 && c[origE] !== '' && c[liveE] !== '');
    expect(before.length).toBe(at);
    expect(later.length).toBeGreaterThan(2);
    for (const c of before) expect(c[liveE]).toBe(c[origE]);
    for (const c of later) expect(c[liveE]).not.toBe(c[origE]);

    const other = await open(link.slice(link.indexOf('?')));
    await expect.poll(async () => (await branches(other.page)).live, { timeout: 120_000 }).toMatch(/^β 1 → 3 at t = /);
    await stepsAtLeast(other.page, stopped + 4);
    const again = await csvRows(other.page);
    const common = Math.min(again.length, branch.length);
    expect(common).toBeGreaterThan(1 + P * (stopped + 2));
    expect(again.slice(0, common)).toEqual(branch.slice(0, common));
    expect(Object.keys((await state(other.page)).banners).filter((k) => k !== 'branch')).toEqual([]);
    expect(other.errors).toEqual([]);
    await other.context.close();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('two branches kept: switching to each shows that branch (its label, its trace rows as they were)', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32&heads=2&spf=2');
    await waitForSteps(page, 30, 120_000);
    const stopped = await pause(page);
    const P = (await state(page)).replicas;
    /** Rewinds to the kept step at or below `max`, sets β, plays to `until` and returns the label and rows. */
    const branchAt = async (max: number, beta: string, until: number) => {
      const at = Math.max(...(await hist(page)).steps.filter((s) => s <= max && s > 0));
      await page.locator('.timeline .tl-slider').fill(String(at));
      await expect.poll(async () => (await hist(page)).rewoundAt, { timeout: 30_000 }).toBe(at);
      await setGuiNumber(page, 'Attention', 'β', beta);
      await expect
        .poll(async () => (await branches(page)).live, { timeout: 30_000 })
        .toMatch(new RegExp(`→ ${beta} at t = `));
      await expect.poll(async () => (await hist(page)).rewoundAt, { timeout: 120_000 }).toBeNull();
      await togglePlay(page);
      await stepsAtLeast(page, until);
      await pause(page);
      return { at, label: (await branches(page)).live, rows: await csvRows(page) };
    };
    const a = await branchAt(stopped / 3, '3', stopped + 4);
    const b = await branchAt((2 * stopped) / 3, '5', stopped + 8);
    expect(b.at).toBeGreaterThan(a.at);
    expect((await branches(page)).kept.map((k) => k.label)).toEqual(['original', a.label]);
    // B came from A: equal up to B's step, different after.
    expect(b.rows.slice(0, 1 + P * b.at)).toEqual(a.rows.slice(0, 1 + P * b.at));
    expect(b.rows[1 + P * b.at]).not.toBe(a.rows[1 + P * b.at]);

    const switchTo = async (run: { at: number; label: string; rows: string[] }, others: string[]) => {
      await page.locator('.lil-title', { hasText: /^\s*Branches\s*$/ }).click();
      await page.locator('.lil-name', { hasText: `switch to: ${run.label}` }).click();
      await expect.poll(async () => (await branches(page)).live, { timeout: 120_000 }).toBe(run.label);
      // Rerun to its branch step, paused there; the others kept and drawn faint.
      await expect.poll(async () => (await state(page)).stepIndex, { timeout: 60_000 }).toBe(run.at);
      expect((await state(page)).playing).toBe(false);
      expect((await branches(page)).kept.map((k) => k.label)).toEqual(others);
      await expect.poll(async () => (await branches(page)).faint).toEqual(others);
      const steps = (run.rows.length - 1) / P;
      await togglePlay(page);
      await expect
        .poll(
          async () => {
            const s = await state(page);
            return s.stepIndex >= steps || { stepIndex: s.stepIndex, playing: s.playing, banners: s.banners };
          },
          { timeout: 240_000, interval: 500 },
        )
        .toBe(true);
      await pause(page);
      const rows = await csvRows(page);
      expect(rows.length).toBeGreaterThanOrEqual(run.rows.length);
      expect(rows.slice(0, run.rows.length), run.label).toEqual(run.rows);
      await page.locator('.lil-title', { hasText: /^\s*Branches\s*$/ }).click();
    };
    // To A (B is kept in its place), then back to B (A kept again).
    await switchTo(a, ['original', b.label]);
    await switchTo(b, ['original', a.label]);
    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);
});
