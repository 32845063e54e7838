/**
 * Bad, big and hostile input in the built app: out-of-range URL values are ignored with a notice
 * and the preset runs; spf is clamped like the panel; panel numbers that are clamped say so; a
 * new run that is non-finite at t = 0 keeps the running one; reset after a non-finite stop plays
 * again; a heavy run waits for a confirm; a 50 MB nested import is refused while the page keeps
 * drawing; the preview server sends the CSP with frame-ancestors 'none'.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appUrl,
  banner,
  frameGaps,
  open,
  setGuiNumber,
  setGuiOption,
  state,
  useApp,
  waitForSteps,
  watchFrames,
} from './app-page';

useApp();

describe('hardening', () => {
  it('out-of-range ?n= and ?heads= are ignored with a notice and the preset runs; ?spf= is clamped to 200', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=5000000&heads=999&spf=100000');
    const s = await waitForSteps(page, 5, 60_000);
    expect(s.n).toBeLessThanOrEqual(4096);
    expect(s.banners.url).toMatch(/n=5000000 is out of range/);
    expect(s.banners.url).toMatch(/heads=999 is out of range/);
    expect(s.banners.url).toMatch(/spf=100000 is above the panel's 200/);
    const spf = page
      .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: /^steps \/ frame$/ }) })
      .locator('input')
      .first();
    expect(Number(await spf.inputValue())).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a panel number clamped by the panel says so under the field', async () => {
    const { page, context } = await open('?preset=one-vs-many&n=32');
    await waitForSteps(page, 3);
    await setGuiNumber(page, 'Attention', 'β', '1e9');
    await expect.poll(() => page.locator('.gui-note').first().textContent()).toMatch(/β: 1e9 is outside .*set to 20/);
    await setGuiNumber(page, 'Tokens', 'tokens n', '-5');
    await expect
      .poll(() => page.locator('.gui-note').allTextContents())
      .toContainEqual(expect.stringMatching(/tokens n: -5 is outside .*set to 1/));
    await context.close();
  });

  it('a new run that is non-finite at t = 0 keeps the running one going', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&heads=1&n=32');
    const before = await waitForSteps(page, 10);
    await setGuiNumber(page, 'Weights D_h(t)', 'D(0) scale', '1000');
    await expect
      .poll(banner(page, 'run'), { timeout: 60_000 })
      .toMatch(/non-finite.*previous run was kept.*Lower dt or β/);
    const after = await waitForSteps(page, before.stepIndex + 20);
    expect(after.playing).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('after a non-finite stop, lowering β and pressing reset plays again', async () => {
    const { page, context } = await open('?preset=one-vs-many&heads=1&n=32');
    await waitForSteps(page, 10);
    await setGuiOption(page, 'Attention', 'attention', 'unnormalized');
    await setGuiNumber(page, 'Attention', 'β', '100');
    await expect.poll(banner(page, 'run'), { timeout: 60_000 }).toMatch(/non-finite.*press reset/);
    expect((await state(page)).playing).toBe(false);
    await setGuiNumber(page, 'Attention', 'β', '1');
    await page.locator('.lil-controller button', { hasText: /^reset/ }).click();
    await expect.poll(async () => (await state(page)).playing, { timeout: 30_000 }).toBe(true);
    const s = await state(page);
    await waitForSteps(page, s.stepIndex + 10);
    await context.close();
  });

  it('a 50 MB nested import is refused while animation frames keep coming', async () => {
    const { page, context } = await open('?preset=one-vs-many&n=32');
    await waitForSteps(page, 3);
    await watchFrames(page);
    const half = 25 * 1024 * 1024;
    const file = join(mkdtempSync(join(tmpdir(), 'deep-')), 'deep.json');
    writeFileSync(file, `${'['.repeat(half)}${']'.repeat(half)}`);
    await page.locator('#scenario-file').setInputFiles(file);
    await expect
      .poll(banner(page, 'share'), { timeout: 30_000 })
      .toMatch(/deep\.json" not loaded.*nested deeper than 16/);
    await page.waitForTimeout(500);
    const gaps = await frameGaps(page);
    expect(gaps.length).toBeGreaterThan(5);
    expect(Math.max(...gaps.slice(1))).toBeLessThan(1500);
    await context.close();
  });

  it('a heavy run waits for "run it anyway" with the estimate in a banner', async () => {
    // The CPU fallback (its worker goes with the page; a GPU dispatch of minutes would outlive it).
    const { page, context } = await open('?preset=one-vs-many&n=2048&heads=256', { noWebGpu: true });
    await expect.poll(banner(page, 'cost'), { timeout: 30_000 }).toMatch(/heavy .*per step.*pair-heads/);
    expect((await state(page)).engineKind).toBe('none');
    await page.locator('.banner[data-key="cost"] .banner-action').click();
    await expect.poll(banner(page, 'cost')).toMatch(/Heavy run started/);
    await context.close();
  });

  it('the preview server sends the CSP with frame-ancestors none', async () => {
    const res = await fetch(appUrl());
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
