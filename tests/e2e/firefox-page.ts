/**
 * The app's page helpers for puppeteer-driven Firefox (tests/e2e/firefox.ts), the counterparts of
 * app-page.ts's playwright ones: open a page with console errors collected, read the test hook,
 * drive the lil-gui panel as a user does (real clicks and keys).
 */
import type { Browser, BrowserContext, ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import type { HookState } from '../../src/app/test-hook';
import { type Served, startPreviewServer } from './browser';
import { type Firefox, launchFirefox } from './firefox';

export interface FirefoxPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far. */
  errors: string[];
}

/**
 * Registers the file's beforeAll/afterAll: the preview server and one Firefox launch. Call the
 * returned getters inside a test: the browser and the app's address.
 */
export function useFirefox(): { firefox: () => Firefox; url: () => string } {
  let firefox: Firefox | undefined;
  let server: Served | undefined;
  beforeAll(async () => {
    [server, firefox] = await Promise.all([startPreviewServer(), launchFirefox()]);
  });
  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });
  return { firefox: () => firefox!, url: () => server!.url };
}

/** Opens `url` in a fresh browser context; `noWebGpu` removes navigator.gpu before the app loads. */
export async function openFirefox(browser: Browser, url: string, noWebGpu = false): Promise<FirefoxPage> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  if (noWebGpu) {
    await page.evaluateOnNewDocument(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
  }
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.__playground !== undefined, { timeout: 60_000, polling: 200 });
  return { page, context, errors };
}

export function ffState(page: Page): Promise<HookState> {
  return page.evaluate(() => window.__playground!.state());
}

/** Waits until the run has passed `steps` steps (and returns the state). */
export async function ffWaitForSteps(page: Page, steps: number, timeout = 90_000): Promise<HookState> {
  await page.waitForFunction(
    (k: number) => (window.__playground?.state().stepIndex ?? 0) >= k,
    { timeout, polling: 200 },
    steps,
  );
  return ffState(page);
}

/** Energy (mean over replicas) by time t_k, every recorded step. */
export async function ffEnergyByTime(page: Page): Promise<Map<number, number>> {
  const { t, e } = await page.evaluate(async () => {
    const tr = await window.__playground!.traces(1e9);
    return { t: Array.from(tr.energy.t), e: Array.from(tr.energy.mean) };
  });
  return new Map(t.map((ti, k) => [ti, e[k]!]));
}

/** Opens the GUI folder titled `folder` (if closed) and returns it. */
async function folderHandle(page: Page, folder: string): Promise<ElementHandle<Element>> {
  const title = await page.evaluateHandle((name: string) => {
    const t = [...document.querySelectorAll('.lil-title')].find((el) => el.textContent?.trim() === name);
    if (!t) throw new Error(`no GUI folder "${name}"`);
    return t as HTMLElement;
  }, folder);
  const closed = await title.evaluate((t) => {
    const host = t.parentElement!;
    return host.classList.contains('lil-closed') || host.classList.contains('closed');
  });
  // A click can be lost while the page is busy (a run stepping on a software GPU): click again,
  // up to three times, until the folder has opened.
  for (let attempt = 0; closed && attempt < 3; attempt++) {
    await title.evaluate((t) => t.scrollIntoView({ block: 'center' }));
    // A folder that is still laying out (its parent just opened) may be "not clickable" for a
    // moment: counted as a lost click, and tried again.
    const clicked = await title.click().then(
      () => true,
      () => false,
    );
    if (!clicked) {
      if (attempt === 2) throw new Error(`GUI folder "${folder}" was not clickable in three tries`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      continue;
    }
    const opened = await page
      .waitForFunction(
        (t: Element) => !t.parentElement!.classList.contains('lil-closed'),
        { polling: 100, timeout: 10_000 },
        title,
      )
      .then(
        () => true,
        () => false,
      );
    if (opened) break;
    if (attempt === 2) throw new Error(`GUI folder "${folder}" did not open after three clicks`);
  }
  const host = await title.evaluateHandle((t) => t.parentElement!);
  await title.dispose();
  // lil-gui animates the opening (class lil-transition, 300 ms): click nothing inside until it is done.
  await page.waitForFunction((h: Element) => !h.classList.contains('lil-transition'), { polling: 100 }, host);
  return host;
}

/** The first `tag` element of the controller named `name` in GUI folder `folder`, scrolled into view. */
async function guiField(page: Page, folder: string, name: string, tag: string): Promise<ElementHandle<Element>> {
  const host = await folderHandle(page, folder);
  const field = await host.evaluateHandle(
    (h, n, t) => {
      const c = [...h.querySelectorAll('.lil-controller')].find(
        (el) => el.querySelector('.lil-name')?.textContent === n,
      );
      const f = c?.querySelector(t);
      if (!f) throw new Error(`no ${t} "${n}" in the folder`);
      f.scrollIntoView({ block: 'center' });
      return f;
    },
    name,
    tag,
  );
  await host.dispose();
  return field as ElementHandle<Element>;
}

/** Clicks the controller named `name` (a button or a function row) in GUI folder `folder`. */
export async function ffClickGui(page: Page, folder: string, name: string): Promise<void> {
  const el = await guiField(page, folder, name, '.lil-name');
  await el.click();
  await el.dispose();
}

/** Sets the number field named `name` in GUI folder `folder` to `value` (typed, then Enter). */
export async function ffSetGuiNumber(page: Page, folder: string, name: string, value: string): Promise<void> {
  const input = await guiField(page, folder, name, 'input');
  await input.click({ count: 3 });
  await input.type(value);
  await input.press('Enter');
  await input.dispose();
}

/** Sets the drop-down named `name` in GUI folder `folder` to the option labelled `label`. */
export async function ffSetGuiOption(page: Page, folder: string, name: string, label: string): Promise<void> {
  const select = (await guiField(page, folder, name, 'select')) as ElementHandle<HTMLSelectElement>;
  const value = await select.evaluate((s, l) => {
    const o = [...s.options].find((op) => op.textContent === l);
    if (!o) throw new Error(`no option "${l}"`);
    return o.value;
  }, label);
  await select.select(value);
  await select.dispose();
}
