/**
 * The per-adapter kernel tunables (src/gpu/tunables.ts): the table picks its row from the adapter's
 * info, overrides are validated field by field, and EVERY tunable choice (each quads, each
 * workgroup size, shrinking on and off, every row of the table) runs the engine within the
 * float64 tolerances of compare.ts — on the d ≤ 3 kernel (several workgroups and tiles, a partial
 * last workgroup, noise, P = 2) and on the d ≤ 8 kernel.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { attentionShape } from '../../src/gpu/attention-pass';
import { createGpuEngine } from '../../src/gpu/index';
import { ADAPTER_TUNABLES, chooseTunables, DEFAULT_TUNABLES, MAX_QUADS, tunableChoices } from '../../src/gpu/tunables';
import { CpuSimEngine } from '../../src/model/engine';
import { PAPER_OSCILLATION } from '../../src/model/scenario';
import { gpuScenario } from './cases';
import { runAndCompare } from './compare';
import { releaseTestDevice, testDevice } from './device';

afterAll(releaseTestDevice);

describe('the tunables table', () => {
  it('picks the row from the adapter info, the default for an unknown or empty one', () => {
    const software = ADAPTER_TUNABLES[0]!;
    const hardware = ADAPTER_TUNABLES[1]!;
    expect(chooseTunables({ vendor: 'google', architecture: 'swiftshader', device: 'subzero' }).row).toBe(software.row);
    expect(chooseTunables({ vendor: '', isFallbackAdapter: true }).tunables).toEqual(software.tunables);
    expect(chooseTunables({ vendor: 'nvidia', architecture: 'hopper' }).tunables).toEqual(hardware.tunables);
    expect(chooseTunables({ vendor: 'amd', architecture: 'rdna-3' }).row).toBe(hardware.row);
    expect(chooseTunables({ vendor: '', architecture: '', device: '', description: '' }).tunables).toEqual(
      DEFAULT_TUNABLES,
    );
    expect(chooseTunables(undefined).row).toMatch(/unknown adapter/);
  });

  it('applies an override on top of the row, and refuses a bad field by name', () => {
    const t = chooseTunables({ vendor: 'nvidia' }, { quads: 3 });
    expect(t.tunables).toEqual({ ...ADAPTER_TUNABLES[1]!.tunables, quads: 3 });
    expect(t.row).toMatch(/with \{"quads":3\}/);
    expect(() => chooseTunables(undefined, { quads: 0 })).toThrow(/quads must be an integer from 1 to 4, got 0/);
    expect(() => chooseTunables(undefined, { quads: MAX_QUADS + 1 })).toThrow(RangeError);
    expect(() => chooseTunables(undefined, { wg: 48 })).toThrow(/wg must be a power of two from 8 to 256, got 48/);
    expect(() => chooseTunables(undefined, { wg: 512 })).toThrow(/wg must be/);
    expect(() => chooseTunables(undefined, { minWorkgroups: 0 })).toThrow(/minWorkgroups must be a positive integer/);
    expect(() => chooseTunables(undefined, { wg: 16, shrinkTo: 32 })).toThrow(
      /shrinkTo must be a power of two from 8 to wg = 16, got 32/,
    );
  });

  it('a bad override rejects before any device is requested', async () => {
    await expect(createGpuEngine(gpuScenario({}), { tunables: { wg: 3 } })).rejects.toThrow(/kernel tunables: wg/);
  });

  it('the choices change the dispatch shape (so the runs below differ)', () => {
    const s = { d: 3, n: 300, heads: 3, replicas: 2 };
    const shapes = new Set(tunableChoices().map((t) => JSON.stringify(attentionShape(s, t))));
    expect(shapes.size).toBeGreaterThanOrEqual(8);
  });

  it('splits the j range into non-empty shares of whole tiles, as far as the target asks', () => {
    const cases = [
      { d: 3, n: 300, heads: 3, replicas: 2 },
      { d: 5, n: 70, heads: 2, replicas: 1 },
      { d: 3, n: 1024, heads: 8, replicas: 1 },
      { d: 3, n: 65_536, heads: 1, replicas: 1 },
      { d: 12, n: 100, heads: 1, replicas: 1 },
    ];
    for (const s of cases)
      for (const target of [0, 32, 2048, 1_000_000]) {
        const shape = attentionShape(s, { ...DEFAULT_TUNABLES, jSplitWorkgroups: target });
        const tiles = Math.ceil(s.n / shape.wg);
        const workgroups = Math.ceil(s.n / shape.tokensPerWorkgroup) * s.heads * s.replicas;
        const what = `${JSON.stringify(s)}, target ${target}: ${JSON.stringify(shape)}`;
        expect(shape.jChunk % shape.wg, what).toBe(0);
        expect((shape.jSplits - 1) * shape.jChunk, what).toBeLessThan(s.n);
        expect(shape.jSplits * shape.jChunk, what).toBeGreaterThanOrEqual(s.n);
        // Shares of equal whole tiles, as many as the target asks (at most one a tile); rounding
        // the tiles per share up may leave fewer shares.
        // Dispatch x (token workgroups × shares) stays within WebGPU's default 65,535.
        const tokenGroups = Math.ceil(s.n / shape.tokensPerWorkgroup);
        const asked =
          target > workgroups ? Math.min(tiles, Math.ceil(target / workgroups), Math.floor(65_535 / tokenGroups)) : 1;
        expect(tokenGroups * shape.jSplits, what).toBeLessThanOrEqual(65_535);
        expect(shape.jChunk, what).toBe(shape.wg * Math.ceil(tiles / asked));
        expect(shape.jSplits, what).toBe(Math.ceil(s.n / shape.jChunk));
        expect(shape.jSplits > 1, what).toBe(asked > 1);
      }
    // The runs below split: in a few shares, and one tile each.
    const few = attentionShape({ d: 3, n: 300, heads: 3, replicas: 2 }, { ...DEFAULT_TUNABLES, jSplitWorkgroups: 32 });
    expect(few.jSplits).toBe(3);
    const tileEach = attentionShape(
      { d: 5, n: 70, heads: 2, replicas: 1 },
      { ...DEFAULT_TUNABLES, jSplitWorkgroups: 1e6 },
    );
    expect(tileEach.jSplits).toBe(Math.ceil(70 / tileEach.wg));
  });
});

const SCENARIOS = [
  {
    name: 'd3 H3 P2 n=300 σ²=2 euler',
    scenario: gpuScenario({
      n: 300,
      heads: 3,
      replicas: 2,
      T: 20,
      tokens: { kind: 'octahedral', noise: 0.05 },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 2 },
    }),
  },
  {
    name: 'd5 H2 P1 n=70 heun',
    scenario: gpuScenario({
      d: 5,
      n: 70,
      heads: 2,
      integrator: 'heun',
      tokens: { kind: 'cross-polytope', noise: 0.05 },
      weights: { init: { kind: 'random-symmetric', scale: 1 }, drift: { ...PAPER_OSCILLATION }, noiseVariance: 0 },
    }),
  },
];

describe('every tunable choice vs the float64 engine, 50 steps', () => {
  for (const tunables of tunableChoices()) {
    for (const c of SCENARIOS) {
      it(`${JSON.stringify(tunables)}: ${c.name}`, async () => {
        const device = await testDevice();
        const gpu = await createGpuEngine(c.scenario, { device, tunables });
        try {
          expect(gpu.kernelTunables.tunables).toEqual(tunables);
          await runAndCompare(gpu, new CpuSimEngine(c.scenario), 2, 25);
        } finally {
          gpu.destroy();
        }
      });
    }
  }
});
