/**
 * Shared by the app's browser tests: one headless Chromium and one vite preview server per
 * test file (`useApp()` registers the hooks), pages opened on the built app with console
 * errors collected, and reads of the read-only test hook `window.__playground`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { HookState } from '../../src/app/test-hook';
import { launchBrowser, startPreviewServer, type Served } from './browser';

let browser: Browser | undefined;
let server: Served | undefined;

/** Registers the file's beforeAll/afterAll: the preview server and the browser. */
export function useApp(): void {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startPreviewServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** A fresh temporary folder for the file's tests (downloads), removed after them; read it inside a test. */
export function useTempDir(prefix: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** The served app's base URL (inside a test). */
export function appUrl(): string {
  return server!.url;
}

export interface Opened {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and CSP violations seen so far. */
  errors: string[];
}

/**
 * Opens the app at `query`. `noWebGpu` removes navigator.gpu before the app loads;
 * `keepDevices` records every GPUDevice the page requests in `window.__e2eDevices`, so a test
 * can destroy one (a stand-in for a lost device: the app sees `device.lost` resolve);
 * `beforeLoad` adds init scripts of its own; `noHook`: do not wait for the test hook (an app
 * that cannot start).
 */
export async function open(
  query: string,
  options: {
    noWebGpu?: boolean;
    keepDevices?: boolean;
    beforeLoad?: (context: BrowserContext) => Promise<void>;
    noHook?: boolean;
    /** A touch screen (touch events, no hover): for tap and touch-drag tests. */
    touch?: boolean;
    /** Another server's base URL (ending in /) instead of the preview server's. */
    base?: string;
  } = {},
): Promise<Opened> {
  const context = await browser!.newContext({
    viewport: { width: 1280, height: 800 },
    ...(options.touch && { hasTouch: true }),
  });
  await options.beforeLoad?.(context);
  if (options.noWebGpu) {
    await context.addInitScript(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
  }
  if (options.keepDevices) {
    await context.addInitScript(() => {
      const w = window as unknown as { __e2eDevices: GPUDevice[] };
      w.__e2eDevices = [];
      const request = GPUAdapter.prototype.requestDevice;
      GPUAdapter.prototype.requestDevice = async function (
        this: GPUAdapter,
        ...args: Parameters<GPUAdapter['requestDevice']>
      ) {
        const device = await request.apply(this, args);
        w.__e2eDevices.push(device);
        return device;
      };
    });
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${options.base ?? server!.url}${query}`);
  if (!options.noHook) await page.waitForFunction(() => window.__playground !== undefined);
  return { page, context, errors };
}

export function state(page: Page): Promise<HookState> {
  return page.evaluate(() => window.__playground!.state());
}

/** A reader of banner `key`'s text ('' while it is not shown), for `expect.poll`. */
export function banner(page: Page, key: string): () => Promise<string> {
  return async () => (await state(page)).banners[key] ?? '';
}

/** Waits until the run has passed `steps` steps (and returns the state). */
export async function waitForSteps(page: Page, steps: number, timeout = 60_000): Promise<HookState> {
  await page.waitForFunction((k) => (window.__playground?.state().stepIndex ?? 0) >= k, steps, {
    timeout,
    polling: 200,
  });
  return state(page);
}

/** A page region in CSS pixels. */
export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Which pixels a fraction counts: 'lit', clearly off the background (#111318); 'purple', the
 * density view's dark end of viridis (red and blue well above green); a colour '#rrggbb', within
 * 40 (sum of the channels' differences) of it.
 */
export type PixelKind = 'lit' | 'purple' | `#${string}`;

/** Fraction of pixels of `kind`: of the view's canvas, or of the page region `clip`. */
export async function pixelFraction(page: Page, kind: PixelKind, clip?: Clip): Promise<number> {
  const shot = clip ? await page.screenshot({ clip }) : await page.locator('#view canvas').screenshot();
  return pngFraction(page, shot, kind);
}

/** A region of an image in fractions of its width and height. */
export interface Region {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Fraction of pixels of `kind` in the PNG `png` (decoded by the page), or in its `region`. */
export async function pngFraction(page: Page, png: Buffer, kind: PixelKind, region?: Region): Promise<number> {
  return page.evaluate(
    async ([data, which, r]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const box = r ?? { x0: 0, x1: 1, y0: 0, y1: 1 };
      const x = Math.floor(box.x0 * c.width),
        y = Math.floor(box.y0 * c.height);
      const px = ctx.getImageData(
        x,
        y,
        Math.max(1, Math.floor(box.x1 * c.width) - x),
        Math.max(1, Math.floor(box.y1 * c.height) - y),
      ).data;
      let hit = 0;
      const near = (r: number, g: number, b: number, hex: string, d: number) =>
        Math.abs(r - Number.parseInt(hex.slice(1, 3), 16)) +
          Math.abs(g - Number.parseInt(hex.slice(3, 5), 16)) +
          Math.abs(b - Number.parseInt(hex.slice(5, 7), 16)) <
        d;
      for (let i = 0; i < px.length; i += 4) {
        const r = px[i]!,
          g = px[i + 1]!,
          b = px[i + 2]!;
        if (
          which === 'lit'
            ? !near(r, g, b, '#111318', 41)
            : which === 'purple'
              ? r > g + 18 && b > g + 25 && b < 200
              : near(r, g, b, which, 40)
        )
          hit++;
      }
      return hit / (px.length / 4);
    },
    [png.toString('base64'), kind, region] as const,
  );
}

/** Fraction of pixels that differ clearly from the background (#111318): of the view's canvas, or of `clip`. */
export function litFraction(page: Page, clip?: Clip): Promise<number> {
  return pixelFraction(page, 'lit', clip);
}

/** The first `tag` element of the field named `name` in GUI folder `folder` (opened if closed), scrolled into view. */
async function guiField(page: Page, folder: string, name: string, tag: 'input' | 'select'): Promise<Locator> {
  const title = page.locator('.lil-title', { hasText: new RegExp(`^\\s*${escapeRe(folder)}\\s*$`) }).first();
  const host = title.locator('xpath=..');
  if (await host.evaluate((el) => el.classList.contains('lil-closed') || el.classList.contains('closed')))
    await title.click();
  const field = host
    .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }) })
    .locator(tag)
    .first();
  await field.scrollIntoViewIfNeeded();
  return field;
}

/** Sets the number field named `name` in GUI folder `folder` to `value` (Enter). */
export async function setGuiNumber(page: Page, folder: string, name: string, value: string): Promise<void> {
  const input = await guiField(page, folder, name, 'input');
  await input.fill(value);
  await input.press('Enter');
}

/** Sets the drop-down named `name` in GUI folder `folder` to the option labelled `label`. */
export async function setGuiOption(page: Page, folder: string, name: string, label: string): Promise<void> {
  await (await guiField(page, folder, name, 'select')).selectOption({ label });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Sets the Record folder: 720p, 30 fps, `seconds`, `k` steps per video frame. */
export async function configureRecording(page: Page, seconds: number, k: number): Promise<void> {
  await setGuiOption(page, 'Record', 'resolution', '720p');
  await setGuiOption(page, 'Record', 'frames / s', '30');
  await setGuiNumber(page, 'Record', 'duration (s)', String(seconds));
  await setGuiNumber(page, 'Record', 'steps / video frame', String(k));
}

/** The Record folder's "Record video" button. */
export function recordButton(page: Page): Locator {
  return page
    .locator('.lil-controller', { has: page.locator('.lil-name', { hasText: 'Record video' }) })
    .locator('button');
}

/** Records requestAnimationFrame gaps (ms) from now on; read them with frameGaps. */
export async function watchFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __gaps: number[]; __last: number };
    w.__gaps = [];
    w.__last = performance.now();
    const tick = (t: number): void => {
      w.__gaps.push(t - w.__last);
      w.__last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** The requestAnimationFrame gaps (ms) since watchFrames. */
export function frameGaps(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __gaps: number[] }).__gaps);
}
