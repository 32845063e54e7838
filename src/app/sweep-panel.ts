/**
 * The "Sweep H" folder and its result card: runs the current scenario once per head count of
 * a user-edited list (default 1, 10, 100) with a number of Monte Carlo paths, averages G² over
 * the second half of each run and fits G² ≈ a·H^b on log–log axes, as the paper does (§6).
 *
 * Engine, in its own Web Worker (src/worker/sweep-worker.ts), cancelled at once by terminating
 * it: by default the float64 CpuSimEngine — it leaves the live run's GPU alone and gives exactly
 * the numbers of `npm run sweep`, but the paper's full settings (S² OU, n = 200, T = 20,
 * H = 100) take minutes, hence the progress bar, the estimate of the time left, and the n and T
 * fields for a quick look; or, on request, the WebGPU engine on the worker's own device
 * (float32, same noise stream; far faster on a real GPU, and it shares the GPU with the live run). The live run keeps going unless "pause the
 * live run" is ticked; the card says which.
 */
import type GUI from 'lil-gui';
import { fitPowerLaw } from '../model/analysis';
import { errorMessage, formatDuration, formatShort } from '../model/format';
import { DEFAULT_PERTURBATION, LIMITS, type Scenario } from '../model/scenario';
import type { SweepResult } from '../model/sweep';
import { ScenarioError, validateScenario } from '../model/validate';
import { paramsToScenario, type Params } from '../ui/params';
import { el } from '../ui/dom';
import type { SweepFigureData, SweepPlot } from '../ui/sweep-plot';
import type { SweepJob, SweepProgress } from '../worker/sweep-client';
import type { SweepEngine } from '../worker/sweep-protocol';
import './sweep-panel.css';

/** What the panel needs of the app. */
export interface SweepPanelDeps {
  params: Params;
  /** The element the card floats in (the view). */
  host: HTMLElement;
  /** Pauses the live run; returns whether it was playing. */
  pauseLive(): boolean;
  /** Resumes the live run. */
  resumeLive(): void;
}

/** The panel's state, for the test hook. */
export interface SweepHookState {
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  message: string;
  progress?: SweepProgress;
  result?: Pick<SweepResult, 'points' | 'fit'>;
  /** What the plot shows. */
  plotted: SweepFigureData;
  /** The fit line under the plot, as shown. */
  fitText: string;
}

/** The fields of the folder. */
interface Form {
  heads: string;
  paths: number;
  n: number;
  T: number;
  engine: SweepEngine;
  pauseLive: boolean;
}

/** The engine choices as the folder shows them. */
const ENGINE_CHOICES: Record<string, SweepEngine> = {
  'float64 CPU (exact)': 'cpu',
  'WebGPU (float32, fast on a GPU)': 'gpu',
};
/** How the card names the engine. */
const ENGINE_NAMES: Record<SweepEngine, string> = {
  cpu: 'float64 engine in a worker',
  gpu: 'WebGPU engine in a worker',
};

/** "1, 10, 100" → [1, 10, 100] (sorted, distinct, 1 … LIMITS.headsMax); throws with what is wrong. */
export function parseHeads(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter((t) => t !== '');
  const heads = parts.map((t) => {
    if (!/^[0-9]+$/.test(t) || Number(t) < 1 || Number(t) > LIMITS.headsMax)
      throw new Error(`heads: "${t.slice(0, 12)}" is not a whole number from 1 to ${LIMITS.headsMax}`);
    return Number(t);
  });
  const distinct = [...new Set(heads)].sort((a, b) => a - b);
  if (distinct.length < 2) throw new Error('heads: give at least two different head counts (e.g. 1, 10, 100)');
  return distinct;
}

/** The scenarios of a sweep: the params' scenario with n, T and paths replaced, independent paths. */
export function sweepScenario(p: Params, heads: number[], form: Pick<Form, 'n' | 'T' | 'paths'>): Scenario {
  const s = paramsToScenario(p);
  const base = validateScenario({
    ...s,
    n: form.n,
    T: form.T,
    replicas: form.paths,
    heads: heads[0]!,
    perturbation: { ...DEFAULT_PERTURBATION },
  });
  for (const H of heads.slice(1)) validateScenario({ ...base, heads: H });
  return base;
}

/** Short number with a true minus sign, exponents as toExponential writes them. */
function num(v: number, digits = 3): string {
  return formatShort(v, { digits, compact: false });
}

/** The b the text shows: 3 decimals, as the paper quotes it. */
export function formatExponent(b: number): string {
  return Number.isFinite(b) ? b.toFixed(3).replace('-', '−') : '—';
}

