/**
 * Keyboard shortcuts: space plays/pauses, → steps once, r resets. Keys typed into a form
 * field (the GUI's inputs) are left alone.
 */

/** What the shortcuts drive. */
export interface KeyActions {
  togglePlay(): void;
  step(): void;
  reset(): void;
}

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
  );
}

/** Installs the shortcuts on `window`; returns the function that removes them. */
export function installKeyboard(actions: KeyActions): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
    if (e.key === ' ') actions.togglePlay();
    else if (e.key === 'ArrowRight') actions.step();
    else if (e.key === 'r' || e.key === 'R') actions.reset();
    else return;
    e.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
