/**
 * Running energy balances in float64 (MODEL.md, "Energy balance"), per replica:
 *   paper: (E_K − E_0) − [ Σ_{k<K} (∂tE_k + s·G²_k)·dt + Σ_{k<K} (ΔM_k + J_k) ]
 *   exact: (E_K − E_0) − [ Σ_{k<K} (∂tE_k + s·𝒟_k)·dt  + Σ_{k<K} (ΔM_k + J_k) ]
 * with s the flow sign (−1 in the paper), J_k the energy jump of a layer schedule during step k,
 * and the dt-terms summed by the integrator's quadrature: left sums for Euler (the paper's EDI),
 * the trapezoid rule for Heun and RK4 (so the residual shrinks at the integrator's order).
 * Sums use Neumaier compensation.
 */
import { DIAG, DIAG_FIELDS, DIAG_SIZE } from './attention';

/** The two running balances (paper, exact), as trace columns after the diagnostics. */
export const BALANCE_COLUMNS = ['balance_paper', 'balance_exact'] as const;
/**
 * Columns of one trace row (one per recorded step per replica): the CLI's trace.csv and the
 * trace worker's CSV export.
 */
export const TRACE_COLUMNS = ['replica', 'step', 't', ...DIAG_FIELDS, ...BALANCE_COLUMNS] as const;

class CompensatedSum {
  private sum = 0;
  private c = 0;
  add(v: number): void {
    const t = this.sum + v;
    this.c += Math.abs(this.sum) >= Math.abs(v) ? this.sum - t + v : v - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.c;
  }
  /** The sum and its compensation, for saving the tracker's state. */
  parts(): [number, number] {
    return [this.sum, this.c];
  }
  setParts(sum: number, c: number): void {
    this.sum = sum;
    this.c = c;
  }
}

/** A BalanceTracker's whole state (copies), to resume it exactly at an earlier row. */
export interface BalanceState {
  count: number;
  e0: Float64Array;
  prev: Float64Array;
  /** [P][4]: paper sum, its compensation, exact sum, its compensation. */
  sums: Float64Array;
  current: Float64Array;
}

export class BalanceTracker {
  private readonly e0: Float64Array;
  private readonly prev: Float64Array;
  private readonly paperSum: CompensatedSum[];
  private readonly exactSum: CompensatedSum[];
  private count = 0;

  /** Balances of each replica after the last push: [P][2] as (paper, exact). */
  readonly current: Float64Array;

  constructor(
    readonly replicas: number,
    readonly dt: number,
    readonly flowSign: number,
    readonly quadrature: 'left' | 'trapezoid',
  ) {
    this.e0 = new Float64Array(replicas);
    this.prev = new Float64Array(replicas * DIAG_SIZE);
    this.paperSum = Array.from({ length: replicas }, () => new CompensatedSum());
    this.exactSum = Array.from({ length: replicas }, () => new CompensatedSum());
    this.current = new Float64Array(replicas * 2);
  }

  /** Number of records pushed (the next push is row K = count). */
  get rows(): number {
    return this.count;
  }

  /** The state after the rows pushed so far (copies). */
  save(): BalanceState {
    const sums = new Float64Array(this.replicas * 4);
    for (let r = 0; r < this.replicas; r++) {
      sums.set(this.paperSum[r]!.parts(), 4 * r);
      sums.set(this.exactSum[r]!.parts(), 4 * r + 2);
    }
    return { count: this.count, e0: this.e0.slice(), prev: this.prev.slice(), sums, current: this.current.slice() };
  }

  /** Returns to a state from save() (of a tracker of the same P): later pushes continue it exactly. */
  load(s: BalanceState): void {
    this.count = s.count;
    this.e0.set(s.e0);
    this.prev.set(s.prev);
    this.current.set(s.current);
    for (let r = 0; r < this.replicas; r++) {
      this.paperSum[r]!.setParts(s.sums[4 * r]!, s.sums[4 * r + 1]!);
      this.exactSum[r]!.setParts(s.sums[4 * r + 2]!, s.sums[4 * r + 3]!);
    }
  }

  /** Pushes the diagnostics of row K for all replicas (P·DIAG_SIZE values, DIAG order). */
  push(record: ArrayLike<number>, recordOffset = 0): Float64Array {
    const { replicas: P, dt, flowSign: s } = this;
    for (let r = 0; r < P; r++) {
      const at = recordOffset + r * DIAG_SIZE;
      const energy = record[at + DIAG.energy]!;
      if (this.count === 0) {
        this.e0[r] = energy;
      } else {
        const p = r * DIAG_SIZE;
        const prev = this.prev;
        const paperPrev = prev[p + DIAG.dEdt]! + s * prev[p + DIAG.G2]!;
        const exactPrev = prev[p + DIAG.dEdt]! + s * prev[p + DIAG.dissipation]!;
        let paperRate = paperPrev,
          exactRate = exactPrev;
        if (this.quadrature === 'trapezoid') {
          paperRate = 0.5 * (paperPrev + record[at + DIAG.dEdt]! + s * record[at + DIAG.G2]!);
          exactRate = 0.5 * (exactPrev + record[at + DIAG.dEdt]! + s * record[at + DIAG.dissipation]!);
        }
        const discrete = prev[p + DIAG.dM]! + prev[p + DIAG.jump]!;
        this.paperSum[r]!.add(paperRate * dt + discrete);
        this.exactSum[r]!.add(exactRate * dt + discrete);
      }
      for (let f = 0; f < DIAG_SIZE; f++) this.prev[r * DIAG_SIZE + f] = record[at + f]!;
      const dE = energy - this.e0[r]!;
      this.current[2 * r] = dE - this.paperSum[r]!.value;
      this.current[2 * r + 1] = dE - this.exactSum[r]!.value;
    }
    this.count++;
    return this.current;
  }
}
