#!/usr/bin/env node
/**
 * `node scripts/cli.mjs sim|sweep [args…]` (what `npm run sim` and `npm run sweep` run): runs the
 * command-line tools as JavaScript compiled by esbuild, so a run does not transpile TypeScript
 * first. The build (node_modules/.attention-cli/, one bundle per tool plus shared chunks; the GPU
 * code is a chunk loaded only by --engine gpu) is made on the first run and again whenever a file
 * under src/ or shaders/, package.json or this script is newer than it. Output files are written
 * under temporary names and renamed, so runs started together never see half a build.
 *
 * The folder is two levels below the project root on purpose: src/gpu/shaders.ts finds the WGSL
 * files at ../../shaders relative to its module, which holds for the bundle as for the source.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'node_modules', '.attention-cli');
const STAMP = join(OUT, 'build.json');
/** The tools and worker entry points, by output name. */
const ENTRIES = {
  sim: 'src/cli/sim.ts',
  sweep: 'src/cli/sweep.ts',
  'sweep-job-worker': 'src/cli/sweep-job-worker.ts',
  'engine-thread-worker': 'src/cli/engine-thread-worker.ts',
};
const TOOLS = ['sim', 'sweep'];

/** The newest modification time (ms) of the files under `dir` (recursively), 0 if none. */
function newest(dir) {
  let t = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function sourcesTime() {
  const files = ['package.json', 'scripts/cli.mjs'].map((f) => statSync(join(ROOT, f)).mtimeMs);
  return Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'shaders')), ...files);
}

function upToDate(sources) {
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
    return (
      stamp.sources >= sources && Object.keys(ENTRIES).every((e) => stamp.entries?.includes(e)) && stamp.ext === '.js'
    );
  } catch {
    return false;
  }
}

async function build(sources) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES)),
    outdir: OUT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunk-[hash]',
    write: false,
    logLevel: 'error',
  });
  await esbuild.stop();
  mkdirSync(OUT, { recursive: true });
  // The bundles are ES modules with .js names (what the sources' worker URLs name).
  writeFileSync(join(OUT, 'package.json'), '{ "type": "module" }\n');
  for (const f of result.outputFiles) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  // Chunks of earlier builds: removed once old enough that no run started before could still load one.
  const fresh = new Set(result.outputFiles.map((f) => f.path));
  for (const name of readdirSync(OUT)) {
    const p = join(OUT, name);
    if (/^chunk-.*\.js$/.test(name) && !fresh.has(p) && Date.now() - statSync(p).mtimeMs > 3600_000)
      rmSync(p, { force: true });
  }
  const tmp = `${STAMP}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ sources, entries: Object.keys(ENTRIES), ext: '.js' }));
  renameSync(tmp, STAMP);
}

const tool = process.argv[2];
if (!TOOLS.includes(tool)) {
  process.stderr.write(`usage: node scripts/cli.mjs ${TOOLS.join('|')} [args…]\n`);
  process.exit(2);
}
const sources = sourcesTime();
if (!upToDate(sources)) await build(sources);
// The tool reads its own arguments from process.argv.slice(2).
process.argv.splice(2, 1);
await import(pathToFileURL(join(OUT, `${tool}.js`)).href);
