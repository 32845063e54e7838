/**
 * The teaching and exploring tools of the playground, wired in one place: the matrix editor
 * (live edits of the OU target and the layer schedule) and presenter mode (equations, large
 * picture and plots; key `p`, Esc leaves). Adds a button for each to the GUI's Run and Weights
 * folders. The app calls `tick()` a few times a second and `traces()` with each trace poll.
 * Lessons (src/app/lesson-player.ts) play in presenter mode; their folder is lesson-panel.ts.
 */
import type GUI from 'lil-gui';
import { MatrixEditor } from '../ui/matrix-editor';
import type { Params } from '../ui/params';
import { installPresenterKeys, Presenter } from '../ui/presenter';
import type { Traces } from '../worker/protocol';
import type { Banners } from './banners';
import type { Controller } from './controller';
import { addLessonPanel, type LessonPanelState } from './lesson-panel';
import { LessonPlayer } from './lesson-player';
import { TokenEditor } from './token-edit';
import type { FlowView } from '../view/flow-view';

/** What the tools need from the app. */
export interface TeachingDeps {
  gui: GUI;
  /** Re-reads every GUI value (after the editor set ouTarget or driftKind). */
  refreshGui(): void;
  params: Params;
  controller: Controller;
  /** The page's grid root (#app) and the picture's container (#view). */
  root: HTMLElement;
  view: HTMLElement;
  /** Presenter mode was entered or left. */
  presenting?(active: boolean): void;
  banners: Banners;
  /** The picture (token editing picks on its sphere). */
  flowView: FlowView;
}

/** The installed tools. */
export interface Teaching {
  editor: MatrixEditor;
  presenter: Presenter;
  lessons: LessonPlayer;
  lessonPanel: LessonPanelState;
  tokens: TokenEditor;
  tick(): void;
  traces(t: Traces): void;
}

/** The top-level folder titled `title` (its title bar's text), else the GUI itself. */
function folder(gui: GUI, title: string): GUI {
  return gui.folders.find((f) => f.$title.textContent === title) ?? gui;
}

/** Builds the matrix editor and presenter mode, their GUI buttons and the `p`/Esc keys. */
export function installTeaching(deps: TeachingDeps): Teaching {
  const { controller } = deps;
  const time = (): number => controller.session?.time ?? 0;
  const editor = new MatrixEditor(deps.view, {
    params: deps.params,
    changed: (key) => controller.change(key),
    refreshGui: deps.refreshGui,
    time,
  });
  const presenter = new Presenter({
    root: deps.root,
    caption: deps.view.querySelector<HTMLElement>('#caption') ?? undefined,
    scenario: () => controller.scenario,
    time,
    changed: (active) => deps.presenting?.(active),
  });
  installPresenterKeys(presenter);
  const buttons = {
    presenter: () => presenter.toggle(),
    matrices: () => editor.toggle(),
  };
  folder(deps.gui, 'Run').add(buttons, 'presenter').name('presenter mode  (p)');
  folder(deps.gui, 'Weights D_h(t)').add(buttons, 'matrices').name('edit matrices…');
  const lessons = new LessonPlayer({
    root: deps.root,
    params: deps.params,
    controller,
    presenter,
    loaded: () => deps.refreshGui(),
  });
  const lessonPanel = addLessonPanel(deps.gui, { player: lessons, banners: deps.banners });
  const tokens = new TokenEditor({
    controller,
    params: deps.params,
    view: deps.flowView,
    host: deps.view,
    banners: deps.banners,
    refreshGui: deps.refreshGui,
  });
  const editButtons = { edit: () => tokens.toggle(), undo: () => void tokens.undoLast() };
  folder(deps.gui, 'Run').add(editButtons, 'edit').name('edit tokens by hand  (e)');
  folder(deps.gui, 'Run').add(editButtons, 'undo').name('undo token edit  (u)');
  return {
    editor,
    presenter,
    lessons,
    lessonPanel,
    tokens,
    tick: () => {
      editor.refresh();
      presenter.tick();
    },
    traces: (t) => presenter.traces(t),
  };
}
