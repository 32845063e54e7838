/**
 * The "Compare" folder: the original (replica 0) against perturbed copies. A front end over
 * the params' replica fields (replicas, pertTokens ε, pertWeights δ, sharedNoise), which stay
 * the scenario's contract (src/model/scenario.ts `Perturbation`):
 *   token noise ε      copies' tokens moved by ε along random unit tangents, renormalised;
 *                      same weights, same weight noise (sharedNoise) as the original;
 *   weights D(0) + δ   copies' D_h(0) get δ·S, ‖S‖_F = 1; same tokens, same noise;
 *   own noise path     copies identical at t = 0, each with its own weight noise (σ² > 0
 *                      needed; this is also what Monte Carlo paths are);
 * plus the layout (copies ghosted over the original, or original | copy side by side), the
 * copy shown, and ghosting. Changing kind, size or copies rebuilds the run from t = 0.
 */
import type GUI from 'lil-gui';
import type { Controller as GuiController } from 'lil-gui';
import {
  COMPARE_KIND_LIST,
  COMPARE_KINDS,
  type CompareKind,
  compareKindOf,
  comparePerturbation,
} from '../model/kinds/compare';
import type { ParamKey, Params } from './params';

export type { CompareKind };

/** The kind the params describe. */
export function compareKind(p: Params): CompareKind {
  return compareKindOf(p.replicas, { tokens: p.pertTokens, weights: p.pertWeights, sharedNoise: p.sharedNoise });
}

/** Writes a kind (with its size and number of copies) into the params' replica fields. */
export function setCompare(p: Params, kind: CompareKind, size: number, copies: number): void {
  const { replicas, perturbation } = comparePerturbation(kind, size, copies);
  p.replicas = replicas;
  p.pertTokens = perturbation.tokens;
  p.pertWeights = perturbation.weights;
  p.sharedNoise = perturbation.sharedNoise;
  if (!COMPARE_KINDS[kind].copies) p.showReplica = 0;
}

/** The folder's controls, re-read from the params by `sync`. */
export interface CompareFolder {
  folder: GUI;
  /** Re-reads the params (after a preset or a rebuild) and shows the controls that apply. */
  sync(): void;
}

/**
 * Adds the folder to `gui`. `add` registers a params controller the way the panel does
 * (view keys live, others on finish); `change(key)` reports a change the folder wrote itself
 * (a change of kind, size or copies is reported as `replicas`: every replica field rebuilds alike).
 */
export function addCompareFolder(
  gui: GUI,
  p: Params,
  add: (c: GuiController, key: ParamKey) => GuiController,
  change: (key: ParamKey) => void,
): CompareFolder {
  const folder = gui.addFolder('Compare (perturbed copies)').close();
  const ui = { kind: compareKind(p), size: 0, copies: Math.max(1, p.replicas - 1) };
  const read = (): void => {
    ui.kind = compareKind(p);
    const field = COMPARE_KINDS[ui.kind].size?.field;
    ui.size = field === 'tokens' ? p.pertTokens : field === 'weights' ? p.pertWeights : 0;
    ui.copies = Math.max(1, p.replicas - 1);
  };
  read();
  const write = (): void => {
    setCompare(p, ui.kind, ui.size, ui.copies);
    read();
    change('replicas');
    sync();
  };
  const kind = folder
    .add(ui, 'kind', COMPARE_KIND_LIST)
    .name('perturb')
    .onChange(() => {
      ui.size = 0;
      write();
    });
  const size = folder.add(ui, 'size', 0).name('size').onFinishChange(write);
  const copies = folder.add(ui, 'copies', 1, 63, 1).name('copies').onFinishChange(write);
  const shared = add(folder.add(p, 'sharedNoise'), 'sharedNoise').name('same noise as original');
  const layout = folder.add(p, 'compareLayout', ['overlaid', 'side by side']).name('layout');
  const shown = add(folder.add(p, 'showReplica', 0, Math.max(1, p.replicas - 1), 1), 'showReplica').name('copy shown');
  const ghosts = add(folder.add(p, 'ghosts'), 'ghosts').name('ghost the others');

  const sync = (): void => {
    read();
    kind.updateDisplay();
    copies.updateDisplay();
    const on = ui.kind !== 'off';
    const sized = COMPARE_KINDS[ui.kind].size;
    size
      .name(sized ? sized.label : 'size')
      .show(sized !== undefined)
      .updateDisplay();
    copies.show(on);
    shared.show(sized !== undefined).updateDisplay();
    layout.show(on);
    shown
      .max(Math.max(1, p.replicas - 1))
      .name(p.compareLayout === 'side by side' ? 'copy shown (right)' : 'replica shown solid')
      .show(on)
      .updateDisplay();
    ghosts.show(on && p.compareLayout === 'overlaid');
  };
  layout.onChange(() => {
    // Side by side shows the original on the left: the right pane needs a copy (≥ 1).
    if (p.compareLayout === 'side by side' && p.showReplica < 1) p.showReplica = 1;
    change('compareLayout');
    sync();
  });
  sync();
  return { folder, sync };
}
