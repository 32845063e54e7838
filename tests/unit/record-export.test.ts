import { describe, expect, it } from 'vitest';
import { exportFilename, positionsCsv, positionsJson, tracesCsv, tracesJson } from '../../src/record/export';
import { fitRect, timeLabel } from '../../src/record/compose';
import { validateRecordOptions } from '../../src/record/recorder';
import { formatEta } from '../../src/record/progress';

describe('record exports', () => {
  const x = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]); // P=2, n=2, d=2

  it('writes positions as CSV rows replica,token,x0..', () => {
    expect(positionsCsv(x, 2, 2, 2)).toBe('replica,token,x0,x1\n0,0,0.1,0.2\n0,1,0.3,0.4\n1,0,0.5,0.6\n1,1,0.7,0.8\n');
  });

  it('writes positions as nested JSON and checks the shape', () => {
    expect(JSON.parse(positionsJson(x, 2, 2, 2, 1.5))).toEqual({
      t: 1.5,
      P: 2,
      n: 2,
      d: 2,
      positions: [
        [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
        [
          [0.5, 0.6],
          [0.7, 0.8],
        ],
      ],
    });
    expect(() => positionsCsv(x, 2, 2, 3)).toThrow(/P·n·d/);
  });

  it('writes traces with typed arrays as arrays and NaN as null', () => {
    const s = {
      t: new Float64Array([0, 1]),
      mean: new Float64Array([2, NaN]),
      lo: new Float64Array([1, 1]),
      hi: new Float64Array([3, 3]),
    };
    expect(JSON.parse(tracesJson({ rows: 2, energy: s }))).toEqual({
      rows: 2,
      energy: { t: [0, 1], mean: [2, null], lo: [1, 1], hi: [3, 3] },
    });
    expect(tracesCsv({ rows: 2, energy: s })).toBe('series,t,mean,lo,hi\nenergy,0,2,1,3\nenergy,1,NaN,1,3\n');
  });

  it('sanitizes file names', () => {
    expect(exportFilename('Two heads / β=4 ', 3.256, 'mp4')).toBe('Two-heads-4_t3.26.mp4');
    expect(exportFilename('../..', 0, 'png')).toBe('playground_t0.00.png');
  });

  it('formats labels, ETAs and fitted rectangles', () => {
    expect(timeLabel(3.25)).toBe('t = 3.25');
    expect(formatEta(4.2)).toBe('5 s');
    expect(formatEta(125)).toBe('2 min 05 s');
    expect(fitRect({ w: 200, h: 100 }, { x: 0, y: 0, w: 100, h: 100 })).toEqual({ x: 0, y: 25, w: 100, h: 50 });
  });

  it('names the invalid recorder field', () => {
    const ok = { width: 640, height: 360, fps: 30, frames: 60 };
    expect(() => validateRecordOptions(ok)).not.toThrow();
    expect(() => validateRecordOptions({ ...ok, width: 641 })).toThrow(/width must be an even integer/);
    expect(() => validateRecordOptions({ ...ok, height: 4320 })).toThrow(/height/);
    expect(() => validateRecordOptions({ ...ok, fps: 240 })).toThrow(/fps/);
    expect(() => validateRecordOptions({ ...ok, frames: 0 })).toThrow(/frames/);
  });
});
