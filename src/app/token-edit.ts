/**
 * Tokens moved by hand (d = 3, one replica, the run paused): "edit tokens" mode (key `e`, or the
 * Run folder's button) turns the sphere's pointer gestures from orbiting into editing, with
 * pointer events, so a mouse, a pen and a finger do the same:
 *   drag a token     moves it over the sphere (the ray under the pointer meets the unit sphere);
 *   tap a token      removes it (n − 1);
 *   tap the sphere   adds a token there (n + 1);
 *   `u` or ↶ undo    undoes the last edit.
 * A move keeps n: the engine (either kind) restores its own snapshot with the edited positions
 * at the same step, so the run continues from there, clock included. Adding or removing changes
 * n: the run is rebuilt from the edited tokens and the current weights as explicit data
 * (continueFrom; the clock restarts at t = 0). Either way the params record then holds the
 * edited state as explicit tokens, so a link, a file or a reset reproduces it.
 */
import type { EngineSnapshot } from '../model/engine';
import { LIMITS, type Scenario } from '../model/scenario';
import { errorMessage } from '../model/format';
import { installShortcuts } from '../ui/dom';
import { continueFrom, type Params } from '../ui/params';
import type { FlowView } from '../view/flow-view';
import { nearestToken, pickTolerance, pointerRay, screenPoint, sphereHit } from '../view/pick';
import type { Banners } from './banners';
import type { Controller } from './controller';

const BANNER = 'edit';
/** A pointer that moves less than this (CSS pixels) between down and up is a tap. */
const TAP_PX = 6;

/** What undo puts back. */
type Undo = { kind: 'move'; snapshot: EngineSnapshot; scenario: Scenario } | { kind: 'rebuild'; scenario: Scenario };

/** What the editor needs. */
export interface TokenEditDeps {
  controller: Controller;
  params: Params;
  view: FlowView;
  /** The picture's container (#view): pointer events are taken there. */
  host: HTMLElement;
  banners: Banners;
  refreshGui(): void;
}

/** The editor's state, for the test hook. */
export interface TokenEditState {
  active: boolean;
  edits: number;
  undoable: number;
  busy: boolean;
}

interface Grab {
  pointer: number;
  index: number;
  x0: number;
  y0: number;
  moved: boolean;
  /** The snapshot the edit started from (undo restores it) and the one being edited, once read. */
  before: EngineSnapshot | undefined;
  edited: EngineSnapshot | undefined;
  hit: { point: [number, number, number]; onSphere: boolean };
  /** Resolves when the snapshot is read. */
  ready: Promise<void>;
  /** The last point dragged to (kept while the snapshot is read). */
  latest?: [number, number, number];
  /** A restore is running; the latest position waits for it. */
  pushing: boolean;
  dirty: boolean;
}

export class TokenEditor {
  private on = false;
  private grab: Grab | undefined;
  private readonly undo: Undo[] = [];
  private edits = 0;
  private busy = 0;

  constructor(private readonly deps: TokenEditDeps) {
    const h = deps.host;
    h.addEventListener('pointerdown', (e) => this.down(e), { capture: true });
    h.addEventListener('pointermove', (e) => this.move(e), { capture: true });
    h.addEventListener('pointerup', (e) => void this.up(e), { capture: true });
    h.addEventListener('pointercancel', () => {
      this.grab = undefined;
    });
    installShortcuts((key) => {
      if (key === 'e' || key === 'E') this.toggle();
      else if ((key === 'u' || key === 'U') && this.on) void this.undoLast();
      else return false;
      return true;
    });
  }

  get active(): boolean {
    return this.on;
  }

  state(): TokenEditState {
    return { active: this.on, edits: this.edits, undoable: this.undo.length, busy: this.busy > 0 };
  }

