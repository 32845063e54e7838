/**
 * The playground's controller: owns the params, the current engine session and the one
 * rebuild path. Param changes go three ways (src/ui/params.ts): view settings apply at once,
 * drift settings go to the running engine through setDrift, the rest rebuild — from the
 * current tokens and weights (β, sign, attention, integrator, dt) or from t = 0 (sizes,
 * seeds, initial conditions, noise, T). An invalid value shows a banner naming the field
 * and leaves the running simulation untouched.
 */
import { DIAG, DIAG_SIZE } from '../model/attention';
import { costWarnings, describeCost, estimateCost, formatSeconds } from '../model/cost';
import type { SimEngine } from '../model/engine';
import { DeviceLostError, NonFiniteError } from '../model/engine-errors';
import type { Scenario } from '../model/scenario';
import { ScenarioError } from '../model/validate';
import { errorMessage } from '../model/format';
import { changeKind, continueFrom, type ParamKey, type Params, paramsToScenario, recordScenario } from '../ui/params';
import type { FlowView } from '../view/flow-view';
import type { Traces } from '../worker/protocol';
import type { Banners } from './banners';
import { CapacityError, createEngine, WEBGPU_HINT, type EngineChoice } from './engine-factory';
import { History, HISTORY_BUDGET_BYTES } from '../model/history';
import { Rewind } from './rewind';
import { Branches, type BranchStart } from './branches';
import { branchState, canBranch } from '../model/branch';
import { Session } from './session';
import type { TraceSink } from './trace-sink';

/** Banner keys. */
const PARAMS = 'params',
  RUN = 'run',
  ENGINE = 'engine',
  EXPLICIT = 'override',
  COST = 'cost';

/** Past these a rebuild asks to be confirmed (the banner's "run it" button): a frame would wait seconds. */
export const APP_COST_LIMITS = { secondsPerStep: 2, memoryBytes: 2 * 1024 ** 3 } as const;

function isDeviceLost(e: unknown): e is DeviceLostError {
  return e instanceof DeviceLostError;
}

/**
 * Whether `next`'s drift can replace the running one in place (engine.setDrift): the same σ²
 * and no switch into or out of the layer schedule (which sets D(t) itself and forces σ² = 0).
 * Edits within the layer schedule (matrices, layers, duration) are live.
 */
function liveDriftEdit(cur: Scenario, next: Scenario): boolean {
  const layers = (x: Scenario): boolean => x.weights.drift.kind === 'layers';
  return layers(cur) === layers(next) && cur.weights.noiseVariance === next.weights.noiseVariance;
}

/** How long a failed GPU call waits for its device's `lost` promise before calling it a plain failure. */
const LOST_GRACE_MS = 1000;

/** Whether `engine` runs on a GPU device that is (or within LOST_GRACE_MS becomes) lost. */
function deviceLostSoon(engine: SimEngine): Promise<boolean> {
  const device = engine.gpu?.device;
  if (!device) return Promise.resolve(false);
  return Promise.race([
    device.lost.then(() => true),
    new Promise<boolean>((done) => setTimeout(() => done(false), LOST_GRACE_MS)),
  ]);
}

/**
 * Whether `engine` (fresh, at step 0) is non-finite at t = 0 or after its first step: a sentence
 * saying so, or undefined. The engine is left at step 0 (snapshot, one step, restore).
 */
async function firstStepProblem(engine: SimEngine): Promise<string | undefined> {
  const P = engine.scenario.replicas;
  try {
    const start = await engine.snapshot();
    const row = await engine.evaluate();
    const batch = await engine.advance(1);
    const x = await engine.readPositions();
    const w = await engine.readWeights();
    await engine.restore(start);
    const finite = (a: ArrayLike<number>): boolean => {
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
      return true;
    };
    for (let r = 0; r < P; r++)
      if (!Number.isFinite(row[r * DIAG_SIZE + DIAG.energy]!))
        return 'The new settings give a non-finite energy at t = 0.';
    if (!finite(batch.records) || !finite(x) || !finite(w))
      return 'The new settings become non-finite in the first step.';
    return undefined;
  } catch (e) {
    if (e instanceof NonFiniteError)
      return `The new settings are non-finite from the start (${e.what} at step ${e.step}).`;
    throw e;
  }
}

