/**
 * Exploring across runs in Firefox ESR (WebGPU on SwiftShader): scrub the timeline back and play
 * on — the replayed trace rows equal the original's exactly; change β there — the branch's rows
 * equal the original's up to the branch step and differ after; variants H = 1 / 3 — each
 * variant's rows equal a separate single run of that setting. Small n, one browser launch.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import type { HistoryHookState } from '../../src/app/test-hook';
import {
  ffClickGui,
  ffSetGuiNumber,
  ffState,
  ffWaitForSteps,
  type FirefoxPage,
  openFirefox,
  useFirefox,
} from './firefox-page';

const app = useFirefox();

const open = (query: string): Promise<FirefoxPage> => openFirefox(app.firefox().browser, `${app.url()}${query}`);

const hist = (page: Page): Promise<HistoryHookState> => page.evaluate(() => window.__playground!.history());

/** The trace CSV export (every step and replica) as rows; variant i's with `i`. */
const rows = async (page: Page, i?: number): Promise<string[]> =>
  (
    await page.evaluate(
      (k?: number) => (k === undefined ? window.__playground!.traceCsv() : window.__playground!.variantCsv(k)),
      i,
    )
  )
    .trimEnd()
    .split('\n');

/** Space (play/pause) with no form field focused. */
async function togglePlay(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(' ');
}

/** Pauses and waits until the step count stops moving; returns it. */
async function pause(page: Page): Promise<number> {
  await togglePlay(page);
  await page.waitForFunction(() => !window.__playground!.state().playing, { polling: 100, timeout: 30_000 });
  let last = -1;
  for (;;) {
    const s = (await ffState(page)).stepIndex;
    if (s === last) return s;
    last = s;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Moves the timeline's slider to `step` (input, then change: what a drag ends with). */
async function scrub(page: Page, step: number): Promise<void> {
  await page.$eval(
    '.timeline .tl-slider',
    (el, v) => {
      const s = el as HTMLInputElement;
      s.value = String(v);
      s.dispatchEvent(new Event('input', { bubbles: true }));
      s.dispatchEvent(new Event('change', { bubbles: true }));
    },
    step,
  );
}

/** Polls `read` every 200 ms until it returns `want` (compared as JSON) or `timeout` ms pass. */
async function until<T>(read: () => Promise<T>, want: T, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  let got: T = await read();
  while (JSON.stringify(got) !== JSON.stringify(want)) {
    if (Date.now() > end) expect(got).toEqual(want);
    await new Promise((r) => setTimeout(r, 200));
    got = await read();
  }
}

/** Clicks the title of the top-level GUI folder `name` (the nested variants folder is inside Compare's). */
async function openFolder(page: Page, name: string): Promise<void> {
  const title = await page.evaluateHandle((n: string) => {
    const t = [...document.querySelectorAll('.lil-title')].find((el) => el.textContent?.trim() === n);
    if (!t) throw new Error(`no GUI folder "${n}"`);
    (t as HTMLElement).scrollIntoView({ block: 'center' });
    return t as HTMLElement;
  }, name);
  // Open it only if it is closed (a click on an open folder would close it).
  if (await title.evaluate((t) => t.parentElement!.classList.contains('lil-closed'))) await title.click();
  await title.dispose();
}

const stepsAtLeast = (page: Page, k: number) =>
  page.waitForFunction(
    (m: number) => window.__playground!.state().stepIndex >= m,
    { timeout: 120_000, polling: 200 },
    k,
  );

describe('Firefox ESR: timeline, branches, variants', () => {
  it('scrub back + play replays the rows exactly; a β branch equals the original up to the branch step, differs after', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32&heads=2&spf=2');
    expect((await ffWaitForSteps(page, 36, 120_000)).engineKind).toBe('gpu');
    const stopped = await pause(page);
    const P = (await ffState(page)).replicas;
    const original = await rows(page);
    expect(original.length).toBe(1 + P * stopped);

    // Rewind to the kept snapshot at or before a third of the way, then replay past the end.
    const h = await hist(page);
    const back = Math.max(...h.steps.filter((s) => s <= stopped / 3));
    await scrub(page, back);
    await until(async () => (await hist(page)).rewoundAt, back);
    expect((await ffState(page)).stepIndex).toBe(back);
    await togglePlay(page);
    await stepsAtLeast(page, stopped + 6);
    const replayed = await pause(page);
    const replay = await rows(page);
    expect(replay.length).toBe(1 + P * replayed);
    expect(replay.slice(0, original.length)).toEqual(original);

    // Branch: rewind to half way, change β; the branch starts from that state.
    const at = Math.max(...(await hist(page)).steps.filter((s) => s <= replayed / 2 && s > 0));
    await scrub(page, at);
    await until(async () => (await hist(page)).rewoundAt, at);
    await ffSetGuiNumber(page, 'Attention', 'β', '3');
    await until(
      async () => /^β 1 → 3 at t = /.test((await page.evaluate(() => window.__playground!.branches())).live),
      true,
    );
    await until(async () => (await hist(page)).rewoundAt, null);
    expect((await ffState(page)).stepIndex).toBe(at);
    await togglePlay(page);
    await stepsAtLeast(page, replayed + 4);
    await pause(page);
    const branch = await rows(page);
    const head = 1 + P * at;
    expect(branch.slice(0, head)).toEqual(replay.slice(0, head));
    for (let i = head; i < replay.length; i++) expect(branch[i], `row ${i}`).not.toBe(replay[i]);
    expect((await page.evaluate(() => window.__playground!.branches())).faint).toEqual(['original']);
    expect(errors).toEqual([]);
    await context.close();
  }, 400_000);

  it('variants H = 1 / 3: each equals a separate single run of that setting', async () => {
    const QUERY = '?preset=s2-oscillating&n=32&spf=2';
    const { page, context, errors } = await open(QUERY);
    await ffWaitForSteps(page, 3);
    await openFolder(page, 'Compare (perturbed copies)');
    await ffSetGuiNumber(page, 'variants (side by side)', 'values (2–4)', '1, 3');
    await ffClickGui(page, 'variants (side by side)', 'run variants');
    await until(async () => (await page.evaluate(() => window.__playground!.variants())).labels, ['H = 1', 'H = 3']);
    await page.waitForFunction(() => Math.min(...window.__playground!.variants().steps) >= 24, {
      timeout: 120_000,
      polling: 200,
    });
    for (const [i, H] of [1, 3].entries()) {
      const mine = await rows(page, i);
      const single = await open(`${QUERY}&heads=${H}`);
      await ffWaitForSteps(single.page, 24, 120_000);
      const theirs = await rows(single.page);
      const common = Math.min(mine.length, theirs.length);
      expect(common).toBeGreaterThan(24);
      expect(mine.slice(0, common), `H = ${H}`).toEqual(theirs.slice(0, common));
      expect(single.errors).toEqual([]);
      await single.context.close();
    }
    const [a, b] = [await rows(page, 0), await rows(page, 1)];
    expect(a[10]).not.toBe(b[10]);
    expect(errors).toEqual([]);
    await context.close();
  }, 400_000);
});