  /** Why editing is not possible now, or undefined. */
  private refusal(): string | undefined {
    const s = this.deps.controller.scenario;
    if (!s || !this.deps.controller.session) return 'no run yet';
    if (s.d !== 3) return `tokens are edited on the sphere S² (d = 3); this run has d = ${s.d}`;
    if (s.replicas !== 1) return 'editing needs a single run (Compare off: replicas = 1)';
    return undefined;
  }

  /** Where token i (of the last readback) is drawn, in client pixels, and whether it faces the camera. */
  tokenOnScreen(i: number): { x: number; y: number; front: boolean } | undefined {
    const x = this.deps.controller.session?.lastPositions;
    if (!x || 3 * i + 2 >= x.length || this.deps.controller.scenario?.d !== 3) return undefined;
    return screenPoint(this.deps.view.stage, this.canvas(), [x[3 * i]!, x[3 * i + 1]!, x[3 * i + 2]!]);
  }

  toggle(): void {
    if (this.on) this.leave();
    else this.enter();
  }

  enter(): void {
    const why = this.refusal();
    if (why) {
      this.deps.banners.show(BANNER, 'notice', `Token editing is not available: ${why}.`);
      return;
    }
    this.on = true;
    this.deps.controller.playing = false;
    // The picture shows the state being edited: read it back once the steps under way have landed.
    const session = this.deps.controller.session!;
    void session.engine.snapshot().then(
      () => session.refresh(),
      () => {},
    );
    this.deps.view.stage.controls.enabled = false;
    this.deps.host.classList.add('editing-tokens');
    this.deps.banners.show(
      BANNER,
      'notice',
      'Editing tokens (paused): drag a token to move it, tap the sphere to add one, tap a token to remove it; u undoes, e ends editing.',
    );
  }

  leave(): void {
    this.on = false;
    this.grab = undefined;
    this.deps.view.stage.controls.enabled = true;
    this.deps.host.classList.remove('editing-tokens');
    this.deps.banners.clear(BANNER);
  }

  private canvas(): HTMLElement {
    return this.deps.view.stage.renderer.domElement;
  }

  private hitAt(e: PointerEvent): Grab['hit'] {
    return sphereHit(pointerRay(this.deps.view.stage, this.canvas(), e.clientX, e.clientY));
  }

  private down(e: PointerEvent): void {
    if (!this.on || this.grab || this.busy > 0 || e.button > 0) return;
    if (e.target !== this.canvas()) return;
    e.preventDefault();
    e.stopPropagation();
    const session = this.deps.controller.session;
    if (!session || this.refusal()) return;
    this.deps.controller.playing = false;
    this.canvas().setPointerCapture?.(e.pointerId);
    const hit = this.hitAt(e);
    const g: Grab = {
      pointer: e.pointerId,
      index: -1,
      x0: e.clientX,
      y0: e.clientY,
      moved: false,
      before: undefined,
      edited: undefined,
      hit,
      ready: Promise.resolve(),
      pushing: false,
      dirty: false,
    };
    // The engine's own state (not the last readback) is what the edit starts from and picks in.
    this.busy++;
    g.ready = session.engine
      .snapshot()
      .then((before) => {
        const n = session.engine.scenario.n;
        g.before = before;
        g.edited = { ...before, positions: before.positions.slice() };
        g.index = hit.onSphere ? nearestToken(before.positions, n, hit.point, pickTolerance(n)) : -1;
        if (g.latest && g.index >= 0) {
          g.edited.positions.set(g.latest, 3 * g.index);
          g.dirty = true;
          void this.push(g);
        }
      })
      .finally(() => {
        this.busy--;
      });
    this.grab = g;
  }

  private move(e: PointerEvent): void {
    const g = this.grab;
    if (!this.on || !g || e.pointerId !== g.pointer) return;
    e.preventDefault();
    e.stopPropagation();
    if (!g.moved && Math.hypot(e.clientX - g.x0, e.clientY - g.y0) < TAP_PX) return;
    g.moved = true;
    g.latest = this.hitAt(e).point;
    if (!g.edited || g.index < 0) return;
    g.edited.positions.set(g.latest, 3 * g.index);
    g.dirty = true;
    void this.push(g);
  }

