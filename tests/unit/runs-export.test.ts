/**
 * The export of several runs (src/record/runs-export.ts): one labelled column set per run on the
 * union of their times (empty cells where a run has no row), labels quoted, JSON with each run.
 */
import { describe, expect, it } from 'vitest';
import { RUN_COLUMNS, runsCsv, runsJson } from '../../src/record/runs-export';
import type { Series, Traces } from '../../src/worker/protocol';

function traces(t: number[], scale: number): Traces {
  const s = (k: number): Series => {
    const v = Float64Array.from(t, (x) => scale * (x + k));
    return { t: Float64Array.from(t), mean: v, lo: v, hi: v };
  };
  const empty = s(0);
  return {
    rows: t.length,
    lastTime: t[t.length - 1]!,
    energy: s(1),
    dEdt: s(2),
    G2: s(3),
    dissipation: s(4),
    deltaE: s(5),
    rhsPaper: empty,
    rhsExact: empty,
    balancePaper: s(6),
    balanceExact: s(7),
    clusters: empty,
    meanAbsCos: empty,
    distanceMax: empty,
    distanceRms: empty,
    growthRate: NaN,
    growthFit: { rate: NaN } as Traces['growthFit'],
  };
}

describe('runs export', () => {
  it('CSV: labelled column sets per run, joined on time', () => {
    const csv = runsCsv([
      { label: 'original', traces: traces([0, 0.5, 1], 1) },
      { label: 'β 1 → 3, schedule ou → frozen at t = 0.5', traces: traces([0.5, 1, 1.5], 10) },
    ]);
    const lines = csv.trimEnd().split('\n');
    const header = lines[0]!.match(/("([^"]|"")*"|[^,]+)/g)!;
    expect(header.length).toBe(1 + 2 * RUN_COLUMNS.length);
    expect(header[1]).toBe('original | energy');
    expect(header[1 + RUN_COLUMNS.length]).toBe('"β 1 → 3, schedule ou → frozen at t = 0.5 | energy"');
    expect(lines.length).toBe(1 + 4);
    // t = 0: only the first run; t = 1.5: only the second.
    expect(lines[1]).toBe(['0', '1', '2', '3', '4', '5', '6', '7', ...Array(7).fill('')].join(','));
    expect(lines[4]).toBe(['1.5', ...Array(7).fill(''), '25', '35', '45', '55', '65', '75', '85'].join(','));
    expect(lines[3]!.split(',').slice(1, 2)).toEqual(['2']);
  });

  it('JSON: every run with its label, recipe and traces', () => {
    const j = JSON.parse(runsJson([{ label: 'a', traces: traces([0, 1], 1), recipe: { root: { n: 3 } } }]));
    expect(j.runs[0].label).toBe('a');
    expect(j.runs[0].recipe).toEqual({ root: { n: 3 } });
    expect(j.runs[0].traces.energy.mean).toEqual([1, 2]);
  });
});
