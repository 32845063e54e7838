/**
 * Shared by the browser benchmarks: builds the app once (vite), serves it with vite preview
 * on loopback and opens it in headless Chromium (tests/e2e/browser.ts flags), outside vitest.
 */
import type { Browser, Page } from 'playwright-core';
import { buildApp, launchBrowser, servePreview } from '../tests/e2e/browser';
import type { HookState } from '../src/app/test-hook';

/** A served build and a browser, closed together. */
export interface BenchApp {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds, serves and launches. */
export async function serveApp(): Promise<BenchApp> {
  const server = await servePreview(await buildApp());
  const url = server.url;
  const browser = await launchBrowser();
  return {
    url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens `query` in a fresh page and waits until the run has taken its first step. */
export async function openRun(app: BenchApp, query: string, viewport = { width: 1600, height: 900 }): Promise<Page> {
  const page = await app.browser.newPage({ viewport });
  await page.goto(`${app.url}${query}`);
  await page.waitForFunction(() => (window.__playground?.state().stepIndex ?? 0) > 0, undefined, {
    timeout: 300_000,
    polling: 250,
  });
  return page;
}

/** The hook's state. */
export function hookState(page: Page): Promise<HookState> {
  return page.evaluate(() => window.__playground!.state());
}

/**
 * Page-side source of a promise for the mean requestAnimationFrame interval over `ms`. Passed as
 * text: tsx's keepNames would otherwise wrap the inner arrow in a `__name` helper the page does not have.
 */
export function meanFrameMs(ms: number): string {
  return `new Promise((done) => {
    const deltas = [];
    let last = performance.now();
    const end = last + ${ms};
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else done(deltas.reduce((a, b) => a + b, 0) / deltas.length);
    };
    requestAnimationFrame(tick);
  })`;
}
