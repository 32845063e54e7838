/**
 * The Share folder: "copy link" puts the running scenario (drift edits included) into a
 * `?s=z1.…` link (src/model/share.ts) and on the clipboard; "export scenario JSON" saves it as
 * a file; "import scenario JSON" reads a file through the validator (parseScenarioJson: JSON
 * only, nothing evaluated). A refused file leaves the running simulation untouched and says
 * which field is wrong and what was expected.
 */
import type GUI from 'lil-gui';
import type { Scenario } from '../model/scenario';
import { MAX_SHARED_BYTES, scenarioFile, scenarioUrl } from '../model/share';
import { downloadBlob, exportFilename } from '../record/export';
import { parseScenarioOffThread } from '../worker/scenario-parse-client';
import { jsonFileInput } from '../ui/dom';
import type { Banners } from './banners';
import type { Controller } from './controller';
import { describeScenarioError } from './url';

/**
 * Links longer than this may be refused: many servers cap the request line near 8 KB (nginx's
 * default large_client_header_buffers is 8k, Apache's LimitRequestLine 8190; the vite preview
 * server refuses ~16 KB), and mail and chat clients cut long ones.
 */
export const LONG_LINK = 8_000;
const BANNER = 'share';

/** What the folder acts on. */
export interface SharePanelDeps {
  controller: Controller;
  banners: Banners;
  /** Replaces the run with `s` (params, panel, override, reset). */
  load(s: Scenario): Promise<void>;
}

/** The Share folder's state, for the test hook. */
export interface ShareState {
  /** The last link made by "copy link" ('' before the first). */
  link: string;
  /** Whether it reached the clipboard. */
  copied: boolean;
}

/** The caption for a loaded scenario: its name and description (text only, never HTML). */
export function describeScenario(s: Scenario, el: HTMLElement): void {
  const title = document.createElement('div');
  title.className = 'caption-title';
  title.textContent = s.name ?? 'Loaded scenario';
  const look = document.createElement('div');
  look.className = 'caption-text';
  look.textContent = s.description ?? `n = ${s.n}, d = ${s.d}, H = ${s.heads}, seed ${s.seed}`;
  el.replaceChildren(title, look);
}

/** Adds the Share folder to `gui`. */
export function addSharePanel(gui: GUI, deps: SharePanelDeps): ShareState {
  const { controller, banners } = deps;
  const state: ShareState = { link: '', copied: false };
  const current = (): Scenario | undefined => {
    const s = controller.scenario;
    if (!s) banners.show(BANNER, 'error', 'No run yet: nothing to share.');
    return s;
  };

  const copyLink = async (): Promise<void> => {
    const s = current();
    if (!s) return;
    const link = await scenarioUrl(location.href, s);
    state.link = link;
    const long =
      link.length > LONG_LINK
        ? ` It is long (${link.length} characters, over the ~${LONG_LINK} many servers accept): it may not open elsewhere — export the scenario JSON file instead.`
        : '';
    try {
      await navigator.clipboard.writeText(link);
      state.copied = true;
      banners.show(
        BANNER,
        'notice',
        `Link to this scenario copied to the clipboard (${link.length} characters).${long}`,
      );
    } catch {
      // No clipboard (permission, insecure context): the address bar carries the link instead.
      state.copied = false;
      history.replaceState(null, '', link);
      banners.show(BANNER, 'notice', `The clipboard is not available; the link is now in the address bar.${long}`);
    }
  };

  const exportJson = (): void => {
    const s = current();
    if (!s) return;
    downloadBlob(
      new Blob([scenarioFile(s)], { type: 'application/json' }),
      exportFilename(`${s.name ?? controller.params.preset}-scenario`, 0, 'json'),
    );
  };

  const input = jsonFileInput('scenario-file', (file) => void importFile(file));

  const importFile = async (file: File): Promise<void> => {
    let s: Scenario;
    try {
      if (file.size > MAX_SHARED_BYTES) throw new Error(`the file is larger than ${MAX_SHARED_BYTES} bytes`);
      // Parsed in a worker: a hostile file is refused while the page keeps drawing.
      s = await parseScenarioOffThread('text', await file.text());
    } catch (e) {
      banners.show(
        BANNER,
        'error',
        `Scenario file "${file.name.slice(0, 80)}" not loaded: ${describeScenarioError(e)}. The running simulation is unchanged.`,
      );
      return;
    }
    banners.clear(BANNER);
    await deps.load(s);
  };

  const share = gui.addFolder('Share').close();
  const actions = {
    copyLink: () =>
      void copyLink().catch((e: unknown) =>
        banners.show(BANNER, 'error', `Could not make the link: ${describeScenarioError(e)}`),
      ),
    exportJson,
    importJson: () => input.click(),
  };
  share.add(actions, 'copyLink').name('copy link');
  share.add(actions, 'exportJson').name('export scenario JSON');
  share.add(actions, 'importJson').name('import scenario JSON…');
  return state;
}
