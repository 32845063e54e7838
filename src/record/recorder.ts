/**
 * Deterministic video recorder. The caller advances the simulation a fixed number of steps per
 * frame and draws into the recorder's composition canvas; each frame is then encoded with
 * WebCodecs through mediabunny at timestamp index/fps and duration 1/fps. Wall-clock time never
 * enters the file: a slow frame only makes the recording take longer, it drops nothing.
 */
import { BufferTarget, CanvasSource, Mp4OutputFormat, Output, WebMOutputFormat } from 'mediabunny';
import { chooseCodec, qualityOf, type VideoFormat } from './codec';

/** Largest frame: 4K UHD. */
export const MAX_WIDTH = 3840;
export const MAX_HEIGHT = 2160;
export const MIN_SIDE = 16;
const MAX_FPS = 120;
/** Seconds between key frames (seeking granularity in the produced file). */
const KEY_FRAME_INTERVAL_S = 2;

/** What to record and how. */
export interface RecordOptions {
  /** Frame size in pixels: even, 16…3840 wide and 16…2160 high. */
  width: number;
  height: number;
  /** Frames per second of the file, 1…120. */
  fps: number;
  /** Number of frames to record, ≥ 1. */
  frames: number;
  /** Container; 'auto' (default) is MP4/H.264 where supported, else WebM/VP9, else WebM/VP8. */
  format?: VideoFormat;
  /** Target bitrate in bits/s (integer); default: mediabunny's 'high' quality for the size. */
  bitrate?: number;
  /**
   * Draws frame `index` into `ctx.canvas` (exactly width×height): advance the simulation, render,
   * then e.g. composeFrame(ctx.canvas, overlayLayers(...), timeLabel(t)). The canvas is captured
   * when the returned promise resolves.
   */
  drawFrame: (index: number, ctx: { canvas: OffscreenCanvas | HTMLCanvasElement }) => Promise<void>;
  /** Called after each encoded frame with frames done, total, and an estimate of seconds left. */
  onProgress?: (done: number, total: number, etaSeconds: number) => void;
  /** Aborting stops the recording, discards the file and rejects with an AbortError. */
  signal?: AbortSignal;
}

/** A finished recording. */
export interface Recording {
  blob: Blob;
  /** Full MIME type with codec parameters, e.g. 'video/mp4; codecs="avc1.64002a"'. */
  mimeType: string;
  /** mediabunny codec name: 'avc', 'vp9' or 'vp8'. */
  codec: string;
  frames: number;
  extension: 'mp4' | 'webm';
}

function requireInt(name: string, v: number, lo: number, hi: number, even = false): void {
  if (!Number.isInteger(v) || v < lo || v > hi || (even && v % 2 !== 0)) {
    const what = `${even ? 'an even' : 'an'} integer in ${lo}…${Number.isFinite(hi) ? hi : '∞'}`;
    throw new RangeError(`recordVideo: ${name} must be ${what}, got ${String(v)}`);
  }
}

/** Throws a RangeError naming the first invalid field of `opts`. */
export function validateRecordOptions(
  opts: Pick<RecordOptions, 'width' | 'height' | 'fps' | 'frames' | 'bitrate'>,
): void {
  requireInt('width', opts.width, MIN_SIDE, MAX_WIDTH, true);
  requireInt('height', opts.height, MIN_SIDE, MAX_HEIGHT, true);
  if (!Number.isFinite(opts.fps) || opts.fps < 1 || opts.fps > MAX_FPS) {
    throw new RangeError(`recordVideo: fps must be a number in 1…${MAX_FPS}, got ${String(opts.fps)}`);
  }
  requireInt('frames', opts.frames, 1, Infinity);
  if (opts.bitrate !== undefined) requireInt('bitrate', opts.bitrate, 1, Infinity);
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof DOMException && signal.reason.name === 'AbortError'
    ? signal.reason
    : new DOMException('Recording cancelled', 'AbortError');
}

/** Resolves/rejects with `p`, or rejects with an AbortError as soon as `signal` aborts. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function makeCanvas(width: number, height: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

/**
 * Records `opts.frames` frames at `opts.fps` into an MP4 or WebM held in memory. Rejects with a
 * RangeError for invalid options, an Error when no codec fits, an AbortError on abort (nothing is
 * finalized and the encoder is released), or whatever drawFrame throws.
 */
export async function recordVideo(opts: RecordOptions): Promise<Recording> {
  validateRecordOptions(opts);
  const { width, height, fps, frames, signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  const choice = await raceAbort(
    chooseCodec(opts.format ?? 'auto', { width, height, fps, bitrate: opts.bitrate }),
    signal,
  );

  const canvas = makeCanvas(width, height);
  const target = new BufferTarget();
  const output = new Output({
    format: choice.extension === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(),
    target,
  });
  const source = new CanvasSource(canvas, {
    codec: choice.codec,
    quality: qualityOf(opts.bitrate),
    keyFrameInterval: KEY_FRAME_INTERVAL_S,
    latencyMode: 'quality',
  });
  output.addVideoTrack(source, { frameRate: fps });

  try {
    await raceAbort(output.start(), signal);
    const started = performance.now();
    for (let i = 0; i < frames; i++) {
      await raceAbort(opts.drawFrame(i, { canvas }), signal);
      await raceAbort(source.add(i / fps, 1 / fps), signal);
      const done = i + 1;
      const perFrame = (performance.now() - started) / 1000 / done;
      opts.onProgress?.(done, frames, perFrame * (frames - done));
    }
    if (signal?.aborted) throw abortError(signal);
    await output.finalize();
  } catch (e) {
    if (output.state !== 'finalized' && output.state !== 'canceled') await output.cancel().catch(() => {});
    throw e;
  } finally {
    canvas.width = canvas.height = 0;
  }
  if (!target.buffer) throw new Error('recordVideo: the muxer produced no data');
  const mimeType = await output.getMimeType();
  return {
    blob: new Blob([target.buffer], { type: mimeType }),
    mimeType,
    codec: choice.codec,
    frames,
    extension: choice.extension,
  };
}
