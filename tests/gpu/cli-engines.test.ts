/**
 * `npm run sim --engine gpu` (in-process, WGSL on dawn.node) stops a non-finite run the way the
 * float64 engine does: exit 4, one message naming what to lower (no stack, no source location),
 * final.json marked "non-finite" with the last good (finite) state, the good rows in trace.csv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output';
import { simMain } from '../../src/cli/sim-main';
import type { Scenario } from '../../src/model/scenario';
import { scaledIdentity, scenarioFile, smallScenario } from '../unit/helpers';

/** D(0) = 4·I pulled hard (θ = 20) toward 50·I, without noise. */
const blowUp: Scenario['weights'] = {
  init: { kind: 'identity', scale: 4 },
  drift: { kind: 'ou', theta: 20, target: scaledIdentity(3, 50) },
  noiseVariance: 0,
};

describe('sim CLI, non-finite on both engines', () => {
  it.each(['cpu', 'gpu'])(
    'the %s engine exits 4 with the last good state',
    async (engine) => {
      // β·scale = 400 with unnormalised attention: e^m overflows float32 at once and float64 within steps.
      const { dir, file } = scenarioFile(
        'sim-nf-',
        smallScenario({ d: 3, beta: 100, attention: 'unnormalized', dt: 0.01, T: 2, seed: 1, weights: blowUp }),
      );
      const out = join(dir, 'out');
      let err = '';
      const code = await simMain([file, '--engine', engine, '--out', out, '--quiet'], { stderr: (t) => (err += t) });
      expect(code, err).toBe(EXIT.nonFinite);
      expect(err).toMatch(/non-finite .* at step \d+ .*Lower β, dt, or the size of the weights/);
      expect(err).not.toMatch(/\.ts:\d+|\n\s+at /);
      const text = readFileSync(join(out, 'final.json'), 'utf8');
      expect(text).not.toContain('null');
      const final = JSON.parse(text);
      expect(final.status).toBe('non-finite');
      expect(final.engine).toBe(engine);
      expect([...final.x.flat(2), ...final.D.flat(3)].every(Number.isFinite)).toBe(true);
      const rows = readFileSync(join(out, 'trace.csv'), 'utf8').trim().split('\n').slice(1);
      for (const r of rows) expect(r.split(',').every((v) => Number.isFinite(Number(v)))).toBe(true);
      expect(readFileSync(join(out, 'STATUS'), 'utf8')).toMatch(/^non-finite: /);
    },
    60_000,
  );
});
