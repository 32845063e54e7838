/**
 * The growth rate of the distance between an original and its perturbed copies, fitted
 * over a window where it means something. A perturbation of size ε first turns towards the
 * fastest-growing direction (a transient), then grows or shrinks like ε·e^{λt} while it is
 * small (the linearised flow), and finally saturates at the size of the sphere. λ is fitted
 * by least squares of log(distance) against t over the middle part:
 *   end   = the last sample before the distance first reaches SATURATION (or the last sample);
 *   start = the first sample at or after t₀ + TRANSIENT·(t_end − t₀), t₀ the first sample.
 * Pure TS, no DOM: the trace worker calls it on every traces() request.
 */
import { fitExponential } from './analysis';

/** Distance (RMS over tokens, unit sphere) beyond which the linearised flow no longer applies. */
export const SATURATION = 0.1;
/** Fraction of the linear window left out at its start as the transient. */
const TRANSIENT = 0.25;
/** Fewest samples a fit is made from. */
const MIN_POINTS = 3;

/** λ of y ≈ a·e^{λt} over [t0, t1], from `points` samples (NaNs when no fit was possible). */
export interface GrowthFit {
  rate: number;
  a: number;
  /** Coefficient of determination of the log fit. */
  r2: number;
  t0: number;
  t1: number;
  points: number;
  /** True when the distance reached SATURATION (the window ended there). */
  saturated: boolean;
}

/** A fit that could not be made. */
export const NO_GROWTH_FIT: GrowthFit = { rate: NaN, a: NaN, r2: NaN, t0: NaN, t1: NaN, points: 0, saturated: false };

/**
 * Fits the growth rate of the distances y (> 0; other samples are skipped) at increasing
 * times t over the window of the file comment. `saturation` and `transient` default to
 * SATURATION and TRANSIENT.
 */
export function fitGrowthWindow(
  t: ArrayLike<number>,
  y: ArrayLike<number>,
  saturation = SATURATION,
  transient = TRANSIENT,
): GrowthFit {
  const ts: number[] = [],
    ys: number[] = [];
  let saturated = false;
  for (let k = 0; k < Math.min(t.length, y.length); k++) {
    const v = y[k]!,
      tk = t[k]!;
    if (!Number.isFinite(tk) || !Number.isFinite(v)) continue;
    if (v >= saturation) {
      saturated = true;
      break;
    }
    if (v > 0) {
      ts.push(tk);
      ys.push(v);
    }
  }
  if (ts.length < MIN_POINTS) return { ...NO_GROWTH_FIT, saturated };
  const first = ts[0]!,
    last = ts[ts.length - 1]!;
  const from = first + transient * (last - first);
  let k0 = ts.findIndex((v) => v >= from - 1e-12 * Math.max(1, Math.abs(from)));
  // Keep at least MIN_POINTS samples: a short window moves its start back.
  k0 = Math.max(0, Math.min(k0, ts.length - MIN_POINTS));
  const fit = fitExponential(ts.slice(k0), ys.slice(k0));
  if (!Number.isFinite(fit.rate)) return { ...NO_GROWTH_FIT, saturated };
  return { rate: fit.rate, a: fit.a, r2: fit.r2, t0: ts[k0]!, t1: last, points: ts.length - k0, saturated };
}
