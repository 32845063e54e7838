/**
 * WGSL sources of the kernels. Under Vite and vitest the files under shaders/ arrive through
 * `import.meta.glob(…, { query: '?raw' })` (Vite's `?raw` import, bundled); under `tsx` (the CLI
 * and benchmarks), which has no `?raw`, they are read from disk with node:fs next to this file.
 *
 * WGSL has no includes: a kernel's module source is the plain concatenation of whole files,
 * its preludes (shared struct declarations, Philox) followed by the kernel file. No numbers are
 * spliced into any text; tunables are `override` constants set at pipeline creation.
 */

/** Kernel files (one compute entry point `main` each) and the prelude files they need. */
export const KERNELS = {
  'weights-stage': ['structs', 'trig', 'philox'],
  'attention-accumulate': ['structs', 'attention-io'],
  'attention-accumulate-d3': ['structs', 'attention-io', 'attention-shift'],
  'attention-accumulate-d8': ['structs', 'attention-io', 'attention-shift'],
  'token-combine': ['structs'],
  'jump-energy': ['structs'],
  'diagnostics-reduce': ['structs'],
  'philox-words': ['structs', 'trig', 'philox'],
} as const satisfies Record<string, readonly string[]>;

export type KernelName = keyof typeof KERNELS;
export type ShaderFile = KernelName | 'structs' | 'trig' | 'philox' | 'attention-io' | 'attention-shift';
export type ShaderSources = Record<ShaderFile, string>;

const FILES: readonly ShaderFile[] = [
  'structs',
  'trig',
  'philox',
  'attention-io',
  'attention-shift',
  ...(Object.keys(KERNELS) as KernelName[]),
];

/** The Vite-bundled sources (undefined outside Vite: `import.meta.env` is Vite's). */
const bundled: Record<string, string> | undefined = import.meta.env
  ? import.meta.glob<string>('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true })
  : undefined;

let cache: Promise<ShaderSources> | undefined;

async function readFromDisk(): Promise<Record<string, string>> {
  // A computed specifier keeps bundlers from resolving node:fs for the browser build.
  const fsModule = 'node:fs/promises';
  const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  const out: Record<string, string> = {};
  await Promise.all(
    FILES.map(async (f) => {
      out[`../../shaders/${f}.wgsl`] = await readFile(new URL(`../../shaders/${f}.wgsl`, import.meta.url), 'utf8');
    }),
  );
  return out;
}

/** All shader files by name (loaded once). */
export function shaderSources(): Promise<ShaderSources> {
  cache ??= (async () => {
    const raw = bundled ?? (await readFromDisk());
    const out = {} as ShaderSources;
    for (const f of FILES) {
      const text = raw[`../../shaders/${f}.wgsl`];
      if (text === undefined) throw new Error(`shaders/${f}.wgsl is missing`);
      out[f] = text;
    }
    return out;
  })();
  return cache;
}

/** The module source of a kernel: its preludes, then the kernel file. */
export function kernelSource(sources: ShaderSources, kernel: KernelName): string {
  return [...KERNELS[kernel], kernel]
    .map((f) => `// ---- shaders/${f}.wgsl ----\n${sources[f as ShaderFile]}`)
    .join('\n');
}
