/**
 * Growable float64 columns of per-row, per-replica values with a memory cap. Rows are kept at
 * full resolution until `maxRows` are stored; then every other stored row is dropped and the
 * stride doubles (row k is stored when k is a multiple of the stride), so a run of any length
 * holds between maxRows/2 and maxRows rows spread evenly over its whole span. The latest row is
 * always kept beside the columns, so the traces and the CSV always end on it.
 */
/** A RowColumns position: the latest row's index and values. */
export interface RowMark {
  latestRow: number;
  latest: Float64Array;
}

export class RowColumns {
  /** Row k (0-based from the first row) is stored when k % stride === 0. */
  stride = 1;
  /** Rows held in the columns. */
  stored = 0;
  /** One column per field: value of row j, replica r at [j·P + r]. */
  private cols: Float64Array[];
  private allocated: number;
  /** The latest row pushed, [P][F], and its index k (−1 before any). */
  private readonly latest: Float64Array;
  private latestRow = -1;

  /**
   * @param replicas P
   * @param fields F values per replica and row
   * @param maxRows cap on stored rows (a power of two ≥ 2)
   */
  constructor(
    readonly replicas: number,
    readonly fields: number,
    readonly maxRows: number,
  ) {
    if (maxRows < 2 || (maxRows & (maxRows - 1)) !== 0)
      throw new Error(`maxRows must be a power of two ≥ 2, got ${maxRows}`);
    this.allocated = Math.min(maxRows, 1024);
    this.cols = Array.from({ length: fields }, () => new Float64Array(this.allocated * replicas));
    this.latest = new Float64Array(replicas * fields);
  }

  /** Appends row k = previous + 1 with values [P][F] (k = 0 first). */
  push(values: ArrayLike<number>): void {
    const k = this.latestRow + 1;
    const { replicas: P, fields: F } = this;
    for (let e = 0; e < P * F; e++) this.latest[e] = values[e]!;
    this.latestRow = k;
    if (k % this.stride !== 0) return;
    if (this.stored === this.maxRows) this.halve();
    if (k % this.stride !== 0) return;
    if (this.stored === this.allocated) this.grow();
    const j = this.stored++;
    for (let f = 0; f < F; f++) {
      const col = this.cols[f]!;
      for (let r = 0; r < P; r++) col[j * P + r] = values[r * F + f]!;
    }
  }

  /** Where the columns stand after the rows pushed so far (restorable with truncateTo). */
  mark(): RowMark {
    return { latestRow: this.latestRow, latest: this.latest.slice() };
  }

  /**
   * Forgets the rows pushed after `m` (a mark of this object): the next push is row
   * m.latestRow + 1 again. The stride stays what it is now (never below the mark's), so the rows
   * pushed again are kept exactly as the first time.
   */
  truncateTo(m: RowMark): void {
    if (m.latestRow > this.latestRow)
      throw new Error(`truncateTo: mark at row ${m.latestRow} is after the latest row ${this.latestRow}`);
    this.latestRow = m.latestRow;
    this.latest.set(m.latest);
    this.stored = m.latestRow < 0 ? 0 : Math.min(this.stored, Math.floor(m.latestRow / this.stride) + 1);
  }

  /** Rows visible to readers: the stored rows, plus the latest row when it is not one of them. */
  get count(): number {
    if (this.latestRow < 0) return 0;
    return this.stored + (this.latestRow === (this.stored - 1) * this.stride ? 0 : 1);
  }

  /** Index k (0-based from the first row) of visible row j. */
  rowIndex(j: number): number {
    return j < this.stored ? j * this.stride : this.latestRow;
  }

  /** Value of field f, replica r, visible row j. */
  value(j: number, r: number, f: number): number {
    return j < this.stored ? this.cols[f]![j * this.replicas + r]! : this.latest[r * this.fields + f]!;
  }

  private grow(): void {
    this.allocated = Math.min(this.maxRows, this.allocated * 2);
    this.cols = this.cols.map((c) => {
      const next = new Float64Array(this.allocated * this.replicas);
      next.set(c);
      return next;
    });
  }

  /** Keeps stored rows 0, 2, 4, …; doubles the stride. */
  private halve(): void {
    const P = this.replicas;
    const keep = Math.ceil(this.stored / 2);
    for (const col of this.cols) {
      for (let j = 1; j < keep; j++) col.copyWithin(j * P, 2 * j * P, (2 * j + 1) * P);
    }
    this.stored = keep;
    this.stride *= 2;
  }
}
