/**
 * The Sweep folder and its result card. Over H (the default): runs the current scenario once per head count of
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
import { SWEEP_OVER, type SweepOver } from '../model/kinds/sweep-over';
import { DEFAULT_PERTURBATION, LIMITS, type Scenario } from '../model/scenario';
import { scenarioUrl } from '../model/share';
import { distanceResult, type SweepResult, sweepX } from '../model/sweep';
import { defaultTimes, distanceScenario } from '../model/sweep-distance';
import { sweepCsv } from '../model/sweep-export';
import { downloadBlob, exportFilename } from '../record/export';
import { encodeSweepLink, parseSweepLink, type SweepLinkFields } from './sweep-link';
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
  /** What the last sweep ran over. */
  over?: SweepOver;
  /** The last link made by "copy sweep link" ('' before the first). */
  link?: string;
}

/** The fields of the folder: those a link carries (sizes: the perturbation sizes, over ε or δ) but the fixed sample count, and the pause toggle. */
interface Form extends Omit<SweepLinkFields, 'samples'> {
  pauseLive: boolean;
}

/** The engine choices as the folder shows them. */
const ENGINE_CHOICES: Record<string, SweepEngine> = {
  'float64 CPU (exact)': 'cpu',
  'WebGPU (float32, fast on a GPU)': 'gpu',
};
/** The sweep kinds as the folder shows them. */
const OVER_CHOICES: Record<string, SweepOver> = {
  'H: G² vs H': 'heads',
  'token noise ε: distance vs ε': 'epsilon',
  'weights δ: distance vs δ': 'delta',
};
/** Sample intervals of [0, T] for a perturbation sweep's max over time (the GPU engine reads the tokens back at each). */
export const APP_SAMPLES = 100;

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

/** "1e-4, 1e-3" → [1e-4, 1e-3] (sorted, distinct, positive, at least two); throws with what is wrong. */
export function parseSizes(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter((t) => t !== '');
  const sizes = parts.map((t) => {
    const v = /^[0-9.eE+-]+$/.test(t) ? Number(t) : Number.NaN;
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`sizes: "${t.slice(0, 12)}" is not a positive number`);
    return v;
  });
  const distinct = [...new Set(sizes)].sort((a, b) => a - b);
  if (distinct.length < 2) throw new Error('sizes: give at least two different sizes (e.g. 1e-4, 1e-3, 1e-2)');
  return distinct;
}

