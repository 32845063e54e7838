/**
 * The trace worker's state as a plain class (no worker APIs, so Node tests drive it directly):
 * float64 energy balances on every row, per-replica columns of every diagnostic, Monte Carlo
 * mean/min/max across replicas, snapshot analyses (clusters, mean |cos|, replica distances),
 * decimated traces for the plots and the full-resolution CSV.
 *
 * Memory: stored rows are capped at ⌊maxRowReplicas/P⌋ rounded down to a power of two (2²⁰
 * row·replicas by default, 64 MiB); past the cap the resolution halves (RowColumns). The
 * balances are still accumulated on every row, and the latest row is always kept. Rows are also
 * kept geometrically thinned in time (GeometricRows, R per decade, a bounded count), and once
 * the uniform resolution has halved the traces draw from both, so a long run on a log-t axis
 * keeps its early times (metastability: the energy staircase).
 * Snapshot analyses are bounded too: clusters and mean |cos| use a fixed, seeded random subset
 * of at most SNAPSHOT_TOKENS_MAX tokens per replica, fewer when P is large (about
 * SNAPSHOT_PAIR_BUDGET token pairs per snapshot over all replicas); replica distances are exact.
 */
import { DIAG, DIAG_SIZE } from '../model/attention';
import { BALANCE_COLUMNS, type BalanceState, BalanceTracker, TRACE_COLUMNS } from '../model/balance';
import type { StepBatch } from '../model/engine';
import { TABLEAUX } from '../model/integrators';
import { clusterCount, meanAbsCos, replicaDistances, sampleIndices, type Floats } from '../model/analysis';
import { fitGrowthWindow, NO_GROWTH_FIT, type GrowthFit } from '../model/growth';
import { RowColumns, type RowMark } from './columns';
import { type GeometricMark, GeometricRows, unionRows } from './geometric-rows';
import { decimatedSeries, type RowSource } from './decimate';
import type { Series, TraceConfig, TraceWorkerApi, Traces } from './protocol';

/** Default cap on stored row·replica pairs (8 float64 fields each: 64 MiB). */
const MAX_ROW_REPLICAS = 1 << 20;
/** Most tokens per replica that the snapshot cluster count and mean |cos| look at. */
const SNAPSHOT_TOKENS_MAX = 2048;
/** Token pairs per snapshot, over all replicas, that bound the subset size. */
const SNAPSHOT_PAIR_BUDGET = 1 << 22;
/** CSV header (one row per step and replica). */
export const CSV_HEADER = TRACE_COLUMNS.join(',');

/** Stored fields per row and replica: the DIAG_FIELDS, then the paper's and the exact balance. */
const BAL_PAPER = DIAG_SIZE;
const BAL_EXACT = DIAG_SIZE + 1;
const FIELDS = DIAG_SIZE + BALANCE_COLUMNS.length;

interface Snapshot {
  step: number;
  clusters: Float64Array;
  meanAbsCos: Float64Array;
  distanceMax: Float64Array;
  distanceRms: Float64Array;
}

type SnapshotKey = Exclude<keyof Snapshot, 'step'>;

/** The store's state after the rows before one step: what truncate(step) returns to. */
interface Checkpoint {
  balance: BalanceState;
  rows: RowMark;
  geometric: GeometricMark;
  e0: Float64Array;
}

interface Run {
  P: number;
  n: number;
  d: number;
  dt: number;
  eps: number;
  tracker: BalanceTracker;
  rows: RowColumns;
  /** The same rows thinned geometrically in time. */
  geometric: GeometricRows;
  /** Step of the first row (the first batch after reset fixes it). */
  origin: number;
  e0: Float64Array;
  /** Tokens analysed for clusters and |cos| (all of them when n is small). */
  subset: Int32Array;
  scratch: Float64Array;
  snapshots: Snapshot[];
  rowValues: Float64Array;
  /** Checkpoints by step (the rows before that step), for truncate. */
  checkpoints: Map<number, Checkpoint>;
  /** Steps asked for by checkpoint() whose rows have not all arrived yet, ascending. */
  wanted: number[];
}

/** Options of a TraceStore. */
export interface TraceStoreOptions {
  /** Cap on stored row·replica pairs before the resolution halves (default MAX_ROW_REPLICAS). */
  maxRowReplicas?: number;
}

/** TraceWorkerApi implemented in plain TypeScript (see the file comment). */
export class TraceStore implements TraceWorkerApi {
  private run: Run | undefined;

  constructor(private readonly options: TraceStoreOptions = {}) {}

  reset(config: TraceConfig): void {
    const s = config.scenario;
    const P = s.replicas;
    const maxRows = 2 ** Math.max(1, Math.floor(Math.log2((this.options.maxRowReplicas ?? MAX_ROW_REPLICAS) / P)));
    const m = Math.min(s.n, SNAPSHOT_TOKENS_MAX, Math.max(2, Math.floor(Math.sqrt((2 * SNAPSHOT_PAIR_BUDGET) / P))));
    this.run = {
      P,
      n: s.n,
      d: s.d,
      dt: s.dt,
      eps: config.clusterEpsilon,
      tracker: new BalanceTracker(P, s.dt, s.flowSign, TABLEAUX[s.integrator].quadrature),
      rows: new RowColumns(P, FIELDS, maxRows),
      geometric: new GeometricRows(P, FIELDS),
      origin: 0,
      e0: new Float64Array(P),
      subset: sampleIndices(s.n, m),
      scratch: new Float64Array(m * s.d),
      snapshots: [],
      rowValues: new Float64Array(P * FIELDS),
      checkpoints: new Map(),
      wanted: [],
    };
  }