/** Engine lifecycle, play state and the rebuild path. */
export class Controller {
  playing = true;
  building = false;
  session: Session | undefined;
  choice: EngineChoice | undefined;
  /** The scenario the running engine was built from (drift edits included). */
  scenario: Scenario | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** The last run stopped on a failure (and the user has not pressed play or reset since). */
  private stopped = false;
  private generation = 0;
  private preferCpu = false;
  /** Pause once the run reaches this simulated time (a lesson step's `run.until`); cleared when it does. */
  pauseAt: number | undefined;
  /** The current run's snapshots (src/model/history.ts), and their budget for the next run. */
  history: History | undefined;
  historyBudget = HISTORY_BUDGET_BYTES;
  /** Scrubbing back through the history and replaying from there (src/app/rewind.ts). */
  readonly rewind: Rewind = new Rewind(this);
  /** Branches from rewound states and the runs kept beside them (src/app/branches.ts). */
  readonly branches: Branches = new Branches(this);

  constructor(
    readonly params: Params,
    private readonly view: FlowView,
    readonly sink: TraceSink,
    readonly banners: Banners,
  ) {}

  /** `read(params)` validated, or undefined after showing which field is wrong. */
  private valid(read: (p: Params) => Scenario): Scenario | undefined {
    try {
      const s = read(this.params);
      this.banners.clear(PARAMS);
      return s;
    } catch (e) {
      const what = e instanceof ScenarioError ? `Invalid ${e.field}: ${e.message}` : errorMessage(e);
      this.banners.show(PARAMS, 'error', `${what} — the running simulation is unchanged.`);
      return undefined;
    }
  }

  /** The params now hold a new record (a preset, link or file): the next reset runs it as given. */
  loaded(): void {
    this.banners.clear(EXPLICIT);
  }

  /**
   * Applies a change of `key` in the params (called by the panel after it wrote the value). An
   * edit that rebuilds runs what the panel's settings describe: explicit tokens or matrices of a
   * loaded scenario are replaced by the panel's kinds then, with a notice.
   */
  change(key: ParamKey): void {
    const kind = changeKind(key);
    if (kind === 'view') {
      this.view.setOptions(this.params.viewOptions());
      return;
    }
    // The fallback's threads change no result: a WebGPU run is left alone (they apply to the next fallback).
    if (key === 'cpuThreads' && this.choice?.engine.kind !== 'cpu') return;
    const s = this.valid(paramsToScenario);
    if (!s) return;
    const cur = this.scenario;
    // After scrubbing back, any change branches from the state shown (src/app/branches.ts).
    if (this.rewind.at !== undefined && cur && canBranch(cur, s, this.rewind.at)) {
      void this.branches.branch(s);
      return;
    }
    if (kind === 'drift' && cur && this.session && liveDriftEdit(cur, s)) {
      this.session.engine.setDrift(s.weights.drift);
      this.scenario = { ...cur, weights: { ...cur.weights, drift: s.weights.drift } };
      return;
    }
    if (this.params.hasExplicitData()) {
      this.params.dropExplicitData();
      this.banners.show(
        EXPLICIT,
        'notice',
        `${key} changed: the loaded scenario's explicit data (tokens, matrices) is replaced by the panel's settings.`,
      );
    }
    if (kind === 'state') this.rebuildFromState(s, `${key} changed`);
    else this.rebuild(s);
  }

  /**
   * Restarts the record from t = 0 ("reset", `r`): a loaded scenario exactly as given. After a
   * stop (non-finite, engine error) it plays again, as the banner that asked for it says.
   */
  reset(): Promise<void> {
    const s = this.valid(recordScenario);
    if (!s) return Promise.resolve();
    // After a stop (non-finite, engine error) reset plays again, as the stop's banner says.
    if (this.stopped) this.playing = true;
    this.stopped = false;
    return this.rebuild(s);
  }

  /** Plays or pauses; playing a finished run restarts it. */
  togglePlay(): void {
    if (this.rewind.at !== undefined && !this.playing) {
      void this.rewind.commit().then(() => {
        this.playing = true;
      });
      return;
    }
    this.stopped = false;
    if (this.session?.finished && !this.playing) {
      this.playing = true;
      void this.reset();
      return;
    }
    this.playing = !this.playing;
  }

  /** One step (pauses first). */
  step(): void {
    this.playing = false;
    if (this.rewind.at !== undefined) {
      void this.rewind.commit().then(() => this.session?.stepOnce());
      return;
    }
    this.session?.stepOnce();
  }

