/**
 * How numbers, durations and errors are written for people: plot labels and titles, the sweep
 * card, progress panels, banners. Pure (no DOM), so the CLI and the workers can use it too.
 */

/** Options of `formatShort`. */
export interface ShortOptions {
  /** Significant digits (default 3). */
  digits?: number;
  /** Significant digits in exponent form (default `digits`). */
  expDigits?: number;
  /** Magnitudes below this (and from 10⁴ on) take exponent form (default 10⁻³). */
  expBelow?: number;
  /** Exponent form without trailing zeros or '+': "1.5e4" rather than "1.50e+4" (default true). */
  compact?: boolean;
}

/**
 * A short number for labels: `digits` significant digits, exponent form outside
 * [`expBelow`, 10⁴), a true minus sign (U+2212); "—" for null, undefined, NaN and ±∞.
 */
export function formatShort(v: number | null | undefined, opts: ShortOptions = {}): string {
  if (v == null || !Number.isFinite(v)) return '—';
  const { digits = 3, expDigits = digits, expBelow = 1e-3, compact = true } = opts;
  const a = Math.abs(v);
  let s: string;
  if (a !== 0 && (a >= 1e4 || a < expBelow)) {
    s = v.toExponential(expDigits - 1);
    if (compact) s = s.replace(/\.?0+e/, 'e').replace('e+', 'e');
  } else {
    s = String(Number(v.toPrecision(digits)));
  }
  return s.replace(/-/g, '−');
}

/**
 * A duration in seconds: "12 s", "3 min 05 s"; "…" while unknown (not finite).
 * `round: 'up'` (the default) rounds up to whole seconds first and reads a negative time as
 * unknown; `'nearest'` rounds up under a minute and the seconds past whole minutes to the nearest.
 */
export function formatDuration(seconds: number, round: 'up' | 'nearest' = 'up'): string {
  if (!Number.isFinite(seconds) || (round === 'up' && seconds < 0)) return '…';
  const s = round === 'up' ? Math.ceil(seconds) : seconds;
  if (s < 60) return `${Math.ceil(s)} s`;
  const rest = round === 'up' ? s % 60 : Math.round(s % 60);
  return `${Math.floor(s / 60)} min ${String(rest).padStart(2, '0')} s`;
}

/** The message of a thrown value (an Error's message, else its string form). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
