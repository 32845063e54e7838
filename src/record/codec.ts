/**
 * Container and codec choice for the recorder: MP4 with H.264 where WebCodecs can encode it,
 * else WebM with VP9, else WebM with VP8. Support is asked of the browser for the actual size,
 * frame rate and bitrate (mediabunny's canEncodeVideo wraps VideoEncoder.isConfigSupported).
 */
import { canEncodeVideo, Quality, type VideoCodec } from 'mediabunny';

/** Requested container: 'auto' takes the first that the browser can encode. */
export type VideoFormat = 'auto' | 'mp4' | 'webm';

/** A container and the codec that goes in it. */
export interface CodecChoice {
  extension: 'mp4' | 'webm';
  codec: VideoCodec;
}

/** Candidates in order of preference; MP4 holds H.264 only here (widest playback). */
const CANDIDATES: readonly CodecChoice[] = [
  { extension: 'mp4', codec: 'avc' },
  { extension: 'webm', codec: 'vp9' },
  { extension: 'webm', codec: 'vp8' },
];

/** Encoder settings that the support check and the encoder share. */
export interface EncodeTarget {
  width: number;
  height: number;
  fps: number;
  /** Target bitrate in bits/s; undefined → mediabunny's 'high' quality for the size. */
  bitrate?: number;
}

/** The quality setting passed to both the support check and the encoder. */
export function qualityOf(bitrate: number | undefined): Quality {
  return bitrate === undefined ? new Quality('high') : new Quality(bitrate);
}

/**
 * The first container/codec of `format` that this browser can encode at `target`; throws an
 * Error saying what is missing when none can (e.g. 'mp4' in a browser without H.264 encoding).
 */
export async function chooseCodec(format: VideoFormat, target: EncodeTarget): Promise<CodecChoice> {
  if (typeof VideoEncoder === 'undefined') {
    throw new Error('Video recording needs WebCodecs (VideoEncoder), which this browser lacks.');
  }
  const candidates = CANDIDATES.filter((c) => format === 'auto' || c.extension === format);
  for (const c of candidates) {
    const ok = await canEncodeVideo(c.codec, {
      width: target.width,
      height: target.height,
      frameRate: target.fps,
      quality: qualityOf(target.bitrate),
    });
    if (ok) return c;
  }
  const tried = candidates.map((c) => `${c.extension}/${c.codec}`).join(', ');
  const hint = format === 'auto' ? '' : ` Try format 'auto'${format === 'mp4' ? " or 'webm'" : ''}.`;
  throw new Error(`This browser cannot encode ${tried} at ${target.width}×${target.height}, ${target.fps} fps.${hint}`);
}