  /**
   * Continues the current state under a new scenario `s` (same n, d, H): the last read
   * tokens and weights become explicit initial values, and the clock restarts at 0.
   */
  rebuildFromState(s: Scenario, why: string): void {
    const x = this.session?.lastPositions,
      w = this.session?.lastWeights,
      cur = this.scenario;
    const sameShape = cur && cur.n === s.n && cur.d === s.d && cur.heads === s.heads && cur.replicas === s.replicas;
    if (!x || !w || !sameShape || s.weights.drift.kind === 'layers') {
      this.rebuild(s);
      return;
    }
    try {
      const next = continueFrom(s, x, w);
      const note = s.replicas > 1 ? " (all replicas restart from replica 0's tokens)" : '';
      this.banners.show(
        RUN,
        'notice',
        `${why}: continuing from the current tokens and weights; the clock restarts at t = 0${note}.`,
      );
      this.rebuild(next, true);
    } catch (e) {
      this.banners.show(
        RUN,
        'error',
        `Could not continue from the current state (${errorMessage(e)}); restarting from t = 0.`,
      );
      this.rebuild(s);
    }
  }

  /**
   * The one rebuild path: builds the new engine first (a refused size leaves the running
   * one untouched), then waits for the old engine's pending calls and destroys it.
   */
  rebuild(
    s: Scenario,
    keepRunBanner = false,
    confirmed = false,
    fromState = keepRunBanner,
    from?: BranchStart,
  ): Promise<void> {
    const gen = ++this.generation;
    if (!keepRunBanner) this.banners.clear(RUN);
    if (!confirmed) this.banners.clear(COST);
    this.chain = this.chain.then(async () => {
      if (gen !== this.generation) return;
      this.building = true;
      try {
        const choice = await this.choose(s);
        if (!choice) return;
        if (gen !== this.generation) {
          choice.engine.destroy();
          return;
        }
        // After the engine exists (a size it cannot hold is refused first, with its own banner).
        if (!confirmed && !this.confirmCost(s, choice.engine.kind, keepRunBanner, fromState, from)) {
          choice.engine.destroy();
          return;
        }
        // A new run (from t = 0) that is non-finite from its first step never replaces the one
        // running. A continuation from the current state (β, dt, … edits) runs and stops on its
        // last good state instead (onFailure), as a continuation of this run.
        if (from) await choice.engine.restore(branchState(from.snapshot, s, await choice.engine.snapshot()));
        const refused = this.session && !fromState && !from ? await firstStepProblem(choice.engine) : undefined;
        if (refused) {
          choice.engine.destroy();
          this.banners.show(
            RUN,
            'error',
            `${refused} The previous run was kept and goes on. Lower dt or β (or the size of the weights: D(0) scale, explicit entries, the drift's targets).`,
          );
          return;
        }
        const old = this.session;
        this.session = undefined;
        if (old) await old.dispose();
        await this.start(choice, s, from);
      } finally {
        this.building = false;
      }
    });
    return this.chain;
  }

  /**
   * Whether `s` may start now: true, or false after a banner with the estimate and a "run it"
   * button (which rebuilds with `confirmed`), when one step would take seconds or the state
   * gigabytes. The running simulation goes on meanwhile.
   */
  private confirmCost(
    s: Scenario,
    engine: 'cpu' | 'gpu',
    keepRunBanner: boolean,
    fromState: boolean,
    from?: BranchStart,
  ): boolean {
    const cost = estimateCost(s, engine, 1, engine === 'cpu' ? this.params.cpuThreads : 1);
    const over = costWarnings(cost, { ...APP_COST_LIMITS, seconds: Infinity, outputBytes: Infinity });
    if (over.length === 0) return true;
    this.banners.show(
      COST,
      'notice',
      `This run is heavy (${over.join(', ')}): ${describeCost(cost, engine).replace(/, ~[^,]* of output$/, '')}. Frames will wait on each step. The running simulation is unchanged.`,
      {
        label: 'run it anyway',
        run: () => {
          this.banners.show(COST, 'notice', `Heavy run started: ~${formatSeconds(cost.secondsPerStep)} per step.`);
          void this.rebuild(s, keepRunBanner, true, fromState, from);
        },
      },
    );
    return false;
  }

  /** An engine for `s`, falling back to the CPU once if the GPU engine fails; undefined after a banner. */
  private async choose(s: Scenario): Promise<EngineChoice | undefined> {
    try {
      return await createEngine(s, this.preferCpu, this.params.cpuThreads);
    } catch (e) {
      if (e instanceof CapacityError || this.preferCpu) {
        this.banners.show(RUN, 'error', `${errorMessage(e)} The running simulation is unchanged.`);
        return undefined;
      }
      this.banners.show(ENGINE, 'notice', `The GPU engine failed (${errorMessage(e)}); using the CPU fallback.`);
      this.preferCpu = true;
      return this.choose(s);
    }
  }

