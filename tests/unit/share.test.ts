/** Sharing: URL round trip is exact, damaged links and files fail with a named field. */
import { describe, expect, it } from 'vitest';
import { decodeScenario, encodeScenario, scenarioFile, scenarioUrl, MAX_SHARED_BYTES } from '../../src/model/share';
import { parseScenarioJson, ScenarioError } from '../../src/model/validate';
import { PRESETS } from '../../src/model/presets';
import { CpuEngine } from '../../src/model/engine-cpu';
import { DIAG_SIZE } from '../../src/model/attention';

describe('share', () => {
  it('round-trips every preset through the URL form exactly', async () => {
    for (const p of PRESETS) {
      const s = p.build();
      const back = await decodeScenario(await encodeScenario(s));
      expect(back).toEqual(s);
    }
  });

  it('a shared link reproduces the run bit for bit', async () => {
    const s = { ...PRESETS.find((p) => p.id === 's1-ou')!.build(), n: 20, replicas: 2, T: 0.1 };
    const url = await scenarioUrl('http://127.0.0.1:5173/?preset=x#y', s);
    expect(new URL(url).searchParams.get('preset')).toBeNull();
    const back = await decodeScenario(new URL(url).searchParams.get('s')!);
    const a = new CpuEngine(s),
      b = new CpuEngine(back);
    const ra = new Float64Array(2 * DIAG_SIZE),
      rb = new Float64Array(2 * DIAG_SIZE);
    for (let k = 0; k < 20; k++) {
      a.step(ra);
      b.step(rb);
      expect([...rb]).toEqual([...ra]);
    }
    expect([...b.x]).toEqual([...a.x]);
  });

  it('explicit points survive the URL (full float64 precision)', async () => {
    const points = [
      [0.6, 0.8],
      [Math.SQRT1_2, -Math.SQRT1_2],
      [1, 0],
    ];
    const s = { ...PRESETS[0]!.build(), n: 3, tokens: { kind: 'explicit' as const, points } };
    expect((await decodeScenario(await encodeScenario(s))).tokens).toEqual({ kind: 'explicit', points });
  });

  it('rejects damaged, foreign and truncated links with field "url", and invalid content with its field', async () => {
    const good = await encodeScenario(PRESETS[0]!.build());
    for (const bad of ['', 'hello', 'z1.!!!!', good.slice(0, good.length - 9), 'z1.' + 'A'.repeat(40)]) {
      const e = await decodeScenario(bad).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).field).toBe('url');
    }
    const invalid = { ...PRESETS[0]!.build(), dt: -1 };
    const bytes = new TextEncoder().encode(JSON.stringify(invalid));
    const z = new Uint8Array(
      await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer(),
    );
    const param =
      'z1.' +
      btoa(String.fromCharCode(...z))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const e = await decodeScenario(param).catch((x: unknown) => x);
    expect((e as ScenarioError).field).toBe('dt');
  });

  it('caps decompression (a zip bomb fails fast instead of exhausting memory)', async () => {
    const huge = new Uint8Array(MAX_SHARED_BYTES + 1024).fill(32);
    const z = new Uint8Array(
      await new Response(new Blob([huge]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer(),
    );
    let bin = '';
    for (let i = 0; i < z.length; i += 0x8000) bin += String.fromCharCode(...z.subarray(i, i + 0x8000));
    const e = await decodeScenario('z1.' + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')).catch(
      (x: unknown) => x,
    );
    expect((e as ScenarioError).field).toBe('url');
    expect((e as Error).message).toContain('larger than');
  });

  it('scenario files round-trip through the validator', () => {
    for (const p of PRESETS) expect(parseScenarioJson(scenarioFile(p.build()))).toEqual(p.build());
  });
});
