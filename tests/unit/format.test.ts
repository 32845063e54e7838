/** The shared formatters (src/model/format.ts), in each form the app and the CLI use. */
import { describe, expect, it } from 'vitest';
import { errorMessage, formatDuration, formatShort } from '../../src/model/format';

describe('formatShort', () => {
  it('labels: 3 significant digits, compact exponents outside [1e-3, 1e4), a true minus', () => {
    expect(formatShort(0)).toBe('0');
    expect(formatShort(-0)).toBe('0');
    expect(formatShort(1.23456)).toBe('1.23');
    expect(formatShort(-0.5)).toBe('−0.5');
    expect(formatShort(9999)).toBe('10000');
    expect(formatShort(12345)).toBe('1.23e4');
    expect(formatShort(15000)).toBe('1.5e4');
    expect(formatShort(1e5)).toBe('1e5');
    expect(formatShort(0.001)).toBe('0.001');
    expect(formatShort(-0.00012)).toBe('−1.2e−4');
    expect(formatShort(null)).toBe('—');
    expect(formatShort(undefined)).toBe('—');
    expect(formatShort(NaN)).toBe('—');
    expect(formatShort(-Infinity)).toBe('—');
  });

  it('log-axis ticks: one digit in exponent form outside [1e-2, 1e4)', () => {
    const tick = (v: number) => formatShort(v, { expDigits: 1, expBelow: 1e-2 });
    expect(tick(0)).toBe('0');
    expect(tick(0.01)).toBe('0.01');
    expect(tick(0.005)).toBe('5e−3');
    expect(tick(2e5)).toBe('2e5');
    expect(tick(300)).toBe('300');
  });

  it('the sweep card: `digits` everywhere, exponent form kept as toExponential writes it', () => {
    const card = (v: number, digits?: number) => formatShort(v, { digits, compact: false });
    expect(card(1.23456, 4)).toBe('1.235');
    expect(card(0.5, 2)).toBe('0.5');
    expect(card(15000)).toBe('1.50e+4');
    expect(card(-0.00012, 2)).toBe('−1.2e−4');
    expect(card(NaN)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('rounds up to whole seconds by default; negative or non-finite is unknown', () => {
    expect(formatDuration(4.2)).toBe('5 s');
    expect(formatDuration(59.5)).toBe('1 min 00 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(61.4)).toBe('1 min 02 s');
    expect(formatDuration(-1)).toBe('…');
    expect(formatDuration(NaN)).toBe('…');
    expect(formatDuration(Infinity)).toBe('…');
  });

  it("'nearest': up under a minute, the seconds past the minutes to the nearest", () => {
    expect(formatDuration(4.2, 'nearest')).toBe('5 s');
    expect(formatDuration(59.5, 'nearest')).toBe('60 s');
    expect(formatDuration(61.4, 'nearest')).toBe('1 min 01 s');
    expect(formatDuration(3725, 'nearest')).toBe('62 min 05 s');
    expect(formatDuration(NaN, 'nearest')).toBe('…');
  });
});

describe('errorMessage', () => {
  it("is an Error's message, else the value's string form", () => {
    expect(errorMessage(new RangeError('too far'))).toBe('too far');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
  });
});
