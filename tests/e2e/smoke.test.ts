import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, serveStatic, type Served } from './browser';

let browser: Browser | undefined;
let server: Served | undefined;

beforeAll(async () => {
  server = await serveStatic(new URL('./fixtures', import.meta.url).pathname);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Check {
  ok: boolean;
  reason?: string;
  vendor?: string;
  doubled?: boolean;
}

it('headless Chromium gets a WebGPU adapter and runs a compute shader', async () => {
  const page = await browser!.newPage();
  await page.goto(`${server!.url}webgpu-check.html`);
  const check = await page.evaluate(() => (window as unknown as { webgpuCheck: Promise<Check> }).webgpuCheck);
  expect(check.reason).toBeUndefined();
  expect(check).toMatchObject({ ok: true, doubled: true });
});
