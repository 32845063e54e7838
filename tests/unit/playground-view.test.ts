/** Pure parts of the view: projections R^d → R^3 and stable clustering (src/view). */
import { describe, expect, it } from 'vitest';
import { alignAxes, coordinateAxes, pcaAxes, project } from '../../src/view/projection';
import { StableClusters } from '../../src/view/colours';
import { VIEW_KEYS, viewDefaults } from '../../src/view/view-options';

describe('projection', () => {
  it('keeps the previous axes order and signs when eigenvectors swap or flip', () => {
    const prev = coordinateAxes(4);
    const next = [
      [0, -1, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ];
    expect(alignAxes(next, prev)).toEqual([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ]);
  });

  it('PCA finds the spread directions of a cloud', () => {
    const d = 5,
      n = 400;
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      x[i * d + 3] = 3 * Math.cos(a);
      x[i * d + 1] = 2 * Math.sin(a);
      x[i * d + 4] = 0.5 * Math.sin(3 * a);
    }
    const axes = pcaAxes(x, 0, n, d);
    expect(Math.abs(axes[0][3]!)).toBeCloseTo(1, 6);
    expect(Math.abs(axes[1][1]!)).toBeCloseTo(1, 6);
    expect(Math.abs(axes[2][4]!)).toBeCloseTo(1, 6);
    const out = new Float32Array(3 * n);
    project(x, 0, n, d, axes, out);
    expect(Math.abs(out[0]!)).toBeCloseTo(3, 5);
  });

  it('embeds d = 2 in the z = 0 plane', () => {
    const out = new Float32Array(3);
    project([0.6, 0.8], 0, 1, 2, undefined, out);
    expect(Array.from(out)).toEqual([Float32Array.of(0.6)[0], Float32Array.of(0.8)[0], 0]);
  });
});

describe('stable clusters', () => {
  it('keeps labels when clusters move a little', () => {
    const c = new StableClusters(2);
    const labels = new Int32Array(4);
    const at = (a: number, b: number): number[] => [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b)];
    expect(c.assign([...at(0, 0.01), ...at(Math.PI, Math.PI + 0.01)], 0, 4, 0.05, labels)).toBe(2);
    const first = Array.from(labels);
    c.assign([...at(Math.PI + 0.05, Math.PI + 0.06), ...at(0.05, 0.06)], 0, 4, 0.05, labels);
    expect(Array.from(labels)).toEqual([first[2], first[2], first[0], first[0]]);
  });
});

describe('view settings', () => {
  it('VIEW_KEYS lists exactly the settings the defaults give', () => {
    expect(Object.keys(viewDefaults(3)).sort()).toEqual([...VIEW_KEYS].sort());
    expect(viewDefaults(3).trails).toBe(true);
    expect(viewDefaults(4).trails).toBe(false);
  });
});
