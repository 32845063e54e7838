import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The Content-Security-Policy of the built app. Applied only to `vite build` output: the dev
 * server injects inline scripts and <style> tags for hot reload, which this policy forbids.
 * No inline styles are needed: lil-gui's and uPlot's CSS are imported as files, and what
 * they set at run time goes through element.style (CSSOM), which CSP does not restrict.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The headers a host should send with the app (README "Hosting"): the policy above plus
 * `frame-ancestors 'none'` (no other site may frame the app), which a <meta> policy cannot
 * carry; X-Frame-Options for browsers without frame-ancestors. The preview server sends them.
 */
export const SECURITY_HEADERS = {
  'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

/**
 * Cross-origin isolation (README "Hosting"): with these the page and its workers have
 * SharedArrayBuffer, and the CPU fallback's row workers share the kernel's memory; without them
 * (a host that sets no headers, e.g. GitHub Pages) the rows go to the workers as transferred
 * copies — the same bits either way. Every resource the app loads is its own, so require-corp
 * blocks nothing. The dev and preview servers send them.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

function cspPlugin(): Plugin {
  return {
    name: 'playground-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
      ],
    },
  };
}

export default defineConfig({
  // Relative asset, worker and chunk URLs: the built site works from any path (a sub-path of a host too).
  base: './',
  plugins: [cspPlugin()],
  resolve: {
    // lil-gui's package exports list only its JS; its stylesheet is imported by file (CSP: no injected <style>).
    alias: [
      {
        find: /^lil-gui\/dist\/lil-gui\.css$/,
        replacement: fileURLToPath(new URL('./node_modules/lil-gui/dist/lil-gui.css', import.meta.url)),
      },
    ],
  },
  worker: { format: 'es' },
  server: { headers: { ...ISOLATION_HEADERS } },
  preview: { headers: { ...SECURITY_HEADERS, ...ISOLATION_HEADERS } },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
});
