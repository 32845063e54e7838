/**
 * Rewind and replay: scrubbing the timeline back pauses the run, restores the engine to the
 * kept snapshot at or before the chosen step (src/model/history.ts) and shows that state; the
 * traces and history stay those of the original run, so scrubbing forward again works. Playing
 * (or stepping) from there commits: the history after that step is dropped, the traces are
 * truncated to it (src/worker/traces.ts checkpoints) and the run goes on from the restored
 * state, replaying exactly what the original did (the noise depends on the step only).
 */
import type { History } from '../model/history';
import type { Scenario } from '../model/scenario';
import type { SimEngine } from '../model/engine';
import type { Session } from './session';
import type { TraceSink } from './trace-sink';

/** What Rewind needs of the controller. */
export interface RewindHost {
  readonly session: Session | undefined;
  readonly scenario: Scenario | undefined;
  readonly history: History | undefined;
  playing: boolean;
  /** A session on `engine` from its current step (replacing the current one, already detached). */
  attach(engine: SimEngine): Session;
  serial(work: () => Promise<void>): Promise<void>;
}

export class Rewind {
  /** The step the engine was rewound to while the view shows it (undefined: at the run's head). */
  at: number | undefined;
  /** The run's newest step when the rewind began (what the traces reach). */
  head = 0;
  /** Scrubs asked for while one runs: only the latest is carried out. */
  private target: number | undefined;
  private busy: Promise<void> | undefined;

  constructor(private readonly host: RewindHost & { readonly sink: TraceSinkHolder }) {}

  /** A new run started: nothing is rewound. */
  started(): void {
    this.at = undefined;
    this.target = undefined;
    this.head = 0;
  }

  /**
   * Pauses and shows the kept state at or before `step` (coalesced: a drag issues many). Resolves
   * once the engine shows it.
   */
  scrub(step: number): Promise<void> {
    this.host.playing = false;
    this.target = step;
    this.busy ??= this.host
      .serial(async () => {
        while (this.target !== undefined) {
          const want = this.target;
          this.target = undefined;
          await this.restore(want);
        }
      })
      .finally(() => {
        this.busy = undefined;
      });
    return this.busy;
  }

  private async restore(step: number): Promise<void> {
    const { history, session } = this.host;
    if (!history || !session || session.failed) return;
    const snap = history.atOrBefore(step);
    if (!snap) return;
    if (this.at === undefined) this.head = Math.max(session.completed, history.range()?.last ?? 0);
    await session.detach();
    await session.engine.restore(snap);
    this.at = snap.stepIndex;
    this.host.attach(session.engine).read(true);
  }

  /**
   * Before playing or stepping from a rewound state: drops the history after it and truncates the
   * traces there, so the replay's rows follow the original's up to that step.
   */
  commit(): Promise<void> {
    return this.host.serial(async () => {
      const at = this.at;
      const history = this.host.history;
      if (at === undefined || !history) return;
      await this.host.sink.truncate(at);
      const dropped = history.truncateAfter(at);
      if (dropped.length > 0) this.host.sink.forget(dropped);
      this.at = undefined;
    });
  }
}

/** The trace sink calls Rewind makes. */
type TraceSinkHolder = Pick<TraceSink, 'truncate' | 'forget'>;
