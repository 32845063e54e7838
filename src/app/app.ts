/**
 * Wires the playground together: URL → params → controller (engine, session) → view,
 * trace sink → plots; the GUI, keyboard, status line and test hook around them; one
 * animation-frame loop that ticks the session, renders, and polls traces at ~7 Hz.
 */
import { createGui } from '../ui/gui';
import type { Scenario } from '../model/scenario';
import { errorMessage } from '../model/format';
import { PRESETS, preset } from '../model/presets';
import type { Params } from '../ui/params';
import { FlowView } from '../view/flow-view';
import { Banners } from './banners';
import { Controller } from './controller';
import { installKeyboard } from './keyboard';
import { Meters, startLoop } from './loop';
import { createPlotsPanel } from './plots-panel';
import { StatusLine, type StatusInfo } from './status';
import { installTestHook } from './test-hook';
import { createTraceSink } from './trace-sink';
import { sharedDevice } from './gpu-device';
import { CompareCaption } from '../ui/compare-caption';
import { SweepPanel } from './sweep-panel';
import { installTeaching } from './teaching';
import { AppRecorder } from './recording';
import { addRecordPanel } from './record-panel';
import { addSharePanel, describeScenario } from './share-panel';
import { resolveUrl } from './url';
import { openLessonParam } from './lesson-panel';
import { Timeline } from '../ui/timeline';
import { addBranchesPanel } from './branches-panel';
import { branchRecipe } from './branch-url';
import { Variants } from './variants';
import { addVariantsPanel } from './variants-panel';

const STATUS_EVERY_MS = 200;
const TRACES_EVERY_MS = 140;
const TRACE_POINTS = 1500;

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el;
}

function describePreset(params: Params, el: HTMLElement): void {
  const p = PRESETS.find((q) => q.id === params.preset);
  el.replaceChildren();
  if (!p) return;
  const title = document.createElement('div');
  title.className = 'caption-title';
  title.textContent = p.title;
  const look = document.createElement('div');
  look.className = 'caption-text';
  look.textContent = p.lookFor;
  el.append(title, look);
}

/**
 * The view on the shared GPU device (the engine's: it draws from the engine's buffers), else on
 * WebGL 2; a clear error when the browser can draw with neither.
 */
async function createView(container: HTMLElement, params: Params): Promise<FlowView> {
  const device = (await sharedDevice())?.device;
  try {
    return await FlowView.create(container, params.viewOptions(), device);
  } catch (e) {
    throw new Error(
      `this browser can draw with neither WebGPU nor WebGL 2 (${errorMessage(e)}). Use a current Chrome, Edge, Firefox or Safari with hardware acceleration on.`,
    );
  }
}

