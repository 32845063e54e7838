/** The one DOM element helper of the panels (src/ui, src/app). */

/** A new `tag` element with class `cls` and text `text` (each only when given and non-empty). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}