  private get current(): Run {
    if (!this.run) throw new Error('TraceStore: call reset(config) before pushing or reading traces');
    return this.run;
  }

  /** Rows received since the last reset. */
  get rowCount(): number {
    return this.run?.tracker.rows ?? 0;
  }

  pushRecords(batch: StepBatch): void {
    const run = this.current;
    const { P, tracker, rows, rowValues } = run;
    if (batch.steps === 0) return;
    if (tracker.rows === 0) run.origin = batch.firstStep;
    const expected = run.origin + tracker.rows;
    if (batch.firstStep !== expected) {
      const what = batch.firstStep > expected ? 'a gap' : 'rows sent twice';
      throw new Error(
        `TraceStore: rows must arrive in order: expected row ${expected}, got rows ${batch.firstStep}…${batch.firstStep + batch.steps - 1} (${what})`,
      );
    }
    const width = P * DIAG_SIZE;
    if (batch.records.length < batch.steps * width) {
      throw new Error(
        `TraceStore: batch of ${batch.steps} rows needs ${batch.steps * width} values, got ${batch.records.length}`,
      );
    }
    for (let s = 0; s < batch.steps; s++) {
      if (run.wanted.length > 0) takeDue(run);
      const at = s * width;
      const balances = tracker.push(batch.records, at);
      for (let r = 0; r < P; r++) {
        if (tracker.rows === 1) run.e0[r] = batch.records[at + r * DIAG_SIZE + DIAG.energy]!;
        for (let f = 0; f < DIAG_SIZE; f++) rowValues[r * FIELDS + f] = batch.records[at + r * DIAG_SIZE + f]!;
        rowValues[r * FIELDS + BAL_PAPER] = balances[2 * r]!;
        rowValues[r * FIELDS + BAL_EXACT] = balances[2 * r + 1]!;
      }
      rows.push(rowValues);
      run.geometric.push(rowValues);
    }
    if (run.wanted.length > 0) takeDue(run);
  }

  /**
   * Keeps the state after the rows before `step` (now, or when those rows have arrived), so
   * that truncate(step) can return to it; ignored when rows past it have arrived already.
   */
  checkpoint(step: number): void {
    const run = this.current;
    const next = run.tracker.rows === 0 ? step : run.origin + run.tracker.rows;
    if (step < next) return;
    if (step === next) run.checkpoints.set(step, saveCheckpoint(run));
    else if (!run.wanted.includes(step)) {
      run.wanted.push(step);
      run.wanted.sort((a, b) => a - b);
    }
  }

  /** Drops the checkpoints of `steps` (the history no longer keeps them). */
  forget(steps: number[]): void {
    const run = this.current;
    for (const s of steps) run.checkpoints.delete(s);
  }

  /** Steps that truncate() can return to, ascending. */
  checkpointSteps(): number[] {
    return [...this.current.checkpoints.keys()].sort((a, b) => a - b);
  }

  /**
   * Forgets every row from `step` on and the snapshot analyses after it: the traces are those of
   * the run up to `step`, and rows pushed next (from `step`) continue them exactly as the first
   * time. Needs a checkpoint at `step`.
   */
  truncate(step: number): void {
    const run = this.current;
    const cp = run.checkpoints.get(step);
    if (!cp)
      throw new Error(
        `TraceStore: no checkpoint at step ${step} to truncate to (kept: ${this.checkpointSteps().join(', ') || 'none'})`,
      );
    run.tracker.load(cp.balance);
    run.rows.truncateTo(cp.rows);
    run.geometric.truncateTo(cp.geometric);
    run.e0.set(cp.e0);
    run.snapshots = run.snapshots.filter((x) => x.step <= step);
    for (const k of [...run.checkpoints.keys()]) if (k > step) run.checkpoints.delete(k);
    run.wanted = run.wanted.filter((k) => k <= step);
  }

  pushSnapshot(step: number, positions: Float32Array | Float64Array): void {
    const run = this.current;
    const { P, n, d, subset, scratch } = run;
    if (positions.length !== P * n * d) {
      throw new Error(`TraceStore: snapshot has ${positions.length} values, expected P·n·d = ${P * n * d}`);
    }
    const m = subset.length;
    const dist = replicaDistances(positions, P, n, d);
    const snap: Snapshot = {
      step,
      clusters: new Float64Array(P),
      meanAbsCos: new Float64Array(P),
      distanceMax: dist.max,
      distanceRms: dist.rms,
    };
    for (let r = 0; r < P; r++) {
      let x: Floats = positions,
        off = r * n * d;
      if (m < n) {
        for (let k = 0; k < m; k++)
          for (let c = 0; c < d; c++) scratch[k * d + c] = positions[(r * n + subset[k]!) * d + c]!;
        x = scratch;
        off = 0;
      }
      snap.clusters[r] = clusterCount(x, off, m, d, run.eps);
      snap.meanAbsCos[r] = meanAbsCos(x, off, m, d);
    }
    insertSnapshot(run.snapshots, snap);
  }

