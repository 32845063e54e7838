/**
 * Compare › variants: the field (H, β, integrator, σ²), its 2–4 values, the cost of running them
 * together, and run / stop. The variants start from the live run's scenario (src/app/variants.ts).
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
import { Variants } from './variants';

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

const DEFAULT_VALUES: { readonly [K in VariantField]: string } = {
  heads: '1, 10, 100',
  beta: '1, 4, 9',
  integrator: 'euler, heun, rk4',
  noiseVariance: '0, 0.5, 2',
};

export function addVariantsPanel(gui: GUI, deps: VariantsPanelDeps): VariantsPanelState {
  const compare = gui.folders.find((f) => f._title.startsWith('Compare')) ?? gui;
  const folder = compare.addFolder('variants (side by side)').close();
  const labels = Object.fromEntries(VARIANT_FIELD_LIST.map((k) => [VARIANT_FIELDS[k].label, k]));
  const ui = { field: 'H', values: DEFAULT_VALUES.heads, budget: '' };
  const state: VariantsPanelState = {
    budget: '',
    link: '',
    fromLink: async (search) => {
      const v = new URLSearchParams(search).get('v');
      if (v === null) return;
      try {
        const { field: f, values: vs } = decodeVariants(v);
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
      ui.values = DEFAULT_VALUES[field()];
      values.updateDisplay();
      showBudget();
    });
  const values = folder.add(ui, 'values').name('values (2–4)').onFinishChange(showBudget);
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
