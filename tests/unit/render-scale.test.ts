/**
 * Dynamic resolution (src/view/render-scale.ts): slow drawn frames while the run plays step the
 * scale down to MIN_SCALE; fast ones step it back up; a still is drawn at full scale, and that one
 * slow sharp frame does not step it down again (no oscillation while paused); a fast GPU never moves it.
 */
import { describe, expect, it } from 'vitest';
import { COST_FRAMES, MIN_SCALE, RenderScale, SLOW_MS, STILL_MS, UP_AFTER } from '../../src/view/render-scale';

/** Feeds frames `gap` ms apart, each drawing (`drew`), playing or not; returns the scales. */
function feed(r: RenderScale, t0: number, frames: number, gap: number, moving: boolean, drew = true): number[] {
  const out: number[] = [];
  for (let k = 0; k < frames; k++) {
    out.push(r.frame(t0 + k * gap, moving));
    r.drew(drew);
  }
  return out;
}

describe('RenderScale', () => {
  it('a fast GPU stays at full scale', () => {
    const r = new RenderScale();
    expect(feed(r, 0, 300, 16.7, true).every((s) => s === 1)).toBe(true);
  });

  it('slow drawn frames while playing step down to MIN_SCALE and no further', () => {
    const r = new RenderScale();
    const s = feed(r, 0, 20, SLOW_MS + 80, true);
    expect(s[1]).toBeLessThan(1);
    for (let k = 2; k < s.length; k++) expect(s[k]).toBeLessThanOrEqual(s[k - 1]!);
    expect(s.at(-1)).toBe(MIN_SCALE);
  });

  it('frames that did not draw do not count (a step split over many frames)', () => {
    const r = new RenderScale();
    expect(feed(r, 0, 50, SLOW_MS + 80, true, false).every((s) => s === 1)).toBe(true);
  });

  it('one fast drawn frame among slow ones does not step up (it may have had no GPU work before it)', () => {
    const r = new RenderScale();
    feed(r, 0, 20, SLOW_MS + 80, true);
    for (let k = 0; k < 10; k++) {
      feed(r, 10_000 + k * 1000, UP_AFTER, 20, true);
      feed(r, 10_500 + k * 1000, 1, SLOW_MS - 10, true);
    }
    expect(r.scale).toBe(MIN_SCALE);
  });

  it('fast drawn frames step back up to full', () => {
    const r = new RenderScale();
    feed(r, 0, 20, SLOW_MS + 80, true);
    const s = feed(r, 10_000, 20, 20, true);
    expect(s.at(-1)).toBe(1);
  });

  it('frames between the thresholds hold the scale (no oscillation)', () => {
    const r = new RenderScale();
    feed(r, 0, 20, SLOW_MS + 80, true);
    const s = feed(r, 10_000, 40, SLOW_MS - 10, true);
    expect(new Set(s).size).toBe(1);
    expect(s[0]).toBe(MIN_SCALE);
  });

  it('a still (paused, nothing drawn for STILL_MS) is full scale, and its one slow frame keeps it there', () => {
    const r = new RenderScale();
    feed(r, 0, 20, SLOW_MS + 80, true);
    // Paused: nothing draws for a while.
    const idle = feed(r, 10_000, Math.ceil(STILL_MS / 16) + 2, 16, false, false);
    expect(idle.at(-1)).toBe(1);
    // The sharp still is one slow drawn frame, then nothing draws again.
    r.frame(12_000, false);
    r.drew(true);
    expect(r.frame(12_000 + SLOW_MS + 100, false)).toBe(1);
    r.drew(false);
    expect(feed(r, 13_000, 100, 16, false, false).every((s) => s === 1)).toBe(true);
  });

  it('a draw whose cost shows a few frames later (the compositor) counts as slow; one past its window does not', () => {
    // Each step's end draws once; its own gap is one display frame, the second after it is long.
    const stepEnds = (r: RenderScale, lateBy: number, times: number): number[] => {
      let t = 0;
      const out: number[] = [];
      for (let k = 0; k < times; k++) {
        for (let f = 0; f < 40; f++) {
          const gap = f === lateBy ? SLOW_MS + 60 : 17;
          t += gap;
          out.push(r.frame(t, true));
          r.drew(f === 0);
        }
      }
      return out;
    };
    expect(stepEnds(new RenderScale(), 2, 5).at(-1)).toBeLessThan(1);
    expect(stepEnds(new RenderScale(), COST_FRAMES + 2, 5).every((s) => s === 1)).toBe(true);
    // The scale does not climb back while the late gaps stay slow.
    const r = new RenderScale();
    const s = stepEnds(r, 2, 12);
    for (let k = 1; k < s.length; k++) expect(s[k]).toBeLessThanOrEqual(s[k - 1]!);
  });

  it('paused, the camera turning with slow frames steps down (a run of slow drawn frames)', () => {
    const r = new RenderScale();
    const s = feed(r, 0, 10, SLOW_MS + 80, false);
    expect(s.at(-1)).toBeLessThan(1);
  });
});
