/**
 * The rotating schedule: its drift is rate·(R Λ Rᵀ − D) with R the (e₁, e₂) rotation by
 * θ = ω·t + 2πh/H (checked against an explicit matrix product), validation with its
 * descriptor's defaults and bounds, its TeX, and the panel's controls for it.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { DRIFT_KINDS } from '../../src/model/kinds/drift';
import { driftInto } from '../../src/model/schedule';
import { type ScenarioError, validateScenario } from '../../src/model/validate';
import { changeKind, paramsFromPreset, paramsToScenario } from '../../src/ui/params';
import { presenterTex, TEX_MACROS } from '../../src/ui/presenter-tex';
import { smallScenario } from './helpers';

const rot = { kind: 'rotating', rate: 1.5, omega: 0.8, center: 1, amplitude: 2 } as const;

/** R Λ Rᵀ by explicit products. */
function target(d: number, theta: number): number[][] {
  const R: number[][] = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a === b ? 1 : 0)));
  R[0]![0] = Math.cos(theta);
  R[0]![1] = -Math.sin(theta);
  R[1]![0] = Math.sin(theta);
  R[1]![1] = Math.cos(theta);
  const lambda = Array.from({ length: d }, (_, k) => (k === 0 ? 1 + 2 : k === 1 ? 1 - 2 : 1));
  return Array.from({ length: d }, (_, a) =>
    Array.from({ length: d }, (_, b) => R[a]!.reduce((acc, r, k) => acc + r * lambda[k]! * R[b]![k]!, 0)),
  );
}

describe('rotating schedule', () => {
  it('drift = rate·(R Λ Rᵀ − D) for d = 2, 3, 5, every head', () => {
    for (const d of [2, 3, 5]) {
      const D = Float64Array.from({ length: d * d }, (_, e) => Math.sin(e + 1));
      const out = new Float64Array(d * d);
      for (const [t, h, H] of [
        [0, 0, 1],
        [1.3, 2, 3],
      ] as const) {
        driftInto(rot, D, 0, d, h, H, t, out, 0, new Float64Array(d * d));
        const T = target(d, rot.omega * t + (2 * Math.PI * h) / H);
        for (let e = 0; e < d * d; e++) {
          expect(out[e]!).toBeCloseTo(rot.rate * (T[Math.floor(e / d)]![e % d]! - D[e]!), 12);
        }
      }
    }
  });

  it('validates with the descriptor defaults and names a bad field', () => {
    const s = validateScenario(
      smallScenario({
        weights: { init: { kind: 'identity', scale: 1 }, drift: { kind: 'rotating' } as never, noiseVariance: 0 },
      }),
    );
    expect(s.weights.drift).toEqual({ kind: 'rotating', rate: 1, omega: 1, center: 2, amplitude: 1.5 });
    try {
      validateScenario(
        smallScenario({
          weights: { init: { kind: 'identity', scale: 1 }, drift: { ...rot, rate: -1 }, noiseVariance: 0 },
        }),
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).field).toBe('weights.drift.rate');
    }
    expect(DRIFT_KINDS.rotating.gpuId).not.toBe(DRIFT_KINDS.oscillating.gpuId);
  });

  it('typesets in presenter mode and is a live drift edit in the panel', () => {
    const s = smallScenario({ weights: { init: { kind: 'identity', scale: 1 }, drift: rot, noiseVariance: 2 } });
    const tex = presenterTex(s, 1);
    expect(tex.scheduleName).toBe('Rotating weights');
    katex.renderToString(tex.schedule, {
      displayMode: true,
      throwOnError: true,
      macros: { ...TEX_MACROS },
      strict: 'error',
    });
    const p = paramsFromPreset('s2-ou');
    p.driftKind = 'rotating';
    p['drift.rotating.omega'] = 3;
    expect(paramsToScenario(p).weights.drift).toEqual({
      kind: 'rotating',
      rate: 1,
      omega: 3,
      center: 2,
      amplitude: 1.5,
    });
    expect(changeKind('drift.rotating.omega')).toBe('drift');
  });
});
