/** Presenter mode's equations (src/ui/presenter-tex.ts): values substituted, valid TeX for KaTeX. */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/model/presets';
import type { Scenario } from '../../src/model/scenario';
import { presenterTex, TEX_MACROS, texNumber } from '../../src/ui/presenter-tex';

function typeset(tex: string): string {
  return katex.renderToString(tex, {
    displayMode: true,
    throwOnError: true,
    macros: { ...TEX_MACROS },
    strict: 'error',
  });
}

const base = (): Scenario => PRESETS.find((p) => p.id === 's2-ou')!.build(10);

describe('presenter equations', () => {
  it('every block of every preset typesets without a KaTeX error', () => {
    for (const p of PRESETS) {
      for (const variant of [
        (s: Scenario) => s,
        (s: Scenario) => ({ ...s, attention: 'unnormalized' as const, flowSign: 1 as const, d: 5 }),
      ]) {
        const tex = presenterTex(variant(p.build()), 3.1, 0.61);
        for (const [k, v] of Object.entries(tex))
          if (k !== 'scheduleName') expect(() => typeset(v), `${p.id} ${k}`).not.toThrow();
      }
    }
  });

  it('substitutes n, H, β and the sign (paper: minus, softmax)', () => {
    const tex = presenterTex(base(), 0);
    expect(tex.params).toContain('n = 200');
    expect(tex.params).toContain('H = 10');
    expect(tex.params).toContain('\\beta = 1');
    expect(tex.flow).toMatch(/^\\dot x_i = -/);
    expect(tex.flow).toContain('\\frac{1}{\\val{10}}\\sum_{h=1}^{\\val{10}}\\sum_{j=1}^{\\val{200}}');
    expect(tex.flow).toContain('\\sum_{k=1}^{\\val{200}} e^{');
    expect(tex.energy).toContain('\\frac{1}{2\\cdot\\val{1}\\cdot\\val{10}\\cdot\\val{200}^2}');
  });

  it('the residual sign and unnormalised attention change the flow', () => {
    const tex = presenterTex({ ...base(), flowSign: 1, attention: 'unnormalized', beta: 2.5 }, 0);
    expect(tex.flow).toMatch(/^\\dot x_i = \+/);
    expect(tex.flow).toContain('\\frac{1}{\\val{200}}\\,e^{\\val{2.5}');
    expect(tex.flow).not.toContain('\\sum_{k=1}');
    expect(tex.params).toContain('\\beta = 2.5');
  });

  it('shows the schedule and its parameters', () => {
    expect(presenterTex(base(), 0).schedule).toContain('\\theta = \\val{1}');
    expect(presenterTex(base(), 0).schedule).toContain('\\sigma^2 = \\val{2}');
    expect(presenterTex(base(), 0).schedule).toContain('M = \\val{I_{3}}');
    const custom = presenterTex(
      {
        ...base(),
        weights: {
          ...base().weights,
          drift: {
            kind: 'ou',
            theta: 0.5,
            target: [
              [1, 2, 0],
              [2, 1, 0],
              [0, 0, 3],
            ],
          },
        },
      },
      0,
    );
    expect(custom.schedule).toContain('\\begin{pmatrix}1 & 2 & 0');
    const layers = presenterTex(PRESETS.find((p) => p.id === 'layers')!.build(), 3);
    expect(layers.schedule).toContain('\\ell = \\val{2}');
    expect(layers.schedule).toContain('\\Delta = \\val{2}');
    expect(layers.scheduleName).toBe('Layer-by-layer weights');
    const osc = presenterTex(PRESETS.find((p) => p.id === 's1-oscillating')!.build(5), 0);
    expect(osc.schedule).toContain('\\val{2} + \\val{1.5}\\cos\\tau_h');
    expect(osc.schedule).toContain('\\tfrac{2\\pi (h-1)}{\\val{5}}');
    expect(presenterTex(PRESETS.find((p) => p.id === 'one-vs-many')!.build(), 0).schedule).toContain('D_h(t) = D_h(0)');
  });

  it('formats numbers compactly', () => {
    expect(texNumber(0.005)).toBe('0.005');
    expect(texNumber(1e-4)).toBe('1\\times 10^{-4}');
    expect(texNumber(123456)).toBe('1.23\\times 10^{5}');
    expect(texNumber(0.61234567)).toBe('0.6123');
  });
});
