/**
 * The built site is relocatable: served from a sub-path (as a static host serves a project site,
 * `https://host/course/playground/`), with nothing answered outside it, the app loads its
 * scripts, styles, workers (trace worker, CPU engine worker) and lazy chunks (plots, KaTeX and
 * its fonts) relative to the page, and runs on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { builtApp, launchBrowser, serveStatic, type Served } from './browser';

const PREFIX = '/course/playground/';

let browser: Browser | undefined;
let server: Served | undefined;

beforeAll(async () => {
  [server, browser] = await Promise.all([builtApp().then((dir) => serveStatic(dir, PREFIX)), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the app under the sub-path; collects console errors and every failed or refused request. */
async function openAt(query: string, noWebGpu = false) {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
  if (noWebGpu) {
    await context.addInitScript(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
  }
  const page = await context.newPage();
  const errors: string[] = [];
  const failed: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${server!.url}${query}`);
  await page.waitForFunction(() => window.__playground !== undefined);
  return { page, context, errors, failed };
}

function waitForSteps(page: Page, steps: number): Promise<unknown> {
  return page.waitForFunction((k) => (window.__playground?.state().stepIndex ?? 0) >= k, steps, {
    timeout: 60_000,
    polling: 200,
  });
}

describe('the build served from a sub-path', () => {
  it('runs on WebGPU with its trace worker, plots and presenter (KaTeX chunk and fonts)', async () => {
    const { page, context, errors, failed } = await openAt('?n=64');
    expect(server!.url).toContain(PREFIX);
    await waitForSteps(page, 20);
    const s = await page.evaluate(() => window.__playground!.state());
    expect(s.engineKind).toBe('gpu');
    // The trace worker (a separate file) answers: the plots have points.
    await expect
      .poll(async () => page.evaluate(async () => (await window.__playground!.traces(200)).energy.t.length), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await page.keyboard.press('p');
    await expect.poll(() => page.locator('.presenter-panel .katex').count(), { timeout: 20_000 }).toBeGreaterThan(4);
    // KaTeX's fonts load from the bundle's relative URLs.
    await page.evaluate(() => document.fonts.ready);
    const loaded = await page.evaluate(() =>
      [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').map((f) => f.family),
    );
    expect(loaded).toContain('KaTeX_Main');
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('falls back to the CPU engine worker (a lazy chunk and a worker file) without WebGPU', async () => {
    const { page, context, errors, failed } = await openAt('?preset=one-vs-many&n=48', true);
    await waitForSteps(page, 10);
    const s = await page.evaluate(() => window.__playground!.state());
    expect(s.engineKind).toBe('cpu');
    expect(failed).toEqual([]);
    // The CPU-fallback notice is a banner, not a console error.
    expect(errors).toEqual([]);
    await context.close();
  });
});
