/**
 * The deterministic recorder in real headless Chromium: a fixture page (tests/e2e/fixtures/record,
 * bundled with vite under the app's CSP) records a moving circle through WebCodecs + mediabunny;
 * the bytes come back to Node and ffprobe checks codec, size, frame count and duration.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FixtureRequest, FixtureResult } from './fixtures/record/main';
import { launchBrowser, ROOT, serveStatic, type Served } from './browser';
import { ffprobe } from './video';

const FIXTURE = fileURLToPath(new URL('./fixtures/record', import.meta.url));

let browser: Browser | undefined;
let server: Served | undefined;
let page: Page | undefined;
let tmp = '';

async function runFixture(req: FixtureRequest): Promise<FixtureResult> {
  return page!.evaluate((r) => window.recordFixture.run(r), req);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'e2e-record-'));
  const outDir = join(tmp, 'dist');
  await build({
    root: FIXTURE,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  server = await serveStatic(outDir);
  browser = await launchBrowser();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The static server has no favicon; every other console error (e.g. a CSP violation) counts.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
      errors.push(`${m.text()} ${m.location().url}`);
  });
  await page.goto(`${server.url}index.html`);
  await page.waitForFunction(() => 'recordFixture' in window);
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

it('records 2 s at 30 fps, 640×360, frame-exact (checked by ffprobe)', async () => {
  const res = await runFixture({ width: 640, height: 360, fps: 30, frames: 60 });
  expect(res.error).toBeUndefined();
  expect(res.progress).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  expect(res.panelShown && res.panelRemoved).toBe(true);
  const file = join(tmp, `clip.${res.extension}`);
  writeFileSync(file, Buffer.from(res.base64!, 'base64'));

  const probe = ffprobe(file);
  const s = probe.streams[0]!;
  const expected = res.extension === 'mp4' ? ['h264'] : ['vp9', 'vp8'];
  expect(expected).toContain(s.codec_name);
  expect(res.mimeType).toContain(res.extension === 'mp4' ? 'video/mp4' : 'video/webm');
  expect([s.width, s.height]).toEqual([640, 360]);
  expect(Number(s.nb_read_frames)).toBe(60);
  expect(Number(probe.format.duration)).toBeCloseTo(2.0, 1);
});

it('honours an explicit WebM request (VP9, else VP8)', async () => {
  const res = await runFixture({ width: 320, height: 180, fps: 24, frames: 24, format: 'webm' });
  expect(res.error).toBeUndefined();
  expect(res.extension).toBe('webm');
  const file = join(tmp, 'clip-explicit.webm');
  writeFileSync(file, Buffer.from(res.base64!, 'base64'));
  const probe = ffprobe(file);
  expect(['vp9', 'vp8']).toContain(probe.streams[0]!.codec_name);
  expect(Number(probe.streams[0]!.nb_read_frames)).toBe(24);
  expect(Number(probe.format.duration)).toBeCloseTo(1.0, 1);
});

it('Cancel after 10 frames rejects with an AbortError and stops', async () => {
  const res = await runFixture({ width: 320, height: 180, fps: 30, frames: 120, cancelAfter: 10 });
  expect(res.error?.name).toBe('AbortError');
  expect(res.base64).toBeUndefined();
  expect(res.progress).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  expect(res.panelRemoved).toBe(true);
});

it('rejects invalid options naming the field', async () => {
  const odd = await runFixture({ width: 641, height: 360, fps: 30, frames: 1 });
  expect(odd.error?.name).toBe('RangeError');
  expect(odd.error?.message).toMatch(/width/);
  const fps = await runFixture({ width: 640, height: 360, fps: 0, frames: 1 });
  expect(fps.error?.message).toMatch(/fps/);
});
