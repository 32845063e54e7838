/**
 * The frame budget's estimate of GPU time per attention column, from measured submit round trips.
 * A round trip is the submit's GPU work plus a latency (in a browser, completion is seen at the
 * page's next turn, up to a frame later). The latency is the smallest round trip seen: the empty
 * submits probed at the start, then every measured submit (each one's round trip bounds it from
 * above). What is left of a round trip after the latency is the work; a round trip no longer than
 * the latency says only that the work was small, so it leaves the estimate as it was (folding it in
 * as zero would halve the estimate at each such submit, until a whole step of seconds passed as one
 * submit). The estimate rises at once to a larger measurement (an underestimate makes submits
 * longer than the budget, the stall the budget is there to prevent) and falls halfway to a smaller one.
 */
export class SubmitPace {
  /** Milliseconds of GPU time per column, once measured. */
  msPerColumn: number | undefined;
  /** The smallest round trip seen (ms), once one is. */
  latencyMs: number | undefined;

  /** A round trip of `ms` with no work (an empty submit). */
  latency(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0)
      this.latencyMs = this.latencyMs === undefined ? ms : Math.min(this.latencyMs, ms);
  }

  /** A round trip of `ms` for a submit of `columns` attention columns. Ignored until the latency is known. */
  observe(ms: number, columns: number): void {
    if (this.latencyMs === undefined || !(Number.isFinite(ms) && ms >= 0)) return;
    const work = ms - this.latencyMs;
    this.latency(ms);
    if (columns <= 0 || work <= 0) return;
    const per = work / columns;
    this.msPerColumn = this.msPerColumn === undefined || per > this.msPerColumn ? per : 0.5 * (this.msPerColumn + per);
  }
}
