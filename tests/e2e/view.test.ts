/**
 * How the picture is drawn (three's WebGPURenderer): on the GPU engine's own device where WebGPU
 * works, whether or not WebGL exists; on its WebGL 2 backend with the CPU fallback where WebGPU is
 * missing; and a clear message where the browser can draw with neither.
 */
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { configureRecording, useTempDir, litFraction, open, recordButton, useApp, waitForSteps } from './app-page';
import { ffprobe, litInLastFrame } from './video';

useApp();
const tmpDir = useTempDir('e2e-view-');

/** Makes every canvas refuse WebGL (1 and 2) in the pages of `context`, before the app loads. */
async function withoutWebGl(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
      if (kind === 'webgl' || kind === 'webgl2' || kind === 'experimental-webgl') return null;
      return (getContext as (...a: unknown[]) => RenderingContext | null).call(this, kind, ...rest);
    } as typeof getContext;
  });
}

describe('the view', () => {
  it('draws on the GPU engine’s own device (WebGPU backend)', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64');
    await waitForSteps(page, 10);
    expect(await page.evaluate(() => window.__playground!.view())).toMatchObject({
      backend: 'webgpu',
      sharesEngineDevice: true,
    });
    expect(await litFraction(page)).toBeGreaterThan(0.01);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('GPU engine: every frame draws from the engine’s buffer; readbacks stay at the trace rate, whatever the frame rate', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=32&spf=1');
    await waitForSteps(page, 10);
    const view = () => page.evaluate(() => window.__playground!.view());
    const a = await view();
    const t0 = Date.now();
    await page.waitForTimeout(4000);
    const b = await view();
    const seconds = (Date.now() - t0) / 1000;
    const frames = b.frames - a.frames;
    const readbacks = b.readbacks - a.readbacks;
    // Each frame copies the engine's positions on the GPU (none missed but the one that set it up).
    expect(b.gpuCopies - a.gpuCopies).toBeGreaterThanOrEqual(frames - 1);
    // At most one readback per GPU_READ_MS (250 ms) plus the window's edges; and at least a few (the trace rate).
    expect(readbacks).toBeLessThanOrEqual(seconds * 4 + 2);
    expect(readbacks).toBeGreaterThanOrEqual(2);
    // (The old path read back every second frame: frames / 2 in the window.)
    expect(errors).toEqual([]);
    await context.close();
  });

  it('without WebGPU: the CPU fallback, drawn on the WebGL 2 backend', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=48', { noWebGpu: true });
    const s = await waitForSteps(page, 10);
    expect(s.engineKind).toBe('cpu');
    expect(await page.evaluate(() => window.__playground!.view())).toMatchObject({
      backend: 'webgl2',
      sharesEngineDevice: false,
      gpuCopies: 0,
    });
    expect(await litFraction(page)).toBeGreaterThan(0.01);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('without WebGL: starts, computes and draws on WebGPU', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64', { beforeLoad: withoutWebGl });
    expect(await page.evaluate(() => document.createElement('canvas').getContext('webgl2'))).toBeNull();
    const s = await waitForSteps(page, 10);
    expect(s.engineKind).toBe('gpu');
    expect(s.banners).toEqual({});
    expect((await page.evaluate(() => window.__playground!.view())).backend).toBe('webgpu');
    expect(await litFraction(page)).toBeGreaterThan(0.01);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('with neither WebGPU nor WebGL: a message that says so', async () => {
    const { page, context } = await open('?preset=one-vs-many&n=48', {
      noWebGpu: true,
      beforeLoad: withoutWebGl,
      noHook: true,
    });
    const banner = page.locator('.banner-error');
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toMatch(/neither WebGPU nor WebGL 2/);
    await context.close();
  });

  it.each([
    ['WebGPU canvas (GPU engine)', false],
    ['WebGL 2 canvas (CPU fallback)', true],
  ])('a recording captures the drawn picture from the %s', async (_name, noWebGpu) => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64', { noWebGpu });
    await waitForSteps(page, 5);
    await configureRecording(page, 0.2, 1);
    const download = page.waitForEvent('download', { timeout: 120_000 });
    await recordButton(page).click();
    const file = join(tmpDir(), `${noWebGpu ? 'cpu' : 'gpu'}-${(await download).suggestedFilename()}`);
    await (await download).saveAs(file);
    expect(Number(ffprobe(file).streams[0]!.nb_read_frames)).toBe(6);
    // The sphere's guide and the tokens fill the middle of the frame (blank if the canvas read came back empty).
    expect(litInLastFrame(file, 1280, 720, { x0: 0.35, x1: 0.65, y0: 0.3, y1: 0.7 })).toBeGreaterThan(0.02);
    expect(errors).toEqual([]);
    await context.close();
  });
});
