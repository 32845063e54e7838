/**
 * The lil-gui panel over the one Params object. Every controller writes the params and
 * reports the key that changed; what that change needs (view, live drift, rebuild) is the
 * controller's business (src/app/controller.ts). Numbers that rebuild report on finish
 * (release or Enter), not on every keystroke.
 */
import GUI, { type Controller as GuiController } from 'lil-gui';
import 'lil-gui/dist/lil-gui.css';
import { addCompareFolder } from './compare-gui';
import { changeKind, PRESET_IDS, type Params } from './params';

/** The buttons of the Run folder. */
export interface GuiActions {
  togglePlay(): void;
  step(): void;
  reset(): void;
}

/** Callbacks of the panel. */
export interface GuiHandlers {
  /** A param changed (already written into the object). */
  change(key: keyof Params): void;
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

/** Builds the panel inside `container`. */
export function createGui(container: HTMLElement, p: Params, actions: GuiActions, on: GuiHandlers): ParamsGui {
  const gui = new GUI({ container, title: 'Attention flow', injectStyles: false, width: 340 });
  const add = (c: GuiController, key: keyof Params): GuiController => {
    const handler = (): void => {
      on.change(key);
      sync();
    };
    if (changeKind(key) === 'view') c.onChange(handler);
    else c.onFinishChange(handler);
    return c;
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
  add(run.add(p, 'dt', 1e-5), 'dt').name('dt');
  add(run.add(p, 'T', 1e-3), 'T').name('T (end time)');

  const tok = gui.addFolder('Tokens').close();
  add(tok.add(p, 'n', 1, undefined, 1), 'n').name('tokens n');
  add(tok.add(p, 'd', 2, 16, 1), 'd').name('dimension d');
  add(tok.add(p, 'tokenKind', ['uniform', 'circle-clusters', 'octahedral', 'cross-polytope', 'vmf']), 'tokenKind').name(
    'initial',
  );
  const clusters = add(tok.add(p, 'tokenClusters', 1, undefined, 1), 'tokenClusters').name('clusters');
  const noise = add(tok.add(p, 'tokenNoise', 0), 'tokenNoise').name('noise');
  const kappa = add(tok.add(p, 'tokenKappa', 0), 'tokenKappa').name('κ (vMF)');
  add(tok.add(p, 'seed', 0, undefined, 1), 'seed').name('seed');

  const att = gui.addFolder('Attention').close();
  add(att.add(p, 'heads', 1, undefined, 1), 'heads').name('heads H');
  add(att.add(p, 'beta', 0.1, 20, 0.1), 'beta').name('β');
  add(att.add(p, 'flowSign', { 'paper: −v (descent)': -1, 'residual: +v': 1 }), 'flowSign').name('flow sign');
  add(att.add(p, 'attention', ['softmax', 'unnormalized']), 'attention').name('attention');
  add(att.add(p, 'integrator', ['euler', 'heun', 'rk4']), 'integrator').name('integrator');

  const w = gui.addFolder('Weights D_h(t)').close();
  add(w.add(p, 'initKind', ['random-symmetric', 'identity']), 'initKind').name('D(0)');
  add(w.add(p, 'initScale'), 'initScale').name('D(0) scale');
  add(w.add(p, 'driftKind', ['frozen', 'ou', 'oscillating', 'layers']), 'driftKind').name('schedule');
  const noiseVar = add(w.add(p, 'noiseVariance', 0), 'noiseVariance').name('noise σ²');
  const ou = [
    add(w.add(p, 'ouTheta', 0), 'ouTheta').name('OU θ'),
    add(w.add(p, 'ouTarget', ['identity', 'zero', 'custom']), 'ouTarget').name('OU target M'),
  ];
  const osc = [
    add(w.add(p, 'oscRate', 0), 'oscRate').name('osc. rate'),
    add(w.add(p, 'oscFrequency'), 'oscFrequency').name('osc. frequency'),
    add(w.add(p, 'oscCenter'), 'oscCenter').name('osc. centre'),
    add(w.add(p, 'oscAmplitude'), 'oscAmplitude').name('osc. amplitude'),
    add(w.add(p, 'oscOffAmplitude'), 'oscOffAmplitude').name('osc. off-diagonal'),
  ];

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

  const sync = (): void => {
    const k = p.tokenKind;
    clusters.show(k === 'circle-clusters' || k === 'vmf');
    noise.show(k === 'circle-clusters' || k === 'octahedral' || k === 'cross-polytope');
    kappa.show(k === 'vmf');
    for (const c of ou) c.show(p.driftKind === 'ou');
    for (const c of osc) c.show(p.driftKind === 'oscillating');
    noiseVar.show(p.driftKind !== 'layers');
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
