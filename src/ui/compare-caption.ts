/**
 * One line under the preset's caption while a comparison is on: what the copies are, and
 * which of the paper's stability statements the distance trace lets one watch (continuous
 * dependence on the input; convergence of the flows as the weight perturbation vanishes).
 * The line is kept in the caption element even when the preset text is replaced.
 */
import { formatShort as fmt } from '../model/format';
import { compareKind } from './compare-gui';
import type { Params } from './params';

/** The sentence for the params (empty when the comparison is off). */
export function compareSentence(p: Params): string {
  const c = p.replicas - 1;
  const copies = c === 1 ? 'Copy' : `${c} copies`;
  switch (compareKind(p)) {
    case 'off':
      return '';
    case 'token noise ε':
      return (
        `${copies}: tokens moved by ε = ${fmt(p.pertTokens)}${p.sharedNoise ? '' : ', own noise'}. ` +
        'Paper: continuous dependence on the input — the gap may grow, at most exponentially (rate λ).'
      );
    case 'weights D(0) + δ':
      return (
        `${copies}: D_h(0) moved by δ = ${fmt(p.pertWeights)}${p.sharedNoise ? '' : ', own noise'}. ` +
        'Paper: the flows converge as δ → 0 — the gap starts at 0 and scales with δ.'
      );
    case 'own noise path':
      return p.noiseVariance > 0
        ? `${p.replicas} Monte Carlo paths: same start, each its own weight noise (σ² = ${fmt(p.noiseVariance)}) — the distance to path 0 is the noise's effect alone.`
        : `${copies} with their own noise stay identical at σ² = 0: raise σ² (Weights), or perturb tokens or weights.`;
  }
}

/** Keeps the comparison line in `caption` up to date (call it often: it writes only on change). */
export class CompareCaption {
  private readonly el = document.createElement('div');
  private text = '';

  constructor(private readonly caption: HTMLElement) {
    this.el.className = 'caption-text caption-compare';
  }

  update(p: Params): void {
    const text = compareSentence(p);
    if (text !== this.text) {
      this.text = text;
      this.el.textContent = text;
    }
    if (!text) this.el.remove();
    else if (this.el.parentElement !== this.caption || this.caption.lastElementChild !== this.el)
      this.caption.appendChild(this.el);
  }
}
