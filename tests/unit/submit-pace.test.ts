/**
 * The frame budget's GPU-time estimate (src/gpu/submit-pace.ts): round trips no longer than the
 * latency must not drag the estimate to zero (which let whole steps of seconds go as one submit),
 * a larger measurement is taken at once, a smaller one halfway, and the latency is the smallest round trip.
 */
import { describe, expect, it } from 'vitest';
import { SubmitPace } from '../../src/gpu/submit-pace';

describe('SubmitPace', () => {
  it('measures nothing before the latency is known', () => {
    const p = new SubmitPace();
    p.observe(500, 10);
    expect(p.msPerColumn).toBeUndefined();
    p.latency(20);
    p.observe(520, 10);
    expect(p.msPerColumn).toBeCloseTo(50, 12);
  });

  it('keeps its estimate through round trips shorter than the latency (no collapse to zero)', () => {
    const p = new SubmitPace();
    p.latency(190); // probed while the page was busy: far above the real latency
    p.observe(190 + 3 * 30, 3); // 30 ms a column
    expect(p.msPerColumn).toBeCloseTo(30, 12);
    // Many submits that come back faster than the probed latency: the latency falls to the
    // smallest of them and the estimate does not move towards zero.
    for (let k = 0; k < 200; k++) p.observe(120, 3);
    expect(p.latencyMs).toBe(120);
    expect(p.msPerColumn).toBeCloseTo(30, 12);
    // A 256-column step must still be far past a 100 ms budget.
    expect(256 * p.msPerColumn!).toBeGreaterThan(100);
  });

  it('rises at once and falls halfway', () => {
    const p = new SubmitPace();
    p.latency(10);
    p.observe(10 + 40, 4); // 10 a column
    p.observe(10 + 160, 4); // 40 a column: taken at once
    expect(p.msPerColumn).toBeCloseTo(40, 12);
    p.observe(10 + 80, 4); // 20 a column: halfway
    expect(p.msPerColumn).toBeCloseTo(30, 12);
    p.observe(10 + 80, 0); // no columns: the latency only
    expect(p.msPerColumn).toBeCloseTo(30, 12);
  });

  it('ignores round trips that are not finite non-negative numbers', () => {
    const p = new SubmitPace();
    p.latency(Number.NaN);
    expect(p.latencyMs).toBeUndefined();
    p.latency(5);
    p.observe(Number.POSITIVE_INFINITY, 2);
    p.observe(-1, 2);
    expect(p.msPerColumn).toBeUndefined();
    expect(p.latencyMs).toBe(5);
  });
});
