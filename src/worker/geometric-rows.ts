/**
 * Rows thinned geometrically in time, for long runs read on a log-t axis (metastability: the
 * energy staircase spans decades). Row k (0-based from the first row pushed) is kept when it is
 * the first row of its bin ⌊R·log₁₀ k⌋ (and row 0 always), so the kept rows are spaced evenly in
 * log k, R per decade: every row early on (while bins are narrower than one step, k ≲ R/ln 10),
 * then a spacing that grows ∝ k. A run of K rows keeps at most 2 + R/ln 10 + R·log₁₀ K of them
 * (about 1,500 at R = 200 for K = 2·10⁶, a T = 10⁴ run at dt = 5·10⁻³), whatever its length;
 * the latest row is always kept beside them, so a series always ends on it.
 * Same reading interface as RowColumns (count, rowIndex, value).
 */
export class GeometricRows {
  /** Rows held (without the latest, when it is not one of them). */
  stored = 0;
  private cols: Float64Array;
  private index: Float64Array;
  private allocated = 64;
  private readonly latest: Float64Array;
  private latestRow = -1;
  private lastBin = Number.NEGATIVE_INFINITY;

  /**
   * @param replicas P
   * @param fields F values per replica and row
   * @param perDecade R kept rows per decade of k (≥ 1)
   */
  constructor(
    readonly replicas: number,
    readonly fields: number,
    readonly perDecade = 200,
  ) {
    if (!(perDecade >= 1)) throw new RangeError(`perDecade must be ≥ 1, got ${perDecade}`);
    this.cols = new Float64Array(this.allocated * replicas * fields);
    this.index = new Float64Array(this.allocated);
    this.latest = new Float64Array(replicas * fields);
  }

  /** The most rows a run of `rows` rows keeps (the bound of the file comment). */
  static bound(rows: number, perDecade = 200): number {
    return 2 + Math.ceil(perDecade / Math.LN10) + Math.ceil(perDecade * Math.log10(Math.max(1, rows)));
  }

  /** Appends row k = previous + 1 with values [P][F] (k = 0 first). */
  push(values: ArrayLike<number>): void {
    const k = this.latestRow + 1;
    const PF = this.replicas * this.fields;
    for (let e = 0; e < PF; e++) this.latest[e] = values[e]!;
    this.latestRow = k;
    const bin = k === 0 ? Number.NEGATIVE_INFINITY : Math.floor(this.perDecade * Math.log10(k));
    if (k > 0 && bin <= this.lastBin) return;
    this.lastBin = k === 0 ? Number.NEGATIVE_INFINITY : bin;
    if (this.stored === this.allocated) this.grow();
    this.cols.set(this.latest, this.stored * PF);
    this.index[this.stored++] = k;
  }

  /** Rows visible to readers: the kept rows, plus the latest row when it is not one of them. */
  get count(): number {
    if (this.latestRow < 0) return 0;
    return this.stored + (this.index[this.stored - 1] === this.latestRow ? 0 : 1);
  }

  /** Index k (0-based from the first row) of visible row j. */
  rowIndex(j: number): number {
    return j < this.stored ? this.index[j]! : this.latestRow;
  }

  /** Value of field f, replica r, visible row j. */
  value(j: number, r: number, f: number): number {
    const e = r * this.fields + f;
    return j < this.stored ? this.cols[j * this.replicas * this.fields + e]! : this.latest[e]!;
  }

  /** Where the rows end now, for truncateTo (the kept rows are only ever appended). */
  mark(): GeometricMark {
    return { stored: this.stored, latestRow: this.latestRow, lastBin: this.lastBin, latest: this.latest.slice() };
  }

  /** Forgets every row pushed after `mark` was taken: the next push continues as it did then. */
  truncateTo(mark: GeometricMark): void {
    if (mark.stored > this.stored || mark.latestRow > this.latestRow)
      throw new RangeError('GeometricRows.truncateTo: the mark is past the rows held');
    this.stored = mark.stored;
    this.latestRow = mark.latestRow;
    this.lastBin = mark.lastBin;
    this.latest.set(mark.latest);
  }

  private grow(): void {
    this.allocated *= 2;
    const cols = new Float64Array(this.allocated * this.replicas * this.fields);
    cols.set(this.cols);
    this.cols = cols;
    const index = new Float64Array(this.allocated);
    index.set(this.index);
    this.index = index;
  }
}

/** A GeometricRows position (mark/truncateTo). */
export interface GeometricMark {
  readonly stored: number;
  readonly latestRow: number;
  readonly lastBin: number;
  readonly latest: Float64Array;
}

/** What a reader of stored rows needs (RowColumns and GeometricRows both give it). */
export interface StoredRows {
  readonly count: number;
  rowIndex(j: number): number;
  value(j: number, r: number, f: number): number;
}

/**
 * The rows of `a` and `b` (two thinnings of the same rows) together, in row order, each row
 * once (read from `a` where both hold it): uniform thinning keeps late times, geometric
 * thinning early ones, so a log-t plot of a long run keeps both.
 */
export function unionRows(a: StoredRows, b: StoredRows): StoredRows {
  const src: number[] = [];
  const at: number[] = [];
  const idx: number[] = [];
  let i = 0,
    j = 0;
  while (i < a.count || j < b.count) {
    const ka = i < a.count ? a.rowIndex(i) : Number.POSITIVE_INFINITY;
    const kb = j < b.count ? b.rowIndex(j) : Number.POSITIVE_INFINITY;
    if (ka <= kb) {
      src.push(0);
      at.push(i++);
      idx.push(ka);
      if (kb === ka) j++;
    } else {
      src.push(1);
      at.push(j++);
      idx.push(kb);
    }
  }
  return {
    count: idx.length,
    rowIndex: (k) => idx[k]!,
    value: (k, r, f) => (src[k] === 0 ? a.value(at[k]!, r, f) : b.value(at[k]!, r, f)),
  };
}
