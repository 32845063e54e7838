/**
 * A small read-only hook for end-to-end tests and benchmarks: `window.__playground`.
 * It exposes what the status line shows plus the traces; it changes nothing and accepts
 * no code:
 *   state()        → { stepIndex, time, T, n, d, heads, replicas, engineKind, engineLabel,
 *                      playing, finished, building, frameMs, stepsPerSecond, frames, banners }
 *   traces(max?)   → Promise<Traces> (decimated to at most `max` points, default 1500)
 *   gpuBuffers()   → live GPU buffers of the shared device (NaN without WebGPU)
 *   sweep()        → the H-sweep panel (src/app/sweep-panel.ts): status, progress, result, plotted points
 *   recording()    → progress and last file of the Record folder (src/app/recording.ts)
 *   shareLink()    → the last link made by Share › copy link ('' before the first)
 *   headAxes()     → per drawn head of the shown replica, the eigenvalues (descending) and
 *                    eigenvectors (rows) of D_h(t) as the head axes last drew them
 *   lesson()       → the open lesson (src/app/lesson-player.ts): step index and count, narration, plots
 *   lessonLink()   → the last link made by Lesson › copy lesson link ('' before the first)
 *   tokenEdit()    → the hand editor of tokens (src/app/token-edit.ts): active, edits, undoable, busy
 *   tokenOnScreen(i) → where token i is drawn (client pixels) and whether it faces the camera
 *   positions()    → the last positions read back from the engine ([P][n][d], a copy)
 *   view()         → how the picture is drawn: the renderer's backend, whether it shares the
 *                    engine's device, and the readbacks the session has made
 *   history()      → the run's kept snapshot steps, bytes kept and budget, the rewound step
 *                    (null at the head) and the plots' marker time (null when none)
 *   traceCsv()     → the full-resolution trace rows as the CSV export writes them
 *   branches()     → the live run's label, the runs kept beside it, the labels drawn faint in
 *                    the plots, and the last branch link made ('' before the first)
 *   variants()     → labels and completed steps of the running variants, the cost shown
 *   variantCsv(i)  → variant i's full-resolution trace rows (CSV)
 */
import type { SweepHookState } from './sweep-panel';
import type { Traces } from '../worker/protocol';
import type { RecordingState } from './recording';
import type { LessonHookState } from './lesson-player';
import type { TokenEditState } from './token-edit';

/** The snapshot state() returns. */
export interface HookState {
  stepIndex: number;
  time: number;
  T: number;
  n: number;
  d: number;
  heads: number;
  replicas: number;
  engineKind: 'cpu' | 'gpu' | 'none';
  engineLabel: string;
  playing: boolean;
  finished: boolean;
  building: boolean;
  frameMs: number;
  stepsPerSecond: number;
  frames: number;
  /** Text of the visible banners, by key. */
  banners: Record<string, string>;
}

/** How the view draws (state().view). */
export interface ViewHookState {
  /** three's WebGPURenderer backend: 'webgpu', or 'webgl2' (its fallback). */
  backend: 'webgpu' | 'webgl2';
  /** The renderer runs on the GPU engine's own device (it can draw from the engine's buffers). */
  sharesEngineDevice: boolean;
  /** Frames whose positions the view copied from the engine's GPU buffer (since the run started). */
  gpuCopies: number;
  /** Readbacks of positions and weights by the current session. */
  readbacks: number;
  /** Animation frames of the loop so far (state().frames). */
  frames: number;
  /** Of those, the frames that drew (the others found the picture unchanged: FlowView.frame). */
  framesDrawn: number;
  /** The share of the full pixel ratio the view draws at now (dynamic resolution: src/view/render-scale.ts). */
  renderScale: number;
  /** How the main view's solid tokens are drawn: lit sphere meshes, or impostor quads past IMPOSTORS_ABOVE. */
  tokenShape: 'mesh' | 'impostor' | undefined;
  /** The density view of μ_t (src/view/density-layer.ts): shown, densities drawn, last peak and ∫ρ, any problem. */
  density: { shown: boolean; updates: number; peak: number; integral: number; problem: string };
}

/** The hook object. */
export interface PlaygroundHook {
  state(): HookState;
  traces(maxPoints?: number): Promise<Traces>;
  gpuBuffers(): number;
  /** The H-sweep panel: status, progress, result and what its plot shows. */
  sweep(): SweepHookState;
  recording(): RecordingState;
  shareLink(): string;
  headAxes(): { values: number[]; vectors: number[][] }[];
  view(): ViewHookState;
  lesson(): LessonHookState;
  lessonLink(): string;
  tokenEdit(): TokenEditState;
  tokenOnScreen(i: number): { x: number; y: number; front: boolean } | undefined;
  positions(): number[];
  history(): HistoryHookState;
  traceCsv(): Promise<string>;
  branches(): {
    live: string;
    kept: { label: string; visible: boolean }[];
    faint: string[];
    link: string;
  };
  variants(): { labels: string[]; steps: number[]; budget: string };
  variantCsv(i: number): Promise<string>;
}

/** The run history as the timeline shows it (history()). */
export interface HistoryHookState {
  steps: number[];
  bytesKept: number;
  budgetBytes: number;
  rewoundAt: number | null;
  marker: number | null;
}

declare global {
  interface Window {
    __playground?: PlaygroundHook;
  }
}

/** Installs the hook (frozen, so page scripts cannot swap its functions). */
export function installTestHook(hook: PlaygroundHook): void {
  Object.defineProperty(window, '__playground', {
    value: Object.freeze({ ...hook }),
    configurable: false,
    writable: false,
  });
}
