/**
 * A recording of the running simulation, frame-exact: live play pauses, and for every video
 * frame the session advances exactly k steps (awaiting the engine batch and the readback),
 * the plots are brought up to date, the scene is rendered at the video's size and composed
 * with the plots and a time label into the frame that src/record/recorder.ts encodes. The
 * wall clock never enters: a slow engine makes the recording take longer, it drops nothing.
 */
import { errorMessage } from '../model/format';
import { composeFrame, overlayLayers, timeLabel } from '../record/compose';
import type { Variants } from './variants';
import type { VideoFormat } from '../record/codec';
import { downloadBlob, exportFilename } from '../record/export';
import { showRecordingProgress } from '../record/progress';
import { MAX_HEIGHT, MAX_WIDTH, MIN_SIDE, recordVideo } from '../record/recorder';
import type { FlowView } from '../view/flow-view';
import type { Banners } from './banners';
import type { Controller } from './controller';
import type { PanelName } from '../ui/plots';
import type { PlotsPanel } from './plots-panel';
import './recording.css';

/** Frame sizes offered; 'window' is the browser window in device pixels (capped at 4K). */
export const RESOLUTIONS = {
  '720p': [1280, 720],
  '1080p': [1920, 1080],
  '1440p': [2560, 1440],
  '4K': [3840, 2160],
  window: [0, 0],
} as const;
export type Resolution = keyof typeof RESOLUTIONS;
export const FRAME_RATES = [24, 25, 30, 60] as const;

/**
 * The plot strip's choices, by the panel names of src/ui/plots.ts. The strip is a quarter of the
 * frame's height and its plots share its width, so two plots come out about 2.5× as tall as five.
 */
export const PLOT_OVERLAYS = {
  none: [],
  'energy + rates': ['energy', 'rates'],
  'energy, rates, clusters/distance': ['energy', 'rates', 'structure'],
  'all panels': ['energy', 'rates', 'balance', 'residual', 'structure'],
} as const satisfies Record<string, readonly PanelName[]>;
export type PlotOverlay = keyof typeof PLOT_OVERLAYS;

/** What the Record folder edits. */
export interface RecordSettings {
  resolution: Resolution;
  fps: number;
  /** Simulation steps between consecutive video frames (the first frame shows the current state). */
  stepsPerFrame: number;
  /** Length of the video in seconds. */
  seconds: number;
  format: VideoFormat;
  /** Which trace plots to draw in a strip over the bottom of each frame (fewer plots: larger). */
  plots: PlotOverlay;
  /** Draw "t = …" in the top-left corner. */
  timeLabel: boolean;
}

/** Progress and result of recordings, for the test hook. */
export interface RecordingState {
  active: boolean;
  done: number;
  total: number;
  /** The last file offered for download. */
  last?: {
    name: string;
    bytes: number;
    frames: number;
    mimeType: string;
    seconds: number;
    firstStep: number;
    lastStep: number;
  };
  /**
   * Milliseconds spent, over the last recording, in the engine (steps and readback), the
   * plots (trace worker and uPlot), rendering + composing, and the rest (encoding, muxing).
   */
  phaseMs?: { step: number; plots: number; render: number; encode: number };
  /** How the last recording ended. */
  outcome?: 'saved' | 'cancelled' | 'failed';
}

/** Points per series asked of the trace worker for each frame's plots. */
const TRACE_POINTS = 1500;
const BANNER = 'record';

function even(v: number): number {
  return Math.max(MIN_SIDE, 2 * Math.floor(v / 2));
}

/** Width and height in pixels for `r` (the window: CSS size × devicePixelRatio, scaled into 4K). */
function frameSize(r: Resolution): { width: number; height: number } {
  if (r !== 'window') return { width: RESOLUTIONS[r][0], height: RESOLUTIONS[r][1] };
  const dpr = window.devicePixelRatio || 1;
  const w = window.innerWidth * dpr,
    h = window.innerHeight * dpr;
  const s = Math.min(1, MAX_WIDTH / w, MAX_HEIGHT / h);
  return { width: even(w * s), height: even(h * s) };
}

