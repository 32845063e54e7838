/**
 * The lil-gui panel over the one Params object. Every controller writes the params and
 * reports the key that changed; what that change needs (view, live drift, rebuild) is the
 * controller's business (src/app/controller.ts). Numbers that rebuild report on finish
 * (release or Enter), not on every keystroke.
 */
import GUI, { type Controller as GuiController } from 'lil-gui';
import 'lil-gui/dist/lil-gui.css';
import { addCompareFolder } from './compare-gui';
import { ATTENTION_LIST, FLOW_SIGN_KINDS, INTEGRATOR_LIST } from '../model/kinds/choices';
import { DRIFT_KINDS } from '../model/kinds/drift';
import { type AnyKind, numberFields } from '../model/kinds/field';
import { TOKEN_KINDS } from '../model/kinds/tokens';
import { INIT_KINDS } from '../model/kinds/weight-init';
import { LIMITS } from '../model/scenario';
import { changeKind, PRESET_IDS, type ParamKey, type Params } from './params';
import { FALLBACK_THREADS_MAX } from '../worker/fallback-threads';

/** The buttons of the Run folder. */
export interface GuiActions {
  togglePlay(): void;
  step(): void;
  reset(): void;
}

/** Callbacks of the panel. */
export interface GuiHandlers {
  /** A param changed (already written into the object). */
  change(key: ParamKey): void;
  /** The preset drop-down changed. */
  preset(id: string): void;
}

/** The panel and the hooks the app needs after it is built. */
export interface ParamsGui {
  gui: GUI;
  /** Re-reads every value (after a preset replaced the params). */
  refresh(): void;
  /** Sets the label of the play button. */
  setPlaying(playing: boolean): void;
}

/** Option list of a kind table for lil-gui: `{ label: kind }`, in the table's order. */
function kindOptions(table: Readonly<Record<string, AnyKind>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(table).map(([kind, d]) => [d.inPanel ? d.label : `${d.label} (from a file or link)`, kind]),
  );
}

/**
 * For a number controller: a function to call on change that says, under the field, when what
 * was typed was not taken as typed — clamped to the panel's range or snapped (lil-gui does it
 * silently) or not a number (lil-gui keeps the old value) — and clears the note otherwise.
 */
function clampNotes(c: GuiController): () => void {
  const input = c.domElement.querySelector('input');
  if (!input || typeof c.getValue() !== 'number') return () => {};
  let typed: string | undefined;
  input.addEventListener('input', () => {
    typed = input.value.trim();
  });
  let note: HTMLElement | undefined;
  const say = (text: string): void => {
    if (!text) {
      note?.remove();
      note = undefined;
      return;
    }
    if (!note) {
      note = document.createElement('div');
      note.className = 'gui-note';
      note.setAttribute('role', 'status');
    }
    note.textContent = text;
    c.domElement.after(note);
  };
  return () => {
    if (typed === undefined) return;
    const raw = typed;
    typed = undefined;
    const x = Number(raw);
    const now = c.getValue() as number;
    const name = c.$name.textContent ?? c.property;
    if (raw === '' || !Number.isFinite(x)) say(`${name}: "${raw.slice(0, 24)}" is not a number; kept ${now}.`);
    else if (Math.abs(x - now) > 1e-12 * Math.max(1, Math.abs(x)))
      say(`${name}: ${raw.slice(0, 24)} is outside what the panel allows; set to ${now}.`);
    else say('');
  };
}

