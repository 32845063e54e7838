/** DOM helpers of the panels (src/ui, src/app): the element helper and keyboard shortcuts. */

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

/** Whether a key press goes to a form field (the GUI's inputs): shortcuts leave those alone. */
function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
  );
}

/**
 * Keyboard shortcuts on `window`: `handle(key)` sees each key pressed without Alt, Ctrl or Meta
 * and outside form fields, and returns whether it acted (then the key's default is prevented).
 * Returns the function that removes them.
 */
export function installShortcuts(handle: (key: string) => boolean): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
    if (handle(e.key)) e.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
