/**
 * Sharing in a real browser: a link made by Share › copy link reproduces the run exactly in
 * a new page (same energy at the same steps), for a preset and for an imported scenario that
 * the panel cannot express (explicit tokens); a bad link or a malformed scenario file shows
 * the field at fault and leaves the running simulation as it was.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { banner, open, setGuiNumber, state, useApp, waitForSteps } from './app-page';

useApp();

/** Energy (mean over replicas) by time t_k = k·dt, full resolution (both pages compute t_k alike). */
async function energyByTime(page: Page): Promise<Map<number, number>> {
  const { t, e } = await page.evaluate(async () => {
    const tr = await window.__playground!.traces(1e9);
    return { t: Array.from(tr.energy.t), e: Array.from(tr.energy.mean) };
  });
  return new Map(t.map((ti, k) => [ti, e[k]!]));
}

async function copyLink(page: Page): Promise<string> {
  await page.locator('.lil-title', { hasText: 'Share' }).click();
  await page.locator('.lil-name', { hasText: /^copy link$/ }).click();
  await page.waitForFunction(() => window.__playground!.shareLink() !== '', undefined, { timeout: 30_000 });
  return page.evaluate(() => window.__playground!.shareLink());
}

/** Opens `link` in a new page, runs it past `steps`, and checks its energy equals `original` at every shared step. */
async function expectSameRun(link: string, original: Page, steps: number): Promise<void> {
  const { page, context, errors } = await open(link.slice(link.indexOf('?')));
  const s = await waitForSteps(page, steps, 120_000);
  expect(s.banners).toEqual({});
  const [a, b] = await Promise.all([energyByTime(original), energyByTime(page)]);
  const common = [...b.keys()].filter((t) => a.has(t));
  expect(common.length).toBeGreaterThanOrEqual(steps);
  for (const t of common) expect(b.get(t), `energy at t = ${t}`).toBe(a.get(t));
  expect(errors).toEqual([]);
  await context.close();
}

const EXPLICIT = {
  name: 'Six tokens on a circle',
  d: 2,
  n: 6,
  heads: 1,
  beta: 1,
  dt: 0.01,
  T: 5,
  seed: 3,
  tokens: {
    kind: 'explicit',
    points: [
      [1, 0],
      [0.8, 0.6],
      [0, 1],
      [-0.6, 0.8],
      [-1, 0],
      [0.6, -0.8],
    ],
  },
  weights: { init: { kind: 'identity', scale: 1 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
};

function importFile(page: Page, name: string, text: string): Promise<void> {
  return page
    .locator('#scenario-file')
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

describe('sharing', () => {
  it('copy link → a new page runs the same trace (noisy OU weights, 2 heads)', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=48&heads=2');
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await waitForSteps(page, 40);
    const link = await copyLink(page);
    expect(link).toMatch(/\?s=z1\.[A-Za-z0-9_-]+$/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await expectSameRun(link, page, 60);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the link carries live schedule edits (OU θ changed while running)', async () => {
    const { page, context, errors } = await open('?preset=s2-ou&n=32');
    const before = await waitForSteps(page, 10);
    await setGuiNumber(page, 'Weights D_h(t)', 'OU θ', '3.5');
    const link = await copyLink(page);
    const shared = JSON.parse(inflateRawSync(Buffer.from(link.split('s=z1.')[1]!, 'base64url')).toString('utf8'));
    expect(shared.weights.drift).toMatchObject({ kind: 'ou', theta: 3.5 });
    // A live edit: the run went on, it was not restarted.
    expect((await state(page)).stepIndex).toBeGreaterThan(before.stepIndex);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an imported scenario with explicit tokens runs as given, and its link reproduces it', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64');
    await waitForSteps(page, 5);
    await importFile(page, 'six.json', JSON.stringify(EXPLICIT));
    await page.waitForFunction(() => window.__playground!.state().n === 6, undefined, { timeout: 30_000 });
    const s = await waitForSteps(page, 50);
    expect([s.n, s.d, s.heads]).toEqual([6, 2, 1]);
    expect(await page.locator('#caption').textContent()).toContain('Six tokens on a circle');
    // The run starts from the given tokens: energy at step 0 matches a fresh open of the link.
    const link = await copyLink(page);
    await expectSameRun(link, page, 50);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('export scenario JSON → import it in a fresh page: the same run', async () => {
    const { page, context, errors } = await open('?preset=s1-ou&n=40&heads=3');
    await waitForSteps(page, 30);
    await page.locator('.lil-title', { hasText: 'Share' }).click();
    const download = page.waitForEvent('download', { timeout: 30_000 });
    await page.locator('.lil-name', { hasText: /^export scenario JSON$/ }).click();
    const text = await (await (await download).createReadStream()).toArray();
    const json = Buffer.concat(text).toString('utf8');
    expect(JSON.parse(json)).toMatchObject({ n: 40, heads: 3, d: 2 });
    const fresh = await open('?preset=one-vs-many&n=64');
    await waitForSteps(fresh.page, 3);
    await importFile(fresh.page, 'scenario.json', json);
    await fresh.page.waitForFunction(() => window.__playground!.state().n === 40, undefined, { timeout: 30_000 });
    await waitForSteps(fresh.page, 40);
    const [a, b] = await Promise.all([energyByTime(page), energyByTime(fresh.page)]);
    const common = [...b.keys()].filter((t) => a.has(t));
    expect(common.length).toBeGreaterThanOrEqual(30);
    for (const t of common) expect(b.get(t)).toBe(a.get(t));
    expect([...errors, ...fresh.errors]).toEqual([]);
    await fresh.context.close();
    await context.close();
  });

  it('a damaged or invalid link names the field, and the default preset runs', async () => {
    const bad = await open('?s=z1.not-a-scenario');
    const s = await waitForSteps(bad.page, 10);
    expect(s.banners.share).toMatch(/field "url"/);
    expect(s.n).toBe(200);
    await bad.context.close();

    const json = JSON.stringify({ ...EXPLICIT, heads: 0 });
    const link = `?s=z1.${deflateRawSync(Buffer.from(json)).toString('base64url')}`;
    const invalid = await open(link);
    const t = await waitForSteps(invalid.page, 10);
    expect(t.banners.share).toMatch(/field "heads" should be/);
    expect(t.n).toBe(200);
    await invalid.context.close();
  });

  it('a malformed scenario file names the field and the run goes on unchanged', async () => {
    const { page, context, errors } = await open('?preset=one-vs-many&n=64&heads=3');
    const before = await waitForSteps(page, 10);
    await importFile(page, 'bad.json', JSON.stringify({ ...EXPLICIT, n: 'many' }));
    await expect.poll(banner(page, 'share')).toMatch(/field "n" should be .*The running simulation is unchanged/);
    await importFile(page, 'broken.json', '{"d": 3, ');
    await expect.poll(banner(page, 'share')).toMatch(/field "json"/);
    const after = await waitForSteps(page, before.stepIndex + 30);
    expect([after.n, after.d, after.heads, after.playing]).toEqual([64, before.d, 3, true]);
    expect(after.stepIndex).toBeGreaterThan(before.stepIndex);
    expect(errors).toEqual([]);
    await context.close();
  });
});
