/**
 * Pure logic of the matrix editor (src/ui/matrix-editor.ts): parsing one typed entry, the
 * symmetric write (entry (i, j) sets (j, i) too), whole-matrix validation with a message that
 * names the entry, and the resizing and layer-list edits of a layer schedule. No DOM here, so
 * it is unit-tested in Node. Indices are 0-based in code and 1-based in every message.
 */
import type { Drift, Matrix } from '../model/scenario';

export type LayersDrift = Extract<Drift, { kind: 'layers' }>;

/** The d×d identity. */
export function identity(d: number): Matrix {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
}

/** A deep copy. */
export function cloneMatrix(m: Matrix): Matrix {
  return m.map((row) => row.slice());
}

/**
 * A number typed by the user: plain decimal or exponent notation, surrounding spaces allowed,
 * "−" (U+2212) read as "-". Undefined for anything else (empty, "1/2", "Infinity", "0x10", NaN).
 */
export function parseEntry(raw: string): number | undefined {
  const text = raw.trim().replace(/\u2212/g, '-');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** Result of an edit: the new matrix, or why it was refused (the matrix is then unchanged). */
export type EditResult = { ok: true; matrix: Matrix; value: number } | { ok: false; message: string };

/**
 * Sets entry (i, j) and its mirror (j, i) to the number typed in `raw`, returning a new matrix.
 * `what` names the matrix in the message ("M", "layer 2, head 1").
 */
export function editSymmetric(m: Matrix, i: number, j: number, raw: string, what: string): EditResult {
  const d = m.length;
  if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= d || j >= d) {
    return { ok: false, message: `${what}: entry (${i + 1}, ${j + 1}) is outside the ${d}×${d} matrix` };
  }
  const value = parseEntry(raw);
  if (value === undefined) {
    const shown = raw.trim().length > 24 ? `${raw.trim().slice(0, 24)}…` : raw.trim();
    return {
      ok: false,
      message: `${what}, entry (${i + 1}, ${j + 1}): "${shown}" is not a finite number; the matrix is unchanged`,
    };
  }
  const out = cloneMatrix(m);
  out[i]![j] = value;
  out[j]![i] = value;
  return { ok: true, matrix: out, value };
}

/** The first problem of a matrix (not square, a non-finite entry, asymmetric), or undefined. */
export function matrixProblem(m: Matrix, d: number, what: string): string | undefined {
  if (m.length !== d || m.some((row) => row.length !== d)) return `${what} is not ${d}×${d}`;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(m[i]![j]!)) return `${what}, entry (${i + 1}, ${j + 1}) is not a finite number`;
      if (j > i && m[i]![j] !== m[j]![i])
        return `${what}, entries (${i + 1}, ${j + 1}) and (${j + 1}, ${i + 1}) differ: the matrix must be symmetric`;
    }
  }
  return undefined;
}

/** `m` cut or padded to d×d (new rows and columns from the identity), made exactly symmetric. */
export function fitMatrix(m: Matrix, d: number): Matrix {
  const out = identity(d);
  const k = Math.min(d, m.length);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i]![j] = m[i]![j] ?? out[i]![j]!;
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[j]![i] = out[i]![j]!;
  return out;
}

/**
 * A layer schedule fitted to d and H: matrices cut or padded (fitMatrix); missing heads copy the
 * layer's last head (or the identity). Returns the same object when nothing needed to change.
 */
export function fitLayers(drift: LayersDrift, d: number, H: number): LayersDrift {
  const fits = drift.layers.every(
    (l) => l.length === H && l.every((m) => m.length === d && m.every((r) => r.length === d)),
  );
  if (fits) return drift;
  const layers = drift.layers.map((layer) =>
    Array.from({ length: H }, (_, h) => fitMatrix(layer[Math.min(h, layer.length - 1)] ?? identity(d), d)),
  );
  return { ...drift, layers };
}

/** A copy of the schedule with a copy of layer `at` inserted after it. */
export function addLayer(drift: LayersDrift, at: number): LayersDrift {
  const k = Math.min(Math.max(0, at), drift.layers.length - 1);
  const layers = drift.layers.map((l) => l.map(cloneMatrix));
  layers.splice(k + 1, 0, drift.layers[k]!.map(cloneMatrix));
  return { ...drift, layers };
}

/** A copy of the schedule without layer `at` (the last layer is never removed). */
export function removeLayer(drift: LayersDrift, at: number): LayersDrift {
  if (drift.layers.length <= 1) return drift;
  const layers = drift.layers.map((l) => l.map(cloneMatrix));
  layers.splice(Math.min(Math.max(0, at), layers.length - 1), 1);
  return { ...drift, layers };
}

/** A copy of the schedule with matrix (layer, head) replaced. */
export function withLayerMatrix(drift: LayersDrift, layer: number, head: number, m: Matrix): LayersDrift {
  const layers = drift.layers.map((l, k) => (k === layer ? l.map((x, h) => (h === head ? cloneMatrix(m) : x)) : l));
  return { ...drift, layers };
}

/** Short text of a number for an input: up to 6 significant digits, no trailing zeros. */
export function formatEntry(v: number): string {
  return String(Number(v.toPrecision(6)));
}
