/**
 * Min/max-preserving decimation of per-replica series into the `Series` shape of the
 * protocol (mean, min and max over replicas at each kept time).
 */
import type { Series } from './protocol';

/** A series of `count` rows, each with one value per replica. */
export interface RowSource {
  count: number;
  replicas: number;
  time(j: number): number;
  value(j: number, r: number): number;
}

/** A Series with no points. */
function emptySeries(): Series {
  return { t: new Float64Array(0), mean: new Float64Array(0), lo: new Float64Array(0), hi: new Float64Array(0) };
}

/**
 * Indices of at most `maxPoints` of the values (all when they fit). The rows before the last are
 * cut into ⌊(maxPoints − 1)/2⌋ equal buckets; each bucket keeps the rows of its smallest and of
 * its largest value (in time order), so spikes and the envelope of a noisy series survive; the
 * last row is always kept. NaNs are never chosen over a number.
 */
export function selectIndices(values: ArrayLike<number>, maxPoints: number): Int32Array {
  const count = values.length;
  const cap = Math.max(1, Math.floor(maxPoints));
  if (count <= cap) return Int32Array.from({ length: count }, (_, j) => j);
  const buckets = Math.floor((cap - 1) / 2);
  if (buckets === 0) return cap >= 2 ? Int32Array.of(0, count - 1) : Int32Array.of(count - 1);
  const out: number[] = [];
  const body = count - 1;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * body) / buckets),
      to = Math.floor(((b + 1) * body) / buckets);
    if (to <= from) continue;
    let iMin = from,
      iMax = from,
      vMin = Infinity,
      vMax = -Infinity;
    for (let j = from; j < to; j++) {
      const v = values[j]!;
      if (v < vMin) {
        vMin = v;
        iMin = j;
      }
      if (v > vMax) {
        vMax = v;
        iMax = j;
      }
    }
    if (iMin === iMax) out.push(iMin);
    else out.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
  }
  out.push(count - 1);
  return Int32Array.from(out);
}

/** Mean, min and max over replicas of every row of `src`, decimated to at most maxPoints rows. */
export function decimatedSeries(src: RowSource, maxPoints: number): Series {
  const { count, replicas: P } = src;
  if (count === 0) return emptySeries();
  const meanOf = (j: number): number => {
    let s = 0;
    for (let r = 0; r < P; r++) s += src.value(j, r);
    return s / P;
  };
  let keep: Int32Array;
  if (count <= maxPoints) {
    keep = Int32Array.from({ length: count }, (_, j) => j);
  } else {
    const means = new Float64Array(count);
    for (let j = 0; j < count; j++) means[j] = meanOf(j);
    keep = selectIndices(means, maxPoints);
  }
  const m = keep.length;
  const out: Series = {
    t: new Float64Array(m),
    mean: new Float64Array(m),
    lo: new Float64Array(m),
    hi: new Float64Array(m),
  };
  for (let k = 0; k < m; k++) {
    const j = keep[k]!;
    let s = 0,
      lo = Infinity,
      hi = -Infinity;
    for (let r = 0; r < P; r++) {
      const v = src.value(j, r);
      s += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out.t[k] = src.time(j);
    out.mean[k] = s / P;
    out.lo[k] = lo === Infinity ? NaN : lo;
    out.hi[k] = hi === -Infinity ? NaN : hi;
  }
  return out;
}
