/**
 * Kernel tunables of the attention pass, chosen per adapter: how many quads of four tokens i one
 * invocation of the d ≤ 3 kernel owns (its QUADS override), the workgroup size of the fixed-shift
 * kernels (their WG override, also the tile length), how far it shrinks at small n so there are
 * enough workgroups for the adapter's threads or cores, and past that how far the j range is split
 * over workgroups (J_SPLITS, J_CHUNK). Each is an override or a dispatch size set
 * from TypeScript, never spliced into WGSL text; every allowed value is run against the float64
 * engine by tests/gpu/tunables.test.ts.
 *
 * `ADAPTER_TUNABLES` is the table: the first row whose test matches the adapter's info wins, else
 * `DEFAULT_TUNABLES`. Only the software row is measured (SwiftShader on a 2-core machine,
 * docs/GPU.md "Measured speed"); the GPU row is reasoned, not measured (no GPU was available):
 * one quad per invocation (four independent exp chains, few registers, so many warps per SM) and
 * workgroups no smaller than a warp or wavefront.
 */

/** Most quads per invocation: the d ≤ 3 kernel writes out the sums of quads a … d (its MAX_QUADS). */
export const MAX_QUADS = 4;
/** Smallest workgroup of the fixed-shift kernels (the tile length). */
export const MIN_WG = 8;
/** Largest workgroup the kernels are run with (WebGPU's default maxComputeInvocationsPerWorkgroup). */
export const MAX_WG = 256;

export interface KernelTunables {
  /** Quads of four tokens i per invocation of attention-accumulate-d3.wgsl (1 … MAX_QUADS). */
  quads: number;
  /** Invocations per workgroup (= tile length) of the fixed-shift kernels at large n: a power of two, MIN_WG … MAX_WG. */
  wg: number;
  /** At small n the workgroup halves, not below `shrinkTo`, while there are fewer than `minWorkgroups` workgroups. */
  minWorkgroups: number;
  /** Smallest workgroup the shrinking goes to: a power of two, MIN_WG … wg. */
  shrinkTo: number;
  /**
   * Workgroups to aim for by splitting the j range (0: never): when the token workgroups × heads ×
   * replicas are fewer, each (token workgroup, head, replica) sums over its share of the tokens j in
   * up to ⌈jSplitWorkgroups / that⌉ workgroups of whole tiles, and attention-merge.wgsl adds the
   * shares. A large GPU is otherwise left nearly idle at small n (n = 1,024, H = 8: 16 workgroups).
   */
  jSplitWorkgroups: number;
}

