/**
 * Composition of one video frame or still: the 3D view scaled to fit, an optional strip of
 * plot canvases over its bottom edge, and a time label in the top-left corner. Pure 2D canvas
 * drawing, shared by the recorder (every frame) and the PNG still.
 */

/** A canvas that composeFrame can draw into. */
export type ComposeTarget = OffscreenCanvas | HTMLCanvasElement;

/** One image placed at (x, y) with size w×h, in target pixels. */
export interface Layer {
  source: CanvasImageSource;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Small title drawn over the layer's top-left corner (e.g. a plot's name). */
  caption?: string;
}

/** A pane's name and its centre as a fraction of the view layer's width. */
export interface PaneLabel {
  text: string;
  centre: number;
}

/** Background behind the view (where it letterboxes) and under the label. */
const BACKGROUND = '#0b0d12';
/** The plot strip's backing, translucent so the view still shows through it. */
const STRIP_BACKING = 'rgba(11, 13, 18, 0.72)';
/** Height of the plot strip as a fraction of the frame height. */
const STRIP_FRACTION = 0.24;
/** Label font size as a fraction of the frame height (≈ 38 px at 1080p), never below 12 px. */
const LABEL_FRACTION = 0.035;
/** Caption font size as a fraction of the frame height (≈ 19 px at 1080p), never below 10 px. */
const CAPTION_FRACTION = 0.0175;

/** The size of a drawable source in pixels (0 when unknown). */
export function sourceSize(source: CanvasImageSource): { w: number; h: number } {
  if (typeof VideoFrame !== 'undefined' && source instanceof VideoFrame) {
    return { w: source.displayWidth, h: source.displayHeight };
  }
  if (typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement) {
    return { w: source.naturalWidth, h: source.naturalHeight };
  }
  if (typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement) {
    return { w: source.videoWidth, h: source.videoHeight };
  }
  if (typeof SVGImageElement !== 'undefined' && source instanceof SVGImageElement) {
    return { w: source.width.baseVal.value, h: source.height.baseVal.value };
  }
  const sized = source as { width: number; height: number };
  return { w: sized.width, h: sized.height };
}

/** The rectangle that fits `src` inside `box` keeping its aspect ratio, centred (letterboxed). */
export function fitRect(
  src: { w: number; h: number },
  box: { x: number; y: number; w: number; h: number },
): { x: number; y: number; w: number; h: number } {
  if (src.w <= 0 || src.h <= 0) return { ...box };
  const s = Math.min(box.w / src.w, box.h / src.h);
  const w = src.w * s;
  const h = src.h * s;
  return { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h };
}

/**
 * The standard frame layout: `view` fitted to the whole width×height frame (aspect kept, centred)
 * and the `plots` side by side in a strip over the bottom quarter, each fitted to its cell and
 * resting on the frame's bottom edge, with `captions[i]` (where given) in a band just above it.
 */
export function overlayLayers(
  width: number,
  height: number,
  view: CanvasImageSource,
  plots: readonly CanvasImageSource[] = [],
  captions: readonly string[] = [],
): Layer[] {
  const layers: Layer[] = [{ source: view, ...fitRect(sourceSize(view), { x: 0, y: 0, w: width, h: height }) }];
  if (plots.length === 0) return layers;
  const stripH = Math.round(height * STRIP_FRACTION);
  const band = captionBand(height);
  const cellW = width / plots.length;
  plots.forEach((p, i) => {
    const caption = captions[i];
    const top = height - stripH + (caption ? band : 0);
    const r = fitRect(sourceSize(p), { x: i * cellW, y: top, w: cellW, h: height - top });
    layers.push({ source: p, ...r, y: height - r.h, ...(caption && { caption }) });
  });
  return layers;
}

/** The label for simulated time t, e.g. "t = 3.25". */
export function timeLabel(t: number, digits = 2): string {
  return `t = ${t.toFixed(digits)}`;
}

function context2d(target: ComposeTarget): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D {
  const ctx = target.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('composeFrame: the target canvas has no 2D context (is it already used for WebGL/WebGPU?)');
  return ctx;
}

/**
 * Clears `target` to the background and draws `layers` in order; layers after the first (the
 * view) get a translucent backing so plots stay readable over the scene. With `label`, draws it
 * in the top-left corner at a size proportional to the frame height. With `panes`, draws each
 * pane's name at the top of the view, centred where the pane is (the side-by-side comparison's
 * "original" | "copy k").
 */
export function composeFrame(
  target: ComposeTarget,
  layers: readonly Layer[],
  label?: string,
  panes?: readonly PaneLabel[],
): void {
  const ctx = context2d(target);
  const { width, height } = target;
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  layers.forEach((l, i) => {
    if (i > 0) {
      const band = l.caption ? captionBand(height) : 0;
      ctx.fillStyle = STRIP_BACKING;
      ctx.fillRect(l.x, l.y - band, l.w, l.h + band);
    }
    ctx.drawImage(l.source, l.x, l.y, l.w, l.h);
    if (l.caption) drawCaption(ctx, l, height);
  });
  if (panes && panes.length > 0 && layers[0]) drawPaneLabels(ctx, layers[0], panes, height);
  if (label) drawLabel(ctx, label, height);
}

/** Each pane's name centred over its pane at the top of the view layer `view`. */
function drawPaneLabels(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  view: Layer,
  panes: readonly PaneLabel[],
  height: number,
): void {
  const size = Math.max(11, Math.round(height * CAPTION_FRACTION * 1.3));
  const pad = Math.round(size * 0.4);
  const top = Math.max(view.y, 0) + Math.round(size * 0.8);
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const { text: name, centre: at } of panes) {
    const centre = view.x + view.w * at;
    const w = ctx.measureText(name).width;
    ctx.fillStyle = STRIP_BACKING;
    ctx.fillRect(centre - w / 2 - pad, top - pad, w + 2 * pad, size + 2 * pad);
    ctx.fillStyle = '#f2f4f8';
    ctx.fillText(name, centre - w / 2, top);
  }
}

/** Caption font size in pixels for a frame `height` high. */
function captionSize(height: number): number {
  return Math.max(10, Math.round(height * CAPTION_FRACTION));
}

/** Height of the band above a captioned layer. */
function captionBand(height: number): number {
  return Math.round(captionSize(height) * 1.5);
}

/** Draws the layer's caption in the band above it, shrunk to the layer's width if need be. */
function drawCaption(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  l: Layer,
  height: number,
): void {
  const size = captionSize(height);
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  ctx.fillStyle = '#c3c9d6';
  ctx.fillText(l.caption!, l.x + size * 0.4, l.y - captionBand(height) + size * 0.25, Math.max(1, l.w - size * 0.8));
}

function drawLabel(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  label: string,
  height: number,
): void {
  const size = Math.max(12, Math.round(height * LABEL_FRACTION));
  const pad = Math.round(size * 0.5);
  ctx.font = `${size}px ui-monospace, "DejaVu Sans Mono", monospace`;
  ctx.textBaseline = 'top';
  const w = ctx.measureText(label).width;
  ctx.fillStyle = STRIP_BACKING;
  ctx.fillRect(pad, pad, w + 2 * pad, size + 2 * pad);
  ctx.fillStyle = '#f2f4f8';
  ctx.fillText(label, 2 * pad, 2 * pad);
}
