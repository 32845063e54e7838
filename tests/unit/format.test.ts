/** The shared formatters (src/model/format.ts), in each form the app and the CLI use. */
import { describe, expect, it } from 'vitest';
import { errorMessage, formatDuration, formatShort, type ShortOptions } from '../../src/model/format';

/** [value, expected text] pairs of one form. */
type Cases = [number | null | undefined, string][];

function expectShort(cases: Cases, opts?: ShortOptions): void {
  expect(cases.map(([v]) => formatShort(v, opts))).toEqual(cases.map(([, s]) => s));
}

describe('formatShort', () => {
  it('labels: 3 significant digits, compact exponents outside [1e-3, 1e4), a true minus', () => {
    // biome-ignore format: value/text pairs
    expectShort([
      [0, '0'], [-0, '0'], [1.23456, '1.23'], [-0.5, '−0.5'], [9999, '10000'], [12345, '1.23e4'],
      [15000, '1.5e4'], [1e5, '1e5'], [0.001, '0.001'], [-0.00012, '−1.2e−4'],
      [null, '—'], [undefined, '—'], [NaN, '—'], [-Infinity, '—'],
    ]);
  });

  it('log-axis ticks: one digit in exponent form outside [1e-2, 1e4)', () => {
    expectShort(
      [
        [0, '0'],
        [0.01, '0.01'],
        [0.005, '5e−3'],
        [2e5, '2e5'],
        [300, '300'],
      ],
      { expDigits: 1, expBelow: 1e-2 },
    );
  });

  it('the sweep card: `digits` everywhere, exponent form kept as toExponential writes it', () => {
    expect(formatShort(1.23456, { digits: 4, compact: false })).toBe('1.235');
    expect(formatShort(0.5, { digits: 2, compact: false })).toBe('0.5');
    expectShort(
      [
        [15000, '1.50e+4'],
        [-0.00012, '−1.20e−4'],
        [NaN, '—'],
      ],
      { compact: false },
    );
  });
});

describe('formatDuration', () => {
  it('rounds up to whole seconds by default; negative or non-finite is unknown', () => {
    // biome-ignore format: value/text pairs
    const cases: [number, string][] = [
      [4.2, '5 s'], [59.5, '1 min 00 s'], [125, '2 min 05 s'], [61.4, '1 min 02 s'],
      [-1, '…'], [NaN, '…'], [Infinity, '…'],
    ];
    expect(cases.map(([v]) => formatDuration(v))).toEqual(cases.map(([, s]) => s));
  });

  it("'nearest': up under a minute, the seconds past the minutes to the nearest", () => {
    // biome-ignore format: value/text pairs
    const cases: [number, string][] = [
      [4.2, '5 s'], [59.5, '60 s'], [61.4, '1 min 01 s'], [3725, '62 min 05 s'], [NaN, '…'],
    ];
    expect(cases.map(([v]) => formatDuration(v, 'nearest'))).toEqual(cases.map(([, s]) => s));
  });
});

describe('errorMessage', () => {
  it("is an Error's message, else the value's string form", () => {
    expect(errorMessage(new RangeError('too far'))).toBe('too far');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
  });
});
