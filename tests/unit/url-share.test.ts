/** The app's start URL with a shared scenario (`?s=z1.…`): decoded, validated, refused by field. */
import { describe, expect, it } from 'vitest';
import { resolveUrl } from '../../src/app/url';
import { DEFAULT_PRESET_ID, preset } from '../../src/model/presets';
import { encodeScenario } from '../../src/model/share';
import { validateScenario } from '../../src/model/validate';
import { paramsToScenario } from '../../src/ui/params';

const explicit = validateScenario({
  name: 'Three tokens',
  d: 2,
  n: 3,
  heads: 1,
  beta: 1,
  dt: 0.01,
  T: 1,
  seed: 7,
  tokens: {
    kind: 'explicit',
    points: [
      [1, 0],
      [0, 1],
      [-0.6, 0.8],
    ],
  },
  weights: { init: { kind: 'identity', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
});

describe('resolveUrl', () => {
  it('without s, is parseUrl (no scenario, no error)', async () => {
    const r = await resolveUrl('?preset=s1-ou&n=50');
    expect(r.params.n).toBe(50);
    expect(r.scenario).toBeUndefined();
    expect(r.error).toBeUndefined();
  });

  it('returns the shared scenario exactly and params that describe what they can', async () => {
    const s = { ...preset('s2-ou').build(3), n: 77, seed: 12 };
    const r = await resolveUrl(`?s=${await encodeScenario(s)}&spf=4`);
    expect(r.error).toBeUndefined();
    expect(r.scenario).toEqual(validateScenario(s));
    expect(paramsToScenario(r.params)).toEqual(r.scenario);
    expect(r.params.stepsPerFrame).toBe(4);
  });

  it('keeps what params cannot express (explicit tokens) in the scenario', async () => {
    const r = await resolveUrl(`?s=${await encodeScenario(explicit)}`);
    expect(r.scenario?.tokens).toEqual(explicit.tokens);
    expect(r.params.n).toBe(3);
    expect(paramsToScenario(r.params)).not.toEqual(r.scenario);
  });

  it('a damaged link names the url field and keeps the default preset', async () => {
    const r = await resolveUrl('?s=z1.%%%');
    expect(r.scenario).toBeUndefined();
    expect(r.error).toMatch(/field "url"/);
    expect(r.params.preset).toBe(DEFAULT_PRESET_ID);
  });

  it('an invalid scenario names the field and what it should be', async () => {
    const r = await resolveUrl(`?s=${await encodeScenario({ ...explicit, beta: -1 } as never)}`);
    expect(r.error).toMatch(/field "beta" should be/);
    expect(r.scenario).toBeUndefined();
  });
});
