/**
 * Fuzz of the playground's URL parser, 1,500 seeded query strings: whatever the query, parseUrl
 * and resolveUrl return params the validator accepts (the preset — or the shared scenario —
 * runs), steps per frame within the panel's 1…200, and every value not used is named in a
 * warning or in the refused link's error.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/model/analysis';
import { parseUrl, resolveUrl, SPF_MAX } from '../../src/app/url';
import { LIMITS } from '../../src/model/scenario';
import { encodeScenario } from '../../src/model/share';
import { recordScenario } from '../../src/ui/params';
import { preset } from '../../src/model/presets';

/** The seeded generator of the cases (the same cases on every run). */
const rng = mulberry32;

const NUMBERS = [
  '1',
  '2',
  '7',
  '50',
  '200',
  '201',
  '256',
  '257',
  '1000',
  '4096',
  String(LIMITS.nMax),
  String(LIMITS.nMax + 1),
];
const WEIRD = [
  '',
  '0',
  '-5',
  '1.5',
  '1e3',
  '1e400',
  '0x20',
  'NaN',
  'Infinity',
  ' 3',
  '%20',
  '3abc',
  '٣',
  '9'.repeat(30),
];
const PRESETS = ['s1-ou', 's2-oscillating', 'layers', 'one-vs-many', 'clustering-beta9', 'nope', '', '<b>x</b>'];

describe('URL parser fuzz', () => {
  it('1,500 seeded queries always give a runnable start, spf in 1…200, and name what they ignore', async () => {
    const next = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const link = await encodeScenario(preset('s1-ou').build(2));
    const value = (): string => (next() < 0.6 ? pick(NUMBERS) : pick(WEIRD));
    for (let c = 0; c < 1500; c++) {
      const q = new URLSearchParams();
      const keys = ['preset', 'n', 'heads', 'spf', 'play', 's', 'zzz'];
      for (const k of keys) {
        if (next() < 0.45) continue;
        if (k === 'preset') q.append(k, pick(PRESETS));
        else if (k === 's') q.append(k, pick([link, `${link.slice(0, -5)}`, 'z1.AAAA', 'garbage', '']));
        else if (k === 'play') q.append(k, pick(['0', '1', 'no']));
        else q.append(k, value());
        if (next() < 0.1) q.append(k, value());
      }
      const search = `?${q.toString()}`;
      const start = parseUrl(search);
      const context = `case ${c}: ${search}`;
      expect(() => recordScenario(start.params), context).not.toThrow();
      expect(start.params.stepsPerFrame, context).toBeGreaterThanOrEqual(1);
      expect(start.params.stepsPerFrame, context).toBeLessThanOrEqual(SPF_MAX);
      for (const key of ['n', 'heads'] as const) {
        const raw = q.get(key);
        if (raw === null) continue;
        if (start.params[key] !== Number(raw)) expect(start.warnings.join(' '), context).toContain(`${key}=`);
      }
      const spf = q.get('spf');
      if (spf !== null && start.params.stepsPerFrame !== Number(spf))
        expect(start.warnings.join(' '), context).toContain('spf');
      if (c % 5 === 0 && q.get('s') !== null) {
        const r = await resolveUrl(search);
        expect(() => recordScenario(r.params), context).not.toThrow();
        expect(r.params.stepsPerFrame, context).toBeLessThanOrEqual(SPF_MAX);
        if (!r.scenario) expect(r.error, context).toMatch(/^The shared link was not loaded/);
      }
    }
  }, 60000);
});
