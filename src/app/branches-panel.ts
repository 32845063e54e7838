/**
 * The Branches folder: the live run's label, the runs kept beside it (show/hide their faint
 * traces, switch back to one), "clear kept runs", "copy branch link" (src/app/branch-url.ts) and
 * the exports of every run, one labelled column set each (src/record/runs-export.ts).
 */
import type GUI from 'lil-gui';
import type { Controller as GuiController } from 'lil-gui';
import { errorMessage } from '../model/format';
import type { Banners } from './banners';
import { branchLink } from './branch-url';
import { downloadBlob, exportFilename } from '../record/export';
import { runsCsv, runsJson } from '../record/runs-export';
import type { Branches } from './branches';

/** What the panel reports to the test hook. */
export interface BranchesPanelState {
  link: string;
}

export function addBranchesPanel(
  gui: GUI,
  branches: Branches,
  banners: Banners,
  budget: { get(): number; set(bytes: number): void },
): BranchesPanelState {
  const state: BranchesPanelState = { link: '' };
  const folder = gui.addFolder('Branches').close();
  const MB = 1024 ** 2;
  const mem = { mb: Math.round(budget.get() / MB) };
  folder
    .add(mem, 'mb', 0.25, 8192, 0.25)
    .name('history budget (MB)')
    .onFinishChange((v: number) => budget.set(v * MB));
  const info = { live: branches.live.label };
  folder.add(info, 'live').name('live run').disable();
  const actions = {
    copyLink: async () => {
      const recipe = branches.live.recipe;
      if (!recipe) return;
      try {
        const link = await branchLink(location.href, recipe);
        state.link = link;
        try {
          await navigator.clipboard.writeText(link);
          banners.show('branch', 'notice', `Branch link copied (${link.length} characters).`);
        } catch {
          history.replaceState(null, '', link);
          banners.show(
            'branch',
            'notice',
            'The clipboard is not available; the branch link is now in the address bar.',
          );
        }
      } catch (e) {
        banners.show('branch', 'error', `Could not make the branch link: ${errorMessage(e)}`);
      }
    },
    clear: () => branches.clear(),
    csv: () => void exportRuns('csv'),
    json: () => void exportRuns('json'),
  };
  const exportRuns = async (kind: 'csv' | 'json'): Promise<void> => {
    try {
      const runs = await branches.runs();
      const text = kind === 'csv' ? runsCsv(runs) : runsJson(runs);
      const blob = new Blob([text], { type: kind === 'csv' ? 'text/csv' : 'application/json' });
      downloadBlob(blob, exportFilename('runs', 0, kind).replace('_t0.00', ''));
    } catch (e) {
      banners.show('branch', 'error', `Could not export the runs: ${errorMessage(e)}`);
    }
  };
  folder.add(actions, 'copyLink').name('copy branch link');
  folder.add(actions, 'clear').name('clear kept runs');
  folder.add(actions, 'csv').name('export runs CSV');
  folder.add(actions, 'json').name('export runs JSON');
  let rows: GuiController[] = [];
  const redraw = (): void => {
    info.live = branches.live.label;
    for (const c of folder.controllers) c.updateDisplay();
    for (const r of rows) r.destroy();
    rows = [];
    for (const run of branches.kept) {
      rows.push(folder.add(run, 'visible').name(`show: ${run.label}`));
      rows.push(folder.add({ go: () => void branches.switchTo(run.id) }, 'go').name(`switch to: ${run.label}`));
    }
  };
  branches.onChange = redraw;
  return state;
}
