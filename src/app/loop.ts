/**
 * The animation-frame loop and its meters: frame time (exponential moving average) and
 * simulated steps per second (over a sliding one-second window).
 */

/** Frame and step rates, read by the status line and the test hook. */
export class Meters {
  frameMs = 0;
  stepsPerSecond = 0;
  frames = 0;
  private lastFrame = 0;
  private windowStart = 0;
  private windowSteps = -1;

  /** Records a frame at `now` (ms) with `completed` steps done so far. */
  frame(now: number, completed: number): void {
    if (this.lastFrame > 0) {
      const ms = now - this.lastFrame;
      this.frameMs = this.frameMs === 0 ? ms : 0.9 * this.frameMs + 0.1 * ms;
    }
    this.lastFrame = now;
    this.frames++;
    if (this.windowSteps < 0 || completed < this.windowSteps) {
      this.windowStart = now;
      this.windowSteps = completed;
    } else if (now - this.windowStart >= 1000) {
      this.stepsPerSecond = ((completed - this.windowSteps) * 1000) / (now - this.windowStart);
      this.windowStart = now;
      this.windowSteps = completed;
    }
  }
}

/** Calls `frame(now)` on every animation frame until the returned stop function is called. */
export function startLoop(frame: (now: number) => void): () => void {
  let id = 0;
  const tick = (now: number): void => {
    id = requestAnimationFrame(tick);
    frame(now);
  };
  id = requestAnimationFrame(tick);
  return () => cancelAnimationFrame(id);
}