  traces(maxPoints: number): Traces {
    const run = this.current;
    const { P, dt, origin, e0 } = run;
    const rows = run.rows.stride > 1 ? unionRows(run.rows, run.geometric) : run.rows;
    const time = (j: number): number => (origin + rows.rowIndex(j)) * dt;
    const field =
      (f: number, shift?: (r: number) => number) =>
      (j: number, r: number): number =>
        rows.value(j, r, f) - (shift ? shift(r) : 0);
    const row = (value: (j: number, r: number) => number): Series =>
      decimatedSeries({ count: rows.count, replicas: P, time, value }, maxPoints);
    const deltaE = (j: number, r: number): number => rows.value(j, r, DIAG.energy) - e0[r]!;
    const snaps = run.snapshots;
    const snapSeries = (key: SnapshotKey): Series => {
      const replicas = key === 'distanceMax' || key === 'distanceRms' ? P - 1 : P;
      const count = replicas > 0 ? snaps.length : 0;
      const src: RowSource = { count, replicas, time: (j) => snaps[j]!.step * dt, value: (j, r) => snaps[j]![key][r]! };
      return decimatedSeries(src, maxPoints);
    };
    const last = rows.count - 1;
    const growth = this.growthFit();
    return {
      rows: run.tracker.rows,
      lastTime: last >= 0 ? time(last) : 0,
      energy: row(field(DIAG.energy)),
      dEdt: row(field(DIAG.dEdt)),
      G2: row(field(DIAG.G2)),
      dissipation: row(field(DIAG.dissipation)),
      deltaE: row(deltaE),
      rhsPaper: row((j, r) => deltaE(j, r) - rows.value(j, r, BAL_PAPER)),
      rhsExact: row((j, r) => deltaE(j, r) - rows.value(j, r, BAL_EXACT)),
      balancePaper: row(field(BAL_PAPER)),
      balanceExact: row(field(BAL_EXACT)),
      clusters: snapSeries('clusters'),
      meanAbsCos: snapSeries('meanAbsCos'),
      distanceMax: snapSeries('distanceMax'),
      distanceRms: snapSeries('distanceRms'),
      growthRate: growth.rate,
      growthFit: growth,
    };
  }

  /**
   * λ of distanceRms ≈ a·e^{λt} (mean over replicas r ≥ 1), fitted over the linear window of
   * src/model/growth.ts: after the initial transient, before the distance saturates.
   */
  private growthFit(): GrowthFit {
    const run = this.current;
    if (run.P < 2) return NO_GROWTH_FIT;
    const t = run.snapshots.map((s) => s.step * run.dt);
    const y = run.snapshots.map((s) => s.distanceRms.reduce((a, b) => a + b, 0) / s.distanceRms.length);
    return fitGrowthWindow(t, y);
  }

  csv(): string {
    const run = this.current;
    const { P, rows, origin, dt } = run;
    const lines = [CSV_HEADER];
    for (let j = 0; j < rows.count; j++) {
      const step = origin + rows.rowIndex(j);
      const t = Number((step * dt).toPrecision(15));
      for (let r = 0; r < P; r++) {
        const cells: (number | string)[] = [r, step, t];
        for (let f = 0; f < FIELDS; f++) cells.push(rows.value(j, r, f));
        lines.push(cells.join(','));
      }
    }
    return lines.join('\n') + '\n';
  }
}

function saveCheckpoint(run: Run): Checkpoint {
  return {
    balance: run.tracker.save(),
    rows: run.rows.mark(),
    geometric: run.geometric.mark(),
    e0: run.e0.slice(),
  };
}

/** Takes the wanted checkpoints that fall at the next row (and drops those passed). */
function takeDue(run: Run): void {
  const next = run.origin + run.tracker.rows;
  while (run.wanted.length > 0 && run.wanted[0]! <= next) {
    const step = run.wanted.shift()!;
    if (step === next) run.checkpoints.set(step, saveCheckpoint(run));
  }
}

/** Keeps snapshots sorted by step; a second snapshot of the same step replaces the first. */
function insertSnapshot(list: Snapshot[], snap: Snapshot): void {
  let at = list.length;
  while (at > 0 && list[at - 1]!.step > snap.step) at--;
  if (at > 0 && list[at - 1]!.step === snap.step) list[at - 1] = snap;
  else list.splice(at, 0, snap);
}

/** The distinct buffers behind every series of `tr`, for Comlink.transfer. */
export function traceBuffers(tr: Traces): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(tr) as unknown[]) {
    if (typeof v !== 'object' || v === null) continue;
    for (const a of Object.values(v) as unknown[])
      if (a instanceof Float64Array && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  }
  return [...out];
}