  private async start(choice: EngineChoice, s: Scenario, from?: BranchStart): Promise<void> {
    if (choice.fallbackReason && !this.preferCpu) {
      this.banners.show(
        ENGINE,
        'notice',
        `${choice.label}: ${choice.fallbackReason}. Sizes are limited and steps are slower. ${WEBGPU_HINT}`,
      );
    }
    this.choice = choice;
    this.scenario = s;
    this.view.setRun(s, choice.engine);
    this.view.setOptions(this.params.viewOptions());
    const at = from?.snapshot.stepIndex ?? 0;
    if (from?.keepTraces && this.history) {
      // A branch of the same trace shape: the traces and history up to the branch step go on.
      await this.sink.truncate(at);
      const dropped = this.history.truncateAfter(at);
      if (dropped.length > 0) this.sink.forget(dropped);
    } else {
      await this.sink.reset({ scenario: s, clusterEpsilon: this.params.clusterEpsilon });
      this.history = new History(this.historyBudget);
    }
    this.rewind.started();
    this.branches.started(s, from !== undefined);
    this.attach(choice.engine).read(true);
  }

  /** A session driving `engine` from its current step (a new run, or the continuation of a rewind). */
  attach(engine: SimEngine): Session {
    const session = new Session(
      engine,
      this.sink,
      {
        positions: (x, t) => {
          if (this.session === session) this.view.setPositions(x, t);
        },
        weights: (w) => {
          if (this.session === session) this.view.setWeights(w);
        },
        finished: () => {
          if (this.session === session) this.playing = false;
        },
        failed: (e, t) => this.onFailure(session, e, t),
      },
      this.history,
    );
    this.session = session;
    // A GPU engine reports a device lost while idle through onLost (pending calls reject as well).
    engine.onLost = (e) => session.fail(e);
    return session;
  }

  private onFailure(session: Session, e: unknown, t: number): void {
    if (this.session !== session) return;
    this.playing = false;
    this.stopped = true;
    if (e instanceof NonFiniteError) {
      this.banners.show(
        RUN,
        'error',
        `The simulation became non-finite near t = ${t.toFixed(3)} and was stopped on the last good state. Lower dt or β (or the size of the weights: D(0) scale, explicit entries), then press reset (it plays again).`,
      );
    } else if (isDeviceLost(e)) {
      this.recoverFromLoss(session);
    } else {
      // A device lost in the middle of a call can reject that call first (e.g. "Buffer was
      // unmapped before mapping was resolved") and resolve `device.lost` a moment later.
      void deviceLostSoon(session.engine).then((lost) => {
        if (this.session !== session) return;
        if (lost) this.recoverFromLoss(session);
        else this.banners.show(RUN, 'error', `The engine stopped: ${errorMessage(e)}`);
      });
    }
  }

  /** Rebuilds on a new device from the session's last finite state, and plays on. */
  private recoverFromLoss(session: Session): void {
    if (this.session !== session || !this.scenario) return;
    this.banners.show(ENGINE, 'notice', 'The GPU device was lost; rebuilt from the last positions snapshot.');
    this.playing = true;
    this.rebuildFromState(this.scenario, 'GPU device lost');
  }

  /** Sets the history's byte budget (this run's, thinned at once, and the next runs'). */
  setHistoryBudget(bytes: number): void {
    this.historyBudget = bytes;
    const dropped = this.history?.setBudget(bytes) ?? [];
    if (dropped.length > 0) this.sink.forget(dropped);
  }

  /** Runs `work` after the rebuilds and rewinds queued before it (one engine change at a time). */
  serial(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((e: unknown) => {
      this.banners.show(RUN, 'error', `Rewind failed: ${errorMessage(e)}`);
    });
    return this.chain;
  }

  /** Per animation frame: drives the session. */
  tick(): void {
    if (this.pauseAt !== undefined && this.session && this.session.time >= this.pauseAt - 1e-9) {
      this.playing = false;
      this.pauseAt = undefined;
    }
    this.session?.tick(this.playing, this.params.stepsPerFrame);
  }

  /** Decimated traces of the current run. */
  traces(maxPoints = 1500): Promise<Traces> {
    return this.sink.traces(maxPoints);
  }
}
