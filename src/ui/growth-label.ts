/**
 * How the replica-distance panel names its growth fit: the rate λ, and the window it was
 * fitted on (src/model/growth.ts), so the title says what was fitted. Also the fitted curve
 * a·e^{λt} over that window, drawn dashed beside the measured RMS distance.
 */
import { formatShort as short } from '../model/format';
import type { Traces } from '../worker/protocol';

/** Title of the structure panel with P > 1. */
export function growthTitle(tr: Traces | undefined): string {
  const f = tr?.growthFit;
  if (f?.saturated && !Number.isFinite(f.rate)) return 'Clusters · distance (RMS ≥ 0.1 at once: no λ)';
  if (!f || !Number.isFinite(f.rate)) return 'Clusters · distance to the original';
  // Short enough for the side panel's width: the legend says that the RMS distance is fitted.
  return `λ ≈ ${short(f.rate)}/t · fit on t ∈ [${short(f.t0)}, ${short(f.t1)}]`;
}

/** Tooltip of that title. */
export const GROWTH_HINT =
  'λ: least-squares slope of log(RMS distance) against t, mean over the copies. The window leaves out the first quarter ' +
  '(the perturbation turning towards its fastest direction) and ends where the RMS distance first reaches 0.1 (beyond it the linearised flow no longer applies).';

/** The fitted curve a·e^{λt} at the times `t` inside the fit window (null elsewhere). */
export function growthCurve(tr: Traces, t: ArrayLike<number>): (number | null)[] {
  const f = tr.growthFit;
  const ok = f && Number.isFinite(f.rate) && Number.isFinite(f.a);
  return Array.from(t, (tk) => (ok && tk >= f.t0 - 1e-9 && tk <= f.t1 + 1e-9 ? f.a * Math.exp(f.rate * tk) : null));
}