/** What the paper reports for this kind of weights (MODEL.md, Section 6). */
function paperNote(s: Scenario): string {
  switch (s.weights.drift.kind) {
    case 'ou':
      return 'Paper (S² OU, n = 200, T = 20, σ² = 2): b ≈ −1.08, i.e. G² ∝ 1/H; values in −1.3 … −0.7 agree.';
    case 'oscillating':
      return 'Oscillating weights (official code): a sharp drop from H = 1 to 10, then nearly flat; one fit over 1, 10, 100 gives b ≈ −1.1. Read the points, not only b.';
    default:
      return 'The paper sweeps H under OU and oscillating weights; other schedules have no reference value.';
  }
}

/** Adds the folder to `gui` and the card to `deps.host`. */
export class SweepPanel {
  readonly folder: GUI;
  private readonly form: Form;
  private filledFrom = '';
  private readonly card = el('section', 'sweep-card');
  private readonly what = el('div', 'sweep-what');
  private readonly bar = el('progress', 'sweep-bar');
  private readonly progressText = el('div', 'sweep-progress-text');
  private readonly plotHost = el('div', 'sweep-plot');
  private readonly fitLine = el('div', 'sweep-fit');
  private readonly note = el('div', 'sweep-note');
  private readonly table = el('table', 'sweep-table');
  private readonly cancelButton = el('button', 'sweep-cancel', 'Cancel');
  private plot: SweepPlot | undefined;
  private job: SweepJob | undefined;
  private state: SweepHookState = {
    status: 'idle',
    message: '',
    plotted: { heads: [], mean: [], fit: [] },
    fitText: '',
  };

  constructor(
    gui: GUI,
    private readonly deps: SweepPanelDeps,
  ) {
    const p = deps.params;
    this.form = { heads: '1, 10, 100', paths: 1, n: p.n, T: p.T, engine: 'cpu', pauseLive: false };
    this.fill();
    const f = gui.addFolder('Sweep H (G² vs H)').close();
    this.folder = f;
    f.add(this.form, 'heads').name('heads H (list)');
    f.add(this.form, 'paths', 1, LIMITS.replicasMax, 1).name('paths');
    f.add(this.form, 'n', 2, undefined, 1).name('tokens n');
    f.add(this.form, 'T', 1e-3).name('T (shorter: quick look)');
    f.add(this.form, 'engine', ENGINE_CHOICES).name('engine');
    f.add(this.form, 'pauseLive').name('pause the live run');
    f.add({ run: () => this.start() }, 'run').name('▶ Run sweep');
    f.add({ show: () => this.setOpen(this.card.hidden) }, 'show').name('show / hide results');
    f.onOpenClose((g) => {
      // Opened: the title bar's aria-expanded (lil-gui sets it on every open and close).
      if (g === f && f.$title.getAttribute('aria-expanded') === 'true' && !this.job) {
        this.fill();
        for (const c of g.controllersRecursive()) c.updateDisplay();
      }
    });
    this.buildCard();
  }

  /** Refills n, T and paths from the params when the scenario changed since the last fill. */
  private fill(): void {
    const p = this.deps.params;
    const key = `${p.preset}|${p.n}|${p.T}|${p.dt}|${p.noiseVariance}`;
    if (key === this.filledFrom) return;
    this.filledFrom = key;
    this.form.n = p.n;
    this.form.T = p.T;
    // With weight noise the paths differ (two give a spread); without, one path says it all.
    this.form.paths = p.noiseVariance > 0 ? 2 : 1;
  }

  private buildCard(): void {
    const head = el('header', 'sweep-head');
    const title = el('h3', 'sweep-title', 'H sweep: time-averaged G² against H');
    const close = el('button', 'sweep-close', '×');
    close.title = 'Hide (the sweep keeps running)';
    close.setAttribute('aria-label', 'Hide the sweep results');
    close.addEventListener('click', () => this.setOpen(false));
    head.append(title, close);
    const progress = el('div', 'sweep-progress');
    this.bar.max = 1;
    this.bar.value = 0;
    this.cancelButton.addEventListener('click', () => this.cancel());
    progress.append(this.bar, this.cancelButton);
    this.card.append(head, this.what, progress, this.progressText, this.plotHost, this.fitLine, this.note, this.table);
    this.card.hidden = true;
    this.card.setAttribute('aria-live', 'polite');
    this.deps.host.appendChild(this.card);
  }

  private setOpen(open: boolean): void {
    this.card.hidden = !open;
    // The card covers the caption's corner: hide the caption rather than show it half.
    this.deps.host.classList.toggle('sweep-open', open);
  }

  private async ensurePlot(): Promise<SweepPlot> {
    if (!this.plot) {
      const { SweepPlot } = await import('../ui/sweep-plot');
      this.plot ??= new SweepPlot(this.plotHost);
    }
    return this.plot;
  }

