/**
 * The e2e core in Firefox ESR (wgpu/naga WebGPU on SwiftShader, windowed on Xvfb): the built app
 * loads without console errors and runs on WebGPU; a shared link reproduces the run, and the
 * float64 CPU fallback (navigator.gpu removed) runs the same link to float32 accuracy; presenter
 * mode; a short recording checked by ffprobe. One browser launch, a few small pages.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordingState } from '../../src/app/recording';
import { attentionConstants, attentionShape } from '../../src/gpu/attention-pass';
import { combineConstants, combineKernel, jumpEnergyConstants } from '../../src/gpu/combine-pass';
import { mergeConstants } from '../../src/gpu/merge-pass';
import { REDUCE_CONSTANTS } from '../../src/gpu/reduce-pass';
import { kernelSource, type KernelName, shaderSources } from '../../src/gpu/shaders';
import { DEFAULT_TUNABLES } from '../../src/gpu/tunables';
import { TABLEAUX } from '../../src/model/integrators';
import { smallScenario } from '../unit/helpers';
import { launchFirefox } from './firefox';
import {
  ffClickGui,
  ffEnergyByTime,
  ffSetGuiNumber,
  ffSetGuiOption,
  ffState,
  ffWaitForSteps,
  openFirefox,
  useFirefox,
} from './firefox-page';
import { ffprobe } from './video';

const app = useFirefox();

const QUERY = '?preset=s2-ou&n=48&heads=2';

describe('Firefox ESR', () => {
  let link = '';
  let original = new Map<number, number>();

  it('loads without console errors, runs on WebGPU, shows the presenter, and makes a share link', async () => {
    const { page, context, errors } = await openFirefox(app.firefox().browser, `${app.url()}${QUERY}`);
    const first = await ffWaitForSteps(page, 20);
    const later = await ffWaitForSteps(page, first.stepIndex + 20);
    expect(later.time).toBeGreaterThan(first.time);
    expect(later.engineKind).toBe('gpu');
    // Firefox leaves the adapter's vendor, architecture and description empty; it does say "fallback".
    expect(later.engineLabel).toMatch(/^WebGPU · /);
    expect(later.banners).toEqual({});
    expect(await page.$eval('#status', (el) => el.textContent)).toContain('running');

    await ffClickGui(page, 'Share', 'copy link');
    await page.waitForFunction(() => window.__playground!.shareLink() !== '', { timeout: 30_000, polling: 200 });
    link = await page.evaluate(() => window.__playground!.shareLink());
    await ffWaitForSteps(page, 40);
    original = await ffEnergyByTime(page);
    expect(link).toMatch(/\?s=z1\.[A-Za-z0-9_-]+$/);

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('p');
    await page.waitForFunction(() => document.querySelectorAll('.presenter-panel .katex').length > 4, {
      timeout: 30_000,
      polling: 200,
    });
    expect(await page.$eval('#gui', (el) => (el as HTMLElement).offsetParent === null)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the shared link reproduces the run on WebGPU, and the float64 CPU fallback agrees to float32 accuracy', async () => {
    expect(link).not.toBe('');
    const query = link.slice(link.indexOf('?'));
    const gpu = await openFirefox(app.firefox().browser, `${app.url()}${query}`);
    const cpu = await openFirefox(app.firefox().browser, `${app.url()}${query}`, true);
    const [g, c] = await Promise.all([ffWaitForSteps(gpu.page, 40), ffWaitForSteps(cpu.page, 40)]);
    expect(g.engineKind).toBe('gpu');
    expect(c.engineKind).toBe('cpu');
    expect(c.engineLabel).toMatch(/CPU fallback/);
    const [eg, ec] = await Promise.all([ffEnergyByTime(gpu.page), ffEnergyByTime(cpu.page)]);
    // The same engine on the same link: the same numbers, bit for bit.
    const shared = [...original.keys()].filter((t) => eg.has(t));
    expect(shared.length).toBeGreaterThanOrEqual(30);
    for (const t of shared) expect(eg.get(t), `GPU energy at t = ${t}`).toBe(original.get(t));
    const common = [...eg.keys()].filter((t) => ec.has(t));
    expect(common.length).toBeGreaterThanOrEqual(30);
    const scale = Math.max(...common.map((t) => Math.abs(ec.get(t)!)));
    // float32 positions and sums over 48 tokens, 2 heads, ≤ 40 steps (docs/GPU.md's tolerances are per step).
    for (const t of common) expect(Math.abs(eg.get(t)! - ec.get(t)!), `energy at t = ${t}`).toBeLessThan(1e-4 * scale);
    expect([...gpu.errors, ...cpu.errors]).toEqual([]);
    await Promise.all([gpu.context.close(), cpu.context.close()]);
  });

  it('records a short video (1 s, 30 fps, 720p) that ffprobe reads', async () => {
    const { page, context, errors } = await openFirefox(app.firefox().browser, `${app.url()}?preset=one-vs-many&n=48`);
    await ffWaitForSteps(page, 10);
    await ffSetGuiOption(page, 'Record', 'resolution', '720p');
    await ffSetGuiOption(page, 'Record', 'frames / s', '30');
    await ffSetGuiNumber(page, 'Record', 'duration (s)', '1');
    await ffSetGuiNumber(page, 'Record', 'steps / video frame', '2');
    await ffClickGui(page, 'Record', '● Record video');
    await page.waitForFunction(
      () => {
        const r = window.__playground!.recording();
        return !r.active && r.outcome !== undefined;
      },
      { timeout: 180_000, polling: 500 },
    );
    const rec: RecordingState = await page.evaluate(() => window.__playground!.recording());
    const s = await ffState(page);
    expect(s.banners.record ?? '').not.toMatch(/cannot encode/);
    expect(rec.outcome).toBe('saved');
    expect(rec.last?.frames).toBe(30);
    const file = join(app.firefox().downloads, rec.last!.name);
    await expect.poll(() => readdirSync(app.firefox().downloads), { timeout: 30_000 }).toContain(rec.last!.name);
    await expect.poll(() => statSync(file).size, { timeout: 30_000 }).toBe(rec.last!.bytes);
    const v = ffprobe(file).streams[0]!;
    expect(['h264', 'vp9', 'vp8']).toContain(v.codec_name);
    expect([v.width, v.height]).toEqual([1280, 720]);
    expect(Number(v.nb_read_frames)).toBe(30);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('naga accepts the attention kernels (the j range whole and split), the merge and the per-token kernels with the constants the engine sets', async () => {
    const sources = await shaderSources();
    const modules = new Map<string, { code: string; constants: Record<string, number> }>();
    const add = (kernel: KernelName, constants: Record<string, number>) =>
      modules.set(`${kernel} ${JSON.stringify(constants)}`, { code: kernelSource(sources, kernel), constants });
    const split = { ...DEFAULT_TUNABLES, jSplitWorkgroups: 1_000_000, wg: 16, shrinkTo: 8 };
    for (const d of [2, 3, 5, 10])
      for (const noise of [0, 2]) {
        const s = smallScenario({ d, n: 100, heads: 2, replicas: 2 });
        const scenario = { ...s, weights: { ...s.weights, noiseVariance: noise } };
        for (const tunables of [DEFAULT_TUNABLES, split]) {
          const shape = attentionShape(scenario, tunables);
          add(shape.kernel, attentionConstants(scenario, shape));
          if (shape.jSplits > 1) add('attention-merge', mergeConstants(scenario, shape));
        }
        add(combineKernel(scenario), combineConstants(scenario, TABLEAUX[scenario.integrator].b.length));
        add('jump-energy', jumpEnergyConstants(scenario));
      }
    add('diagnostics-reduce', REDUCE_CONSTANTS);
    const kernels = new Set([...modules.keys()].map((k) => k.split(' ')[0]));
    expect([...kernels].sort()).toEqual(
      [
        'attention-accumulate',
        'attention-accumulate-d3',
        'attention-accumulate-d8',
        'attention-merge',
        'diagnostics-reduce',
        'jump-energy',
        'token-combine',
        'token-combine-d3',
      ].sort(),
    );
    const { page, context } = await openFirefox(app.firefox().browser, `${app.url()}${QUERY}&play=0`);
    const failures = await page.evaluate(
      async (list: [string, { code: string; constants: Record<string, number> }][]) => {
        const adapter = await navigator.gpu.requestAdapter();
        if (!adapter) return ['no WebGPU adapter'];
        const device = await adapter.requestDevice();
        const out: string[] = [];
        for (const [label, m] of list) {
          device.pushErrorScope('validation');
          const module = device.createShaderModule({ code: m.code });
          const messages = (await module.getCompilationInfo()).messages.filter((x) => x.type === 'error');
          const errs = messages.map((x) => `${x.lineNum}:${x.linePos} ${x.message}`);
          try {
            await device.createComputePipelineAsync({
              layout: 'auto',
              compute: { module, entryPoint: 'main', constants: m.constants },
            });
          } catch (e) {
            errs.push(String(e));
          }
          const scope = await device.popErrorScope();
          if (scope) errs.push(scope.message);
          if (errs.length > 0) out.push(`${label}: ${errs.join('; ')}`);
        }
        device.destroy();
        return out;
      },
      [...modules],
    );
    expect(failures).toEqual([]);
    await context.close();
  });

  it('starts in headless Firefox, which has WebGPU but no WebGL: it computes and draws on WebGPU', async () => {
    const headless = await launchFirefox({ headless: true });
    try {
      const { page, context, errors } = await openFirefox(headless.browser, `${app.url()}?preset=one-vs-many&n=48`);
      expect(await page.evaluate(() => document.createElement('canvas').getContext('webgl2'))).toBeNull();
      const s = await ffWaitForSteps(page, 20);
      expect(s.engineKind).toBe('gpu');
      expect(s.banners).toEqual({});
      expect(await page.evaluate(() => window.__playground!.view().backend)).toBe('webgpu');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await headless.close();
    }
  });
});
