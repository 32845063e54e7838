/**
 * Firefox ESR (Debian `firefox-esr`: its own WebGPU stack, wgpu and naga) for the e2e tests,
 * driven by puppeteer-core over WebDriver BiDi, windowed on a private Xvfb display (headless
 * Firefox has WebGPU but no WebGL), WebGPU on the Vulkan driver of VK_ICD_FILENAMES (SwiftShader
 * when there is no GPU: set by vitest.config.ts). Downloads go to `downloads` without a dialog.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Path of the system Firefox ESR (Debian package `firefox-esr`). */
export const FIREFOX_PATH = '/usr/bin/firefox-esr';
const XVFB = '/usr/bin/Xvfb';
/** Screen of the virtual display: the app's pages are 1280×800. */
const SCREEN = '1600x1000x24';

/** A launched Firefox, its display, and the folder its downloads land in. */
export interface Firefox {
  browser: Browser;
  downloads: string;
  close(): Promise<void>;
}

/** Starts Xvfb on a free display (it writes the number it chose to fd 3). */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const x = spawn(XVFB, ['-displayfd', '3', '-screen', '0', SCREEN, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  x.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const display = await new Promise<string>((ok, ko) => {
    let out = '';
    x.stdio[3]!.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) ok(`:${out.trim()}`);
    });
    x.on('error', ko);
    x.on('exit', (code) => ko(new Error(`Xvfb exited (${code}) before it chose a display: ${stderr.trim()}`)));
  });
  return { display, process: x };
}

/**
 * Launches Firefox ESR with WebGPU enabled, on its own Xvfb display (or `headless`: WebGPU but no
 * WebGL there); throws with the fix when it is missing.
 */
export async function launchFirefox(options: { headless?: boolean } = {}): Promise<Firefox> {
  for (const [path, pkg] of [
    [FIREFOX_PATH, 'firefox-esr'],
    [XVFB, 'xvfb'],
  ] as const) {
    if (!existsSync(path))
      throw new Error(
        `${path} is missing: install it with \`apt-get install -y ${pkg} xauth\` (or run \`node scripts/ensure-webgpu.mjs\` as root).`,
      );
  }
  const xvfb = options.headless ? undefined : await startXvfb();
  const downloads = mkdtempSync(join(tmpdir(), 'e2e-firefox-downloads-'));
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: options.headless === true,
      env: xvfb ? { ...process.env, DISPLAY: xvfb.display } : { ...process.env },
      extraPrefsFirefox: {
        'dom.webgpu.enabled': true,
        'gfx.webgpu.ignore-blocklist': true,
        // Save downloads to `downloads`, never ask.
        'browser.download.folderList': 2,
        'browser.download.dir': downloads,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.download.start_downloads_in_tmp_dir': false,
      },
    });
    return {
      browser,
      downloads,
      close: async () => {
        await browser.close();
        xvfb?.process.kill();
        rmSync(downloads, { recursive: true, force: true });
      },
    };
  } catch (e) {
    xvfb?.process.kill();
    rmSync(downloads, { recursive: true, force: true });
    throw e;
  }
}
