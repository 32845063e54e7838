/**
 * A sweep's result as CSV: one row per (swept value, path) with that path's value and, in a
 * perturbation sweep, its distances (max over [0, T] and at each chosen time, max over tokens
 * and RMS). Numbers are written as JavaScript prints them (shortest round-trip form); the JSON
 * export is the result itself.
 */
import { sweepX, type SweepResult } from './sweep';

/** The CSV text (header row first, '\n' line ends). */
export function sweepCsv(r: SweepResult): string {
  const times = r.times ?? [];
  const head = r.over
    ? [r.over, 'heads', 'path', 'sup_rms', 'sup_max', ...times.flatMap((t) => [`rms_t${t}`, `max_t${t}`])]
    : ['heads', 'path', 'G2_second_half'];
  const rows = [head.join(',')];
  for (const p of r.points)
    p.perPath.forEach((v, path) => {
      const d = p.distances?.[path];
      rows.push(
        (r.over && d
          ? [sweepX(p), p.heads, path, d.supRms, d.supMax, ...times.flatMap((_, i) => [d.rms[i], d.max[i]])]
          : [p.heads, path, v]
        ).join(','),
      );
    });
  return `${rows.join('\n')}\n`;
}
