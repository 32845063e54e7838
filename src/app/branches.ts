/**
 * Branches: after scrubbing back (src/app/rewind.ts), a change of any setting starts a branch
 * from the state shown (src/model/branch.ts fits it to the new shape). The run left behind keeps
 * its traces, drawn faint and labelled beside the live run's until cleared; a few are kept.
 * Every run knows how to reproduce itself — its root scenario and the (step, scenario) stages of
 * its branches — so a kept run can be switched back to, and a branch shared as a link
 * (src/app/branch-url.ts): both rerun the root from t = 0 to each branch step, then branch.
 */
import type { BranchSpec } from '../model/branch';
import { describeChange, sameTraceShape } from '../model/branch';
import type { EngineSnapshot } from '../model/engine';
import { formatShort } from '../model/format';
import type { History } from '../model/history';
import type { Scenario } from '../model/scenario';
import type { Traces } from '../worker/protocol';
import type { Banners } from './banners';
import type { Rewind } from './rewind';
import type { Session } from './session';

/** Where a branch's engine starts: the base run's state there, and whether its traces go on. */
export interface BranchStart {
  snapshot: EngineSnapshot;
  keepTraces: boolean;
}

/** How to rerun a run: its root scenario from t = 0, then each branch in turn. */
export interface RunRecipe {
  root: Scenario;
  stages: BranchSpec[];
}

/** A run kept beside the live one: its traces (as they were when it was left) and how to rerun it. */
export interface KeptRun {
  id: number;
  label: string;
  /** Decimated for drawing. */
  traces: Traces;
  /** Every stored row, for the exports. */
  full: Traces;
  visible: boolean;
  recipe: RunRecipe;
}

/** What Branches needs of the controller. */
export interface BranchHost {
  readonly rewind: Rewind;
  readonly history: History | undefined;
  readonly scenario: Scenario | undefined;
  readonly session: Session | undefined;
  readonly banners: Banners;
  playing: boolean;
  traces(maxPoints?: number): Promise<Traces>;
  rebuild(
    s: Scenario,
    keepRunBanner?: boolean,
    confirmed?: boolean,
    fromState?: boolean,
    from?: BranchStart,
  ): Promise<void>;
  serial(work: () => Promise<void>): Promise<void>;
}

/** Most runs kept beside the live one (the oldest goes first). */
export const MAX_KEPT = 4;
const BANNER = 'branch';
/** Steps per call while rerunning a recipe up to a branch step. */
const FAST_FORWARD_CHUNK = 25;

export class Branches {
  /** Runs kept beside the live one, oldest first. */
  readonly kept: KeptRun[] = [];
  /** The live run's label and recipe. */
  live: { label: string; recipe: RunRecipe | undefined } = { label: 'original', recipe: undefined };
  /** Called when the list or the live run changes (the panel redraws). */
  onChange: (() => void) | undefined;
  private nextId = 1;
  private branching = false;

  constructor(private readonly host: BranchHost) {}

  /** A run started: a fresh one from t = 0 is an "original"; a branch already set its label. */
  started(s: Scenario, isBranch: boolean): void {
    if (isBranch || this.branching) return;
    this.live = { label: 'original', recipe: { root: s, stages: [] } };
    this.onChange?.();
  }

  /**
   * Branches the live run at the rewound step (or `at`, a kept step) into `next`; the run left
   * behind is kept (faint) unless `keep` is false.
   */
  async branch(next: Scenario, at = this.host.rewind.at, keep = true): Promise<void> {
    const { history, scenario: base } = this.host;
    if (at === undefined || !history || !base) return;
    const snapshot = history.atOrBefore(at);
    if (!snapshot || snapshot.stepIndex !== at) {
      this.host.banners.show(BANNER, 'error', `No kept state at step ${at} to branch from.`);
      return;
    }
    if (keep) await this.keepLive();
    const label = `${describeChange(base, next)} at t = ${formatShort(at * base.dt)}`;
    const recipe = this.live.recipe ?? { root: base, stages: [] };
    this.live = { label, recipe: { root: recipe.root, stages: [...recipe.stages, { base, at, next }] } };
    this.branching = true;
    try {
      await this.host.rebuild(next, true, false, true, { snapshot, keepTraces: sameTraceShape(base, next) });
    } finally {
      this.branching = false;
    }
    this.host.banners.show(
      BANNER,
      'notice',
      `Branch: ${label}. The run left behind is drawn faint in the plots (Branches folder to switch or clear).`,
    );
    this.onChange?.();
  }

  /**
   * Reruns `recipe` (a kept run, or a branch link): the root from t = 0, paused, stepped to each
   * branch step and branched there. The live run is kept beside it when `keepLive`.
   */
  async replay(recipe: RunRecipe, keepLive = true): Promise<void> {
    if (keepLive) await this.keepLive();
    this.host.playing = false;
    this.branching = true;
    try {
      await this.host.rebuild(recipe.root);
    } finally {
      this.branching = false;
    }
    this.live = { label: 'original', recipe: { root: recipe.root, stages: [] } };
    for (const stage of recipe.stages) {
      await this.fastForward(stage.at);
      await this.branch(stage.next, stage.at, false);
    }
    this.host.banners.clear(`${BANNER}-replay`);
    this.onChange?.();
  }

  /** Steps the paused live run to exactly `at`, with a kept snapshot there. */
  private async fastForward(at: number): Promise<void> {
    for (;;) {
      const session = this.host.session;
      if (!session || session.failed) throw new Error(`the run stopped before step ${at}`);
      if (session.completed >= at && this.host.history?.range()?.last === at) return;
      if (session.completed > at) throw new Error(`the run is past step ${at}`);
      this.host.banners.show(
        `${BANNER}-replay`,
        'notice',
        `Rerunning to the branch step: ${session.completed} of ${at}…`,
      );
      if (session.completed < at) await session.advanceExactly(Math.min(FAST_FORWARD_CHUNK, at - session.completed));
      else {
        session.read(true);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Reruns kept run `id` (it becomes the live run; the live one is kept). */
  switchTo(id: number): Promise<void> {
    const run = this.kept.find((k) => k.id === id);
    if (!run) return Promise.resolve();
    this.kept.splice(this.kept.indexOf(run), 1);
    return this.replay(run.recipe).catch((e: unknown) => {
      this.host.banners.show(BANNER, 'error', `Could not switch: ${(e as Error).message}`);
    });
  }

  /** Forgets the kept runs (their faint traces go). */
  clear(): void {
    this.kept.length = 0;
    this.host.banners.clear(BANNER);
    this.onChange?.();
  }

  /** The live run and the kept ones, labelled, with every stored row (for the exports). */
  async runs(): Promise<{ label: string; traces: Traces; recipe: RunRecipe | undefined }[]> {
    const live = { label: `${this.live.label} (live)`, traces: await this.host.traces(1e9), recipe: this.live.recipe };
    return [live, ...this.kept.map((k) => ({ label: k.label, traces: k.full, recipe: k.recipe }))];
  }

  /** Keeps the live run's traces beside the next one. */
  private async keepLive(): Promise<void> {
    const recipe = this.live.recipe;
    if (!recipe) return;
    const [traces, full] = [await this.host.traces(1500), await this.host.traces(1e9)];
    this.kept.push({ id: this.nextId++, label: this.live.label, traces, full, visible: true, recipe });
    while (this.kept.length > MAX_KEPT) this.kept.shift();
  }
}
