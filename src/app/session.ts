/**
 * One engine's run, driven by the frame loop: at most MAX_IN_FLIGHT `advance` calls
 * pending (rendering never waits on them), every batch forwarded to the trace sink,
 * positions and weights read back — every GPU_READ_MS with a GPU engine (the view draws from
 * its buffers; the reads serve the CPU: colours, projection, head axes, the trace worker's
 * snapshots), every READ_EVERY frames otherwise — a position snapshot to the trace sink every
 * SNAPSHOT_EVERY readbacks (every readback of a GPU engine), and at t = T the final
 * `evaluate()` row. Non-finite diagnostics or positions stop the run on the last good state.
 * With a History, each readback is an engine `snapshot()` (on every engine the same reads of
 * positions and weights, plus the step and drift): kept in the history, with a trace checkpoint
 * at its step (src/app/history-controller.ts rewinds to them).
 */
import { DIAG, DIAG_SIZE } from '../model/attention';
import type { EngineSnapshot, SimEngine, StepBatch } from '../model/engine';
import { NonFiniteError, noRows } from '../model/engine-errors';
import type { History } from '../model/history';
import { stepCount } from '../model/scenario';
import type { TraceSink } from './trace-sink';

const MAX_IN_FLIGHT = 2;
/** Frames between position readbacks (engines without GPU buffers: the view draws the readbacks). */
const READ_EVERY = 2;
/** Milliseconds between readbacks of a GPU engine, whatever the frame rate (the trace rate). */
export const GPU_READ_MS = 250;
/** Readbacks between snapshots sent to the trace worker (clusters, replica distances). */
const SNAPSHOT_EVERY = 4;

/** What the session reports back to the controller. */
export interface SessionEvents {
  positions(x: Float32Array | Float64Array, time: number): void;
  weights(w: Float32Array | Float64Array): void;
  finished(): void;
  failed(error: unknown, time: number): void;
}

/** The index of the first non-finite entry of `a`, or −1. */
function firstNonFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/**
 * Keeps `snap` in `history` (after the snapshots it holds; one of an earlier step is ignored) and
 * asks the trace worker for a checkpoint at its step; checkpoints of thinned snapshots are dropped.
 */
function keepSnapshot(history: History, sink: TraceSink, snap: EngineSnapshot): void {
  const last = history.range()?.last;
  if (last !== undefined && snap.stepIndex < last) return;
  sink.checkpoint(snap.stepIndex);
  const dropped = history.add(snap);
  if (dropped.length > 0) sink.forget(dropped);
}

/** The run of one engine, from its initial state to t = T. */
export class Session {
  /** Steps whose records have arrived (the state the traces describe). */
  completed = 0;
  finished = false;
  failed = false;
  /** Last finite readback, for rebuilds from the current state. */
  lastPositions: Float32Array | Float64Array | undefined;
  lastWeights: Float32Array | Float64Array | undefined;
  private scheduled = 0;
  private inFlight = 0;
  private reading = false;
  private readStep = -1;
  /** A restore landed while a read was under way (restoreAt): read once more after it. */
  private rereadAfter = false;
  private frames = 0;
  private reads = 0;
  /** performance.now() of the last readback (GPU engines). */
  private lastReadAt = -Infinity;
  /** Readbacks of positions and weights made so far (each one map of each buffer). */
  readbacks = 0;
  private readonly pending = new Set<Promise<unknown>>();
  readonly total: number;
  private disposed = false;

  constructor(
    readonly engine: SimEngine,
    private readonly sink: TraceSink,
    private readonly events: SessionEvents,
    /** Where each readback is kept as a snapshot (none: plain reads). */
    readonly history?: History,
  ) {
    this.total = stepCount(engine.scenario);
    this.scheduled = engine.stepIndex;
    this.completed = engine.stepIndex;
  }

  /** Simulated time of the completed steps. */
  get time(): number {
    return this.completed * this.engine.scenario.dt;
  }

