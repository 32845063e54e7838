/**
 * Variants side by side (Compare › variants, GPU engine): the same start under H = 1 and H = 3;
 * each variant's trace rows equal those of a separate single run of that setting, step for step;
 * one labelled pane per variant is drawn, and the plots overlay one labelled series per variant.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeScenario } from '../../src/model/share';
import { VARIANT_FIELDS, type VariantField, variantScenarios } from '../../src/model/variants';
import { parseUrl } from '../../src/app/url';
import { recordScenario } from '../../src/ui/params';
import { VARIANT_COLOURS } from '../../src/app/variants';
import {
  configureRecording,
  litFraction,
  open,
  pixelFraction,
  pngFraction,
  recordButton,
  setGuiNumber,
  setGuiOption,
  useApp,
  useTempDir,
  waitForSteps,
} from './app-page';
import { ffprobe, litInLastFrame } from './video';

useApp();
const tmpDir = useTempDir('e2e-variants-');

const variants = (page: Page) => page.evaluate(() => window.__playground!.variants());
const rows = async (page: Page, i?: number): Promise<string[]> =>
  (
    await page.evaluate(
      (k) => (k === undefined ? window.__playground!.traceCsv() : window.__playground!.variantCsv(k)),
      i,
    )
  )
    .trimEnd()
    .split('\n');

const QUERY = '?preset=s2-oscillating&n=32&spf=2';

describe('variants', () => {
  it('H = 1 and H = 3: each variant equals a separate run of that setting; labelled panes and traces', async () => {
    const { page, context, errors } = await open(QUERY);
    await waitForSteps(page, 3);
    await page.locator('.lil-title', { hasText: /^\s*Compare \(perturbed copies\)\s*$/ }).click();
    await setGuiNumber(page, 'variants (side by side)', 'values (2–4)', '1, 3');
    await page.locator('.lil-name', { hasText: /^run variants$/ }).click();
    await expect.poll(async () => (await variants(page)).labels, { timeout: 60_000 }).toEqual(['H = 1', 'H = 3']);
    expect((await variants(page)).budget).toMatch(/^2 runs: ~.* per step of all/);
    await page.waitForFunction(() => Math.min(...window.__playground!.variants().steps) >= 30, undefined, {
      timeout: 120_000,
      polling: 200,
    });
    // One pane per variant, labelled, with tokens drawn.
    await expect
      .poll(() => page.locator('.variants-grid .variant-label').allTextContents())
      .toEqual(['H = 1', 'H = 3']);
    const box = (await page.locator('.variants-grid .variant-pane').first().boundingBox())!;
    expect(await litFraction(page, box)).toBeGreaterThan(0.002);
    await expect
      .poll(() => page.locator('.tp-energy .tp-key-ghost').allTextContents(), { timeout: 30_000 })
      .toEqual(['H = 1', 'H = 3']);

    for (const [i, H] of [1, 3].entries()) {
      const mine = await rows(page, i);
      const single = await open(`${QUERY}&heads=${H}`);
      await waitForSteps(single.page, 30, 120_000);
      const theirs = await rows(single.page);
      const common = Math.min(mine.length, theirs.length);
      expect(common).toBeGreaterThan(30);
      expect(mine.slice(0, common), `H = ${H}`).toEqual(theirs.slice(0, common));
      expect(single.errors).toEqual([]);
      await single.context.close();
    }
    // The two variants differ (H changes the flow).
    const [a, b] = [await rows(page, 0), await rows(page, 1)];
    expect(a[10]).not.toBe(b[10]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Starts the variants of `field` (by its panel label) with `values`; waits until they run. */
async function runVariants(page: Page, field: VariantField, values: string, labels: string[]): Promise<void> {
  await page.locator('.lil-title', { hasText: /^\s*Compare \(perturbed copies\)\s*$/ }).click();
  await setGuiOption(page, 'variants (side by side)', 'vary', VARIANT_FIELDS[field].label);
  await setGuiNumber(page, 'variants (side by side)', 'values (2–4)', values);
  await page.locator('.lil-name', { hasText: /^run variants$/ }).click();
  await expect.poll(async () => (await variants(page)).labels, { timeout: 60_000 }).toEqual(labels);
}

