/**
 * Runs a scenario to t = T on any SimEngine, recording step 0, every K-th step and the last
 * step, with both balances accumulated in float64 on every step. Shared by the CLI and tests.
 *
 * The engine is advanced in calls sized by measured time (about `callSeconds` each, whatever
 * n, d, H and P), with a turn of the event loop between calls, and the rows of each call go to
 * `onRows` (awaited: the caller's backpressure) as CSV lines, never held for the whole run.
 * When even one step takes longer than that, progress still comes at least once a second while
 * the call runs (fractional where the engine counts inside a step: `stepsDone`), and a signal
 * does not wait for the step: the run ends at once on the state before it, kept as a snapshot
 * before every call that may be slow (`RunEnd.state`). A NonFiniteError stops the run on the
 * engine's last good state, with the good rows of the failing call written.
 */
import { DIAG_SIZE } from '../model/attention';
import { BalanceTracker } from '../model/balance';
import { type EngineSnapshot, NonFiniteError, type SimEngine, type StepBatch } from '../model/engine';
import { TABLEAUX } from '../model/integrators';
import { stepCount } from '../model/scenario';

export { TRACE_COLUMNS } from '../model/balance';

export interface RunOptions {
  every: number;
  /** Target seconds of one engine call (default 0.2). */
  callSeconds?: number;
  /** Most steps in one call (default 4096). */
  maxChunk?: number;
  /** Stops the run between calls. */
  signal?: AbortSignal;
  /** CSV lines (each ending in a newline) of the rows recorded by one call. */
  onRows?: (text: string) => void | Promise<void>;
  /** Steps done of the total (fractional while a long step runs), at least once a second. */
  onProgress?: (done: number, total: number) => void;
}

export type RunStatus = 'complete' | 'interrupted' | 'non-finite';

export interface RunEnd {
  status: RunStatus;
  /** The step of the state the engine holds (t = step·dt): the last good state. */
  step: number;
  /** The last step whose row was recorded, or −1 when none was. */
  lastRow: number;
  /** Steps whose rows reached `onRows` (complete rows, in order). */
  stepsDone: number;
  /** Set when status is 'non-finite'. */
  error?: NonFiniteError;
  /**
   * Set when a signal ended the run in the middle of an engine call: the state at `step` (the
   * engine itself is still busy with the call and should only be destroyed).
   */
  state?: EngineSnapshot;
}

/** Calls expected to take longer than this keep a snapshot first, so a signal need not wait for them. */
const SLOW_CALL_MS = 500;
/** Progress while one call runs: at least this often. */
const HEARTBEAT_MS = 500;

/** Resolves with the call's batch, or with 'aborted' as soon as `signal` fires. */
function raceSignal<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<T | 'aborted'> {
  if (!signal) return call;
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise<T | 'aborted'>((resolve, reject) => {
    const onAbort = (): void => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Most CSV rows one engine call produces (~150 bytes each). */
const MAX_ROWS_PER_CALL = 2048;

/** A turn of the event loop (signals and I/O callbacks run). */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Steps the engine to the end of its scenario (or until `signal`/a non-finite step). */
export async function runToEnd(engine: SimEngine, opts: RunOptions): Promise<RunEnd> {
  const s = engine.scenario;
  const total = stepCount(s);
  const P = s.replicas;
  const balance = new BalanceTracker(P, s.dt, s.flowSign, TABLEAUX[s.integrator].quadrature);
  const target = (opts.callSeconds ?? 0.2) * 1000;
  // Rows per call bounded too (P replicas a recorded step): the call's records and CSV text stay ~1 MB.
  const maxChunk = Math.max(1, Math.min(opts.maxChunk ?? 4096, Math.floor((MAX_ROWS_PER_CALL * opts.every) / P)));
  let lastRow = -1;
  let stepsDone = engine.stepIndex;
  const rowsOf = (batch: StepBatch, final: boolean): string => {
    let text = '';
    for (let i = 0; i < batch.steps; i++) {
      const at = i * P * DIAG_SIZE;
      const bal = balance.push(batch.records, at);
      const k = batch.firstStep + i;
      if (!(k % opts.every === 0 || k === total)) continue;
      if (final && k !== total) continue;
      for (let r = 0; r < P; r++) {
        const row = [r, k, k * s.dt];
        for (let f = 0; f < DIAG_SIZE; f++) row.push(batch.records[at + r * DIAG_SIZE + f]!);
        row.push(bal[2 * r]!, bal[2 * r + 1]!);
        text += `${row.join(',')}\n`;
      }
      lastRow = k;
    }
    return text;
  };
  const deliver = async (batch: StepBatch, final = false): Promise<void> => {
    const text = rowsOf(batch, final);
    if (text.length > 0) await opts.onRows?.(text);
  };
  let chunk = 1;
  // Unknown before the first call: the first call may be slow.
  let msPerStep = Number.POSITIVE_INFINITY;
  try {
    while (engine.stepIndex < total) {
      if (opts.signal?.aborted) return { status: 'interrupted', step: engine.stepIndex, lastRow, stepsDone };
      const k = Math.min(chunk, total - engine.stepIndex);
      const from = engine.stepIndex;
      const state = k * msPerStep > SLOW_CALL_MS ? await engine.snapshot() : undefined;
      const t0 = performance.now();
      const heartbeat = setInterval(() => opts.onProgress?.(engine.stepsDone?.() ?? from, total), HEARTBEAT_MS);
      let got: StepBatch | 'aborted';
      try {
        got = await raceSignal(engine.advance(k), state ? opts.signal : undefined);
      } finally {
        clearInterval(heartbeat);
      }
      if (got === 'aborted') return { status: 'interrupted', step: from, lastRow, stepsDone, state };
      const batch = got;
      const ms = performance.now() - t0;
      msPerStep = ms / k;
      await deliver(batch);
      stepsDone = batch.firstStep + batch.steps;
      opts.onProgress?.(engine.stepIndex, total);
      // Next call ~target ms: grow at most ×2 a call, shrink at once.
      chunk = Math.max(1, Math.min(maxChunk, 2 * chunk, Math.floor((k * target) / Math.max(ms, 0.01))));
      await yieldToLoop();
    }
    if (opts.signal?.aborted) return { status: 'interrupted', step: engine.stepIndex, lastRow, stepsDone };
    // The last row costs one evaluation (a stage of a step): as interruptible as a step.
    const state = msPerStep > SLOW_CALL_MS ? await engine.snapshot() : undefined;
    const last = await raceSignal(engine.evaluate(), state ? opts.signal : undefined);
    if (last === 'aborted') return { status: 'interrupted', step: total, lastRow, stepsDone, state };
    await deliver({ firstStep: total, steps: 1, records: last }, true);
    stepsDone = total + 1;
    return { status: 'complete', step: total, lastRow, stepsDone };
  } catch (e) {
    if (!(e instanceof NonFiniteError)) throw e;
    if (e.good.steps > 0 && e.good.firstStep === stepsDone) {
      await deliver(e.good);
      stepsDone += e.good.steps;
    }
    return { status: 'non-finite', step: engine.stepIndex, lastRow, stepsDone, error: e };
  }
}
