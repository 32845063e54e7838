/** Measurements the frame budget's estimate is the median of (SubmitPace). */
export const PACE_SAMPLES = 5;

/**
 * The frame budget's estimate of GPU time per attention column, from measured submit round trips.
 * A round trip is the submit's GPU work plus a latency (in a browser, completion is seen at the
 * page's next turn, up to a frame later). The latency is the smallest round trip seen: the empty
 * submits probed at the start, then every measured submit (each one's round trip bounds it from
 * above). What is left of a round trip after the latency is the work; a round trip no longer than
 * the latency says only that the work was small, so it leaves the estimate as it was (folding it in
 * as zero would halve the estimate at each such submit, until a whole step of seconds passed as one
 * submit). The estimate is the median of the last PACE_SAMPLES measurements: one round trip
 * stretched by a busy machine (a collection, another tab) neither splits a small run's batches,
 * each extra awaited submit costing up to a frame, nor does one quick submit merge a large run's.
 */
export class SubmitPace {
  /** Milliseconds of GPU time per column, once measured. */
  msPerColumn: number | undefined;
  /** The smallest round trip seen (ms), once one is. */
  latencyMs: number | undefined;
  /** The last PACE_SAMPLES measurements (ms per column), oldest first. */
  private readonly samples: number[] = [];

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
    this.samples.push(work / columns);
    if (this.samples.length > PACE_SAMPLES) this.samples.shift();
    const sorted = [...this.samples].sort((a, b) => a - b);
    // The upper median of an even count: the larger estimate splits more (the safe side).
    this.msPerColumn = sorted[sorted.length >> 1];
  }
}
