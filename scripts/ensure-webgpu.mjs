#!/usr/bin/env node
/**
 * Makes sure Node can reach a WebGPU adapter (dawn.node) before the tests run, and that
 * `ffprobe`, `/usr/bin/chromium`, `/usr/bin/firefox-esr` and `Xvfb` (browser tests: Firefox runs
 * windowed on a virtual display) exist. Without a GPU, dawn.node needs SwiftShader from Debian's
 * `chromium` package; as root on Debian this script installs `chromium ffmpeg firefox-esr xvfb
 * xauth` (what is missing) with apt-get. Prints one line about the adapter; exits non-zero with a
 * fix command when nothing works. The env logic mirrors src/gpu/node-env.ts.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const CHROMIUM = '/usr/bin/chromium';
const FIREFOX = '/usr/bin/firefox-esr';
const XVFB = '/usr/bin/Xvfb';
const PROBE_TIMEOUT_MS = 30_000;
const TAG = '[ensure-webgpu]';

/** Same rules as configureSoftwareVulkan() in src/gpu/node-env.ts, on a copy of the env. */
function testEnv() {
  const env = { ...process.env };
  if (process.platform !== 'linux') return env;
  const hardware = ['/dev/nvidia0', '/dev/dri/renderD128'].some((p) => existsSync(p));
  const software = env.WEBGPU_FORCE_SOFTWARE === '1' || !hardware;
  if (!env.VK_ICD_FILENAMES && software && existsSync(SWIFTSHADER_ICD)) {
    env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  if (!env.XDG_RUNTIME_DIR) {
    const dir = join(tmpdir(), `xdg-runtime-${process.getuid?.() ?? 'user'}`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      accessSync(dir, constants.W_OK);
      env.XDG_RUNTIME_DIR = dir;
    } catch {
      env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'xdg-runtime-'));
    }
  }
  return env;
}

/** Asks dawn.node for an adapter in a child process (a hang or crash cannot take us down). */
function probe() {
  let webgpu;
  try {
    webgpu = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return { ok: false, why: "npm package 'webgpu' is not installed", fix: 'npm ci' };
  }
  const code = `
    import { create, globals } from ${JSON.stringify(webgpu)};
    Object.assign(globalThis, globals);
    const adapter = await create([]).requestAdapter();
    const i = adapter?.info;
    process.stdout.write('@@' + JSON.stringify(i ? { vendor: i.vendor, architecture: i.architecture,
      description: i.description, fallback: !!(i.isFallbackAdapter ?? adapter.isFallbackAdapter) } : null));
    process.exit(0);`;
  const env = testEnv();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env,
    encoding: 'utf8',
    timeout: PROBE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  const json = r.stdout?.split('@@')[1];
  const info = json ? JSON.parse(json) : null;
  if (info) return { ok: true, info, env };
  const stderr = (r.stderr ?? '').trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  const why =
    r.error?.code === 'ETIMEDOUT'
      ? `adapter probe hung for ${PROBE_TIMEOUT_MS / 1000} s`
      : r.status !== 0
        ? `adapter probe crashed (${r.signal ?? `exit ${r.status}`})`
        : 'requestAdapter() returned null';
  return { ok: false, why: stderr ? `${why}: ${stderr}` : why, env };
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

let aptUpdated = false;
/** apt-get update (once) + install, output streamed. Returns false when apt failed. */
function aptInstall(pkgs) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    console.log(`${TAG} apt-get ${args.join(' ')}`);
    return spawnSync('apt-get', args, { env, stdio: 'inherit' }).status === 0;
  };
  if (!aptUpdated) aptUpdated = run(['update']);
  return aptUpdated && run(['install', '-y', ...pkgs]);
}

function fail(why, fix) {
  console.error(`${TAG} no WebGPU test set-up: ${why}`);
  console.error(`${TAG} fix: ${fix}`);
  process.exit(1);
}

const canApt = process.platform === 'linux' && process.getuid?.() === 0 && onPath('apt-get');
const aptHint = onPath('apt-get')
  ? 'sudo apt-get install -y chromium ffmpeg firefox-esr xvfb xauth'
  : 'install Chromium (with SwiftShader), Firefox ESR, Xvfb and ffmpeg, or run on a machine with a GPU';

let result = probe();
const missing = [];
if (process.platform === 'linux' && (!existsSync(SWIFTSHADER_ICD) || !existsSync(CHROMIUM))) {
  missing.push('chromium');
}
if (!onPath('ffprobe')) missing.push('ffmpeg');
if (process.platform === 'linux' && !existsSync(FIREFOX)) missing.push('firefox-esr');
if (process.platform === 'linux' && (!existsSync(XVFB) || !onPath('xauth'))) missing.push('xvfb', 'xauth');
if (missing.length > 0) {
  if (!canApt) {
    const why = result.ok
      ? `missing ${missing.join(', ')} (browser/recording tests need them)`
      : `${result.why}; missing ${missing.join(', ')}`;
    fail(why, result.fix ?? aptHint);
  }
  if (!aptInstall(missing)) fail(`apt-get install ${missing.join(' ')} failed`, aptHint);
  if (!result.ok) result = probe();
}

if (!result.ok) {
  const icd = result.env?.VK_ICD_FILENAMES;
  const fix =
    result.fix ??
    (icd
      ? `check the Vulkan driver in VK_ICD_FILENAMES=${icd}, or unset it (SwiftShader: ${aptHint})`
      : existsSync(SWIFTSHADER_ICD)
        ? 'a GPU device node exists but gives no adapter; use SwiftShader with WEBGPU_FORCE_SOFTWARE=1'
        : aptHint);
  fail(result.why, fix);
}

const { vendor, architecture, description, fallback } = result.info;
const via = result.env.VK_ICD_FILENAMES ? ` via VK_ICD_FILENAMES=${result.env.VK_ICD_FILENAMES}` : '';
console.log(
  `${TAG} WebGPU adapter: ${[vendor, architecture].filter(Boolean).join(' ') || 'unknown'}` +
    ` (${description || 'no description'})${fallback ? ' [fallback]' : ''}${via}`,
);