describe('variants of the weight schedule', () => {
  it.each([
    ['driftKind', 'ou, rotating', ['schedule = ou', 'schedule = rotating']],
    ['drift.oscillating.frequency', '1, 4', ['osc. frequency = 1', 'osc. frequency = 4']],
  ] as const)(
    '%s = %s: each variant equals a separate run of its scenario; overlaid in one pane',
    async (field, values, labels) => {
      const { page, context, errors } = await open(QUERY);
      await waitForSteps(page, 3);
      await runVariants(page, field, values, [...labels]);
      // Overlaid: one pane, the labels as its legend, every variant's colour drawn.
      await setGuiOption(page, 'variants (side by side)', 'layout', 'overlaid');
      await expect.poll(() => page.locator('.variants-grid .variant-pane').count()).toBe(1);
      expect(await page.locator('.variants-grid .variant-legend .variant-label').allTextContents()).toEqual(labels);
      await page.waitForFunction(() => Math.min(...window.__playground!.variants().steps) >= 30, undefined, {
        timeout: 120_000,
        polling: 200,
      });
      const box = (await page.locator('.variants-grid .variant-pane').boundingBox())!;
      for (const colour of VARIANT_COLOURS.slice(0, labels.length))
        expect(await pixelFraction(page, colour, box), colour).toBeGreaterThan(0.0005);
      // Not drawn: the colours of variants that do not run.
      for (const colour of VARIANT_COLOURS.slice(labels.length))
        expect(await pixelFraction(page, colour, box), colour).toBeLessThan(0.0001);
      // The PNG still carries the overlay: the legend (top left) and the tokens in every colour.
      await page.locator('.lil-title', { hasText: /^Export$/ }).click();
      const download = page.waitForEvent('download', { timeout: 60_000 });
      await page.locator('.lil-name', { hasText: 'PNG still' }).click();
      const png = readFileSync((await (await download).path())!);
      for (const colour of VARIANT_COLOURS.slice(0, labels.length)) {
        expect(
          await pngFraction(page, png, colour, { x0: 0, x1: 0.15, y0: 0, y1: 0.12 }),
          `legend ${colour}`,
        ).toBeGreaterThan(0.002);
        expect(
          await pngFraction(page, png, colour, { x0: 0.1, x1: 0.5, y0: 0.15, y1: 0.85 }),
          `tokens ${colour}`,
        ).toBeGreaterThan(0.0003);
      }

      // A separate single run of each variant's scenario (the same base: the preset of the query).
      const base = recordScenario(parseUrl(QUERY).params);
      const scenarios = variantScenarios(base, field, values.split(', '));
      for (const [i, v] of scenarios.entries()) {
        const mine = await rows(page, i);
        const single = await open(`?s=${await encodeScenario(v.scenario)}&spf=2`);
        await waitForSteps(single.page, 30, 120_000);
        const theirs = await rows(single.page);
        const common = Math.min(mine.length, theirs.length);
        expect(common).toBeGreaterThan(30);
        expect(mine.slice(0, common), v.label).toEqual(theirs.slice(0, common));
        expect(single.errors).toEqual([]);
        await single.context.close();
      }
      const [a, b] = [await rows(page, 0), await rows(page, 1)];
      expect(a[10]).not.toBe(b[10]);
      expect(errors).toEqual([]);
      await context.close();
    },
    400_000,
  );
});

describe('variants recorded', () => {
  it('a video of three variants has three labelled panes (last frame decoded)', async () => {
    const { page, context, errors } = await open(QUERY);
    await waitForSteps(page, 3);
    await page.locator('.lil-title', { hasText: /^\s*Compare \(perturbed copies\)\s*$/ }).click();
    await setGuiNumber(page, 'variants (side by side)', 'values (2–4)', '1, 2, 3');
    await page.locator('.lil-name', { hasText: /^run variants$/ }).click();
    await expect
      .poll(async () => (await variants(page)).labels, { timeout: 60_000 })
      .toEqual(['H = 1', 'H = 2', 'H = 3']);
    await configureRecording(page, 1, 1);
    await setGuiOption(page, 'Record', 'overlay plots', 'none');
    const download = page.waitForEvent('download', { timeout: 300_000 });
    await recordButton(page).click();
    const file = join(tmpDir(), (await download).suggestedFilename());
    await (await download).saveAs(file);
    expect((await page.evaluate(() => window.__playground!.recording())).outcome).toBe('saved');
    expect(Number(ffprobe(file).streams[0]!.nb_read_frames)).toBe(30);
    for (let i = 0; i < 3; i++) {
      const x0 = i / 3;
      // Tokens in the middle of each pane, the label at its top left, nothing at its top right.
      expect(
        litInLastFrame(file, 1280, 720, { x0: x0 + 0.06, x1: x0 + 0.27, y0: 0.3, y1: 0.75 }),
        `pane ${i}`,
      ).toBeGreaterThan(0.005);
      expect(
        litInLastFrame(file, 1280, 720, { x0: x0 + 0.005, x1: x0 + 0.08, y0: 0.01, y1: 0.06 }),
        `label ${i}`,
      ).toBeGreaterThan(0.03);
      expect(litInLastFrame(file, 1280, 720, { x0: x0 + 0.25, x1: x0 + 0.32, y0: 0.01, y1: 0.06 })).toBeLessThan(0.002);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