/** A perturbation sweep's base: the params' scenario at one H with n, T and P copies, unperturbed; every size checked. */
export function distanceBase(
  p: Params,
  over: SweepOver,
  heads: string,
  sizes: number[],
  form: Pick<Form, 'n' | 'T' | 'paths'>,
): Scenario {
  const hs = heads.split(/[\s,;]+/).filter((t) => t !== '');
  if (hs.length !== 1 || !/^[0-9]+$/.test(hs[0]!) || Number(hs[0]) < 1 || Number(hs[0]) > LIMITS.headsMax)
    throw new Error(`heads: a sweep over ${SWEEP_OVER[over].symbol} runs one head count from 1 to ${LIMITS.headsMax}`);
  const base = validateScenario({
    ...paramsToScenario(p),
    n: form.n,
    T: form.T,
    replicas: form.paths,
    heads: Number(hs[0]),
    perturbation: { ...DEFAULT_PERTURBATION },
  });
  for (const size of sizes) validateScenario(distanceScenario(base, over, size));
  return base;
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

/** What the paper reports for this kind of weights (MODEL.md, Section 6), or proves for a perturbation sweep. */
function paperNote(s: Scenario, over: SweepOver, engine: SweepEngine): string {
  const f32 =
    engine === 'gpu'
      ? ' The WebGPU engine is float32: distances below ~1e-5 are rounding, not flow; use the float64 engine for small sizes.'
      : '';
  if (over === 'epsilon')
    return `Continuous dependence (the paper's Grönwall bound): the distance stays below C(T)·ε, so the slope is ≈ 1 while ε is small; clustering can make C(T) large, and large ε saturate at the sphere's size.${f32}`;
  if (over === 'delta')
    return `Γ-convergence under weight perturbations: the perturbed flows converge to the original as δ → 0, so the distance falls to 0 with δ (slope > 0; ≈ 1 where the dependence is Lipschitz).${f32}`;
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
  private readonly exports = el('div', 'sweep-exports');
  private readonly title = el('h3', 'sweep-title', 'H sweep: time-averaged G² against H');
  private last: SweepResult | undefined;
  private plot: SweepPlot | undefined;
  private job: SweepJob | undefined;
  private state: SweepHookState = {
    status: 'idle',
    message: '',
    plotted: { heads: [], x: [], mean: [], fit: [] },
    fitText: '',
  };

  constructor(
    gui: GUI,
    private readonly deps: SweepPanelDeps,
  ) {
    const p = deps.params;
    this.form = {
      over: 'heads',
      heads: '1, 10, 100',
      sizes: SWEEP_OVER.epsilon.defaultSizes!.join(', '),
      paths: 1,
      n: p.n,
      T: p.T,
      engine: 'cpu',
      pauseLive: false,
    };
    this.fill();
    const f = gui.addFolder('Sweep H (G² vs H)').close();
    this.folder = f;
    f.add(this.form, 'over', OVER_CHOICES)
      .name('sweep over')
      .onChange((v: SweepOver) => this.overChanged(v));
    f.add(this.form, 'heads').name('heads H (list)');
    f.add(this.form, 'sizes').name('sizes ε or δ (list)');
    f.add(this.form, 'paths', 1, LIMITS.replicasMax, 1).name('paths');
    f.add(this.form, 'n', 2, undefined, 1).name('tokens n');
    f.add(this.form, 'T', 1e-3).name('T (shorter: quick look)');
    f.add(this.form, 'engine', ENGINE_CHOICES).name('engine');
    f.add(this.form, 'pauseLive').name('pause the live run');
    f.add({ run: () => this.start() }, 'run').name('▶ Run sweep');
    f.add({ show: () => this.setOpen(this.card.hidden) }, 'show').name('show / hide results');
    f.add({ link: () => void this.copyLink() }, 'link').name('copy sweep link');
    f.onOpenClose((g) => {
      // Opened: the title bar's aria-expanded (lil-gui sets it on every open and close).
      if (g === f && f.$title.getAttribute('aria-expanded') === 'true' && !this.job) {
        this.fill();
        for (const c of g.controllersRecursive()) c.updateDisplay();
      }
    });
    this.buildCard();
  }

  /** A new sweep kind: one H for a perturbation sweep (the live run's), a list for H; the kind's sizes. */
  private overChanged(over: SweepOver): void {
    const one = this.form.heads.split(/[\s,;]+/).filter((t) => t !== '').length === 1;
    if (over === 'heads' && one) this.form.heads = '1, 10, 100';
    if (over !== 'heads') {
      if (!one) this.form.heads = String(this.deps.params.heads);
      this.form.sizes = SWEEP_OVER[over].defaultSizes!.join(', ');
      if (this.form.paths < 2) this.form.paths = 2;
    }
    for (const c of this.folder.controllersRecursive()) c.updateDisplay();
  }

  /** Fills the folder from a link's `sweep` parameter and runs it (a bad one says what is wrong). */
  async runLink(text: string): Promise<void> {
    try {
      Object.assign(this.form, parseSweepLink(text));
      this.filledFrom = this.fillKey();
    } catch (e) {
      this.setOpen(true);
      this.set({ status: 'error', message: `The sweep in the link was not run: ${errorMessage(e)}` });
      return;
    }
    for (const c of this.folder.controllersRecursive()) c.updateDisplay();
    await this.start();
  }

  /** A link to this scenario that reruns this sweep (also put on the clipboard when allowed). */
  async copyLink(): Promise<string> {
    const scenario = paramsToScenario(this.deps.params);
    const url = new URL(await scenarioUrl(location.href, scenario));
    url.searchParams.set('sweep', encodeSweepLink({ ...this.form, samples: APP_SAMPLES }));
    url.searchParams.set('play', '0');
    const link = url.toString();
    this.state = { ...this.state, link };
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard permission (headless, http): the link is still in the hook and the address bar's reach.
    }
    return link;
  }

  private fillKey(): string {
    const p = this.deps.params;
    return `${p.preset}|${p.n}|${p.T}|${p.dt}|${p.noiseVariance}`;
  }

  /** Refills n, T and paths from the params when the scenario changed since the last fill. */
  private fill(): void {
    const p = this.deps.params;
    const key = this.fillKey();
    if (key === this.filledFrom) return;
    this.filledFrom = key;
    this.form.n = p.n;
    this.form.T = p.T;
    // With weight noise the paths differ (two give a spread); without, one path says it all.
    this.form.paths = p.noiseVariance > 0 ? 2 : 1;
  }

  private buildCard(): void {
    const head = el('header', 'sweep-head');
    const title = this.title;
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
    const csv = el('button', 'sweep-export-csv', 'CSV');
    const json = el('button', 'sweep-export-json', 'JSON');
    csv.title = 'Download every path’s values as CSV';
    json.title = 'Download the whole result (scenario, points, fit) as JSON';
    csv.addEventListener('click', () => this.download('csv'));
    json.addEventListener('click', () => this.download('json'));
    this.exports.append(el('span', 'sweep-export-label', 'Export:'), csv, json);
    this.exports.hidden = true;
    this.card.append(
      head,
      this.what,
      progress,
      this.progressText,
      this.plotHost,
      this.fitLine,
      this.note,
      this.table,
      this.exports,
    );
    this.card.hidden = true;
    this.card.setAttribute('aria-live', 'polite');
    this.deps.host.appendChild(this.card);
  }

  private setOpen(open: boolean): void {
    this.card.hidden = !open;
    // The card covers the caption's corner: hide the caption rather than show it half.
    this.deps.host.classList.toggle('sweep-open', open);
  }

  /** The sweep's text for an export: CSV rows or the result's JSON. */
  exportText(kind: 'csv' | 'json'): string | undefined {
    const r = this.last;
    if (!r) return undefined;
    return kind === 'csv' ? sweepCsv(r) : `${JSON.stringify(r, null, 1)}\n`;
  }

  private download(kind: 'csv' | 'json'): void {
    const text = this.exportText(kind);
    if (!text || !this.last) return;
    const name = exportFilename(`${this.last.scenario.name ?? 'sweep'}-sweep-${this.last.over ?? 'heads'}`, 0, kind);
    downloadBlob(new Blob([text], { type: kind === 'csv' ? 'text/csv' : 'application/json' }), name);
  }

  private async ensurePlot(over: SweepOver): Promise<SweepPlot> {
    if (this.plot && this.plot.over !== over) {
      this.plot.destroy();
      this.plot = undefined;
    }
    if (!this.plot) {
      const { SweepPlot } = await import('../ui/sweep-plot');
      this.plot ??= new SweepPlot(this.plotHost, over);
    }
    return this.plot;
  }

  /** Starts a sweep with the folder's values (a running one is cancelled first). */
  async start(): Promise<void> {
    this.cancel();
    this.setOpen(true);
    const over = this.form.over;
    let heads: number[], base: Scenario;
    let sizes: number[] | undefined;
    try {
      if (over === 'heads') {
        heads = parseHeads(this.form.heads);
        base = sweepScenario(this.deps.params, heads, this.form);
      } else {
        sizes = parseSizes(this.form.sizes);
        base = distanceBase(this.deps.params, over, this.form.heads, sizes, this.form);
        heads = [base.heads];
      }
    } catch (e) {
      const msg = e instanceof ScenarioError ? `${e.field}: ${e.message}` : errorMessage(e);
      this.set({ status: 'error', message: `Cannot sweep: ${msg}` });
      return;
    }
    const plot = await this.ensurePlot(over);
    plot.clear();
    this.last = undefined;
    this.exports.hidden = true;
    this.state = { status: 'running', message: '', plotted: plot.data(), fitText: '', over, link: this.state.link };
    this.table.replaceChildren();
    this.fitLine.textContent = '';
    const engine = this.form.engine;
    this.note.textContent = paperNote(base, over, engine);
    const sym = SWEEP_OVER[over].symbol;
    this.title.textContent =
      over === 'heads'
        ? 'H sweep: time-averaged G² against H'
        : `${sym} sweep: distance of the perturbed flows against ${sym}`;
    const paths =
      over === 'heads'
        ? `${base.replicas} path${base.replicas > 1 ? 's' : ''}`
        : `${base.replicas} cop${base.replicas > 1 ? 'ies' : 'y'}`;
    const swept = sizes
      ? `H = ${base.heads} · ${sym} = ${sizes.map((v) => num(v)).join(', ')}`
      : `H = ${heads.join(', ')}`;
    this.what.textContent = `${base.name ?? this.deps.params.preset} · n = ${base.n} · T = ${num(base.T)} · dt = ${num(base.dt)} · ${paths} · ${swept}`;
    const paused = this.form.pauseLive && this.deps.pauseLive();
    const live = paused ? 'the live run is paused meanwhile' : 'the live run is not touched';
    const { SweepJob } = await import('../worker/sweep-client');
    const request = sizes
      ? { scenario: base, heads, engine, over, sizes, times: defaultTimes(base.T), samples: APP_SAMPLES }
      : { scenario: base, heads, engine };
    const count = (sizes ?? heads).length;
    const job = new SweepJob(request, (pr) => {
      if (this.job !== job) return;
      this.bar.value = pr.fraction;
      const at = sizes ? `${sym} = ${num(pr.value)}` : `H = ${pr.heads}`;
      this.set({
        status: 'running',
        progress: pr,
        message: `${at} (${pr.index + 1} of ${count}) · ${paths} together · step ${pr.done} / ${pr.total} · ${Math.round(pr.fraction * 100)} % · ${formatDuration(pr.etaS, 'nearest')} left`,
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
    this.last = r;
    this.exports.hidden = false;
    if (r.over) {
      this.showDistances(r, plot);
      return;
    }
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
    this.fillTable(rows);
    this.state = { ...this.state, result: { points: r.points, fit }, plotted: shown, fitText: text };
  }

  /** The result table: the first row as the header, the rest as cells. */
  private fillTable(rows: string[][]): void {
    this.table.replaceChildren(
      ...rows.map((cells, i) => {
        const tr = document.createElement('tr');
        for (const c of cells) tr.appendChild(el(i === 0 ? 'th' : 'td', '', c));
        return tr;
      }),
    );
  }

  /** A perturbation sweep's plot, slope and table (RMS and max over tokens, both maxed over [0, T]). */
  private showDistances(r: SweepResult, plot: SweepPlot): void {
    plot.show(r);
    const shown = plot.data();
    const sym = SWEEP_OVER[r.over!].symbol;
    // The slope shown is the fit of exactly the points drawn.
    const fit = fitPowerLaw(shown.x, shown.mean);
    const max = distanceResult(r, 'max');
    const text = `slope b = ${formatExponent(fit.b)}  (r² = ${num(fit.r2)})  ·  RMS distance ≈ ${num(fit.a)}·${sym}^${formatExponent(fit.b)}  ·  max over tokens: b = ${formatExponent(max.fit.b)}`;
    this.fitLine.textContent = text;
    const rows = [
      [
        sym,
        'RMS (mean)',
        'band (min … max)',
        'max over tokens',
        `RMS at t = ${(r.times ?? []).map((t) => num(t, 2)).join(', ')}`,
      ],
    ].concat(
      r.points.map((pt, k) => [
        num(sweepX(pt)),
        num(pt.mean, 4),
        pt.perPath.length > 1 ? `${num(Math.min(...pt.perPath), 2)} … ${num(Math.max(...pt.perPath), 2)}` : '—',
        num(max.points[k]!.mean, 3),
        (r.times ?? [])
          .map((_, i) => num((pt.distances ?? []).reduce((p, d) => p + d.rms[i]!, 0) / (pt.distances?.length || 1), 2))
          .join(', '),
      ]),
    );
    this.fillTable(rows);
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
