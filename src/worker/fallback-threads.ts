/**
 * How many threads the CPU fallback's rows use (src/worker/row-threads.ts): the default, the
 * range and its check, shared by the panel, the URL and the engine.
 */

/** Most threads the fallback's rows may use (the panel's and the URL's range is 1…this). */
export const FALLBACK_THREADS_MAX = 16;
/** The default's cap: past it the page's own threads (drawing, traces) compete with the rows. */
const FALLBACK_THREADS_DEFAULT_CAP = 8;

/**
 * Threads when not told: the cores the browser reports (navigator.hardwareConcurrency) less one,
 * which the page keeps for drawing and its other workers; at least 1, at most 8.
 */
export function defaultFallbackThreads(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  const n = Math.floor(cores ?? 1) || 1;
  return Math.max(1, Math.min(FALLBACK_THREADS_DEFAULT_CAP, FALLBACK_THREADS_MAX, n - 1));
}

/** Why `v` is not a thread count for the fallback (naming `field`), or undefined when it is one. */
export function fallbackThreadsError(v: unknown, field = 'threads'): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= FALLBACK_THREADS_MAX) return undefined;
  return `${field}: expected an integer from 1 to ${FALLBACK_THREADS_MAX} (CPU threads for the float64 fallback), got ${String(v).slice(0, 40)}`;
}