/** Lets pending microtasks (uPlot's batched redraw) run. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The canvases and titles of the named plot panels, in the given order, skipping hidden ones. */
function plotCanvases(
  root: HTMLElement,
  names: readonly PanelName[],
): { canvases: HTMLCanvasElement[]; titles: string[] } {
  const canvases: HTMLCanvasElement[] = [],
    titles: string[] = [];
  for (const name of names) {
    const panel = root.querySelector<HTMLElement>(`.tp-panel.tp-${name}`);
    const c = panel?.querySelector('canvas');
    if (!panel || !c || c.width === 0 || c.height === 0) continue;
    if (!c || c.width === 0 || c.height === 0) continue;
    canvases.push(c);
    titles.push(panel.querySelector('.tp-title')?.textContent ?? '');
  }
  return { canvases, titles };
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** Records videos of the app's run; `active` tells the frame loop to keep its hands off. */
export class AppRecorder {
  /** Variants running side by side (src/app/variants.ts): recorded in their panes instead of the view. */
  variants: Variants | undefined;
  readonly state: RecordingState = { active: false, done: 0, total: 0 };

  constructor(
    private readonly controller: Controller,
    private readonly view: FlowView,
    private readonly plots: PlotsPanel,
    private readonly plotsRoot: HTMLElement,
    private readonly banners: Banners,
  ) {}

  get active(): boolean {
    return this.state.active;
  }

  /** Renders the scene at width×height (device pixels) into the view's canvas. */
  private renderAt(width: number, height: number): HTMLCanvasElement {
    const { renderer, camera } = this.view.stage;
    const canvas = renderer.domElement;
    if (canvas.width !== width || canvas.height !== height || renderer.getPixelRatio() !== 1) {
      renderer.setPixelRatio(1);
      renderer.setSize(width, height, false);
    }
    camera.aspect = width / height;
    camera.clearViewOffset();
    camera.updateProjectionMatrix();
    this.view.render();
    return canvas;
  }

  /** Records with `settings`, offers the file for download, and restores the play state. */
  async record(settings: RecordSettings): Promise<void> {
    const c = this.controller,
      session = c.session;
    if (this.state.active) return;
    if (!session || c.building || session.failed) {
      this.banners.show(BANNER, 'error', 'Nothing to record yet: wait until the run has started (or press r).');
      return;
    }
    const { width, height } = frameSize(settings.resolution);
    const fps = settings.fps,
      k = Math.max(0, Math.round(settings.stepsPerFrame));
    const frames = Math.max(1, Math.round(settings.seconds * fps));
    const wasPlaying = c.playing;
    c.playing = false;
    Object.assign(this.state, { active: true, done: 0, total: frames });
    this.banners.clear(BANNER);
    const viewCanvas = this.view.stage.renderer.domElement;
    viewCanvas.classList.add('view-recording');
    const ui = showRecordingProgress(
      document.body,
      `Recording ${width}×${height}, ${fps} fps, ${k} step${k === 1 ? '' : 's'} per video frame`,
    );
    const name = c.scenario?.name ?? c.params.preset;
    let firstStep = 0;
    const ms = { step: 0, plots: 0, render: 0, encode: 0 };
    const started = performance.now();
    this.state.phaseMs = ms;
    try {
      const rec = await recordVideo({
        width,
        height,
        fps,
        frames,
        format: settings.format,
        signal: ui.signal,
        onProgress: (done, total, eta) => {
          this.state.done = done;
          ui.update(done, total, eta);
        },
        drawFrame: async (i, { canvas }) => {
          if (c.session !== session || session.failed)
            throw new Error('the run was rebuilt or stopped during the recording');
          const t0 = performance.now();
          await session.advanceExactly(i === 0 ? 0 : k);
          // Variants side by side: each steps alike, and the frame shows their labelled panes.
          const variants = this.variants;
          if (variants?.active) {
            await variants.advanceExactly(i === 0 ? 0 : k);
            this.plots.setGhosts(variants.ghosts());
          }
          if (i === 0) firstStep = session.completed;
          const t1 = performance.now();
          let plots: ReturnType<typeof plotCanvases> = { canvases: [], titles: [] };
          const panels = PLOT_OVERLAYS[settings.plots];
          if (panels.length > 0) {
            this.plots.update(await c.traces(TRACE_POINTS));
            await macrotask();
            plots = plotCanvases(this.plotsRoot, panels);
          }
          const t2 = performance.now();
          // Render and compose in one task: the WebGL drawing buffer is only valid until it yields.
          const scene = variants?.active ? variants.composite(width, height) : this.renderAt(width, height);
          composeFrame(
            canvas,
            overlayLayers(width, height, scene, plots.canvases, plots.titles),
            settings.timeLabel ? timeLabel(session.time) : undefined,
            this.view.split.paneLabels('frame'),
          );
          ms.step += t1 - t0;
          ms.plots += t2 - t1;
          ms.render += performance.now() - t2;
          ms.encode = performance.now() - started - ms.step - ms.plots - ms.render;
        },
      });
      ms.encode = performance.now() - started - ms.step - ms.plots - ms.render;
      const file = exportFilename(name, session.time, rec.extension);
      downloadBlob(rec.blob, file);
      this.state.last = {
        name: file,
        bytes: rec.blob.size,
        frames: rec.frames,
        mimeType: rec.mimeType,
        seconds: frames / fps,
        firstStep,
        lastStep: session.completed,
      };
      this.state.outcome = 'saved';
      this.banners.show(
        BANNER,
        'notice',
        `Recorded ${rec.frames} frames (${(frames / fps).toFixed(1)} s, ${(rec.blob.size / 1e6).toFixed(1)} MB, ${rec.codec}): saved as ${file}.`,
      );
    } catch (e) {
      this.state.outcome = isAbort(e) ? 'cancelled' : 'failed';
      if (isAbort(e)) this.banners.show(BANNER, 'notice', 'Recording cancelled; nothing was saved.');
      else this.banners.show(BANNER, 'error', `Recording failed: ${errorMessage(e)}`);
    } finally {
      ui.close();
      viewCanvas.classList.remove('view-recording');
      this.view.stage.resize();
      if (c.session === session) c.playing = wasPlaying && !session.finished;
      this.state.active = false;
    }
  }
}