/** What an adapter says about itself (GPUAdapterInfo; every field may be empty, as in Firefox). */
export interface AdapterDescription {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface AdapterRow {
  /** What the row is for (printed by bench:device). */
  row: string;
  matches: (info: AdapterDescription) => boolean;
  tunables: KernelTunables;
}

/** The adapter's words in one lower-case string. */
function words(info: AdapterDescription): string {
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ').toLowerCase();
}

/** Unknown adapters: the values measured best on SwiftShader before this table existed. */
export const DEFAULT_TUNABLES: KernelTunables = {
  quads: 2,
  wg: 64,
  minWorkgroups: 8,
  shrinkTo: MIN_WG,
  jSplitWorkgroups: 0,
};

export const ADAPTER_TUNABLES: readonly AdapterRow[] = [
  {
    row: 'software rasteriser (SwiftShader, llvmpipe, WARP, a fallback adapter)',
    matches: (info) =>
      info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|warp|software/.test(words(info)),
    // Measured on SwiftShader (docs/GPU.md): a few worker threads, 4-wide SIMD across invocations.
    // The j range is never split: the few cores are busy from 8 workgroups on.
    tunables: { quads: 2, wg: 64, minWorkgroups: 8, shrinkTo: MIN_WG, jSplitWorkgroups: 0 },
  },
  {
    row: 'hardware GPU (NVIDIA, AMD, Intel, Apple, Qualcomm, ARM, Imagination)',
    matches: (info) =>
      /\b(nvidia|amd|ati|radeon|intel|apple|qualcomm|adreno|arm|mali|imagination|powervr)\b/.test(words(info)),
    // Not measured here: one quad (fewer registers, more resident warps), 128 invocations, never
    // below a 32-wide warp, and enough workgroups for a large GPU's SMs before shrinking stops;
    // past that the j range is split until there are ~2,048 workgroups (an H200's 132 SMs hold
    // ~16 such workgroups each: about one full wave).
    tunables: { quads: 1, wg: 128, minWorkgroups: 256, shrinkTo: 32, jSplitWorkgroups: 2048 },
  },
];

const isPow2 = (x: number) => Number.isInteger(x) && x > 0 && (x & (x - 1)) === 0;

/** Throws a RangeError naming the first field out of its range. */
export function validateTunables(t: KernelTunables): KernelTunables {
  const fail = (field: string, expected: string, got: number) => {
    throw new RangeError(`kernel tunables: ${field} must be ${expected}, got ${got}`);
  };
  if (!(Number.isInteger(t.quads) && t.quads >= 1 && t.quads <= MAX_QUADS))
    fail('quads', `an integer from 1 to ${MAX_QUADS}`, t.quads);
  if (!(isPow2(t.wg) && t.wg >= MIN_WG && t.wg <= MAX_WG))
    fail('wg', `a power of two from ${MIN_WG} to ${MAX_WG}`, t.wg);
  if (!(Number.isInteger(t.minWorkgroups) && t.minWorkgroups >= 1))
    fail('minWorkgroups', 'a positive integer', t.minWorkgroups);
  if (!(isPow2(t.shrinkTo) && t.shrinkTo >= MIN_WG && t.shrinkTo <= t.wg))
    fail('shrinkTo', `a power of two from ${MIN_WG} to wg = ${t.wg}`, t.shrinkTo);
  if (!(Number.isInteger(t.jSplitWorkgroups) && t.jSplitWorkgroups >= 0))
    fail('jSplitWorkgroups', 'a non-negative integer (0: never split the j range)', t.jSplitWorkgroups);
  return t;
}

/** The adapter's row (or the default) with `override`'s fields on top, validated. */
export function chooseTunables(
  info: AdapterDescription | undefined,
  override: Partial<KernelTunables> = {},
): { row: string; tunables: KernelTunables } {
  const found = info ? ADAPTER_TUNABLES.find((r) => r.matches(info)) : undefined;
  const row = found?.row ?? 'unknown adapter (default)';
  const tunables = validateTunables({ ...(found?.tunables ?? DEFAULT_TUNABLES), ...override });
  const overridden = Object.keys(override).length > 0 ? ` with ${JSON.stringify(override)}` : '';
  return { row: row + overridden, tunables };
}

/**
 * Every choice of each tunable, one field at a time from the default (every quads 1 … MAX_QUADS,
 * every wg from MIN_WG to MAX_WG, shrinking off and to the largest, the j range split in a few
 * shares and in one tile each), plus every row of the table:
 * what tests/gpu/tunables.test.ts runs against the float64 engine.
 */
export function tunableChoices(): KernelTunables[] {
  const out: KernelTunables[] = [DEFAULT_TUNABLES, ...ADAPTER_TUNABLES.map((r) => r.tunables)];
  for (let quads = 1; quads <= MAX_QUADS; quads++) out.push({ ...DEFAULT_TUNABLES, quads });
  for (let wg = MIN_WG; wg <= MAX_WG; wg *= 2)
    out.push({ ...DEFAULT_TUNABLES, wg, shrinkTo: Math.min(DEFAULT_TUNABLES.shrinkTo, wg) });
  out.push({ ...DEFAULT_TUNABLES, minWorkgroups: 1 }, { ...DEFAULT_TUNABLES, minWorkgroups: 10_000 });
  // The j range split in a few shares, and in as many as there are tiles.
  out.push({ ...DEFAULT_TUNABLES, jSplitWorkgroups: 32 }, { ...DEFAULT_TUNABLES, jSplitWorkgroups: 1_000_000 });
  const seen = new Set<string>();
  return out.filter((t) => {
    const key = JSON.stringify(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
