/**
 * Real-browser helpers for e2e tests: Debian's Chromium (SwiftShader WebGPU) via
 * playwright-core, a vite preview server for the built app, and a tiny static server.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build, preview } from 'vite';
import { inject } from 'vitest';

/** Path of the system Chromium (Debian package `chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that give headless Chromium a working `navigator.gpu` without a GPU (DESIGN.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Project root (where index.html and vite.config.ts live). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A running HTTP server on 127.0.0.1. */
export interface Served {
  /** Base URL, ending in `/`. */
  url: string;
  close(): Promise<void>;
}

/** Launches headless system Chromium with software WebGPU; throws if it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install it with \`apt-get install -y chromium\` ` +
        '(or run `node scripts/ensure-webgpu.mjs` as root).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Builds the app into a fresh temp dir with vite's JS API; returns the dir. */
export async function buildApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'e2e-dist-'));
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

let ownBuild: Promise<string> | undefined;

/** The built app's dir: built once per run by tests/e2e/global-setup.ts (or once per process when that did not run). */
export async function builtApp(): Promise<string> {
  const provided = inject('e2eApp');
  if (provided?.error) throw new Error(`vite build failed: ${provided.error}`);
  if (provided?.dir !== undefined) return provided.dir;
  ownBuild ??= buildApp();
  return ownBuild;
}

/**
 * Serves the built app with `vite preview` on a free loopback port. The app is built once per
 * run by tests/e2e/global-setup.ts (or once per process when that did not run).
 */
export async function startPreviewServer(): Promise<Served> {
  return servePreview(await builtApp());
}

/** Serves the build in `outDir` with `vite preview` on a free loopback port (also used by bench/). */
export async function servePreview(outDir: string): Promise<Served> {
  const server = await preview({
    root: ROOT,
    logLevel: 'silent',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a local URL');
  return { url, close: () => server.close() };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wgsl': 'text/plain',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * Serves the files of `dir` (no listing) on a free 127.0.0.1 port, under the URL path `prefix`
 * (default `/`; e.g. `/course/playground/`, as a static host serves a project site): any other
 * path is a 404, and a folder's URL serves its index.html. `url` is the prefix's URL.
 */
export async function serveStatic(dir: string, prefix = '/'): Promise<Served> {
  if (!prefix.startsWith('/') || !prefix.endsWith('/'))
    throw new Error(`serveStatic: prefix ${prefix} must start and end with /`);
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const inside = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : undefined;
    let path = inside === undefined ? '' : normalize(join(base, inside));
    if (path === base || path === base + sep) path = join(base, 'index.html');
    if (!path.startsWith(base + sep) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise<void>((ok, ko) => server.close((e) => (e ? ko(e) : ok()))),
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by tests/e2e/global-setup.ts: the built app's dir, or why the build failed. */
    e2eApp: { dir?: string; error?: string } | undefined;
  }
}
