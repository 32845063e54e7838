/**
 * The status line: run state, simulated time t / T, steps per second, frame time, sizes and
 * the engine in use. Rendered as text (textContent), at most a few times per second.
 */

/** Everything the status line shows. */
export interface StatusInfo {
  state: 'running' | 'paused' | 'finished' | 'stopped' | 'building' | 'recording';
  time: number;
  T: number;
  stepsPerSecond: number;
  frameMs: number;
  n: number;
  d: number;
  heads: number;
  replicas: number;
  engine: string;
  /** Clusters of the "nearest cluster" colouring (NaN when not computed). */
  clusters: number;
  /** Share (0…1) of the step in progress, when a step runs long enough for it to be reported. */
  stepShare?: number;
}

const STATE_TEXT: Record<StatusInfo['state'], string> = {
  running: '▶ running',
  paused: '❙❙ paused',
  finished: '✓ run finished',
  stopped: '✕ stopped',
  building: '… building',
  recording: '● recording',
};

function field(label: string, value: string, cls = ''): HTMLElement {
  const el = document.createElement('span');
  el.className = `status-item ${cls}`.trim();
  const l = document.createElement('span');
  l.className = 'status-label';
  l.textContent = label;
  const v = document.createElement('span');
  v.className = 'status-value';
  v.textContent = value;
  el.append(l, v);
  return el;
}

/** Writes StatusInfo into the status bar element. */
export class StatusLine {
  private last = '';

  constructor(private readonly root: HTMLElement) {}

  update(s: StatusInfo): void {
    const digits = s.T >= 100 ? 1 : 2;
    const parts: [string, string, string?][] = [
      ['', STATE_TEXT[s.state], `state state-${s.state}`],
      ['t', `${s.time.toFixed(digits)} / ${s.T}`],
      ...(s.stepShare
        ? [['next step', `${Math.floor(100 * s.stepShare)} %`, 'step-share'] as [string, string, string]]
        : []),
      ['steps/s', s.state === 'running' ? Math.round(s.stepsPerSecond).toString() : '—'],
      ['frame', `${s.frameMs.toFixed(1)} ms`],
      ['n', s.n.toString()],
      ['d', s.d.toString()],
      ['H', s.heads.toString()],
      ['P', s.replicas.toString()],
    ];
    if (Number.isFinite(s.clusters)) parts.push(['clusters', s.clusters.toString()]);
    parts.push(['engine', s.engine, 'engine']);
    const key = JSON.stringify(parts);
    if (key === this.last) return;
    this.last = key;
    this.root.replaceChildren(...parts.map(([l, v, c]) => field(l, v, c)));
  }
}