  /** Starts a sweep with the folder's values (a running one is cancelled first). */
  async start(): Promise<void> {
    this.cancel();
    this.setOpen(true);
    let heads: number[], base: Scenario;
    try {
      heads = parseHeads(this.form.heads);
      base = sweepScenario(this.deps.params, heads, this.form);
    } catch (e) {
      const msg = e instanceof ScenarioError ? `${e.field}: ${e.message}` : errorMessage(e);
      this.set({ status: 'error', message: `Cannot sweep: ${msg}` });
      return;
    }
    const plot = await this.ensurePlot();
    plot.clear();
    this.state = { status: 'running', message: '', plotted: plot.data(), fitText: '' };
    this.table.replaceChildren();
    this.fitLine.textContent = '';
    this.note.textContent = paperNote(base);
    const paths = `${base.replicas} path${base.replicas > 1 ? 's' : ''}`;
    this.what.textContent = `${base.name ?? this.deps.params.preset} · n = ${base.n} · T = ${num(base.T)} · dt = ${num(base.dt)} · ${paths} · H = ${heads.join(', ')}`;
    const paused = this.form.pauseLive && this.deps.pauseLive();
    const live = paused ? 'the live run is paused meanwhile' : 'the live run is not touched';
    const { SweepJob } = await import('../worker/sweep-client');
    const engine = this.form.engine;
    const job = new SweepJob({ scenario: base, heads, engine }, (pr) => {
      if (this.job !== job) return;
      this.bar.value = pr.fraction;
      this.set({
        status: 'running',
        progress: pr,
        message: `H = ${pr.heads} (${pr.index + 1} of ${heads.length}) · ${paths} together · step ${pr.done} / ${pr.total} · ${Math.round(pr.fraction * 100)} % · ${formatDuration(pr.etaS, 'nearest')} left`,
      });
    });
    this.job = job;
    this.cancelButton.disabled = false;
    this.bar.value = 0;
    this.set({ status: 'running', message: `Starting (${ENGINE_NAMES[engine]}; ${live})…` });
    try {
      const result = await job.result;
      if (this.job !== job) return;
      this.bar.value = 1;
      this.showResult(result, plot);
      this.set({
        status: 'done',
        message: `Done in ${formatDuration((performance.now() - job.started) / 1000, 'nearest')} (${ENGINE_NAMES[engine]}; ${paused ? 'the live run was paused meanwhile' : 'the live run was not touched'}).`,
      });
    } catch (e) {
      if (this.job !== job) return;
      const cancelled = e instanceof Error && e.name === 'SweepCancelled';
      this.set({
        status: cancelled ? 'cancelled' : 'error',
        message: cancelled ? 'Cancelled.' : `The sweep failed: ${errorMessage(e)}`,
      });
    } finally {
      if (this.job === job) {
        this.job = undefined;
        this.cancelButton.disabled = true;
      }
      if (paused) this.deps.resumeLive();
    }
  }

  /** Cancels a running sweep (its worker is terminated). */
  cancel(): void {
    const job = this.job;
    if (!job) return;
    job.cancel();
  }

  private showResult(r: SweepResult, plot: SweepPlot): void {
    plot.show(r);
    const shown = plot.data();
    // The b shown is the fit of exactly the points drawn.
    const fit = fitPowerLaw(shown.heads, shown.mean);
    const text = `b = ${formatExponent(fit.b)}  (r² = ${num(fit.r2)})  ·  G² ≈ ${num(fit.a)}·H^${formatExponent(fit.b)}`;
    this.fitLine.textContent = text;
    const rows = [['H', 'G² (mean)', 'spread', 'paths']].concat(
      [...r.points]
        .sort((a, b) => a.heads - b.heads)
        .map((pt) => [
          String(pt.heads),
          num(pt.mean, 4),
          pt.perPath.length > 1 ? `± ${num(pt.spread, 2)}` : '—',
          pt.perPath.map((g) => num(g)).join(', '),
        ]),
    );
    this.table.replaceChildren(
      ...rows.map((cells, i) => {
        const tr = document.createElement('tr');
        for (const c of cells) tr.appendChild(el(i === 0 ? 'th' : 'td', '', c));
        return tr;
      }),
    );
    this.state = { ...this.state, result: { points: r.points, fit }, plotted: shown, fitText: text };
  }

  private set(s: Partial<SweepHookState>): void {
    this.state = { ...this.state, ...s };
    this.progressText.textContent = this.state.message;
    this.card.dataset.status = this.state.status;
  }

  /** For the test hook. */
  hookState(): SweepHookState {
    return structuredClone(this.state);
  }
}
