/**
 * Exports of several runs side by side (the live run and the branches kept beside it): CSV with
 * one labelled column set per run — each run's per-step series (mean over its replicas) on the
 * union of their times, empty where a run has no row — and JSON with each run's label, how to
 * rerun it and its traces.
 */
import type { Series, Traces } from '../worker/protocol';
import { tracesJson } from './export';

/** One run to export. */
export interface LabelledRun {
  label: string;
  traces: Traces;
  /** How to rerun it (root scenario and branch stages), written to the JSON as is. */
  recipe?: unknown;
}

/** The per-step series of a run, in column order. */
export const RUN_COLUMNS = [
  'energy',
  'dEdt',
  'G2',
  'dissipation',
  'deltaE',
  'balancePaper',
  'balanceExact',
] as const satisfies readonly (keyof Traces)[];

/** A CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break. */
function cell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `t` then, per run, `<label> | <series>` for each of RUN_COLUMNS; one line per time of any run. */
export function runsCsv(runs: readonly LabelledRun[]): string {
  const header = ['t'];
  for (const r of runs) for (const c of RUN_COLUMNS) header.push(cell(`${r.label} | ${c}`));
  const times = new Set<number>();
  for (const r of runs) for (const t of r.traces.energy.t) times.add(t);
  const sorted = [...times].sort((a, b) => a - b);
  const index = runs.map((r) => RUN_COLUMNS.map((c) => byTime(r.traces[c])));
  const lines = [header.join(',')];
  for (const t of sorted) {
    const row: (string | number)[] = [t];
    for (const cols of index) for (const m of cols) row.push(m.get(t) ?? '');
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

function byTime(s: Series): Map<number, number> {
  const m = new Map<number, number>();
  for (let k = 0; k < s.t.length; k++) m.set(s.t[k]!, s.mean[k]!);
  return m;
}

/** `{ runs: [{ label, recipe, traces }] }` with typed arrays as plain arrays. */
export function runsJson(runs: readonly LabelledRun[]): string {
  return tracesJson({ runs: runs.map((r) => ({ label: r.label, recipe: r.recipe ?? null, traces: r.traces })) });
}
