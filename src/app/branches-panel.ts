/**
 * The Branches folder: the live run's label, the runs kept beside it (show/hide their faint
 * traces, switch back to one), "clear kept runs" and "copy branch link" (src/app/branch-url.ts).
 */
import type GUI from 'lil-gui';
import type { Controller as GuiController } from 'lil-gui';
import { errorMessage } from '../model/format';
import type { Banners } from './banners';
import { branchLink } from './branch-url';
import type { Branches } from './branches';

/** What the panel reports to the test hook. */
export interface BranchesPanelState {
  link: string;
}

export function addBranchesPanel(gui: GUI, branches: Branches, banners: Banners): BranchesPanelState {
  const state: BranchesPanelState = { link: '' };
  const folder = gui.addFolder('Branches').close();
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
  };
  folder.add(actions, 'copyLink').name('copy branch link');
  folder.add(actions, 'clear').name('clear kept runs');
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