/** Builds the panel inside `container`. */
export function createGui(container: HTMLElement, p: Params, actions: GuiActions, on: GuiHandlers): ParamsGui {
  const gui = new GUI({ container, title: 'Attention flow', injectStyles: false, width: 340 });
  const add = (c: GuiController, key: ParamKey): GuiController => {
    const noteClamp = clampNotes(c);
    const handler = (): void => {
      noteClamp();
      on.change(key);
      sync();
    };
    if (changeKind(key) === 'view') c.onChange(handler);
    else c.onFinishChange(handler);
    return c;
  };
  /** One controller per numeric field of every kind of a family, shown while its kind is selected. */
  const kindControls: { show(): boolean; c: GuiController }[] = [];
  const addKindNumbers = (
    folder: GUI,
    familyName: 'tokens' | 'init' | 'drift',
    table: Readonly<Record<string, AnyKind>>,
    selected: () => string,
  ): void => {
    for (const [kind, desc] of Object.entries(table)) {
      for (const [field, f] of numberFields(desc)) {
        if (f.hidden) continue;
        const key = `${familyName}.${kind}.${field}` as ParamKey & keyof Params;
        const c = add(folder.add(p, key, f.min, undefined, f.integer ? 1 : undefined), key).name(f.label);
        kindControls.push({ c, show: () => selected() === kind });
      }
    }
  };

  const run = gui.addFolder('Run');
  run
    .add(p, 'preset', PRESET_IDS)
    .name('preset')
    .onChange((id: string) => on.preset(id));
  const play = run.add(actions, 'togglePlay').name('pause  (space)');
  run.add(actions, 'step').name('step  (→)');
  run.add(actions, 'reset').name('reset  (r)');
  add(run.add(p, 'stepsPerFrame', 1, 200, 1), 'stepsPerFrame').name('steps / frame');
  add(run.add(p, 'cpuThreads', 1, FALLBACK_THREADS_MAX, 1), 'cpuThreads').name('CPU threads (fallback)');
  add(run.add(p, 'dt', 1e-5), 'dt').name('dt');
  add(run.add(p, 'T', 1e-3), 'T').name('T (end time)');

  const tok = gui.addFolder('Tokens').close();
  add(tok.add(p, 'n', 1, undefined, 1), 'n').name('tokens n');
  add(tok.add(p, 'd', 2, LIMITS.dMax, 1), 'd').name('dimension d');
  add(tok.add(p, 'tokenKind', kindOptions(TOKEN_KINDS)), 'tokenKind').name('initial');
  addKindNumbers(tok, 'tokens', TOKEN_KINDS, () => p.tokenKind);
  add(tok.add(p, 'seed', 0, undefined, 1), 'seed').name('seed');

  const att = gui.addFolder('Attention').close();
  add(att.add(p, 'heads', 1, undefined, 1), 'heads').name('heads H');
  add(att.add(p, 'beta', 0.1, 20, 0.1), 'beta').name('β');
  const signs = Object.fromEntries(Object.values(FLOW_SIGN_KINDS).map((c) => [c.label, c.value]));
  add(att.add(p, 'flowSign', signs), 'flowSign').name('flow sign');
  add(att.add(p, 'attention', ATTENTION_LIST), 'attention').name('attention');
  add(att.add(p, 'integrator', INTEGRATOR_LIST), 'integrator').name('integrator');

  const w = gui.addFolder('Weights D_h(t)').close();
  add(w.add(p, 'initKind', kindOptions(INIT_KINDS)), 'initKind').name('D(0)');
  addKindNumbers(w, 'init', INIT_KINDS, () => p.initKind);
  add(w.add(p, 'driftKind', kindOptions(DRIFT_KINDS)), 'driftKind').name('schedule');
  const noiseVar = add(w.add(p, 'noiseVariance', 0), 'noiseVariance').name('noise σ²');
  addKindNumbers(w, 'drift', DRIFT_KINDS, () => p.driftKind);
  const ouTarget = add(w.add(p, 'ouTarget', ['identity', 'zero', 'custom']), 'ouTarget').name('OU target M');
  // The OU target sits right after θ, as before.
  const theta = kindControls.find((k) => k.c.property === 'drift.ou.theta');
  if (theta) theta.c.domElement.after(ouTarget.domElement);

  const compare = addCompareFolder(gui, p, add, (key) => {
    on.change(key);
    sync();
  });

  const view = gui.addFolder('View').close();
  add(view.add(p, 'colouring', ['initial cluster', 'speed', 'nearest cluster']), 'colouring').name('colour by');
  add(view.add(p, 'clusterEpsilon', 0.001, 0.5, 0.001), 'clusterEpsilon').name('cluster ε');
  add(view.add(p, 'trails'), 'trails').name('trails');
  add(view.add(p, 'showAxes'), 'showAxes').name('head axes');
  const projection = add(view.add(p, 'projection', ['first three', 'PCA']), 'projection').name('projection (d ≥ 4)');
  add(view.add(p, 'density'), 'density').name('density of μ_t (GPU)');
  add(view.add(p, 'densityBandwidth', 0.02, 0.5, 0.01), 'densityBandwidth').name('density bandwidth (rad)');

  const sync = (): void => {
    for (const k of kindControls) k.c.show(k.show());
    ouTarget.show(p.driftKind === 'ou');
    noiseVar.show(!DRIFT_KINDS[p.driftKind].setsWeights);
    projection.show(p.d >= 4);
    compare.sync();
  };
  sync();

  return {
    gui,
    refresh: () => {
      for (const c of gui.controllersRecursive()) c.updateDisplay();
      sync();
    },
    setPlaying: (playing) => {
      play.name(playing ? 'pause  (space)' : 'play  (space)');
    },
  };
}
