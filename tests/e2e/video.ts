/**
 * Reading video files back with ffmpeg's tools, for the recording tests and bench:record:
 * ffprobe's stream facts (frames counted by decoding) and pixel checks on the decoded last frame.
 * ffmpeg/ffprobe come with Debian's `ffmpeg` package (scripts/ensure-webgpu.mjs installs it).
 */
import { spawnSync } from 'node:child_process';

/** What ffprobe says of the first video stream and the container. */
export interface Probe {
  streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[];
  format: { duration: string; size: string };
}

/** ffprobe of `file` (frames counted by decoding them all). */
export function ffprobe(file: string): Probe {
  const args = [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames',
    '-show_entries',
    'format=duration,size',
    '-of',
    'json',
    file,
  ];
  const r = spawnSync('ffprobe', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`ffprobe is not available (${r.error.message}): apt-get install -y ffmpeg`);
  if (r.status !== 0) throw new Error(`ffprobe failed on ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Probe;
}

/** A region of a frame, as fractions of its width (x) and height (y). */
export interface Region {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Fraction of the pixels in `region` of the video's last frame that differ clearly from the
 * frame's top-right corner pixel (the background).
 */
export function litInLastFrame(file: string, width: number, height: number, region: Region): number {
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-sseof', '-0.1', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { maxBuffer: 64 << 20 },
  );
  if (r.error) throw new Error(`ffmpeg is not available (${r.error.message}): apt-get install -y ffmpeg`);
  if (r.status !== 0) throw new Error(`ffmpeg could not decode ${file}: ${r.stderr.toString()}`);
  const px = r.stdout as Buffer;
  if (px.length !== width * height * 3)
    throw new Error(`the last frame of ${file} is not ${width}×${height} (got ${px.length} bytes of RGB)`);
  const bg = (width - 4 + 4 * width) * 3;
  let lit = 0,
    all = 0;
  for (let y = Math.floor(region.y0 * height); y < Math.floor(region.y1 * height); y++) {
    for (let x = Math.floor(region.x0 * width); x < Math.floor(region.x1 * width); x++) {
      const i = (y * width + x) * 3;
      if (Math.abs(px[i]! - px[bg]!) + Math.abs(px[i + 1]! - px[bg + 1]!) + Math.abs(px[i + 2]! - px[bg + 2]!) > 60)
        lit++;
      all++;
    }
  }
  return lit / all;
}
