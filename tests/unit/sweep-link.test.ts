/** The Sweep folder's link parameter and the CSV export (pure parts, no DOM). */
import { describe, expect, it } from 'vitest';
import { encodeSweepLink, parseSweepLink } from '../../src/app/sweep-link';
import { preset } from '../../src/model/presets';
import { distancePoint, sweepResult } from '../../src/model/sweep';
import { sweepCsv } from '../../src/model/sweep-export';

describe('sweep link', () => {
  it('round-trips the fields of a perturbation sweep and of an H sweep', () => {
    const f = {
      over: 'delta' as const,
      heads: '3',
      sizes: '0.001, 0.01,0.1',
      paths: 4,
      n: 64,
      T: 2.5,
      engine: 'gpu' as const,
      samples: 50,
    };
    expect(encodeSweepLink(f)).toBe('over:delta;heads:3;sizes:0.001,0.01,0.1;samples:50;paths:4;n:64;T:2.5;engine:gpu');
    expect(parseSweepLink(encodeSweepLink(f))).toEqual({ ...f, sizes: '0.001, 0.01, 0.1' });
    const h = parseSweepLink(encodeSweepLink({ ...f, over: 'heads', heads: '1, 10, 100' }));
    expect(h).toEqual({ over: 'heads', heads: '1, 10, 100', paths: 4, n: 64, T: 2.5, engine: 'gpu' });
  });

  it('refuses what it does not know, naming the key', () => {
    expect(() => parseSweepLink('over:eta')).toThrow(/over should be one of heads, epsilon, delta, got "eta"/);
    expect(() => parseSweepLink('paths:2.5')).toThrow(/paths should be a positive integer/);
    expect(() => parseSweepLink('T:-1')).toThrow(/T should be a positive number/);
    expect(() => parseSweepLink('sizes:1e-3,<b>')).toThrow(/sizes should be a comma-separated list/);
    expect(() => parseSweepLink('n:3;n:4')).toThrow(/n given twice/);
    expect(() => parseSweepLink('script:1')).toThrow(/unknown key "script"/);
    expect(() => parseSweepLink('engine:wasm')).toThrow(/engine should be cpu or gpu/);
  });
});

describe('sweep CSV', () => {
  it('has one row per size and copy with the distances at the chosen times', () => {
    const base = { ...preset('s2-ou').build(1), replicas: 2 };
    const d = (v: number) => ({ supMax: 2 * v, supRms: v, max: [v, 1.5 * v], rms: [v / 2, v] });
    const pts = [1e-3, 1e-2].map((x) => distancePoint(x, 1, [d(x), d(3 * x)]));
    const r = sweepResult(base, pts, { heads: [1], base, over: 'epsilon', sizes: [1e-3, 1e-2], times: [1, 2] });
    expect(sweepCsv(r).split('\n')).toEqual([
      'epsilon,heads,path,sup_rms,sup_max,rms_t1,max_t1,rms_t2,max_t2',
      '0.001,1,0,0.001,0.002,0.0005,0.001,0.001,0.0015',
      '0.001,1,1,0.003,0.006,0.0015,0.003,0.003,0.0045000000000000005',
      '0.01,1,0,0.01,0.02,0.005,0.01,0.01,0.015',
      '0.01,1,1,0.03,0.06,0.015,0.03,0.03,0.045',
      '',
    ]);
  });
});
