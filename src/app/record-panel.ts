/**
 * The Record and Export folders of the panel: video settings and the Record button
 * (src/app/recording.ts), a PNG still of the view beside the plots, the traces as CSV
 * (full resolution, from the trace worker) and JSON, and the token positions as JSON.
 * Every file is offered through a download link (Blob + anchor).
 */
import type GUI from 'lil-gui';
import { errorMessage } from '../model/format';
import { timeLabel } from '../record/compose';
import { composePng, downloadBlob, exportFilename, positionsJson, tracesJson } from '../record/export';
import type { Banners } from './banners';
import type { Controller } from './controller';
import { type AppRecorder, FRAME_RATES, PLOT_OVERLAYS, RESOLUTIONS, type RecordSettings } from './recording';
import type { TraceSink } from './trace-sink';
import type { FlowView } from '../view/flow-view';

/** Default settings: a 10 s 1080p clip at 30 fps, the energy and rate plots and the time label on. */
function defaultRecordSettings(): RecordSettings {
  return {
    resolution: '1080p',
    fps: 30,
    stepsPerFrame: 5,
    seconds: 10,
    format: 'auto',
    plots: 'energy + rates',
    timeLabel: true,
  };
}

/** What the folders act on. */
export interface RecordPanelDeps {
  controller: Controller;
  view: FlowView;
  sink: TraceSink;
  banners: Banners;
  recorder: AppRecorder;
  plotsRoot: HTMLElement;
}

const BANNER = 'export';
/** Points per series of the JSON traces: all rows of any run the app can hold. */
const ALL_POINTS = 1e9;

function text(blobText: string, type: string): Blob {
  return new Blob([blobText], { type });
}

/** Adds the Record and Export folders to `gui`; returns the settings object they edit. */
export function addRecordPanel(gui: GUI, deps: RecordPanelDeps): RecordSettings {
  const settings = defaultRecordSettings();
  const { controller, view, sink, banners, recorder, plotsRoot } = deps;
  const name = (): string => controller.scenario?.name ?? controller.params.preset;
  const time = (): number => controller.session?.time ?? 0;
  const guarded = (what: string, f: () => Promise<void>) => (): void => {
    f().then(
      () => banners.clear(BANNER),
      (e: unknown) => {
        banners.show(BANNER, 'error', `${what} failed: ${errorMessage(e)}`);
      },
    );
  };

  const rec = gui.addFolder('Record').close();
  rec.add(settings, 'resolution', Object.keys(RESOLUTIONS)).name('resolution');
  rec.add(settings, 'fps', [...FRAME_RATES]).name('frames / s');
  rec.add(settings, 'stepsPerFrame', 0, 10_000, 1).name('steps / video frame');
  rec.add(settings, 'seconds', 0.1, 3600).name('duration (s)');
  rec
    .add(settings, 'format', { 'auto (MP4 H.264, else WebM)': 'auto', 'MP4 (H.264)': 'mp4', 'WebM (VP9, VP8)': 'webm' })
    .name('container');
  rec.add(settings, 'plots', Object.keys(PLOT_OVERLAYS)).name('overlay plots');
  rec.add(settings, 'timeLabel').name('time label');
  rec.add({ record: () => void recorder.record({ ...settings }) }, 'record').name('● Record video');

  const exp = gui.addFolder('Export').close();
  const actions = {
    png: guarded('PNG still', async () => {
      // Render, sharp (all pixels: the live view may be drawing fewer), then compose in the same
      // task (the WebGL drawing buffer is cleared once it yields).
      view.stage.setRenderScale(1);
      view.render();
      const canvases = [...plotsRoot.querySelectorAll<HTMLCanvasElement>('.tp-panel canvas')].filter(
        (c) => c.width > 0 && c.height > 0,
      );
      const live = view.stage.renderer.domElement;
      // Variants side by side: their labelled panes in place of the view.
      const variants = recorder.variants;
      const png = await composePng(
        variants?.active ? variants.composite(live.width, live.height) : live,
        canvases,
        timeLabel(time()),
        view.split.paneLabels('live'),
      );
      downloadBlob(png, exportFilename(name(), time(), 'png'));
    }),
    csv: guarded('Traces CSV', async () => {
      downloadBlob(text(await sink.csv(), 'text/csv'), exportFilename(`${name()}-traces`, time(), 'csv'));
    }),
    json: guarded('Traces JSON', async () => {
      downloadBlob(
        text(tracesJson(await controller.traces(ALL_POINTS)), 'application/json'),
        exportFilename(`${name()}-traces`, time(), 'json'),
      );
    }),
    positions: guarded('Positions JSON', async () => {
      const s = controller.session;
      if (!s) throw new Error('no run yet');
      const { replicas: P, n, d, dt } = s.engine.scenario;
      const t = s.engine.stepIndex * dt;
      const x = await s.engine.readPositions();
      downloadBlob(
        text(positionsJson(x, P, n, d, t), 'application/json'),
        exportFilename(`${name()}-positions`, t, 'json'),
      );
    }),
  };
  exp.add(actions, 'png').name('PNG still (view + plots)');
  exp.add(actions, 'csv').name('traces CSV');
  exp.add(actions, 'json').name('traces JSON');
  exp.add(actions, 'positions').name('token positions JSON');
  return settings;
}
