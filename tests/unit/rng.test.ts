/** The counter-based RNG: Random123 known answers, reproducibility, and the normal law. */
import { describe, expect, it } from 'vitest';
import { mulhi32, Philox, philox4x32, Stream } from '../../src/model/rng';

describe('Philox4x32-10', () => {
  it('matches the Random123 known-answer vectors', () => {
    const out = new Uint32Array(4);
    philox4x32(0, 0, 0, 0, 0, 0, out);
    expect([...out]).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
    expect([...out]).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
    philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
    expect([...out]).toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });

  it('computes the high word of 32×32-bit products exactly', () => {
    const cases: [number, number][] = [
      [0xffffffff, 0xffffffff],
      [0xd2511f53, 0x12345678],
      [1, 1],
      [0x80000000, 2],
      [0xcd9e8d57, 0xdeadbeef],
    ];
    for (const [a, b] of cases) expect(mulhi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
  });

  it('is reproducible and order-independent: the same counter gives the same numbers', () => {
    const a = new Philox(42),
      b = new Philox(42),
      c = new Philox(43);
    const x = new Float64Array(9),
      y = new Float64Array(9),
      z = new Float64Array(9);
    b.normals(7, 1, 2, Stream.weightNoise, new Float64Array(9)); // unrelated draw in between changes nothing
    a.normals(3, 1, 2, Stream.weightNoise, x);
    b.normals(3, 1, 2, Stream.weightNoise, y);
    c.normals(3, 1, 2, Stream.weightNoise, z);
    expect([...x]).toEqual([...y]);
    expect([...x]).not.toEqual([...z]);
  });

  it('draws standard normals (mean 0, variance 1, kurtosis 3 within sampling error)', () => {
    const rng = new Philox(5);
    const buf = new Float64Array(16);
    let m1 = 0,
      m2 = 0,
      m4 = 0;
    const N = 200_000;
    for (let k = 0; k < N / 16; k++) {
      rng.normals(k, 0, 0, Stream.tokens, buf);
      for (const v of buf) {
        m1 += v;
        m2 += v * v;
        m4 += v ** 4;
      }
    }
    expect(Math.abs(m1 / N)).toBeLessThan(0.01);
    expect(Math.abs(m2 / N - 1)).toBeLessThan(0.015);
    expect(Math.abs(m4 / N - 3)).toBeLessThan(0.08);
  });

  it('splits large seeds into two key words', () => {
    const a = new Philox(2 ** 40 + 5);
    expect(a.k0).toBe(5);
    expect(a.k1).toBe(256);
  });
});
