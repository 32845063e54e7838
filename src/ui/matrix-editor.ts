/**
 * The matrix editor: a small floating panel of text inputs for one symmetric d×d matrix of the
 * weight schedule, applied to the running engine without a restart:
 *   - schedule "ou": the target M of f = θ(M − D) (M = I and M = 0 one click away);
 *   - schedule "layers": the matrix of a chosen layer and head, plus adding and removing layers
 *     and the layer duration Δ.
 * Editing entry (i, j) writes (j, i) too; a value that is not a finite number is refused with a
 * message naming the entry (the logic is in matrix-model.ts, unit-tested). Nothing typed is
 * evaluated. For d up to 16 the grid scrolls.
 */
import { el } from './dom';
import { layerIndex } from '../model/schedule';
import type { Matrix } from '../model/scenario';
import {
  addLayer,
  editSymmetric,
  formatEntry,
  identity,
  parseEntry,
  removeLayer,
  withLayerMatrix,
  type LayersDrift,
} from './matrix-model';
import {
  layerSchedule,
  ouTargetMatrix,
  setLayerSchedule,
  setOuTargetMatrix,
  type ParamKey,
  type Params,
} from './params';
import './matrix-editor.css';

/** What the editor needs from the app. */
export interface MatrixEditorDeps {
  params: Params;
  /** A value of the params changed (the controller applies it: live drift edit or rebuild). */
  changed(key: ParamKey): void;
  /** The GUI should re-read the params (ouTarget or driftKind was set here). */
  refreshGui(): void;
  /** Simulated time of the running engine (to mark the active layer). */
  time(): number;
}

