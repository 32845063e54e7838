/** The matrix editor's pure logic (src/ui/matrix-model.ts) and its use in the params (src/ui/params.ts). */
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/model/validate';
import {
  addLayer,
  editSymmetric,
  fitLayers,
  fitMatrix,
  matrixProblem,
  parseEntry,
  removeLayer,
  withLayerMatrix,
  type LayersDrift,
} from '../../src/ui/matrix-model';
import {
  changeKind,
  layerSchedule,
  ouTargetMatrix,
  paramsFromPreset,
  paramsFromScenario,
  paramsToScenario,
  setLayerSchedule,
  setOuTargetMatrix,
} from '../../src/ui/params';

const M = [
  [2, 0, 1],
  [0, 0.5, 0],
  [1, 0, -1],
];

describe('matrix editor: parsing and the symmetric write', () => {
  it('reads plain numbers and refuses everything else', () => {
    expect(parseEntry(' 1.5 ')).toBe(1.5);
    expect(parseEntry('-2')).toBe(-2);
    expect(parseEntry('\u22123')).toBe(-3);
    expect(parseEntry('.25')).toBe(0.25);
    expect(parseEntry('1e-3')).toBe(0.001);
    expect(parseEntry('2.')).toBe(2);
    for (const bad of [
      '',
      ' ',
      'abc',
      '1/2',
      '1,5',
      'Infinity',
      '-Infinity',
      'NaN',
      '0x10',
      '1e999',
      '2*3',
      '1e',
      '--1',
      'alert(1)',
    ]) {
      expect(parseEntry(bad), bad).toBeUndefined();
    }
  });

  it('editing (i, j) writes (j, i) too and leaves the input matrix alone', () => {
    const r = editSymmetric(M, 0, 2, '-4.5', 'M');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.matrix[0]![2]).toBe(-4.5);
    expect(r.matrix[2]![0]).toBe(-4.5);
    expect(r.value).toBe(-4.5);
    expect(matrixProblem(r.matrix, 3, 'M')).toBeUndefined();
    expect(M[0]![2]).toBe(1);
    // A diagonal entry has no mirror.
    const diag = editSymmetric(M, 1, 1, '7', 'M');
    expect(diag.ok && diag.matrix[1]).toEqual([0, 7, 0]);
  });

  it('a value that is not a finite number is refused with a message naming the matrix and the entry (1-based)', () => {
    const r = editSymmetric(M, 1, 2, 'abc', 'layer 2, head 1');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toContain('layer 2, head 1');
    expect(r.message).toContain('(2, 3)');
    expect(r.message).toContain('"abc"');
    const out = editSymmetric(M, 3, 0, '1', 'M');
    expect(!out.ok && out.message).toMatch(/\(4, 1\) is outside the 3×3 matrix/);
  });

  it('matrixProblem names the first bad entry', () => {
    expect(
      matrixProblem(
        [
          [1, NaN],
          [NaN, 1],
        ],
        2,
        'M',
      ),
    ).toMatch(/entry \(1, 2\) is not a finite number/);
    expect(
      matrixProblem(
        [
          [1, 2],
          [3, 1],
        ],
        2,
        'M',
      ),
    ).toMatch(/\(1, 2\) and \(2, 1\) differ/);
    expect(matrixProblem([[1, 0]], 2, 'M')).toMatch(/not 2×2/);
  });

  it('works at d = 16', () => {
    const big = fitMatrix([[1]], 16);
    const r = editSymmetric(big, 15, 3, '0.5', 'M');
    expect(r.ok && r.matrix[3]![15]).toBe(0.5);
    expect(r.ok && matrixProblem(r.matrix, 16, 'M')).toBeUndefined();
  });
});

describe('matrix editor: layer schedules', () => {
  const drift: LayersDrift = {
    kind: 'layers',
    layerDuration: 2,
    layers: [
      [M, M],
      [fitMatrix([], 3), M],
    ],
  };

  it('adds a copy of a layer after it, removes layers but never the last one', () => {
    const more = addLayer(drift, 0);
    expect(more.layers).toHaveLength(3);
    expect(more.layers[1]).toEqual(drift.layers[0]);
    expect(more.layers[1]![0]).not.toBe(drift.layers[0]![0]);
    expect(removeLayer(more, 1).layers).toEqual(drift.layers);
    const one = removeLayer(drift, 0);
    expect(removeLayer(one, 0)).toBe(one);
  });

  it('replaces one matrix without touching the others', () => {
    const e = editSymmetric(M, 0, 1, '3', 'x');
    const next = withLayerMatrix(drift, 1, 1, e.ok ? e.matrix : M);
    expect(next.layers[1]![1]![1]![0]).toBe(3);
    expect(drift.layers[1]![1]![1]![0]).toBe(0);
    expect(next.layers[0]).toBe(drift.layers[0]);
  });

  it('fits a schedule to a new d and H (pad with the identity, copy the last head)', () => {
    expect(fitLayers(drift, 3, 2)).toBe(drift);
    const f = fitLayers(drift, 4, 3);
    expect(f.layers[0]).toHaveLength(3);
    expect(f.layers[0]![2]).toEqual(f.layers[0]![1]);
    expect(f.layers[0]![0]![3]).toEqual([0, 0, 0, 1]);
    expect(fitLayers(drift, 2, 1).layers[0]).toEqual([
      [
        [2, 0],
        [0, 0.5],
      ],
    ]);
  });
});

describe('matrix editor: params', () => {
  it('a custom OU target goes into the scenario and is a live drift change', () => {
    const p = paramsFromPreset('s2-ou');
    expect(ouTargetMatrix(p)).toEqual(fitMatrix([], 3));
    setOuTargetMatrix(p, M);
    expect(p.ouTarget).toBe('custom');
    const s = paramsToScenario(p);
    expect(s.weights.drift).toEqual({ kind: 'ou', theta: 1, target: M });
    expect(changeKind('ouTarget')).toBe('drift');
    // And back from the scenario (a shared link): the matrix is carried.
    const q = paramsFromScenario(s, 's2-ou');
    expect(q.ouTarget).toBe('custom');
    expect(ouTargetMatrix(q)).toEqual(M);
  });

  it('edits of the layer schedule reach the scenario; d and H changes fit the schedule', () => {
    const p = paramsFromPreset('layers');
    const s0 = layerSchedule(p)!;
    setLayerSchedule(p, { ...addLayer(s0, 2), layerDuration: 1.5 });
    const s = paramsToScenario(p);
    expect(s.weights.drift.kind === 'layers' && s.weights.drift.layers).toHaveLength(4);
    expect(s.weights.drift.kind === 'layers' && s.weights.drift.layerDuration).toBe(1.5);
    p.heads = 3;
    p.d = 4;
    expect(() => validateScenario(paramsToScenario(p))).not.toThrow();
  });

  it('σ² rebuilds from the current state (no engine changes it in place)', () => {
    expect(changeKind('noiseVariance')).toBe('state');
  });
});
