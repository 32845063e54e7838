/**
 * Lessons (issue #14) in Chromium: a 4-step lesson file plays with → and ←, each step's state
 * (n, H, schedule, shown plots, narration) as written; a malformed lesson names the field and
 * changes nothing; the built-in lessons play to the end without errors. Small n throughout.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LessonHookState } from '../../src/app/lesson-player';
import { banner, open, state, useApp, waitForSteps } from './app-page';

useApp();

const FOUR = {
  lesson: 1,
  title: 'Four steps',
  steps: [
    {
      preset: 'clustering-beta1',
      set: { n: 24 },
      run: 'pause',
      plots: ['energy'],
      narration: 'One head, <b>x</b> and $\\beta = 1$: *one* cluster.',
    },
    { set: { beta: 9 }, run: { until: 0.5 }, narration: 'Raise $\\beta$.' },
    { set: { heads: 3, driftKind: 'ou', noiseVariance: 1 }, plots: ['energy', 'rates'], narration: 'OU weights.' },
    { set: { n: 40, heads: 2 }, plots: ['structure', 'energy', 'rates'], narration: 'More tokens.' },
  ],
};
/** Each step's state as the lesson writes it: n, H, β, the schedule, the plots. */
const EXPECTED = [
  { n: 24, heads: 1, beta: 1, drift: 'frozen', plots: ['energy'] },
  { n: 24, heads: 1, beta: 9, drift: 'frozen', plots: ['energy'] },
  { n: 24, heads: 3, beta: 9, drift: 'ou', plots: ['energy', 'rates'] },
  { n: 40, heads: 2, beta: 9, drift: 'ou', plots: ['structure', 'energy', 'rates'] },
];

const lesson = (page: Page): Promise<LessonHookState> => page.evaluate(() => window.__playground!.lesson());

/** Waits until step k is shown and its run is built, then checks the state against EXPECTED[k]. */
async function expectStep(page: Page, k: number): Promise<void> {
  const want = EXPECTED[k]!;
  await expect
    .poll(
      async () => {
        const l = await lesson(page);
        const s = await state(page);
        const r = l.running;
        return (
          l.index === k &&
          !s.building &&
          r !== undefined &&
          s.n === want.n &&
          s.heads === want.heads &&
          r.beta === want.beta &&
          r.drift === want.drift
        );
      },
      { timeout: 60_000, interval: 200 },
    )
    .toBe(true);
  const l = await lesson(page);
  expect(l.count).toBe(4);
  expect(l.plots).toEqual(want.plots);
  expect(await page.locator('.lesson-count').textContent()).toBe(`${k + 1} / 4`);
  const width = await page.locator('.lesson-bar-fill').evaluate((e) => (e as HTMLElement).style.width);
  expect(parseFloat(width)).toBeCloseTo((100 * (k + 1)) / 4, 5);
  // The presenter draws exactly the plots the step chose.
  await expect
    .poll(() => page.locator('.presenter-plots .tp-title').count(), { timeout: 20_000 })
    .toBe(want.plots.length);
}