function button(label: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el('button', 'me-button', label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** The floating editor panel (hidden until opened). */
export class MatrixEditor {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly message: HTMLElement;
  private layer = 0;
  private head = 0;
  /** Signature of what the body shows; the body is rebuilt when it changes. */
  private shown = '';
  private activeNote: HTMLElement | undefined;
  private inputs: HTMLInputElement[][] = [];
  /** The app's banners share the top left corner: the panel sits below them. */
  private readonly banners: HTMLElement | undefined;

  constructor(
    host: HTMLElement,
    private readonly deps: MatrixEditorDeps,
  ) {
    this.root = el('section', 'matrix-editor');
    this.root.hidden = true;
    this.root.setAttribute('aria-label', 'Matrix editor');
    const head = el('div', 'me-head');
    head.append(
      el('span', 'me-title', 'Weight matrices'),
      button('×', () => this.close(), 'Close the matrix editor'),
    );
    head.lastElementChild!.classList.add('me-close');
    this.body = el('div', 'me-body');
    this.message = el('div', 'me-message');
    this.message.setAttribute('role', 'status');
    this.root.append(head, this.body, this.message);
    host.appendChild(this.root);
    this.banners = host.querySelector<HTMLElement>('#banners') ?? undefined;
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  /** Shows the panel on the matrix that matters now (the active layer). */
  open(): void {
    this.root.hidden = false;
    const s = layerSchedule(this.deps.params);
    if (this.deps.params.driftKind === 'layers' && s) this.layer = layerIndex(s, this.deps.time());
    this.shown = '';
    this.refresh();
  }

  close(): void {
    this.root.hidden = true;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  /**
   * Re-reads the params (cheap when nothing changed; called a few times a second by the app).
   * The grid is not rebuilt under the user's cursor unless its shape changed.
   */
  refresh(): void {
    if (!this.isOpen) return;
    this.placeBelowBanners();
    const p = this.deps.params;
    const schedule = p.driftKind === 'layers' ? layerSchedule(p) : undefined;
    if (schedule) {
      this.layer = Math.min(this.layer, schedule.layers.length - 1);
      this.head = Math.min(this.head, p.heads - 1);
    }
    const matrix = this.matrix();
    const shape = `${p.preset}|${p.driftKind}|${p.d}|${p.heads}|${schedule?.layers.length ?? 0}|${this.layer}|${this.head}`;
    const sig = `${shape}|${schedule?.layerDuration ?? 0}|${JSON.stringify(matrix)}`;
    // Values the user just typed are already on screen: keep the inputs (and the focus) while the shape holds.
    const typing = this.root.contains(document.activeElement) && this.shown.startsWith(`${shape}|`);
    if (sig !== this.shown && !typing) {
      this.shown = sig;
      this.render(schedule, matrix);
    }
    this.markActive(schedule);
  }

  private placeBelowBanners(): void {
    const h = this.banners?.offsetHeight ?? 0;
    const top = `${h > 0 ? h + 18 : 10}px`;
    if (this.root.style.top !== top) this.root.style.top = top;
  }

  /** The matrix being edited, if the schedule has one. */
  private matrix(): Matrix | undefined {
    const p = this.deps.params;
    if (p.driftKind === 'ou') return ouTargetMatrix(p);
    if (p.driftKind === 'layers') return layerSchedule(p)?.layers[this.layer]?.[this.head];
    return undefined;
  }

  /** Name of the matrix in messages. */
  private what(): string {
    const p = this.deps.params;
    return p.driftKind === 'ou' ? 'OU target M' : `layer ${this.layer + 1}, head ${this.head + 1}`;
  }

  private say(text: string, kind: 'error' | 'note' = 'note'): void {
    this.message.textContent = text;
    this.message.className = `me-message me-${kind}`;
  }

  private render(schedule: LayersDrift | undefined, matrix: Matrix | undefined): void {
    const p = this.deps.params;
    this.body.replaceChildren();
    this.activeNote = undefined;
    this.inputs = [];
    if (p.driftKind === 'ou') {
      this.body.append(this.ouControls());
    } else if (p.driftKind === 'layers' && schedule) {
      this.body.append(this.layerControls(schedule));
    } else {
      this.body.append(this.otherSchedule());
      return;
    }
    if (matrix) this.body.append(this.grid(matrix));
  }

  private ouControls(): HTMLElement {
    const p = this.deps.params;
    const row = el('div', 'me-row');
    const label = el(
      'span',
      'me-label',
      `OU target M in f = θ(M − D), θ = ${formatEntry(p['drift.ou.theta'])} (every head)`,
    );
    const setTo = (m: Matrix, kind: Params['ouTarget']): void => {
      if (kind === 'custom') setOuTargetMatrix(p, m);
      else p.ouTarget = kind;
      this.deps.refreshGui();
      this.deps.changed('ouTarget');
      this.say(`M = ${kind === 'identity' ? 'I' : '0'} applied to the running weights.`);
      this.shown = '';
      this.refresh();
    };
    row.append(
      label,
      button('M = I', () => setTo(identity(p.d), 'identity')),
      button('M = 0', () => setTo([], 'zero')),
    );
    return row;
  }

  private layerControls(schedule: LayersDrift): HTMLElement {
    const p = this.deps.params;
    const box = el('div', 'me-controls');
    const pick = (
      label: string,
      count: number,
      value: number,
      onPick: (v: number) => void,
      name: string,
    ): HTMLElement => {
      const wrap = el('label', 'me-pick');
      const sel = el('select', 'me-select');
      sel.name = name;
      for (let k = 0; k < count; k++) {
        const o = el('option', undefined, String(k + 1));
        o.value = String(k);
        sel.appendChild(o);
      }
      sel.value = String(value);
      sel.addEventListener('change', () => {
        onPick(Number(sel.value));
        this.refresh();
      });
      wrap.append(label, sel);
      return wrap;
    };
    const dur = el('input', 'me-duration');
    dur.type = 'text';
    dur.inputMode = 'decimal';
    dur.name = 'layer-duration';
    dur.value = formatEntry(schedule.layerDuration);
    dur.setAttribute('aria-label', 'layer duration Δ');
    const commitDuration = (): void => {
      const v = parseEntry(dur.value);
      if (v === undefined || v <= 0) {
        this.say(`Layer duration Δ: "${dur.value.trim().slice(0, 24)}" is not a positive number; unchanged.`, 'error');
        dur.classList.add('me-invalid');
        return;
      }
      dur.classList.remove('me-invalid');
      this.shown = '';
      this.apply({ ...schedule, layerDuration: v }, `Layer duration Δ = ${formatEntry(v)} applied.`);
    };
    dur.addEventListener('change', commitDuration);
    const durLabel = el('label', 'me-pick', 'Δ ');
    durLabel.appendChild(dur);
    const row1 = el('div', 'me-row');
    row1.append(
      pick(
        'layer ',
        schedule.layers.length,
        this.layer,
        (v) => {
          this.layer = v;
        },
        'layer',
      ),
      pick(
        'head ',
        p.heads,
        this.head,
        (v) => {
          this.head = v;
        },
        'head',
      ),
      durLabel,
    );
    const row2 = el('div', 'me-row');
    row2.append(
      button(
        '+ layer',
        () => {
          this.apply(
            addLayer(schedule, this.layer),
            `Layer ${this.layer + 2} added (a copy of layer ${this.layer + 1}).`,
          );
          this.layer++;
          this.refresh();
        },
        'Insert a copy of this layer after it',
      ),
      button(
        '− layer',
        () => {
          if (schedule.layers.length <= 1) {
            this.say('The schedule keeps at least one layer.', 'error');
            return;
          }
          this.apply(removeLayer(schedule, this.layer), `Layer ${this.layer + 1} removed.`);
        },
        'Remove this layer',
      ),
    );
    this.activeNote = el('span', 'me-active');
    row2.appendChild(this.activeNote);
    box.append(row1, row2);
    return box;
  }

  private otherSchedule(): HTMLElement {
    const p = this.deps.params;
    const box = el('div', 'me-controls');
    box.append(
      el(
        'p',
        'me-label',
        `Schedule "${p.driftKind}" has no matrix to edit. The editor edits the OU target M or the matrices of a layer schedule.`,
      ),
    );
    const row = el('div', 'me-row');
    const switchTo = (kind: 'ou' | 'layers'): void => {
      if (kind === 'layers' && !layerSchedule(p)) {
        setLayerSchedule(p, {
          kind: 'layers',
          layerDuration: Math.max(p.dt, p.T / 3),
          layers: [Array.from({ length: p.heads }, () => identity(p.d))],
        });
      }
      p.driftKind = kind;
      this.deps.refreshGui();
      this.deps.changed('driftKind');
      this.refresh();
    };
    row.append(
      button('use OU', () => switchTo('ou')),
      button(
        'use layers',
        () => switchTo('layers'),
        'Restarts the run under a layer schedule (one layer, D = I, if none is loaded)',
      ),
    );
    box.appendChild(row);
    return box;
  }

  private grid(m: Matrix): HTMLElement {
    const d = m.length;
    const scroll = el('div', 'me-scroll');
    const table = el('table', d >= 8 ? 'me-grid me-dense' : 'me-grid');
    table.setAttribute('aria-label', this.what());
    const top = el('tr');
    top.appendChild(el('th'));
    for (let j = 0; j < d; j++) top.appendChild(el('th', undefined, String(j + 1)));
    table.appendChild(top);
    for (let i = 0; i < d; i++) {
      const tr = el('tr');
      tr.appendChild(el('th', undefined, String(i + 1)));
      const row: HTMLInputElement[] = [];
      for (let j = 0; j < d; j++) {
        const td = el('td');
        const input = el('input', i === j ? 'me-entry me-diag' : 'me-entry');
        input.type = 'text';
        input.inputMode = 'decimal';
        input.spellcheck = false;
        input.autocomplete = 'off';
        input.value = formatEntry(m[i]![j]!);
        input.dataset.i = String(i);
        input.dataset.j = String(j);
        input.setAttribute('aria-label', `${this.what()}, entry (${i + 1}, ${j + 1})`);
        input.addEventListener('change', () => this.commit(i, j));
        td.appendChild(input);
        tr.appendChild(td);
        row.push(input);
      }
      this.inputs.push(row);
      table.appendChild(tr);
    }
    scroll.appendChild(table);
    return scroll;
  }

  /** Applies the text of input (i, j) and mirrors it into (j, i). */
  private commit(i: number, j: number): void {
    const p = this.deps.params;
    const m = this.matrix();
    const input = this.inputs[i]?.[j];
    if (!m || !input) return;
    const r = editSymmetric(m, i, j, input.value, this.what());
    if (!r.ok) {
      input.classList.add('me-invalid');
      this.say(r.message, 'error');
      return;
    }
    for (const [a, b] of [
      [i, j],
      [j, i],
    ] as const) {
      const x = this.inputs[a]![b]!;
      x.value = formatEntry(r.value);
      x.classList.remove('me-invalid');
    }
    const where = i === j ? `(${i + 1}, ${i + 1})` : `(${i + 1}, ${j + 1}) and (${j + 1}, ${i + 1})`;
    if (p.driftKind === 'ou') {
      setOuTargetMatrix(p, r.matrix);
      this.deps.refreshGui();
      this.deps.changed('drift.target');
      this.say(`${this.what()} ${where} = ${formatEntry(r.value)}: the weights now relax towards it.`);
    } else {
      const s = layerSchedule(p);
      if (s)
        this.apply(
          withLayerMatrix(s, this.layer, this.head, r.matrix),
          `${this.what()} ${where} = ${formatEntry(r.value)} applied.`,
        );
    }
  }

  private apply(schedule: LayersDrift, note: string): void {
    setLayerSchedule(this.deps.params, schedule);
    this.deps.changed('drift.layers');
    this.say(`${note} An edit of the active layer makes D jump; the energy balance does not count that jump.`);
    this.refresh();
  }

  /** Marks which layer holds at the engine's current time. */
  private markActive(schedule: LayersDrift | undefined): void {
    if (!this.activeNote || !schedule) return;
    const k = layerIndex(schedule, this.deps.time());
    const text = k === this.layer ? 'this layer holds now' : `layer ${k + 1} holds now`;
    if (this.activeNote.textContent !== text) this.activeNote.textContent = text;
    this.activeNote.classList.toggle('me-now', k === this.layer);
  }
}
