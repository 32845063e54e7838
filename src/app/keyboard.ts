/**
 * Keyboard shortcuts: space plays/pauses, → steps once, r resets. Keys typed into a form
 * field (the GUI's inputs) are left alone.
 */
import { installShortcuts } from '../ui/dom';

/** What the shortcuts drive. */
export interface KeyActions {
  togglePlay(): void;
  step(): void;
  reset(): void;
}

/** Installs the shortcuts on `window`; returns the function that removes them. */
export function installKeyboard(actions: KeyActions): () => void {
  return installShortcuts((key) => {
    if (key === ' ') actions.togglePlay();
    else if (key === 'ArrowRight') actions.step();
    else if (key === 'r' || key === 'R') actions.reset();
    else return false;
    return true;
  });
}
