/**
 * Plays a lesson (src/model/lesson.ts) in presenter mode: → (or PageDown, or the strip's ▶)
 * goes to the next step, ← (PageUp, ◀) to the previous one, the strip's ↻ replays the step.
 * Every step is applied whole: its resolved scenario (src/ui/lesson-steps.ts: the lesson start
 * with every change up to that step) is loaded into the params and run from t = 0, paused, then
 * played, played until its time or left paused, with its plots beside the equations. Going back
 * therefore gives exactly the state the lesson writes, and a replay the same run.
 *
 * While a lesson is open in presenter mode the arrow keys are the lesson's (a capture listener
 * that stops the playground's own → step); outside presenter mode they are the playground's.
 */
import { narrationText } from '../model/narration';
import type { ResolvedLesson, ResolvedStep } from '../ui/lesson-steps';
import { LessonStrip } from '../ui/lesson-strip';
import type { Params } from '../ui/params';
import type { Presenter } from '../ui/presenter';
import type { Controller } from './controller';

/** What the player drives. */
export interface LessonPlayerDeps {
  root: HTMLElement;
  params: Params;
  controller: Controller;
  presenter: Presenter;
  /** Re-reads the GUI and the caption after the params were replaced. */
  loaded(step: ResolvedStep): void;
}

/** The player's state, for the test hook. */
export interface LessonHookState {
  open: boolean;
  title: string;
  index: number;
  count: number;
  stepTitle: string;
  narration: string;
  plots: string[];
  /** Steps applied so far (each go, back and replay counts one). */
  applied: number;
  /** The running engine's scenario, in brief (undefined before the first run). */
  running?: {
    n: number;
    heads: number;
    beta: number;
    drift: string;
    replicas: number;
    pertTokens: number;
    pertWeights: number;
  };
}

const NEXT = new Set(['ArrowRight', 'PageDown']);
const PREVIOUS = new Set(['ArrowLeft', 'PageUp']);

export class LessonPlayer {
  private current: ResolvedLesson | undefined;
  private index = 0;
  private applied = 0;
  private readonly strip: LessonStrip;

  constructor(private readonly deps: LessonPlayerDeps) {
    this.strip = new LessonStrip(deps.root, {
      previous: () => this.previous(),
      next: () => this.next(),
      replay: () => this.go(this.index),
      close: () => this.close(),
    });
    window.addEventListener('keydown', (e) => this.key(e), { capture: true });
  }

  /** The open lesson (undefined when none). */
  get lesson(): ResolvedLesson | undefined {
    return this.current;
  }

  /** Opens `l` at its first step in presenter mode. */
  open(l: ResolvedLesson): Promise<void> {
    this.current = l;
    this.deps.root.classList.add('lesson-on');
    this.deps.presenter.enter();
    void this.deps.presenter.typesetter().then((k) => this.strip.setKatex(k));
    return this.go(0);
  }

  /** Closes the lesson (the run and presenter mode stay as they are). */
  close(): void {
    this.current = undefined;
    this.deps.root.classList.remove('lesson-on');
    this.strip.hide();
  }

  next(): Promise<void> {
    return this.current && this.index < this.current.steps.length - 1 ? this.go(this.index + 1) : Promise.resolve();
  }

  previous(): Promise<void> {
    return this.current && this.index > 0 ? this.go(this.index - 1) : Promise.resolve();
  }

  /** Applies step `k` whole (see the file's comment). */
  async go(k: number): Promise<void> {
    const l = this.current;
    if (!l) return;
    const step = l.steps[Math.max(0, Math.min(l.steps.length - 1, k))]!;
    this.index = l.steps.indexOf(step);
    this.applied++;
    const ticket = this.applied;
    const { params, controller, presenter } = this.deps;
    this.strip.show({
      lessonTitle: l.lesson.title,
      title: step.title,
      index: this.index,
      count: l.steps.length,
      narration: step.narration,
    });
    presenter.setPlots(step.plots);
    params.load(step.scenario, step.presetId, true);
    this.deps.loaded(step);
    controller.loaded();
    controller.pauseAt = undefined;
    controller.playing = false;
    await controller.reset();
    // A later key press has moved on: its own step sets the play state.
    if (ticket !== this.applied) return;
    controller.playing = step.run !== 'pause';
    controller.pauseAt = typeof step.run === 'object' ? step.run.until : undefined;
  }

  private key(e: KeyboardEvent): void {
    if (!this.current || !this.deps.presenter.active || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName)))
      return;
    const forward = NEXT.has(e.key),
      back = PREVIOUS.has(e.key);
    if (!forward && !back) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    void (forward ? this.next() : this.previous());
  }

  hookState(): LessonHookState {
    const l = this.current,
      step = l?.steps[this.index],
      sc = this.deps.controller.scenario;
    return {
      open: l !== undefined,
      title: l?.lesson.title ?? '',
      index: l ? this.index : -1,
      count: l?.steps.length ?? 0,
      stepTitle: step?.title ?? '',
      narration: step ? narrationText(step.narration) : '',
      plots: [...this.deps.presenter.shownPlots],
      applied: this.applied,
      ...(sc && {
        running: {
          n: sc.n,
          heads: sc.heads,
          beta: sc.beta,
          drift: sc.weights.drift.kind,
          replicas: sc.replicas,
          pertTokens: sc.perturbation.tokens,
          pertWeights: sc.perturbation.weights,
        },
      }),
    };
  }
}
