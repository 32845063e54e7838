/**
 * The lesson strip of presenter mode: under the picture, the step's title, its count ("2 / 4")
 * and a progress bar, the narration in large type, and buttons for previous, replay and next
 * (large enough to tap on a tablet at the lectern). Text only through textContent and KaTeX
 * (narration-view.ts). Styles in lesson.css.
 */
import type { NarrationToken } from '../model/narration';
import { el } from './dom';
import { renderNarration } from './narration-view';
import './lesson.css';

type Katex = typeof import('katex').default;

/** What the buttons do. */
export interface LessonStripActions {
  previous(): void;
  replay(): void;
  next(): void;
  close(): void;
}

/** One step as the strip shows it. */
export interface StripStep {
  lessonTitle: string;
  title: string;
  index: number;
  count: number;
  narration: readonly NarrationToken[];
}

export class LessonStrip {
  readonly root: HTMLElement;
  private readonly head: HTMLElement;
  private readonly count: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly text: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private step: StripStep | undefined;
  private katex: Katex | undefined;

  constructor(host: HTMLElement, actions: LessonStripActions) {
    this.root = el('section', 'lesson-strip');
    this.root.setAttribute('aria-label', 'Lesson');
    this.root.hidden = true;
    const top = el('div', 'lesson-top');
    this.head = el('div', 'lesson-title');
    this.count = el('div', 'lesson-count');
    this.bar = el('div', 'lesson-bar');
    this.bar.setAttribute('role', 'progressbar');
    this.bar.setAttribute('aria-valuemin', '0');
    this.fill = el('div', 'lesson-bar-fill');
    this.bar.appendChild(this.fill);
    const button = (cls: string, label: string, text: string, run: () => void): HTMLButtonElement => {
      const b = el('button', `lesson-button ${cls}`, text);
      b.type = 'button';
      b.title = label;
      b.setAttribute('aria-label', label);
      // Pointer events: a tap on a touch screen acts at once, as a click does with a mouse.
      b.addEventListener('click', (e) => {
        e.preventDefault();
        run();
      });
      return b;
    };
    this.prev = button('lesson-prev', 'previous step (←)', '◀', actions.previous);
    this.next = button('lesson-next', 'next step (→)', '▶', actions.next);
    const replay = button('lesson-replay', 'replay this step', '↻', actions.replay);
    const close = button('lesson-close', 'close the lesson', '✕', actions.close);
    top.append(this.head, this.count, this.bar, replay, close);
    const body = el('div', 'lesson-body');
    this.text = el('div', 'lesson-narration');
    this.text.setAttribute('aria-live', 'polite');
    body.append(this.prev, this.text, this.next);
    this.root.append(top, body);
    host.appendChild(this.root);
  }

  /** Typesets the narration's TeX from now on (KaTeX loads with presenter mode). */
  setKatex(k: Katex): void {
    this.katex = k;
    if (this.step) renderNarration(this.text, this.step.narration, k);
  }

  show(s: StripStep): void {
    this.step = s;
    this.root.hidden = false;
    this.head.textContent = `${s.lessonTitle} — ${s.title}`;
    this.count.textContent = `${s.index + 1} / ${s.count}`;
    this.fill.style.width = `${(100 * (s.index + 1)) / s.count}%`;
    this.bar.setAttribute('aria-valuemax', String(s.count));
    this.bar.setAttribute('aria-valuenow', String(s.index + 1));
    this.prev.disabled = s.index === 0;
    this.next.disabled = s.index === s.count - 1;
    renderNarration(this.text, s.narration, this.katex);
  }

  hide(): void {
    this.step = undefined;
    this.root.hidden = true;
  }
}
