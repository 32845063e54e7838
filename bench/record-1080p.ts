/**
 * `npm run bench:record [-- --steps K] [--seconds S] [--n N] [--out FILE] [--screenshot PNG]`: records a
 * video from the built app in headless Chromium as a user would (Record folder: 1080p, 30 fps,
 * S seconds (default 10), K steps per video frame (default 1); the "Record video" button; the
 * download) on the S² oscillating preset with n = 4,096 (d = 3, H = 1). Saves the file, runs
 * ffprobe, and prints frame count, size, codec, duration, file size and wall time. With
 * --screenshot, saves a page screenshot taken while the progress bar is showing.
 */
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { hookState, openRun, serveApp } from './serve-app';
import { ffprobe } from '../tests/e2e/video';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const steps = Number(arg('steps', '1'));
const seconds = Number(arg('seconds', '10'));
const out = resolve(arg('out', join(tmpdir(), 'record-1080p')));
const screenshot = arg('screenshot', '');
const N = Number(arg('n', '4096'));

async function openFolder(page: Page, title: string): Promise<void> {
  const t = page.locator('.lil-title', { hasText: title }).first();
  if (
    await t.locator('xpath=..').evaluate((el) => el.classList.contains('lil-closed') || el.classList.contains('closed'))
  )
    await t.click();
}

function field(page: Page, name: string, tag: 'input' | 'select') {
  return page
    .locator('.lil-controller', {
      has: page.locator('.lil-name', { hasText: new RegExp(`^${name.replace(/[()/]/g, '\\$&')}$`) }),
    })
    .locator(tag)
    .first();
}

async function setNumber(page: Page, name: string, value: number): Promise<void> {
  const input = field(page, name, 'input');
  await input.scrollIntoViewIfNeeded();
  await input.fill(String(value));
  await input.press('Enter');
}

const app = await serveApp();
try {
  const page = await openRun(app, `?preset=s2-oscillating&n=${N}`, { width: 1600, height: 900 });
  const s = await hookState(page);
  await openFolder(page, 'Record');
  await field(page, 'resolution', 'select').selectOption({ label: '1080p' });
  await field(page, 'frames / s', 'select').selectOption({ label: '30' });
  await setNumber(page, 'duration (s)', seconds);
  await setNumber(page, 'steps / video frame', steps);
  const download = page.waitForEvent('download', { timeout: 0 });
  const started = performance.now();
  await page.locator('.lil-name', { hasText: 'Record video' }).click();
  if (screenshot) {
    await page.waitForFunction(() => window.__playground!.recording().done >= 12, undefined, {
      timeout: 0,
      polling: 500,
    });
    await page.screenshot({ path: screenshot });
  }
  const file = `${out}.${(await download).suggestedFilename().split('.').pop()}`;
  await (await download).saveAs(file);
  const wall = (performance.now() - started) / 1000;
  const rec = await page.evaluate(() => window.__playground!.recording());
  const probe = ffprobe(file);
  const v = probe.streams[0]!;
  const lines = [
    `scenario: s2-oscillating, n = ${s.n}, d = ${s.d}, H = ${s.heads}, engine: ${s.engineLabel}`,
    `settings: 1080p, 30 fps, ${seconds} s, ${steps} step(s) per video frame`,
    `file: ${file} (${(statSync(file).size / 1e6).toFixed(2)} MB, ${rec.last?.mimeType ?? '?'})`,
    `ffprobe: ${v.nb_read_frames} frames, ${v.width}×${v.height}, ${v.codec_name}, duration ${Number(probe.format.duration).toFixed(3)} s`,
    `steps recorded: ${(rec.last?.lastStep ?? 0) - (rec.last?.firstStep ?? 0)}`,
    `wall time: ${wall.toFixed(1)} s (${((wall * 1000) / Number(v.nb_read_frames)).toFixed(0)} ms per frame)`,
    `per frame (ms): ${Object.entries(rec.phaseMs ?? {})
      .map(([k, t]) => `${k} ${(t / Number(v.nb_read_frames)).toFixed(0)}`)
      .join(', ')}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await app.close();
}
