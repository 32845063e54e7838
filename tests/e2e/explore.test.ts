/**
 * Exploring schedules live (issue #5): the matrix editor changes the running engine's weight
 * schedule without a restart. Driven as a user would (GUI button, typing into the grid, Enter);
 * read back through the test hook's head axes (the eigenvectors of D_h the view draws).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { open, setGuiOption, state, useApp, waitForSteps } from './app-page';

useApp();

type Axes = { values: number[]; vectors: number[][] }[];
const axes = (page: Page): Promise<Axes> => page.evaluate(() => window.__playground!.headAxes());
const entry = (page: Page, i: number, j: number) =>
  page.locator(`.matrix-editor input.me-entry[data-i="${i}"][data-j="${j}"]`);

async function openEditor(page: Page): Promise<void> {
  await page
    .locator('.lil-title', { hasText: /^\s*Weights D_h\(t\)\s*$/ })
    .first()
    .click();
  const button = page
    .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: /^edit matrices…$/ }) })
    .locator('button');
  await button.scrollIntoViewIfNeeded();
  await button.click();
  await expect.poll(() => page.locator('.matrix-editor').isVisible()).toBe(true);
}

async function type(page: Page, i: number, j: number, text: string): Promise<void> {
  const input = entry(page, i, j);
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

describe('matrix editor', () => {
  it.each([
    ['GPU', false],
    ['CPU fallback', true],
  ] as const)(
    '%s engine: an edit of the active layer turns the head axis while the run goes on (layers preset)',
    async (_name, noWebGpu) => {
      const { page, context, errors } = await open('?preset=layers&n=64&spf=1', { noWebGpu });
      const first = await waitForSteps(page, 5);
      expect(first.engineKind).toBe(noWebGpu ? 'cpu' : 'gpu');
      await openEditor(page);
      // Keep layer 1 active for the whole test: a live edit of the layer duration.
      const duration = page.locator('.matrix-editor input[name="layer-duration"]');
      await duration.fill('1000');
      await duration.press('Enter');
      await expect.poll(() => page.locator('.matrix-editor .me-message').textContent()).toMatch(/Δ = 1000 applied/);
      await expect.poll(() => page.locator('.matrix-editor .me-active').textContent()).toBe('this layer holds now');

      const [before, other] = (await axes(page)) as [Axes[number], Axes[number]];
      expect(before.values[0]).toBeCloseTo(2, 4);
      expect(Math.abs(before.vectors[0]![0]!)).toBeCloseTo(1, 4);
      const atEdit = (await state(page)).stepIndex;

      // Entry (1, 2) of layer 1, head 1: diag(2, 0.5, −1) → [[2, 3, 0], [3, 0.5, 0], [0, 0, −1]].
      await type(page, 0, 1, '3');
      expect(await entry(page, 1, 0).inputValue()).toBe('3');
      await page.waitForFunction(
        () => {
          const a = window.__playground!.headAxes()[0];
          return a !== undefined && a.values[0]! > 4;
        },
        undefined,
        { timeout: 30_000, polling: 100 },
      );
      const after = (await axes(page))[0]!;
      // λ_max = (2.5 + √38.25)/2 ≈ 4.342 along ≈ (0.789, 0.615, 0): the axis turns by ≈ 38°.
      expect(after.values[0]).toBeCloseTo((2.5 + Math.sqrt(38.25)) / 2, 3);
      const cos = Math.abs(before.vectors[0]!.reduce((s, v, k) => s + v * after.vectors[0]![k]!, 0));
      expect(1 - cos).toBeGreaterThan(0.15);
      // The other head is untouched.
      expect((await axes(page))[1]!.values).toEqual(other.values);

      // No restart: the step counter went on from where it was.
      const s1 = await state(page);
      expect(s1.stepIndex).toBeGreaterThan(atEdit);
      const s2 = await waitForSteps(page, s1.stepIndex + 10);
      expect(s2.stepIndex).toBeGreaterThan(s1.stepIndex);
      expect(s2.banners.run).toBeUndefined();

      // A value that is not a number is refused, naming the entry; the matrix stays symmetric.
      await type(page, 1, 2, 'abc');
      const message = page.locator('.matrix-editor .me-message');
      await expect
        .poll(() => message.textContent())
        .toMatch(/layer 1, head 1, entry \(2, 3\): "abc" is not a finite number/);
      expect(await message.getAttribute('class')).toContain('me-error');
      expect(await entry(page, 2, 1).inputValue()).toBe('0');
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < i; j++) {
          if (i === 2 && j === 1) continue;
          expect(await entry(page, i, j).inputValue()).toBe(await entry(page, j, i).inputValue());
        }
      expect((await axes(page))[0]!.values[0]).toBeCloseTo(after.values[0]!, 3);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('a custom OU target applies live: the GUI says "custom" and the clock runs on', async () => {
    const { page, context, errors } = await open('?preset=s1-ou&n=24&heads=1&spf=2');
    await waitForSteps(page, 5);
    await openEditor(page);
    const atEdit = (await state(page)).stepIndex;
    await type(page, 0, 1, '2.5');
    expect(await entry(page, 1, 0).inputValue()).toBe('2.5');
    const select = page
      .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: /^OU target M$/ }) })
      .locator('select');
    await expect
      .poll(async () => select.evaluate((s: HTMLSelectElement) => s.options[s.selectedIndex]?.text))
      .toBe('custom');
    const later = await waitForSteps(page, atEdit + 20);
    expect(later.stepIndex).toBeGreaterThan(atEdit);
    expect(later.banners.run).toBeUndefined();
    // Back to M = I from the GUI's drop-down: also live.
    await setGuiOption(page, 'Weights D_h(t)', 'OU target M', 'identity');
    const s = await state(page);
    expect((await waitForSteps(page, s.stepIndex + 10)).stepIndex).toBeGreaterThan(s.stepIndex);
    expect(errors).toEqual([]);
    await context.close();
  });
});
