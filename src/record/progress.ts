/**
 * A small, non-modal progress panel for a recording: a bar, "frame i / N, ~s left", and a
 * Cancel button that aborts the returned signal. Styled by classes in record.css (the app's CSP
 * forbids inline style attributes).
 */
import { formatDuration } from '../model/format';
import './record.css';

/** Handle on a shown progress panel. */
export interface RecordingProgress {
  /** Shows `done` of `total` frames and about `etaSeconds` left. */
  update(done: number, total: number, etaSeconds: number): void;
  /** Removes the panel (idempotent). */
  close(): void;
  /** Aborted when the user presses Cancel; pass it to recordVideo. */
  readonly signal: AbortSignal;
}

/** "12 s", "3 min 05 s"; "…" while unknown. */
export function formatEta(seconds: number): string {
  return formatDuration(seconds);
}

/** Appends a progress panel to `container` and returns its handle. */
export function showRecordingProgress(container: HTMLElement, title = 'Recording video'): RecordingProgress {
  const controller = new AbortController();
  const root = Object.assign(document.createElement('div'), { className: 'record-progress' });
  root.setAttribute('role', 'dialog');
  root.setAttribute('aria-label', title);
  const bar = Object.assign(document.createElement('progress'), {
    className: 'record-progress__bar',
    max: 1,
    value: 0,
  });
  const text = Object.assign(document.createElement('div'), {
    className: 'record-progress__text',
    textContent: 'starting…',
  });
  text.setAttribute('aria-live', 'polite');
  const cancel = Object.assign(document.createElement('button'), {
    className: 'record-progress__cancel',
    textContent: 'Cancel',
    type: 'button',
  });
  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    cancel.textContent = 'Cancelling…';
    controller.abort(new DOMException('Recording cancelled by the user', 'AbortError'));
  });
  const heading = Object.assign(document.createElement('div'), {
    className: 'record-progress__title',
    textContent: title,
  });
  root.append(heading, bar, cancel, text);
  container.append(root);
  return {
    update(done, total, etaSeconds) {
      bar.max = total;
      bar.value = done;
      text.textContent = `frame ${done} / ${total}, ~${formatEta(etaSeconds)} left`;
    },
    close() {
      root.remove();
    },
    signal: controller.signal,
  };
}
