/**
 * Renders narration tokens (src/model/narration.ts) into an element: text and emphasis through
 * textContent only, TeX through KaTeX with trust off and errors shown in place (never thrown).
 * Before KaTeX is loaded the TeX source shows as text.
 */
import type { NarrationToken } from '../model/narration';
import { el } from './dom';
import { TEX_MACROS } from './presenter-tex';

type Katex = typeof import('katex').default;

/** Replaces `host`'s children with the narration. */
export function renderNarration(host: HTMLElement, tokens: readonly NarrationToken[], katex?: Katex): void {
  const nodes: Node[] = tokens.map((t) => {
    if (t.kind === 'text') return document.createTextNode(t.text);
    if (t.kind === 'em') return el('em', 'narration-em', t.text);
    const span = el('span', 'narration-tex');
    if (!katex) span.textContent = t.tex;
    else
      katex.render(t.tex, span, {
        displayMode: false,
        throwOnError: false,
        trust: false,
        macros: { ...TEX_MACROS },
        output: 'htmlAndMathml',
      });
    return span;
  });
  host.replaceChildren(...nodes);
}
