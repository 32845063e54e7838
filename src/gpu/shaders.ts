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
  'attention-merge': ['structs'],
  'token-combine': ['structs', 'token-combine-io'],
  'token-combine-d3': ['structs', 'token-combine-io'],
  'jump-energy': ['structs'],
  'diagnostics-reduce': ['structs'],
  'philox-words': ['structs', 'trig', 'philox'],
  density: [],
} as const satisfies Record<string, readonly string[]>;

export type KernelName = keyof typeof KERNELS;

/**
 * The `override` constants of each kernel's module (its preludes included). Pipeline creation
 * must set every one (`computePipeline` takes `KernelConstants<K>` and checks the keys against the
 * module's declarations): a missing key would silently take the WGSL default.
 * tests/gpu/kernel-constants.test.ts checks these lists against the files.
 */
export const KERNEL_OVERRIDES = {
  'weights-stage': ['D', 'H', 'STAGES', 'DRIFT', 'NOISE', 'WG'],
  'attention-accumulate': ['D', 'H', 'WG', 'NOISE', 'ACC_STRIDE', 'J_SPLITS', 'J_CHUNK', 'TILE_FLOATS'],
  'attention-accumulate-d3': ['D', 'H', 'WG', 'NOISE', 'ACC_STRIDE', 'J_SPLITS', 'J_CHUNK', 'QUADS'],
  'attention-accumulate-d8': ['D', 'H', 'WG', 'NOISE', 'ACC_STRIDE', 'J_SPLITS', 'J_CHUNK'],
  'attention-merge': ['H', 'ACC_STRIDE', 'J_SPLITS', 'WG'],
  'token-combine': ['H', 'STAGES', 'UNNORMALIZED', 'NOISE', 'ACC_STRIDE', 'WG', 'D'],
  'token-combine-d3': ['H', 'STAGES', 'UNNORMALIZED', 'NOISE', 'ACC_STRIDE', 'WG'],
  'jump-energy': ['H', 'ACC_STRIDE', 'WG'],
  'diagnostics-reduce': ['WG'],
  'philox-words': ['WG'],
  density: ['D', 'WG'],
} as const satisfies Record<KernelName, readonly string[]>;

/** The `constants` of a kernel's pipeline: every override of its module (bool overrides as 0 or 1). */
export type KernelConstants<K extends KernelName> = K extends KernelName
  ? Record<(typeof KERNEL_OVERRIDES)[K][number], number>
  : never;

/** One `override NAME: type` declaration of a WGSL source. */
export interface OverrideDecl {
  name: string;
  type: string;
}

/** The module-scope `override` declarations of a WGSL source, in order. */
export function overrideDecls(source: string): OverrideDecl[] {
  return [...source.matchAll(/^override\s+(\w+)\s*:\s*(\w+)/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
}

/** Is `v` a value WebGPU converts to the WGSL type exactly (a bool override takes 0 or 1)? */
function fits(type: string, v: number): boolean {
  if (type === 'bool') return v === 0 || v === 1;
  if (type === 'u32') return Number.isInteger(v) && v >= 0 && v < 2 ** 32;
  if (type === 'i32') return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
  return Number.isFinite(v);
}

/**
 * Throws unless `constants` sets exactly the overrides `source` declares, each with a value of its
 * type: WebGPU rejects an unknown name, but a missing one would silently take the WGSL default.
 */
export function checkConstants(kernel: KernelName, source: string, constants: Readonly<Record<string, number>>): void {
  const decls = overrideDecls(source);
  const declared = new Set(decls.map((o) => o.name));
  const missing = decls.filter((o) => !(o.name in constants)).map((o) => o.name);
  const unknown = Object.keys(constants).filter((k) => !declared.has(k));
  const bad = decls.filter((o) => o.name in constants && !fits(o.type, constants[o.name]!));
  if (missing.length || unknown.length || bad.length) {
    const parts = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unknown.length ? `not declared ${unknown.join(', ')}` : '',
      ...bad.map((o) => `${o.name} = ${constants[o.name]} is not a ${o.type}`),
    ].filter(Boolean);
    throw new Error(`shaders/${kernel}.wgsl: override constants do not match its declarations: ${parts.join('; ')}`);
  }
}
export type ShaderFile =
  | KernelName
  | 'structs'
  | 'trig'
  | 'philox'
  | 'attention-io'
  | 'attention-shift'
  | 'token-combine-io';
export type ShaderSources = Record<ShaderFile, string>;

const FILES: readonly ShaderFile[] = [
  'structs',
  'trig',
  'philox',
  'attention-io',
  'attention-shift',
  'token-combine-io',
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
