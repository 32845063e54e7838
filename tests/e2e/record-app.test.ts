/**
 * Recording from the app as a user would: set the Record folder (720p, 30 fps, 2 s), press
 * "Record video", catch the download, and let ffprobe check it; and cancelling a recording.
 * The file is the real output of WebCodecs + mediabunny in headless Chromium.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RecordingState } from '../../src/app/recording';
import { configureRecording, useTempDir, open, recordButton, state, useApp, waitForSteps } from './app-page';
import { ffprobe, litInLastFrame } from './video';

useApp();
const tmpDir = useTempDir('e2e-record-app-');

function recording(page: Page): Promise<RecordingState> {
  return page.evaluate(() => window.__playground!.recording());
}

/** Clicks the Export folder's button `name` and returns the downloaded file's name and bytes. */
async function exported(page: Page, name: string): Promise<{ file: string; bytes: Buffer }> {
  const title = page.locator('.lil-title', { hasText: /^Export$/ });
  if (
    await title
      .locator('xpath=..')
      .evaluate((el) => el.classList.contains('lil-closed') || el.classList.contains('closed'))
  )
    await title.click();
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.locator('.lil-name', { hasText: name }).click();
  const file = join(tmpDir(), (await download).suggestedFilename());
  await (await download).saveAs(file);
  return { file, bytes: readFileSync(file) };
}

describe('recording from the app', () => {
  it('records 2 s at 30 fps, 720p: 60 frames, k steps apart, then plays on', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64');
    await waitForSteps(page, 10);
    await configureRecording(page, 2, 3);
    const download = page.waitForEvent('download', { timeout: 300_000 });
    await recordButton(page).click();
    await expect.poll(() => page.locator('.record-progress').isVisible()).toBe(true);
    expect((await state(page)).playing).toBe(false);
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/recording/);
    // Play, step and reset keys wait while the recording steps the run.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (const key of ['ArrowRight', ' ', 'r']) await page.keyboard.press(key);
    const file = join(tmpDir(), (await download).suggestedFilename());
    await (await download).saveAs(file);

    const rec = await recording(page);
    expect(rec.outcome).toBe('saved');
    expect(rec.last?.frames).toBe(60);
    // The first frame shows the state at the click; each later frame is exactly 3 steps on.
    expect(rec.last!.lastStep - rec.last!.firstStep).toBe(59 * 3);
    expect(statSync(file).size).toBe(rec.last!.bytes);
    const probe = ffprobe(file);
    const v = probe.streams[0]!;
    expect(['h264', 'vp9', 'vp8']).toContain(v.codec_name);
    expect(file.endsWith(v.codec_name === 'h264' ? '.mp4' : '.webm')).toBe(true);
    expect([v.width, v.height]).toEqual([1280, 720]);
    expect(Number(v.nb_read_frames)).toBe(60);
    expect(Number(probe.format.duration)).toBeCloseTo(2, 1);
    // The default plot strip (energy + rates) fills the bottom corners, where the sphere never reaches.
    const corners = [
      { x0: 0.03, x1: 0.25, y0: 0.8, y1: 0.98 },
      { x0: 0.75, x1: 0.97, y0: 0.8, y1: 0.98 },
    ];
    for (const c of corners) expect(litInLastFrame(file, 1280, 720, c)).toBeGreaterThan(0.01);
    // …and the top-right corner (no time label, no plots) stays background.
    expect(litInLastFrame(file, 1280, 720, { x0: 0.8, x1: 0.98, y0: 0.02, y1: 0.15 })).toBeLessThan(0.002);

    // The progress panel is gone, live play is back, and the run goes on.
    await expect.poll(() => page.locator('.record-progress').count()).toBe(0);
    const after = await state(page);
    expect(after.playing).toBe(true);
    await waitForSteps(page, after.stepIndex + 20);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Cancel stops the recording: no file, the run plays on', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64');
    await waitForSteps(page, 10);
    await configureRecording(page, 30, 1);
    let downloads = 0;
    page.on('download', () => {
      downloads++;
    });
    await recordButton(page).click();
    await page.waitForFunction(() => window.__playground!.recording().done >= 3, undefined, {
      timeout: 60_000,
      polling: 100,
    });
    await page.locator('.record-progress__cancel').click();
    await page.waitForFunction(() => !window.__playground!.recording().active, undefined, {
      timeout: 60_000,
      polling: 100,
    });
    const rec = await recording(page);
    expect(rec.outcome).toBe('cancelled');
    expect(rec.done).toBeLessThan(rec.total);
    expect(await page.locator('.record-progress').count()).toBe(0);
    expect((await state(page)).banners.record).toMatch(/cancelled/);
    const s = await state(page);
    expect(s.playing).toBe(true);
    await waitForSteps(page, s.stepIndex + 20);
    expect(downloads).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('exports a PNG still, the traces (CSV, JSON) and the token positions (JSON)', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64&heads=2');
    await waitForSteps(page, 20);
    const png = await exported(page, 'PNG still');
    expect(png.file).toMatch(/\.png$/);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // Wider than the view alone: the plots stand in a column to its right.
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(png.bytes.readUInt32BE(20));
    const csv = (await exported(page, 'traces CSV')).bytes.toString('utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^replica,step,t,energy/);
    expect(csv.length).toBeGreaterThan(20);
    const traces = JSON.parse((await exported(page, 'traces JSON')).bytes.toString('utf8')) as {
      energy: { t: number[]; mean: number[] };
    };
    expect(traces.energy.t.length).toBeGreaterThan(20);
    expect(traces.energy.mean.every(Number.isFinite)).toBe(true);
    const pos = JSON.parse((await exported(page, 'token positions JSON')).bytes.toString('utf8')) as {
      P: number;
      n: number;
      d: number;
      positions: number[][][];
    };
    expect([pos.P, pos.n, pos.d]).toEqual([1, 64, 3]);
    for (const x of pos.positions[0]!) expect(Math.hypot(...x)).toBeCloseTo(1, 5);
    expect((await state(page)).banners.export).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });
});
