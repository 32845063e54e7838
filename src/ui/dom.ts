/**
 * DOM helpers of the panels (src/ui, src/app): the element helper, the hidden JSON file input
 * and keyboard shortcuts.
 */

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

/**
 * A hidden `<input type="file">` for JSON files with id `id`, appended to the page's body: each
 * file picked goes to `onFile` (the input is emptied first, so picking the same file again
 * fires again). `.click()` it to open the file dialog.
 */
export function jsonFileInput(id: string, onFile: (file: File) => void): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.hidden = true;
  input.id = id;
  document.body.append(input);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) onFile(file);
  });
  return input;
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
