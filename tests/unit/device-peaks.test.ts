import { describe, expect, it } from 'vitest';
import { knownPeak, opsPerPair, pairHeadLimit } from '../../bench/device-peaks';

describe('bench:device peaks', () => {
  it('names only the GPUs of its table: never SwiftShader, an unnamed adapter or a near name', () => {
    expect(knownPeak('google swiftshader swiftshader-device-subzero- SwiftShader driver 5.0.0')).toBeUndefined();
    expect(knownPeak('')).toBeUndefined();
    expect(knownPeak('nvidia ada NVIDIA L40S')?.name).toBe('NVIDIA L40S');
    expect(knownPeak('nvidia ada NVIDIA L4')?.name).toBe('NVIDIA L4');
    expect(knownPeak('nvidia ampere NVIDIA A100-SXM4-80GB')?.name).toBe('NVIDIA A100');
    expect(knownPeak('nvidia ampere NVIDIA A10')?.name).toBe('NVIDIA A10');
    expect(knownPeak('nvidia hopper NVIDIA H200')?.name).toBe('NVIDIA H200');
    expect(knownPeak('nvidia hopper NVIDIA H100 80GB HBM3')?.name).toBe('NVIDIA H100 SXM');
    expect(knownPeak('nvidia hopper NVIDIA H100 PCIe')?.name).toBe('NVIDIA H100 PCIe');
  });

  it('the limit is the smaller of the fp32-lane and exp-unit rates', () => {
    const h200 = knownPeak('NVIDIA H200')!;
    const hz = 132 * 1.98e9;
    // 128 lanes / 10 ops = 12.8 pairs per SM-clock < 16 exp units: fp32 bound.
    expect(pairHeadLimit(h200, false)).toBeCloseTo((hz * 128) / opsPerPair(false).fp32, -3);
    const a100 = knownPeak('NVIDIA A100')!;
    expect(pairHeadLimit(a100, true)).toBeCloseTo((108 * 1.41e9 * 64) / 15, -3);
  });
});
