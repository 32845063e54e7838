/**
 * Presenter mode, for projecting in a lecture: `p` (or the GUI's button) toggles it, Esc leaves.
 * It hides the GUI panel and the matrix editor, gives the picture most of the screen, and puts
 * beside it the model's equations typeset by KaTeX with the running values substituted
 * (presenter-tex.ts) and two large trace plots (energy, G² and 𝒟). The preset's "what to look
 * for" caption moves to a strip under the picture, in large type (styles in presenter.css).
 *
 * KaTeX and the plots load on first use. KaTeX builds its nodes with createElement and sets
 * styles through element.style (CSSOM), which the page's CSP (`style-src 'self'`) allows, and
 * its stylesheet and fonts are bundled files: no CSP change is needed.
 */
import type { Scenario } from '../model/scenario';
import type { Traces } from '../worker/protocol';
import { el, installShortcuts } from './dom';
import type { PanelName, TracePlots } from './plots';
import { PRESENTER_PLOTS } from './plot-names';
import { presenterTex, TEX_MACROS, type PresenterTex } from './presenter-tex';
import './presenter.css';

type Katex = typeof import('katex').default;

/** What the presenter reads from the app. */
export interface PresenterDeps {
  /** The page's grid root (#app): gets the `presenting` class. */
  root: HTMLElement;
  /** The preset's caption: moved out of the picture into a strip below it while presenting. */
  caption?: HTMLElement;
  /** The scenario of the running engine (drift edits included). */
  scenario(): Scenario | undefined;
  /** Simulated time of the running engine. */
  time(): number;
  /** Called after entering or leaving (the app re-fits the picture). */
  changed?(active: boolean): void;
}

const BLOCKS = ['flow', 'projection', 'energy', 'schedule', 'params', 'time'] as const;
type Block = (typeof BLOCKS)[number];

/** The presenter panel and its state. */
export class Presenter {
  readonly panel: HTMLElement;
  private readonly eq = new Map<Block, HTMLElement>();
  private readonly scheduleTitle: HTMLElement;
  private readonly plotsHost: HTMLElement;
  private readonly rendered = new Map<Block, string>();
  private katex: Katex | undefined;
  private plots: TracePlots | undefined;
  private loading: Promise<void> | undefined;
  private energy = NaN;
  private on = false;
  private captionHome: { parent: Node; next: Node | null } | undefined;
  private plotNames: readonly PanelName[] = PRESENTER_PLOTS;

  constructor(private readonly deps: PresenterDeps) {
    this.panel = el('aside', 'presenter-panel');
    this.panel.setAttribute('aria-label', 'Equations and traces');
    this.panel.hidden = true;
    const eqs = el('div', 'presenter-eqs');
    const section = (title: string, blocks: Block[]): HTMLElement => {
      const s = el('section', 'presenter-section');
      const h = el('h2', 'presenter-h', title);
      s.appendChild(h);
      for (const b of blocks) {
        const e = el('div', `presenter-eq presenter-eq-${b}`);
        this.eq.set(b, e);
        s.appendChild(e);
      }
      eqs.appendChild(s);
      return h;
    };
    section('Tokens: attention flow on the sphere', ['flow', 'projection']);
    section('Interaction energy', ['energy']);
    this.scheduleTitle = section('Weights', ['schedule']);
    const foot = el('div', 'presenter-foot');
    for (const b of ['params', 'time'] as const) {
      const e = el('div', `presenter-eq presenter-eq-${b}`);
      this.eq.set(b, e);
      foot.appendChild(e);
    }
    eqs.appendChild(foot);
    this.plotsHost = el('div', 'presenter-plots');
    const hint = el(
      'div',
      'presenter-hint',
      'presenter mode · p or Esc to leave · space play/pause · → step (in a lesson: → next, ← previous) · r restart',
    );
    this.panel.append(eqs, this.plotsHost, hint);
    deps.root.appendChild(this.panel);
  }

  get active(): boolean {
    return this.on;
  }

  toggle(): void {
    if (this.on) this.leave();
    else this.enter();
  }

  enter(): void {
    if (this.on) return;
    this.on = true;
    this.panel.hidden = false;
    this.deps.root.classList.add('presenting');
    const caption = this.deps.caption;
    if (caption?.parentNode) {
      this.captionHome = { parent: caption.parentNode, next: caption.nextSibling };
      this.deps.root.insertBefore(caption, this.panel);
    }
    this.rendered.clear();
    this.deps.changed?.(true);
    this.loading ??= this.load();
    void this.loading.then(() => this.tick());
  }

  leave(): void {
    if (!this.on) return;
    this.on = false;
    this.panel.hidden = true;
    this.deps.root.classList.remove('presenting');
    const home = this.captionHome,
      caption = this.deps.caption;
    if (home && caption) home.parent.insertBefore(caption, home.next);
    this.captionHome = undefined;
    this.deps.changed?.(false);
  }

  private async load(): Promise<void> {
    const [katex, { TracePlots }] = await Promise.all([
      import('katex'),
      import('./plots'),
      import('katex/dist/katex.min.css'),
    ]);
    this.katex = katex.default;
    this.plots = new TracePlots(this.plotsHost, { large: true, font: 17, only: this.plotNames });
  }

  /** The plots shown beside the equations. */
  get shownPlots(): readonly PanelName[] {
    return this.plotNames;
  }

  /** Shows these plots (a lesson step's choice); the panels are rebuilt once KaTeX and uPlot are loaded. */
  setPlots(names: readonly PanelName[]): void {
    if (names.length === this.plotNames.length && names.every((n, i) => n === this.plotNames[i])) return;
    this.plotNames = [...names];
    this.loading ??= this.load();
    void this.loading.then(async () => {
      const { TracePlots } = await import('./plots');
      this.plots?.destroy();
      this.plotsHost.replaceChildren();
      this.plots = new TracePlots(this.plotsHost, { large: true, font: 17, only: this.plotNames });
    });
  }

  /** KaTeX, once loaded (for the lesson's narration). */
  async typesetter(): Promise<Katex> {
    this.loading ??= this.load();
    await this.loading;
    return this.katex!;
  }

  /** New traces (ignored while hidden). */
  traces(tr: Traces): void {
    const e = tr.energy.mean;
    this.energy = e.length > 0 ? e[e.length - 1]! : NaN;
    if (this.on) this.plots?.update(tr);
  }

  /** Re-typesets what changed (called a few times a second). */
  tick(): void {
    const s = this.deps.scenario();
    if (!this.on || !this.katex || !s) return;
    const tex: PresenterTex = presenterTex(s, this.deps.time(), this.energy);
    if (this.scheduleTitle.textContent !== tex.scheduleName) this.scheduleTitle.textContent = tex.scheduleName;
    for (const b of BLOCKS) {
      const source = tex[b];
      if (this.rendered.get(b) === source) continue;
      this.rendered.set(b, source);
      this.katex.render(source, this.eq.get(b)!, {
        displayMode: b !== 'params' && b !== 'time',
        throwOnError: false,
        macros: { ...TEX_MACROS },
        output: 'htmlAndMathml',
      });
    }
  }
}

/** `p` toggles presenter mode, Esc leaves it (keys typed into form fields are left alone). */
export function installPresenterKeys(p: Presenter): () => void {
  return installShortcuts((key) => {
    if (key === 'p' || key === 'P') p.toggle();
    else if (key === 'Escape' && p.active) p.leave();
    else return false;
    return true;
  });
}
