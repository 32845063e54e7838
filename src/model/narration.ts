/**
 * A lesson step's narration: plain text with two marks, `*emphasis*` and inline `$TeX$`, and
 * `\` escaping the next `*`, `$` or `\`. Nothing else is markup: `<b>x</b>` is seven characters
 * of text. The parser returns tokens; the view renders text and emphasis with textContent and
 * TeX with KaTeX (trust off), never as HTML. An unclosed or empty mark is literal text.
 */

/** One piece of narration. */
export type NarrationToken =
  | { kind: 'text'; text: string }
  | { kind: 'em'; text: string }
  | { kind: 'tex'; tex: string };

/** The index of the next unescaped `mark` at or after `from` (−1 when none), and the content up to it. */
function scan(s: string, from: number, mark: string, keepEscapes: boolean): { end: number; content: string } {
  let content = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const next = s[i + 1]!;
      // In TeX only `\$` is ours; `\beta`, `\\` and the rest are TeX's own.
      if (keepEscapes && next !== '$') content += c + next;
      else content += next;
      i++;
    } else if (c === mark) return { end: i, content };
    else content += c;
  }
  return { end: -1, content };
}

/** Splits narration into text, emphasis and TeX tokens (adjacent text merged). */
export function parseNarration(s: string): NarrationToken[] {
  const out: NarrationToken[] = [];
  const text = (t: string): void => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && '*$\\'.includes(s[i + 1]!)) {
      text(s[i + 1]!);
      i += 2;
      continue;
    }
    if (c === '*' || c === '$') {
      const tex = c === '$';
      const { end, content } = scan(s, i + 1, c, tex);
      if (end > i + 1 && content.trim() !== '') {
        out.push(tex ? { kind: 'tex', tex: content } : { kind: 'em', text: content });
        i = end + 1;
        continue;
      }
      text(c);
      i++;
      continue;
    }
    text(c);
    i++;
  }
  return out;
}

/** The narration as plain text (marks removed, TeX source kept), e.g. for the test hook. */
export function narrationText(tokens: readonly NarrationToken[]): string {
  return tokens.map((t) => (t.kind === 'tex' ? t.tex : t.text)).join('');
}