/** Starts the app in the page of index.html. */
export async function startApp(): Promise<void> {
  const start = await resolveUrl(location.search);
  const params = start.params;
  const banners = new Banners(byId('banners'));
  if (start.warnings.length > 0) banners.show('url', 'notice', start.warnings.join('; '));
  if (start.error) banners.show('share', 'error', start.error);
  const view = await createView(byId('view'), params);
  const sink = createTraceSink((e) =>
    banners.show(
      'traces',
      'error',
      `The trace worker rejected data (${errorMessage(e)}); the plots may be incomplete — press r to restart the run.`,
    ),
  );
  const plots = await createPlotsPanel(byId('plots'));
  new ResizeObserver(() => plots.resize()).observe(byId('plots'));
  const controller = new Controller(params, view, sink, banners);
  controller.playing = !start.paused;
  const caption = byId('caption');
  const compareCaption = new CompareCaption(caption);
  describePreset(params, caption);
  // A shared scenario is already the params' record (resolveUrl): it runs as given.
  if (start.scenario) describeScenario(start.scenario, caption);

  // While a recording steps the run frame by frame, play, step and reset wait for it to end.
  const actions = {
    togglePlay: () => {
      if (!recorder.active) controller.togglePlay();
    },
    step: () => {
      if (!recorder.active) controller.step();
    },
    reset: () => {
      if (!recorder.active) void controller.reset();
    },
  };
  const gui = createGui(byId('gui'), params, actions, {
    change: (key) => controller.change(key),
    preset: (id) => {
      params.load(preset(id).build(), id, true);
      gui.refresh();
      describePreset(params, caption);
      controller.loaded();
      controller.reset();
    },
  });
  const recorder = new AppRecorder(controller, view, plots, byId('plots'), banners);
  addRecordPanel(gui.gui, { controller, view, sink, banners, recorder, plotsRoot: byId('plots') });
  const share = addSharePanel(gui.gui, {
    controller,
    banners,
    load: (s: Scenario) => {
      params.load(s, params.preset, true);
      gui.refresh();
      describeScenario(s, caption);
      controller.loaded();
      controller.playing = true;
      return controller.reset();
    },
  });
  const branchPanel = addBranchesPanel(gui.gui, controller.branches, banners, {
    get: () => controller.historyBudget,
    set: (bytes) => controller.setHistoryBudget(bytes),
  });
  const variants = new Variants(byId('view'), view.stage.camera, () => params.clusterEpsilon);
  recorder.variants = variants;
  const variantsPanel = addVariantsPanel(gui.gui, {
    variants,
    banners,
    base: () => controller.scenario,
    engineKind: () => controller.choice?.engine.kind ?? 'cpu',
    pauseLive: () => {
      controller.playing = false;
    },
  });
  installKeyboard(actions);
  // The H sweep runs in its own worker; the live run continues unless the user pauses it there.
  const sweep = new SweepPanel(gui.gui, {
    params,
    host: byId('view'),
    pauseLive: () => {
      const was = controller.playing;
      controller.playing = false;
      return was;
    },
    resumeLive: () => {
      controller.playing = true;
    },
  });
  // `&sweep=…` (the Sweep folder's "copy sweep link") reruns that sweep on the link's scenario.
  const sweepLink = new URLSearchParams(location.search).get('sweep');
  if (sweepLink !== null) void sweep.runLink(sweepLink);
  const guiHost = byId('gui');
  // A hidden panel (presenter mode) covers nothing.
  const inset = (): void =>
    view.stage.setRightInset(
      gui.gui.$title.getAttribute('aria-expanded') !== 'true' || guiHost.offsetWidth === 0
        ? 0
        : guiHost.offsetWidth + 20,
    );
  const teaching = installTeaching({
    gui: gui.gui,
    refreshGui: () => gui.refresh(),
    params,
    controller,
    root: byId('app'),
    view: byId('view'),
    presenting: inset,
    banners,
    flowView: view,
  });
  new ResizeObserver(inset).observe(guiHost);
  gui.gui.onOpenClose(inset);

  const timeline = new Timeline(byId('view'), (step) => void controller.rewind.scrub(step));
  const meters = new Meters();
  const status = new StatusLine(byId('status'));
  const info = (): StatusInfo => {
    const s = controller.session;
    const sc = controller.scenario ?? {
      n: params.n,
      d: params.d,
      heads: params.heads,
      replicas: params.replicas,
      T: params.T,
    };
    const state = recorder.active
      ? 'recording'
      : !s
        ? 'building'
        : s.failed
          ? 'stopped'
          : s.finished
            ? 'finished'
            : controller.playing
              ? 'running'
              : 'paused';
    return {
      state,
      time: s?.time ?? 0,
      T: sc.T,
      stepsPerSecond: meters.stepsPerSecond,
      frameMs: meters.frameMs,
      n: sc.n,
      d: sc.d,
      heads: sc.heads,
      replicas: sc.replicas,
      engine: controller.choice?.label ?? '…',
      clusters: view.clusterCount,
      stepShare: s?.stepShare ?? 0,
    };
  };
  let lastTraces = -Infinity,
    tracesPending = false;
  // The status line, caption and play button follow the run on a timer, not the frame loop: a
  // slow or stalled frame (a long GPU submit, a software renderer) must not leave them stale.
  const refreshStatus = (): void => {
    status.update(info());
    compareCaption.update(params);
    gui.setPlaying(controller.playing && !controller.session?.finished);
    teaching.tick();
    const h = controller.history,
      at = controller.rewind.at,
      dt = controller.scenario?.dt ?? 0;
    if (h)
      timeline.update({
        steps: h.steps(),
        current: controller.session?.completed ?? 0,
        head: at === undefined ? (controller.session?.completed ?? 0) : controller.rewind.head,
        dt,
        bytesKept: h.bytesKept,
        budgetBytes: h.budgetBytes,
        rewound: at !== undefined,
      });
    plots.setMarker(at === undefined ? undefined : at * dt);
    plots.setGhosts(variants.active ? variants.ghosts() : controller.branches.kept.filter((k) => k.visible));
  };
  setInterval(refreshStatus, STATUS_EVERY_MS);
  startLoop((now) => {
    // A recording steps, renders and reads traces itself, frame by frame.
    const live = !recorder.active;
    if (live) {
      controller.tick();
      variants.tick(true, params.stepsPerFrame);
      view.frame(
        controller.session?.completed ?? 0,
        controller.playing && !(controller.session?.finished ?? true),
        now,
      );
    }
    meters.frame(now, controller.session?.completed ?? 0);
    if (live && now - lastTraces >= TRACES_EVERY_MS && !tracesPending && controller.session) {
      lastTraces = now;
      tracesPending = true;
      controller
        .traces(TRACE_POINTS)
        .then(
          async (t) => {
            if (variants.active) {
              await variants.poll(TRACE_POINTS);
              plots.setGhosts(variants.ghosts());
            }
            plots.update(t);
            teaching.traces(t);
          },
          () => {},
        )
        .finally(() => {
          tracesPending = false;
        });
    }
  });

  installTestHook({
    state: () => {
      const s = controller.session,
        i = info();
      return {
        stepIndex: s?.completed ?? 0,
        time: i.time,
        T: i.T,
        n: i.n,
        d: i.d,
        heads: i.heads,
        replicas: i.replicas,
        engineKind: controller.choice?.engine.kind ?? 'none',
        engineLabel: i.engine,
        playing: controller.playing,
        finished: s?.finished ?? false,
        building: controller.building,
        frameMs: meters.frameMs,
        stepsPerSecond: meters.stepsPerSecond,
        frames: meters.frames,
        banners: banners.all(),
      };
    },
    traces: (maxPoints = TRACE_POINTS) => controller.traces(maxPoints),
    gpuBuffers: () => controller.choice?.liveBuffers?.() ?? NaN,
    sweep: () => sweep.hookState(),
    headAxes: () => view.headAxes(),
    view: () => ({
      backend: view.backend,
      sharesEngineDevice: view.sharesDevice(controller.choice?.engine),
      gpuCopies: view.gpuCopies,
      framesDrawn: view.framesDrawn,
      renderScale: view.stage.scale,
      tokenShape: view.tokenShape,
      readbacks: controller.session?.readbacks ?? 0,
      frames: meters.frames,
      density: view.densityState(),
    }),
    recording: () => structuredClone(recorder.state),
    shareLink: () => share.link,
    lesson: () => teaching.lessons.hookState(),
    lessonLink: () => teaching.lessonPanel.link,
    tokenEdit: () => teaching.tokens.state(),
    tokenOnScreen: (i: number) => teaching.tokens.tokenOnScreen(i),
    positions: () => Array.from(controller.session?.lastPositions ?? []),
    history: () => ({
      steps: controller.history?.steps() ?? [],
      bytesKept: controller.history?.bytesKept ?? 0,
      budgetBytes: controller.history?.budgetBytes ?? 0,
      rewoundAt: controller.rewind.at ?? null,
      marker: plots.markerTime ?? null,
    }),
    traceCsv: () => controller.sink.csv(),
    branches: () => ({
      live: controller.branches.live.label,
      kept: controller.branches.kept.map((k) => ({ label: k.label, visible: k.visible })),
      faint: plots.ghostLabels,
      link: branchPanel.link,
    }),
    variants: () => ({ labels: variants.labels, steps: variants.steps(), budget: variantsPanel.budget }),
    variantCsv: (i: number) => variants.csv(i),
  });
  await controller.reset();
  // A branch link: rerun the root to each branch step and branch there.
  try {
    const recipe = await branchRecipe(location.search, start.scenario);
    if (recipe) {
      await controller.branches.replay(recipe, false);
      controller.playing = !start.paused;
    }
  } catch (e) {
    banners.show('branch', 'error', `The branch in the link was not reproduced: ${errorMessage(e)}`);
  }
  await variantsPanel.fromLink(location.search);
  await openLessonParam(teaching.lessons, banners);
}
