/**
 * The built-in lessons in Firefox ESR (tests/e2e/firefox.ts): each opens from its link, plays
 * every step with → (the run of each step built, the strip showing its count) and ends without
 * console errors or banners. One browser launch, one page per lesson.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { LessonHookState } from '../../src/app/lesson-player';
import { ffState, openFirefox, useFirefox } from './firefox-page';

const app = useFirefox();

const lesson = (page: Page): Promise<LessonHookState> => page.evaluate(() => window.__playground!.lesson());

describe('Firefox ESR: built-in lessons', () => {
  it('each built-in lesson plays to its last step without errors', async () => {
    for (const id of ['clustering', 'heads', 'stability']) {
      const { page, context, errors } = await openFirefox(app.firefox().browser, `${app.url()}?lesson=${id}`);
      await page.waitForFunction(() => (window.__playground?.lesson().count ?? 0) > 0, {
        timeout: 60_000,
        polling: 200,
      });
      const count = (await lesson(page)).count;
      for (let k = 0; k < count; k++) {
        if (k > 0) await page.keyboard.press('ArrowRight');
        await page.waitForFunction(
          (i: number) => {
            const h = window.__playground!;
            return h.lesson().index === i && !h.state().building && h.lesson().running !== undefined;
          },
          { timeout: 120_000, polling: 250 },
          k,
        );
        const text = await page.$eval('.lesson-count', (e) => e.textContent);
        expect(text).toBe(`${k + 1} / ${count}`);
      }
      expect((await lesson(page)).index).toBe(count - 1);
      expect((await ffState(page)).banners).toEqual({});
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
