/**
 * Compare › variants: the field (H, β, integrator, σ², the schedule kind or one of its parameters),
 * its 2–4 values, the layout (side by side or overlaid), the cost of running them together, and
 * run / stop. The variants start from the live run's scenario (src/app/variants.ts).
 */
import type GUI from 'lil-gui';
import { errorMessage } from '../model/format';
import type { Scenario } from '../model/scenario';
import { ScenarioError } from '../model/validate';
import { scenarioUrl } from '../model/share';
import {
  decodeVariants,
  encodeVariants,
  splitValues,
  VARIANT_FIELD_LIST,
  VARIANT_FIELDS,
  type VariantField,
  variantScenarios,
} from '../model/variants';
import type { Banners } from './banners';
import { VARIANT_LAYOUTS, type VariantLayout, Variants } from './variants';

export interface VariantsPanelDeps {
  variants: Variants;
  banners: Banners;
  /** The live run's scenario (the variants' base). */
  base: () => Scenario | undefined;
  engineKind: () => 'cpu' | 'gpu';
  /** The live run pauses while variants run. */
  pauseLive: () => void;
}

/** What the panel shows (for the test hook). */
export interface VariantsPanelState {
  budget: string;
  /** The last variants link made ('' before the first). */
  link: string;
  /** Starts the variants of a link's `v` parameter (after the first run is built); none without one. */
  fromLink(search: string): Promise<void>;
}

/** The link's layout parameter (absent: side by side). */
const LAYOUT_PARAM = 'vl';

export function addVariantsPanel(gui: GUI, deps: VariantsPanelDeps): VariantsPanelState {
  const compare = gui.folders.find((f) => f._title.startsWith('Compare')) ?? gui;
  const folder = compare.addFolder('variants (side by side)').close();
  const labels = Object.fromEntries(VARIANT_FIELD_LIST.map((k) => [VARIANT_FIELDS[k].label, k]));
  const ui = { field: VARIANT_FIELDS.heads.label, values: VARIANT_FIELDS.heads.suggested, budget: '' };
  const state: VariantsPanelState = {
    budget: '',
    link: '',
    fromLink: async (search) => {
      const q = new URLSearchParams(search);
      const v = q.get('v');
      if (v === null) return;
      try {
        const { field: f, values: vs } = decodeVariants(v);
        const layout = q.get(LAYOUT_PARAM);
        if (layout !== null) {
          if (!(VARIANT_LAYOUTS as readonly string[]).includes(layout))
            throw new RangeError(
              `URL parameter ${LAYOUT_PARAM} should be one of ${VARIANT_LAYOUTS.join(', ')}, got "${layout.slice(0, 24)}"`,
            );
          deps.variants.layout = layout as VariantLayout;
        }
        ui.field = VARIANT_FIELDS[f].label;
        ui.values = vs.join(', ');
        for (const c of folder.controllers) c.updateDisplay();
        await actions.run();
      } catch (e) {
        deps.banners.show('variants', 'error', `The variants in the link were not started: ${errorMessage(e)}`);
      }
    },
  };
  const field = (): VariantField => labels[ui.field] as VariantField;
  const build = () => {
    const base = deps.base();
    if (!base) throw new Error('no run yet');
    return variantScenarios(base, field(), splitValues(ui.values));
  };
  const showBudget = (): void => {
    try {
      ui.budget = Variants.budget(build(), deps.engineKind());
    } catch (e) {
      ui.budget = e instanceof ScenarioError ? `invalid ${e.field}` : errorMessage(e);
    }
    state.budget = ui.budget;
    budget.updateDisplay();
  };
  folder
    .add(ui, 'field', Object.keys(labels))
    .name('vary')
    .onChange(() => {
      ui.values = VARIANT_FIELDS[field()].suggested;
      values.updateDisplay();
      showBudget();
    });
  const values = folder.add(ui, 'values').name('values (2–4)').onFinishChange(showBudget);
  folder.add(deps.variants, 'layout', [...VARIANT_LAYOUTS]).name('layout');
  const budget = folder.add(ui, 'budget').name('cost').disable();
  const actions = {
    run: async () => {
      try {
        const list = build();
        showBudget();
        deps.pauseLive();
        await deps.variants.start(list);
        deps.banners.clear('variants');
      } catch (e) {
        const what = e instanceof ScenarioError ? `invalid ${e.field}: ${e.message}` : errorMessage(e);
        deps.banners.show('variants', 'error', `Variants not started: ${what}`);
      }
    },
    stop: () => void deps.variants.stop(),
    link: async () => {
      const base = deps.base();
      if (!base) return;
      const url = new URL(await scenarioUrl(location.href, base));
      url.searchParams.set('v', encodeVariants(field(), splitValues(ui.values)));
      if (deps.variants.layout !== 'side by side') url.searchParams.set(LAYOUT_PARAM, deps.variants.layout);
      state.link = url.toString();
      try {
        await navigator.clipboard.writeText(state.link);
        deps.banners.show('variants', 'notice', `Variants link copied (${state.link.length} characters).`);
      } catch {
        history.replaceState(null, '', state.link);
        deps.banners.show(
          'variants',
          'notice',
          'The clipboard is not available; the variants link is now in the address bar.',
        );
      }
    },
  };
  folder.add(actions, 'run').name('run variants');
  folder.add(deps.variants, 'paused').name('pause variants');
  folder.add(actions, 'stop').name('stop variants');
  folder.add(actions, 'link').name('copy variants link');
  folder.onOpenClose(() => showBudget());
  return state;
}