async function importLesson(page: Page, name: string, text: string): Promise<void> {
  await page.locator('#lesson-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

describe('lessons', () => {
  it('a 4-step lesson file plays with → and ←; a malformed one names the field and changes nothing', async () => {
    const { page, context, errors } = await open('?preset=clustering-beta1&n=32');
    await waitForSteps(page, 3);
    await importLesson(page, 'four.json', JSON.stringify(FOUR));
    await expect.poll(() => page.locator('.presenter-panel').isVisible()).toBe(true);
    await expectStep(page, 0);
    // Step 0 stays paused at t = 0, as written.
    expect((await state(page)).playing).toBe(false);
    expect((await state(page)).stepIndex).toBe(0);
    // Narration: HTML is text, emphasis an <em>, TeX typeset by KaTeX.
    const narration = page.locator('.lesson-narration');
    await expect.poll(() => narration.locator('.katex').count(), { timeout: 20_000 }).toBe(1);
    expect(await narration.textContent()).toContain('<b>x</b>');
    expect(await narration.locator('b').count()).toBe(0);
    expect(await narration.locator('em').textContent()).toBe('one');

    await page.keyboard.press('ArrowRight');
    await expectStep(page, 1);
    // run.until 0.5: plays, then pauses near t = 0.5.
    await expect.poll(async () => (await state(page)).playing, { timeout: 60_000 }).toBe(false);
    const paused = await state(page);
    expect(paused.time).toBeGreaterThanOrEqual(0.5 - 1e-9);
    expect(paused.time).toBeLessThan(1.5);
    await page.keyboard.press('ArrowRight');
    await expectStep(page, 2);
    expect(await narration.textContent()).toBe('OU weights.');
    await page.keyboard.press('ArrowRight');
    await expectStep(page, 3);
    // → at the last step stays there.
    await page.keyboard.press('ArrowRight');
    expect((await lesson(page)).index).toBe(3);

    // ← re-applies each earlier step whole, back to the first.
    await page.keyboard.press('ArrowLeft');
    await expectStep(page, 2);
    await page.keyboard.press('ArrowLeft');
    await expectStep(page, 1);
    await page.keyboard.press('ArrowLeft');
    await expectStep(page, 0);
    expect((await state(page)).stepIndex).toBe(0);
    // The on-screen buttons (touch) do the same as the keys.
    await page
      .locator('.lesson-next')
      .tap()
      .catch(() => page.locator('.lesson-next').click());
    await expectStep(page, 1);
    const applied = (await lesson(page)).applied;
    await page.locator('.lesson-replay').click();
    await expectStep(page, 1);
    // A replay applies the step again (its state as written, the run from t = 0).
    expect((await lesson(page)).applied).toBe(applied + 1);

    // A malformed lesson: the banner names the field; the open lesson, its step and the run stay.
    const before = await lesson(page);
    const beforeRun = await state(page);
    const bad = structuredClone(FOUR) as { steps: Record<string, unknown>[] };
    bad.steps[2]!.narration = 5;
    await importLesson(page, 'bad.json', JSON.stringify(bad));
    await expect.poll(banner(page, 'lesson'), { timeout: 20_000 }).toContain('steps[2].narration');
    const after = await lesson(page);
    expect(after).toEqual(before);
    const afterRun = await state(page);
    expect([afterRun.n, afterRun.heads]).toEqual([beforeRun.n, beforeRun.heads]);
    await importLesson(page, 'bad.json', '{"lesson": 1, "title": "x", "steps": [{"preset": "layers", "sett": {}}]}');
    await expect.poll(banner(page, 'lesson'), { timeout: 20_000 }).toContain('steps[0].sett');
    expect((await lesson(page)).applied).toBe(before.applied);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a lesson link is validated on load: a good one plays, a malformed one names the field', async () => {
    const { page, context, errors } = await open('?preset=clustering-beta1&n=32');
    await waitForSteps(page, 2);
    await importLesson(page, 'four.json', JSON.stringify(FOUR));
    await expectStep(page, 0);
    await page.evaluate(() => {
      const b = [...document.querySelectorAll('.lil-controller')].find((e) =>
        e.querySelector('.lil-name')?.textContent?.startsWith('copy lesson link'),
      );
      b?.querySelector('button')?.click();
    });
    await expect
      .poll(() => page.evaluate(() => window.__playground!.lessonLink()), { timeout: 20_000 })
      .toMatch(/\?lesson=z1\.[A-Za-z0-9_-]+$/);
    const link = await page.evaluate(() => window.__playground!.lessonLink());
    await context.close();

    const shared = await open(new URL(link).search);
    await expectStep(shared.page, 0);
    await shared.page.keyboard.press('ArrowRight');
    await expectStep(shared.page, 1);
    expect(shared.errors).toEqual([]);
    await shared.context.close();

    const broken = await open('?lesson=z1.AAAA&n=32&preset=clustering-beta1');
    await expect.poll(banner(broken.page, 'lesson'), { timeout: 20_000 }).toContain('field "url"');
    expect((await lesson(broken.page)).open).toBe(false);
    expect((await state(broken.page)).n).toBe(32);
    await broken.context.close();
    expect(errors).toEqual([]);
  });

  it('the built-in lessons play to the end without errors', async () => {
    for (const id of ['clustering', 'heads', 'stability']) {
      const { page, context, errors } = await open(`?lesson=${id}`);
      await expect.poll(async () => (await lesson(page)).count, { timeout: 60_000 }).toBeGreaterThan(0);
      const count = (await lesson(page)).count;
      for (let k = 0; k < count; k++) {
        if (k > 0) await page.keyboard.press('ArrowRight');
        await expect
          .poll(async () => (await lesson(page)).index === k && !(await state(page)).building, { timeout: 90_000 })
          .toBe(true);
        await page.waitForFunction(() => (window.__playground?.state().frames ?? 0) > 0);
      }
      const s = await state(page);
      expect(s.banners).toEqual({});
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