  /**
   * The share (0…1) of the next step the engine reports done while a step runs long (a split GPU
   * dispatch, the CPU fallback's row count); 0 when it reports nothing inside a step.
   */
  get stepShare(): number {
    if (this.inFlight === 0) return 0;
    const done = this.engine.stepsDone?.() ?? this.completed;
    return done > this.completed && done < this.completed + 1 ? done - this.completed : 0;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => {});
    return p;
  }

  /** Called once per animation frame: schedules steps when playing, and readbacks. */
  tick(playing: boolean, stepsPerFrame: number): void {
    if (this.disposed || this.failed) return;
    this.frames++;
    if (playing && !this.finished) {
      const k = Math.min(Math.max(1, Math.round(stepsPerFrame)), this.total - this.scheduled);
      if (this.inFlight < MAX_IN_FLIGHT && k > 0) this.advance(k);
    }
    if (this.engine.gpu === undefined) {
      if (this.frames % READ_EVERY === 0) this.read(false);
    } else if (performance.now() - this.lastReadAt >= GPU_READ_MS) this.read(false);
  }

  /** One step, when idle (the "step" button). */
  stepOnce(): void {
    if (!this.disposed && !this.failed && !this.finished && this.inFlight === 0 && this.scheduled < this.total)
      this.advance(1);
  }

  /**
   * For the recorder: waits until no engine call is pending, advances exactly `k` steps (fewer
   * at t = T) and reads the positions back, so the view shows the state after those steps.
   * Call only while the frame loop does not tick this session.
   */
  async advanceExactly(k: number): Promise<void> {
    await this.settle();
    const m = Math.min(Math.max(0, Math.round(k)), this.total - this.scheduled);
    if (m > 0 && !this.disposed && !this.failed && !this.finished) this.advance(m);
    await this.settle();
    this.read(true);
    await this.settle();
  }

  /** Resolves when every pending engine call (and what it started) has settled. */
  private async settle(): Promise<void> {
    do {
      await Promise.allSettled([...this.pending]);
      // A macrotask lets the promise chains hung on those calls (onBatch, finish, read) run.
      await new Promise((resolve) => setTimeout(resolve, 0));
    } while (this.pending.size > 0 || this.inFlight > 0 || this.reading);
  }

  private advance(k: number): void {
    this.scheduled += k;
    this.inFlight++;
    const p = this.track(this.engine.advance(k));
    p.then(
      (b) => this.onBatch(b),
      (e: unknown) => this.fail(e),
    )
      .finally(() => {
        this.inFlight--;
        if (this.completed >= this.total && this.inFlight === 0 && !this.finished && !this.failed) this.finish();
      })
      .catch(() => {});
  }

  private onBatch(b: StepBatch): void {
    if (this.disposed || this.failed) return;
    const P = this.engine.scenario.replicas;
    for (let s = 0; s < b.steps; s++) {
      for (let r = 0; r < P; r++) {
        if (!Number.isFinite(b.records[(s * P + r) * DIAG_SIZE + DIAG.energy]!)) {
          const step = b.firstStep + s;
          const info = { step, replica: r, what: 'energy', resumeStep: undefined, good: noRows(b.firstStep) } as const;
          this.fail(new NonFiniteError(info, `non-finite energy at step ${step}`));
          return;
        }
      }
    }
    this.completed = b.firstStep + b.steps;
    this.sink.pushRecords(b);
  }

  /**
   * Replaces the paused run's state by `snapshot` of the same step (tokens edited by hand,
   * src/app/token-edit.ts), then reads it back so the picture and the traces follow.
   */
  async restoreAt(snapshot: EngineSnapshot): Promise<void> {
    if (snapshot.stepIndex !== this.completed || this.inFlight > 0)
      throw new Error('restoreAt: the run is not paused at that step');
    await this.track(this.engine.restore(snapshot));
    this.refresh();
  }

  /** Reads the current state back now, or right after a read under way (which may show an older one). */
  refresh(): void {
    if (this.reading) this.rereadAfter = true;
    else this.read(true);
  }

  /** Reads positions and weights (forced: even if no step completed since the last read). */
  read(force: boolean): void {
    if (this.reading || this.disposed || this.failed || (!force && this.readStep === this.completed)) return;
    this.reading = true;
    this.readbacks++;
    this.lastReadAt = performance.now();
    const step = this.completed;
    // The step the read shows: engine calls are ordered, so a read sees the state at the
    // engine's stepIndex at its call (steps requested so far), whichever engine runs.
    const at = this.engine.stepIndex;
    const { history } = this;
    type Read = readonly [Float32Array | Float64Array, Float32Array | Float64Array, EngineSnapshot | undefined];
    const p = this.track<Read>(
      history
        ? this.engine.snapshot().then((snap) => [snap.positions, snap.weights, snap] as const)
        : Promise.all([this.engine.readPositions(), this.engine.readWeights(), undefined]),
    );
    p.then(
      ([x, w, snap]) => {
        if (this.disposed || this.failed) return;
        const badX = firstNonFinite(x);
        const badW = badX < 0 ? firstNonFinite(w) : -1;
        if (badX >= 0 || badW >= 0) {
          const { n, d, heads: H } = this.engine.scenario;
          const replica = badX >= 0 ? Math.floor(badX / (n * d)) : Math.floor(badW / (H * d * d));
          const what = badX >= 0 ? 'positions' : 'weights';
          const info = { step: at, replica, what, resumeStep: undefined, good: noRows(at) } as const;
          this.fail(new NonFiniteError(info, 'non-finite token positions or weights'));
          return;
        }
        if (snap && history) keepSnapshot(history, this.sink, snap);
        this.readStep = step;
        this.lastPositions = x;
        this.lastWeights = w;
        this.events.positions(x, at * this.engine.scenario.dt);
        this.events.weights(w);
        // A rewound state (before the history's newest step) adds nothing to the original's traces.
        if (history && at < (history.range()?.last ?? -1)) return;
        const every = this.engine.gpu === undefined ? SNAPSHOT_EVERY : 1;
        if (force || this.reads++ % every === 0) this.sink.pushSnapshot(at, x.slice());
      },
      (e: unknown) => this.fail(e),
    )
      .finally(() => {
        this.reading = false;
        if (this.rereadAfter) {
          this.rereadAfter = false;
          this.read(true);
        }
      })
      .catch(() => {});
  }

  private finish(): void {
    this.finished = true;
    const P = this.engine.scenario.replicas;
    const last = async (): Promise<void> => {
      const row = await this.track(this.engine.evaluate());
      if (this.disposed) return;
      this.sink.pushRecords({ firstStep: this.total, steps: 1, records: row.slice(0, P * DIAG_SIZE) });
      await Promise.allSettled([...this.pending]);
      this.read(true);
      this.events.finished();
    };
    void last().catch((e: unknown) => this.fail(e));
  }

  /** Stops the run with `e` (engine errors, or a device lost while idle). */
  fail(e: unknown): void {
    if (this.failed || this.disposed) return;
    // An engine's NonFiniteError carries the finite rows of the failing batch.
    const good = e instanceof NonFiniteError ? e.good : undefined;
    if (good && good.firstStep === this.completed && good.steps > 0) {
      this.sink.pushRecords(good);
      this.completed += good.steps;
    }
    this.failed = true;
    this.events.failed(e, this.time);
  }

  /** Stops driving the engine and waits for its pending calls, leaving it alive (a rewind takes it over). */
  async detach(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.pending]);
  }

  /** Waits for pending engine calls, then destroys the engine. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.pending]);
    this.engine.destroy();
  }
}
