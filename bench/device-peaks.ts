/**
 * The fp32 limits of the GPUs whose figures bench/device.ts can put in proportion: SM count, boost
 * clock, fp32 lanes and special-function (exp) units per SM, from the vendors' data sheets. Only
 * an adapter whose name matches one of these gets a "fraction of the limit"; any other adapter
 * (SwiftShader, an unnamed adapter, a GPU not in the table) gets none.
 */

export interface DevicePeak {
  name: string;
  /** Matched against the adapter's vendor, architecture, device and description (joined). */
  match: RegExp;
  sms: number;
  /** Boost clock, GHz. */
  boostGhz: number;
  /** fp32 FMA lanes per SM per clock. */
  fp32PerSm: number;
  /** Special-function units (exp2) per SM per clock. */
  sfuPerSm: number;
}

/** NVIDIA data-center and desktop parts (whitepapers: Volta, Turing, Ampere, Ada, Hopper). */
export const DEVICE_PEAKS: readonly DevicePeak[] = [
  { name: 'NVIDIA H200', match: /\bH200\b/i, sms: 132, boostGhz: 1.98, fp32PerSm: 128, sfuPerSm: 16 },
  {
    name: 'NVIDIA H100 SXM',
    match: /\bH100\b.*\b(SXM|HBM3)\b/i,
    sms: 132,
    boostGhz: 1.98,
    fp32PerSm: 128,
    sfuPerSm: 16,
  },
  { name: 'NVIDIA H100 PCIe', match: /\bH100\b/i, sms: 114, boostGhz: 1.755, fp32PerSm: 128, sfuPerSm: 16 },
  { name: 'NVIDIA A100', match: /\bA100\b/i, sms: 108, boostGhz: 1.41, fp32PerSm: 64, sfuPerSm: 16 },
  { name: 'NVIDIA L40S', match: /\bL40S\b/i, sms: 142, boostGhz: 2.52, fp32PerSm: 128, sfuPerSm: 16 },
  { name: 'NVIDIA L4', match: /\bL4\b/i, sms: 58, boostGhz: 2.04, fp32PerSm: 128, sfuPerSm: 16 },
  { name: 'NVIDIA A10', match: /\bA10\b/i, sms: 72, boostGhz: 1.695, fp32PerSm: 128, sfuPerSm: 16 },
  { name: 'NVIDIA T4', match: /\bT4\b/i, sms: 40, boostGhz: 1.59, fp32PerSm: 64, sfuPerSm: 16 },
  { name: 'NVIDIA V100', match: /\bV100\b/i, sms: 80, boostGhz: 1.53, fp32PerSm: 64, sfuPerSm: 16 },
  { name: 'NVIDIA RTX 4090', match: /\bRTX 4090\b/i, sms: 128, boostGhz: 2.52, fp32PerSm: 128, sfuPerSm: 16 },
  { name: 'NVIDIA RTX 3090', match: /\bRTX 3090\b/i, sms: 82, boostGhz: 1.695, fp32PerSm: 128, sfuPerSm: 16 },
];

/**
 * fp32 lane operations per pair-head in the d ≤ 3 kernel's inner loop (attention-accumulate-d3.wgsl
 * `addPairs`), counted from its source: the score ℓ = u·x_j (3), the running max (1), ℓ − m (1), the
 * exp's scaling by log₂e (1), N += e (1), S += e·x_j (3) — 10; with noise, c = x_i·x_j (3) and
 * Q += e·c² (2) — 15. Plus one exp2 on a special-function unit. The second sweep of the few lanes
 * whose shift was off and the per-token work outside the loop are not counted (the figure is an
 * upper bound on the fraction).
 */
export function opsPerPair(noise: boolean): { fp32: number; exp: number } {
  return { fp32: noise ? 15 : 10, exp: 1 };
}

/** The peak matched by an adapter's joined info strings, or undefined. */
export function knownPeak(adapterText: string): DevicePeak | undefined {
  return DEVICE_PEAKS.find((p) => p.match.test(adapterText));
}

/** Pair-heads per second at which the fp32 lanes or the exp units saturate, whichever comes first. */
export function pairHeadLimit(peak: DevicePeak, noise: boolean): number {
  const ops = opsPerPair(noise);
  const hz = peak.boostGhz * 1e9 * peak.sms;
  return Math.min((hz * peak.fp32PerSm) / ops.fp32, (hz * peak.sfuPerSm) / ops.exp);
}
