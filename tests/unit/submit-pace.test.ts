/**
 * The frame budget's GPU-time estimate (src/gpu/submit-pace.ts): round trips no longer than the
 * latency must not drag the estimate to zero (which let whole steps of seconds go as one submit),
 * the estimate is the median of the last few measurements, and the latency is the smallest round trip.
 */
import { describe, expect, it } from 'vitest';
import { PACE_SAMPLES, SubmitPace } from '../../src/gpu/submit-pace';

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

  it('follows the median of the last PACE_SAMPLES measurements: one spike or one quick submit moves nothing', () => {
    const p = new SubmitPace();
    p.latency(10);
    for (let k = 0; k < PACE_SAMPLES; k++) p.observe(10 + 40, 4); // 10 a column
    expect(p.msPerColumn).toBeCloseTo(10, 12);
    p.observe(10 + 4000, 4); // one round trip stretched by a busy machine: 1000 a column
    expect(p.msPerColumn).toBeCloseTo(10, 12);
    p.observe(10 + 4, 4); // one quick one
    expect(p.msPerColumn).toBeCloseTo(10, 12);
    // A lasting change is followed once it is most of the window.
    for (let k = 0; k < PACE_SAMPLES; k++) p.observe(10 + 160, 4); // 40 a column
    expect(p.msPerColumn).toBeCloseTo(40, 12);
    p.observe(10 + 80, 0); // no columns: the latency only
    expect(p.msPerColumn).toBeCloseTo(40, 12);
  });

  it('with two measurements takes the larger (the side that splits more)', () => {
    const p = new SubmitPace();
    p.latency(0);
    p.observe(20, 2);
    p.observe(60, 2);
    expect(p.msPerColumn).toBe(30);
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
