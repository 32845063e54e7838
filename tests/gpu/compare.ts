/** Float32 GPU engine vs float64 CPU engine: per-step diagnostics and positions, with the tolerances of docs/GPU.md. */
import { expect } from 'vitest';
import { DIAG, DIAG_FIELDS, DIAG_SIZE } from '../../src/model/attention';
import type { SimEngine, StepBatch } from '../../src/model/engine';

/**
 * Diagnostics: |gpu − cpu| ≤ DIAG_RTOL·max_k |cpu_f| for each field f over the run (signed fields
 * cross zero, so the scale is the field's largest magnitude), and the energy row by row relative
 * to itself. Measured: ≤ 2.1e-6 (float32 sums of O(n·H) terms, exp/log a few ulps).
 */
export const DIAG_RTOL = 2e-5;
/** Positions: max |x_gpu − x_cpu| ≤ POS_TOL_PER_50·(chunks of 50 steps done), linear growth. Measured ≤ 1.6e-6 at 200 steps. */
export const POS_TOL_PER_50 = 5e-6;

export interface Comparison {
  /** Worst |gpu − cpu| / scale per DIAG field. */
  diag: number[];
  /** Worst energy error relative to the row's energy. */
  energy: number;
  positions: number[];
}

export function compareBatches(
  g: StepBatch,
  c: StepBatch,
  into: { errs: number[]; scales: number[]; energy: number },
): void {
  expect(g.firstStep).toBe(c.firstStep);
  expect(g.steps).toBe(c.steps);
  for (let i = 0; i < c.records.length; i++) {
    const f = i % DIAG_SIZE;
    into.errs[f] = Math.max(into.errs[f]!, Math.abs(g.records[i]! - c.records[i]!));
    into.scales[f] = Math.max(into.scales[f]!, Math.abs(c.records[i]!));
    if (f === DIAG.energy) into.energy = Math.max(into.energy, Math.abs(g.records[i]! / c.records[i]! - 1));
  }
}

export async function maxPositionError(g: SimEngine, c: SimEngine): Promise<number> {
  const [xg, xc] = await Promise.all([g.readPositions(), c.readPositions()]);
  expect(xg.length).toBe(xc.length);
  let e = 0;
  for (let i = 0; i < xc.length; i++) e = Math.max(e, Math.abs(xg[i]! - xc[i]!));
  return e;
}

/**
 * Runs both engines `chunks` × `perChunk` steps (the GPU's advances two at a time, not awaited
 * in between: double-buffered, results in order) and checks every row and the positions.
 */
export async function runAndCompare(g: SimEngine, c: SimEngine, chunks: number, perChunk: number): Promise<Comparison> {
  const acc = { errs: new Array<number>(DIAG_SIZE).fill(0), scales: new Array<number>(DIAG_SIZE).fill(0), energy: 0 };
  const positions: number[] = [];
  for (let k = 0; k < chunks; k += 2) {
    const pair = k + 1 < chunks ? 2 : 1;
    const gpuBatches = Array.from({ length: pair }, () => g.advance(perChunk));
    for (let p = 0; p < pair; p++) compareBatches(await gpuBatches[p]!, await c.advance(perChunk), acc);
    positions.push(await maxPositionError(g, c));
  }
  const diag = acc.errs.map((e, f) => (acc.scales[f]! > 0 ? e / acc.scales[f]! : e));
  DIAG_FIELDS.forEach((name, f) => expect(diag[f], `${name} (scale ${acc.scales[f]})`).toBeLessThan(DIAG_RTOL));
  expect(acc.energy).toBeLessThan(DIAG_RTOL);
  positions.forEach((e, i) =>
    expect(e, `positions after ${(i + 1) * 2 * perChunk} steps`).toBeLessThan(
      (POS_TOL_PER_50 * ((i + 1) * 2 * perChunk)) / 50,
    ),
  );
  return { diag, energy: acc.energy, positions };
}
