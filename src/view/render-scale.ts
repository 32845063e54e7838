/**
 * Dynamic resolution: the share of the canvas's full pixel ratio the view draws at. A software
 * rasteriser (SwiftShader) pays for every pixel on the CPU: at 1600×900 a frame of 16,384 tokens
 * costs ~230 ms there, a quarter of the pixels ~125 ms (the rest is per frame and per token). While the picture moves (the run plays, the
 * camera turns) and drawn frames are slow, the scale steps down, so the page keeps answering; it
 * steps back up when drawn frames are fast enough that the larger picture would still fit, and
 * returns to full as soon as the picture is still (paused, camera at rest) — a still is always
 * drawn sharp. A fast GPU never reaches SLOW_MS and always draws at full resolution.
 */

/** A drawn frame followed by a gap longer than this is slow (the scale steps down). */
export const SLOW_MS = 150;
/** What a step down aims at for the drawn frame's gap. */
const TARGET_MS = 100;
/** Each step down multiplies the scale by this (0.75: about 0.56 of the pixels). */
const STEP = 0.75;
/** The smallest scale (a quarter of the pixels). */
export const MIN_SCALE = 0.5;
/** Drawn frames in a row fast enough for the next scale up. */
export const UP_AFTER = 3;
/** After this long still (not playing, nothing drawn), the picture is redrawn at full scale. */
export const STILL_MS = 600;
/**
 * Frame gaps after a draw that count as its cost (the longest of them, fewer when the next draw
 * comes first): a picture reaches the screen a frame or two after its draw is submitted, so on a
 * software GPU its cost shows in the second or third gap after it (seen at n = 16,384: the draw's
 * own gap 17 ms, two frames later 67–183 ms). Judged on its own gap alone, every draw looked fast
 * and the scale climbed back to full between step ends.
 */
export const COST_FRAMES = 3;

/** The scale decision, fed once per animation frame. */
export class RenderScale {
  scale = 1;
  private lastAt: number | undefined;
  private lastDrew = false;
  /** Consecutive drawn frames that were slow, and that were fast. */
  private slowRun = 0;
  private fastRun = 0;
  /** When a frame last drew (or the picture last moved). */
  private lastActive = Number.NEGATIVE_INFINITY;
  /** The last draw's cost so far (its longest gap) and the gaps still to come in its window. */
  private window: { worst: number; left: number } | undefined;

  /**
   * One animation frame at `now` (ms, the frame's requestAnimationFrame time), and whether the
   * picture is moving (a run playing). Returns the scale to draw this frame at.
   */
  frame(now: number, moving: boolean): number {
    const gap = this.lastAt === undefined ? 0 : now - this.lastAt;
    if (this.lastDrew) {
      // A new draw closes the window of the one before it (this gap is the cost of both).
      if (this.window) this.judge(Math.max(this.window.worst, gap), moving);
      this.window = { worst: gap, left: COST_FRAMES - 1 };
    } else if (this.window) {
      this.window.worst = Math.max(this.window.worst, gap);
      this.window.left--;
    }
    // A slow gap is judged at once; a fast draw only once its window has passed.
    if (this.window && (this.window.worst > SLOW_MS || this.window.left <= 0)) {
      this.judge(this.window.worst, moving);
      this.window = undefined;
    }
    // A frame that neither drew nor waits on a draw breaks a run of slow drawn frames.
    if (!this.lastDrew && this.window === undefined) this.slowRun = 0;
    if (moving || this.lastDrew) this.lastActive = now;
    if (!moving && now - this.lastActive >= STILL_MS) this.scale = 1;
    this.lastAt = now;
    return this.scale;
  }

  /**
   * A drawn frame's cost `cost` (its drawing and any GPU work queued before it). Paused, one slow
   * frame is the sharp still itself: only a run of them (the camera turning) steps down.
   */
  private judge(cost: number, moving: boolean): void {
    this.slowRun = cost > SLOW_MS ? this.slowRun + 1 : 0;
    this.fastRun = cost < SLOW_MS * STEP * STEP ? this.fastRun + 1 : 0;
    // Down by at least STEP, and at once to where the pixels' share (∝ scale²) would fit
    // TARGET_MS: a slow run draws once a step, so the first slow draw should be the last.
    if (cost > SLOW_MS && (moving || this.slowRun >= 2))
      this.scale = Math.max(MIN_SCALE, this.scale * Math.min(STEP, Math.sqrt(TARGET_MS / cost)));
    // Up only when the larger picture (1/STEP² the pixels) would still come within SLOW_MS, seen
    // on UP_AFTER drawn frames in a row (one fast frame may just have had no GPU work before it).
    else if (this.fastRun >= UP_AFTER) {
      this.scale = Math.min(1, this.scale / STEP);
      this.fastRun = 0;
    }
  }

  /** Whether the frame of the last `frame()` call drew. */
  drew(drew: boolean): void {
    this.lastDrew = drew;
  }
}