  /** Sends the edited positions to the engine, one restore at a time (the latest wins). */
  private async push(g: Grab): Promise<void> {
    if (g.pushing) return;
    const session = this.deps.controller.session;
    if (!session) return;
    const edited = g.edited;
    if (!edited) return;
    g.pushing = true;
    this.busy++;
    try {
      while (g.dirty) {
        g.dirty = false;
        await session.restoreAt({ ...edited, positions: edited.positions.slice() });
      }
    } catch (e) {
      this.deps.banners.show(BANNER, 'error', `The edit could not be applied: ${errorMessage(e)}`);
    } finally {
      g.pushing = false;
      this.busy--;
    }
  }

  private async up(e: PointerEvent): Promise<void> {
    const g = this.grab;
    if (!this.on || !g || e.pointerId !== g.pointer) return;
    e.preventDefault();
    e.stopPropagation();
    const point = this.hitAt(e).point;
    await g.ready;
    this.grab = undefined;
    const s = this.deps.controller.scenario!;
    const before = g.before,
      edited = g.edited;
    if (!before || !edited) return;
    if (g.moved) {
      if (g.index < 0) return;
      // The last position, then the record holds the edited state (links, files, reset).
      edited.positions.set(point, 3 * g.index);
      g.dirty = true;
      await this.push(g);
      while (g.pushing) await new Promise((r) => setTimeout(r, 10));
      this.undo.push({ kind: 'move', snapshot: before, scenario: s });
      this.record(continueFrom(s, edited.positions, edited.weights), false);
      return;
    }
    const { n, d } = s;
    const x = before.positions;
    let points: number[];
    if (g.index >= 0) {
      if (n <= 1) return;
      points = [...x.subarray(0, 3 * g.index), ...x.subarray(3 * (g.index + 1), n * d)];
    } else if (g.hit.onSphere && n < LIMITS.nMax) {
      points = [...x.subarray(0, n * d), ...g.hit.point];
    } else return;
    const next = continueFrom({ ...s, n: points.length / d }, points, before.weights);
    this.undo.push({ kind: 'rebuild', scenario: continueFrom(s, x, before.weights) });
    this.record(next, true);
    this.deps.banners.show(
      BANNER,
      'notice',
      `Token ${g.index >= 0 ? `${g.index} removed` : 'added'}: n = ${next.n}; the run continues from the edited tokens (the clock restarts at t = 0). u undoes.`,
    );
    await this.deps.controller.rebuild(next, true, false, true);
  }

  /** The params record holds `s` (the edited state, explicit tokens); `rebuilt`: the controller runs it next. */
  private record(s: Scenario, rebuilt: boolean): void {
    const { params, controller } = this.deps;
    params.load(s, params.preset, true);
    this.deps.refreshGui();
    controller.loaded();
    if (!rebuilt) controller.scenario = s;
    this.edits++;
  }

  async undoLast(): Promise<void> {
    const u = this.undo.pop();
    const session = this.deps.controller.session;
    if (!u || !session || this.busy > 0) {
      if (u) this.undo.push(u);
      return;
    }
    this.deps.controller.playing = false;
    this.busy++;
    try {
      if (u.kind === 'move') {
        const same = u.snapshot.positions.length === session.engine.scenario.n * 3;
        if (same && session.completed === u.snapshot.stepIndex) {
          await session.restoreAt(u.snapshot);
          this.record(u.scenario, false);
          this.deps.controller.scenario = u.scenario;
          return;
        }
      }
      const s = u.kind === 'rebuild' ? u.scenario : continueFrom(u.scenario, u.snapshot.positions, u.snapshot.weights);
      this.record(s, true);
      await this.deps.controller.rebuild(s, true, false, true);
    } finally {
      this.busy--;
      this.deps.banners.show(BANNER, 'notice', `Edit undone (${this.undo.length} more to undo).`);
    }
  }
}
