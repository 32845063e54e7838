/**
 * The timeline strip under the view: a slider over the run's kept history (first … newest kept
 * step), a mark per kept snapshot, the time shown, and the history's bytes against its budget.
 * Moving the slider reports the chosen step through `onScrub` (the app pauses and rewinds);
 * it draws nothing of the run itself and holds no state but what `update` gave it.
 */
import { formatShort } from '../model/format';
import { el } from './dom';
import './timeline.css';

/** What the strip shows (update()). */
export interface TimelineInfo {
  /** Kept snapshot steps, ascending (empty before the first). */
  steps: readonly number[];
  /** The step the view shows (the run's head, or the rewound step). */
  current: number;
  /** The run's newest step (the head: traces reach it). */
  head: number;
  dt: number;
  bytesKept: number;
  budgetBytes: number;
  /** The view shows a rewound state (not the head). */
  rewound: boolean;
}

/** Bytes as "730 KB" or "12.4 MB" (whole kilobytes below a megabyte). */
function bytes(b: number): string {
  return b < 1024 ** 2 ? `${Math.round(b / 1024)} KB` : `${(b / 1024 ** 2).toFixed(1)} MB`;
}

/** Most snapshot marks drawn (more are sampled evenly). */
const MAX_MARKS = 400;

export class Timeline {
  readonly root: HTMLElement;
  readonly slider: HTMLInputElement;
  private readonly marks: HTMLElement;
  private readonly label: HTMLElement;
  private readonly memory: HTMLElement;
  private lastSteps = '';
  private dragging = false;

  constructor(
    host: HTMLElement,
    private readonly onScrub: (step: number) => void,
  ) {
    this.root = el('div', 'timeline');
    this.root.setAttribute('role', 'group');
    this.root.setAttribute('aria-label', 'Timeline');
    this.slider = el('input', 'tl-slider');
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = '0';
    this.slider.step = '1';
    this.slider.setAttribute('aria-label', 'rewind to step');
    this.marks = el('div', 'tl-marks');
    const track = el('div', 'tl-track');
    track.append(this.marks, this.slider);
    this.label = el('span', 'tl-label');
    this.memory = el('span', 'tl-memory');
    const row = el('div', 'tl-row');
    row.append(this.label, this.memory);
    this.root.append(track, row);
    host.appendChild(this.root);
    host.classList.add('has-timeline');
    this.slider.addEventListener('input', () => {
      this.dragging = true;
      this.onScrub(Number(this.slider.value));
    });
    this.slider.addEventListener('change', () => {
      this.dragging = false;
    });
    // After a drag with the mouse, give the keyboard back to the page (space plays from here).
    this.slider.addEventListener('pointerup', () => this.slider.blur());
  }

  /** Shows `info` (cheap when the kept steps did not change). */
  update(info: TimelineInfo): void {
    const { steps, dt } = info;
    const first = steps[0] ?? 0;
    const last = Math.max(info.head, steps[steps.length - 1] ?? 0);
    this.slider.min = String(first);
    this.slider.max = String(last);
    if (!this.dragging) this.slider.value = String(info.current);
    this.root.classList.toggle('rewound', info.rewound);
    const key = `${steps.length}:${first}:${steps[steps.length - 1]}:${last}`;
    if (key !== this.lastSteps) {
      this.lastSteps = key;
      const span = Math.max(1, last - first);
      const every = Math.max(1, Math.ceil(steps.length / MAX_MARKS));
      this.marks.replaceChildren(
        ...steps
          .filter((_, i) => i % every === 0 || i === steps.length - 1)
          .map((s) => {
            const m = el('i', 'tl-mark');
            m.style.left = `${(100 * (s - first)) / span}%`;
            return m;
          }),
      );
    }
    const t = formatShort(info.current * dt);
    this.label.textContent = info.rewound
      ? `rewound to t = ${t} (of ${formatShort(last * dt)}) — play replays from here; a change branches`
      : `t = ${t}`;
    this.memory.textContent = `history: ${steps.length} snapshots, ${bytes(info.bytesKept)} of ${bytes(info.budgetBytes)}`;
  }
}
