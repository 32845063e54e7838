/**
 * The one record of what runs, as the panel edits it (STYLE.md §8). `Params` is a typed binding
 * over a single draft `Scenario`: every scenario field the panel shows is an accessor into that
 * draft, so explicit tokens or matrices, a layer schedule, a custom OU target and a name loaded
 * from a link or file live in the draft itself — there is no second copy to keep in step. The
 * kind-specific numbers (`drift.ou.theta`, `tokens.vmf.kappa`, …) are keyed and bounded by the
 * kind descriptors (src/model/kinds); the value of a kind not selected is remembered, so
 * switching back restores it. View settings and the pace are plain fields beside the draft.
 *
 * `recordScenario(p)` validates the draft as it is (what reset runs); `paramsToScenario(p)` is
 * what the panel's own settings describe (explicit tokens and initial matrices replaced by the
 * panel's kinds), which is what an edit that rebuilds runs.
 */
import { DRIFT_KINDS, type DriftKind, type DriftOf } from '../model/kinds/drift';
import { type AnyKind, assertNever, numberFields, type NumericKeys } from '../model/kinds/field';
import { TOKEN_KINDS, type TokenKind } from '../model/kinds/tokens';
import { INIT_KINDS, type WeightInitKind } from '../model/kinds/weight-init';
import { PRESETS, preset } from '../model/presets';
import {
  type Drift,
  type Matrix,
  SCALAR_FIELDS,
  type ScalarField,
  type Scenario,
  type TokenSpec,
  type WeightInit,
} from '../model/scenario';
import { validateScenario } from '../model/validate';
import { VIEW_KEYS, type ViewOptions, viewDefaults } from '../view/view-options';
import { defaultFallbackThreads } from '../worker/fallback-threads';
import { cloneMatrix, fitLayers, fitMatrix, identity, type LayersDrift } from './matrix-model';

export type { DriftKind, TokenKind };

/** The non-numeric fields any drift kind declares. */
type DriftDataField = { [K in DriftKind]: (typeof DRIFT_KINDS)[K]['data'][number] }[DriftKind];

/** A kind family's number keys: `family.kind.field` for every numeric field of every kind. */
type NumberKeys<F extends string, U extends { kind: string }> = {
  [K in U['kind']]: `${F}.${K}.${NumericKeys<Extract<U, { kind: K }>> & string}`;
}[U['kind']];
export type KindNumberKey =
  | NumberKeys<'tokens', TokenSpec>
  | NumberKeys<'init', WeightInit>
  | NumberKeys<'drift', Drift>;

/** The OU target as the panel offers it: the identity, the zero matrix, or a custom matrix. */
export type OuTargetChoice = 'identity' | 'zero' | 'custom';

/** The scenario fields the panel edits directly (accessors into the draft). */
interface ScenarioFields extends Pick<Scenario, ScalarField> {
  noiseVariance: number;
  pertTokens: number;
  pertWeights: number;
  sharedNoise: boolean;
  tokenKind: TokenKind;
  initKind: WeightInitKind;
  driftKind: DriftKind;
  ouTarget: OuTargetChoice;
}

/** Everything the panel edits. Numbers are in the scenario's units (MODEL.md). */
export type Params = ParamsRecord & ScenarioFields & { [K in KindNumberKey]: number };

/** A key an edit reports: a panel field, or a matrix the editor changed inside the drift. */
export type ParamKey =
  | keyof ScenarioFields
  | KindNumberKey
  | keyof ViewOptions
  | 'stepsPerFrame'
  | 'cpuThreads'
  | 'preset'
  | 'drift.target'
  | 'drift.layers';

/** Fields that only change the picture or the pace: applied at once, the engine untouched. */
export const LIVE_VIEW: readonly ParamKey[] = [...VIEW_KEYS, 'stepsPerFrame'];
/**
 * Fields applied to the running engine through `setDrift`: the schedule kind, its numbers, the
 * OU target and the matrices the editor changes (a switch into or out of `layers` rebuilds).
 */
export const LIVE_DRIFT: readonly ParamKey[] = ['driftKind', 'ouTarget', 'drift.target', 'drift.layers'];
/**
 * Fields that rebuild the engine from the current tokens and weights (the clock restarts at 0).
 * σ² is here, not in LIVE_DRIFT: it is part of the weight spec, not of the Drift, and the GPU
 * engine compiles "noise on/off" into its pipelines, so no engine can change it in place.
 */
export const REBUILD_FROM_STATE: readonly ParamKey[] = [
  'beta',
  'flowSign',
  'attention',
  'integrator',
  'dt',
  'noiseVariance',
  'cpuThreads',
];

/** What a change of `key` needs. */
export function changeKind(key: ParamKey): 'view' | 'drift' | 'state' | 'rebuild' {
  if (LIVE_VIEW.includes(key)) return 'view';
  if (LIVE_DRIFT.includes(key) || key.startsWith('drift.')) return 'drift';
  if (REBUILD_FROM_STATE.includes(key)) return 'state';
  return 'rebuild';
}

/**
 * Pair-head evaluations (P·n²·H) per frame the suggested pace aims at. Measured in headless
 * Chromium on SwiftShader (2 cores, n = 1,024, H = 8, i.e. 8.4e6 per step): 1 step per frame gave
 * 3.8 steps/s at 6.6 fps, 4 gave 12 steps/s at 5.0 fps, 16 gave 28 steps/s at 2.8 fps — each
 * submit has a fixed round-trip cost, so a few steps per frame buy speed for little smoothness.
 */
export const PAIR_HEADS_PER_FRAME = 3e7;
/** Upper end of the suggested pace (the default presets are small and would otherwise race). */
const MAX_SUGGESTED_STEPS = 10;

/**
 * Steps per frame that keep a run of this size (n, H, P and d) responsive: fewer for heavier
 * steps. A pair costs ∝ d (the logit and the weighted sum), so d = 3 — where the pace was
 * measured — is the neutral case (and a size without d counts as d = 3).
 */
export function suggestedStepsPerFrame(s: Pick<Scenario, 'n' | 'heads' | 'replicas'> & { d?: number }): number {
  const work = (s.n * s.n * s.heads * s.replicas * (s.d ?? 3)) / 3;
  return Math.max(1, Math.min(MAX_SUGGESTED_STEPS, Math.round(PAIR_HEADS_PER_FRAME / Math.max(work, 1))));
}

/** Panel kinds that stand in for explicit data when the panel's settings describe the run. */
const PANEL_TOKENS: TokenKind = 'uniform';
const PANEL_INIT: WeightInitKind = 'random-symmetric';

type Spec = { kind: string } & Record<string, unknown>;

/** A kind family: where its spec sits in the draft and its descriptor table. */
interface Family {
  readonly name: 'tokens' | 'init' | 'drift';
  readonly table: Readonly<Record<string, AnyKind>>;
  get(s: Scenario): Spec;
  set(s: Scenario, spec: Spec): void;
}
const FAMILIES: readonly Family[] = [
  {
    name: 'tokens',
    table: TOKEN_KINDS,
    get: (s) => s.tokens as Spec,
    set: (s, v) => {
      s.tokens = v as unknown as TokenSpec;
    },
  },
  {
    name: 'init',
    table: INIT_KINDS,
    get: (s) => s.weights.init as Spec,
    set: (s, v) => {
      s.weights.init = v as unknown as WeightInit;
    },
  },
  {
    name: 'drift',
    table: DRIFT_KINDS,
    get: (s) => s.weights.drift as Spec,
    set: (s, v) => {
      s.weights.drift = v as unknown as Drift;
    },
  },
];
const family = (name: Family['name']): Family => FAMILIES.find((f) => f.name === name)!;

function isZero(m: Matrix): boolean {
  return m.every((r) => r.every((v) => v === 0));
}

/** The record: a draft scenario with the panel's accessors, the view settings and the pace. */
class ParamsRecord implements ViewOptions {
  preset: string;
  stepsPerFrame: number;
  /** Threads of the CPU fallback's rows (fallback-threads.ts; kept across loads: a setting of this browser, not of the run). */
  cpuThreads = defaultFallbackThreads();
  clusterEpsilon!: number;
  colouring!: ViewOptions['colouring'];
  trails!: boolean;
  projection!: ViewOptions['projection'];
  showReplica!: number;
  ghosts!: boolean;
  showAxes!: boolean;
  compareLayout!: ViewOptions['compareLayout'];
  density!: boolean;
  densityBandwidth!: number;
  /** The scenario being edited: every field set, possibly invalid until validated. */
  draft: Scenario;
  /** Numbers of the kinds not selected now (`family.kind.field`), and data to switch back to. */
  readonly memory = new Map<string, unknown>();

  constructor(s: Scenario, presetId: string) {
    this.preset = presetId;
    this.draft = structuredClone(s);
    this.stepsPerFrame = suggestedStepsPerFrame(s);
    Object.assign(this, viewDefaults(s.d));
  }

  /** Replaces the record with `s` (a preset, link or file); view settings kept when asked. */
  load(s: Scenario, presetId: string, keepView = false): void {
    const view = this.viewOptions();
    this.draft = structuredClone(s);
    this.memory.clear();
    this.preset = presetId;
    this.stepsPerFrame = suggestedStepsPerFrame(s);
    Object.assign(this, viewDefaults(s.d), keepView ? { ...view, showReplica: 0 } : {});
  }

  /** The view settings, from the one list. */
  viewOptions(): ViewOptions {
    return Object.fromEntries(VIEW_KEYS.map((k) => [k, this[k]])) as unknown as ViewOptions;
  }

  /** Selects `kind` in a family: the current kind's values are remembered, the new kind's restored. */
  selectKind(f: Family, kind: string): void {
    const cur = f.get(this.draft);
    if (cur.kind === kind) return;
    this.memory.set(`${f.name}.${cur.kind}`, structuredClone(cur));
    const kept = this.memory.get(`${f.name}.${kind}`) as Spec | undefined;
    const next: Spec = kept ? structuredClone(kept) : { kind };
    const desc = f.table[kind]!;
    for (const [field, spec] of numberFields(desc)) {
      if (next[field] === undefined) next[field] = spec.default ?? 1;
    }
    for (const field of desc.data) if (next[field] === undefined) next[field] = fallbackData(field, this.draft);
    f.set(this.draft, next);
  }

  /** A kind's number: the draft's when the kind is selected, else remembered, else the default. */
  kindNumber(f: Family, kind: string, field: string): number {
    const cur = f.get(this.draft);
    if (cur.kind === kind) return cur[field] as number;
    const kept = this.memory.get(`${f.name}.${kind}`) as Spec | undefined;
    const spec = (f.table[kind]!.numbers as Record<string, { default?: number }>)[field]!;
    return (kept?.[field] as number | undefined) ?? spec.default ?? 1;
  }

  setKindNumber(f: Family, kind: string, field: string, v: number): void {
    const cur = f.get(this.draft);
    if (cur.kind === kind) {
      cur[field] = v;
      return;
    }
    const key = `${f.name}.${kind}`;
    const kept = (this.memory.get(key) as Spec | undefined) ?? { kind };
    kept[field] = v;
    this.memory.set(key, kept);
  }

  /** Whether the draft holds data the panel has no control for (explicit tokens or D(0)). */
  hasExplicitData(): boolean {
    return this.draft.tokens.kind === 'explicit' || this.draft.weights.init.kind === 'explicit';
  }

  /** Replaces explicit tokens and initial matrices by the panel's kinds (as `paramsToScenario` does). */
  dropExplicitData(): void {
    if (this.draft.tokens.kind === 'explicit') this.selectKind(family('tokens'), PANEL_TOKENS);
    if (this.draft.weights.init.kind === 'explicit') this.selectKind(family('init'), PANEL_INIT);
  }
}

/** Data of a newly selected kind that has none remembered: the validator then names what is missing. */
function fallbackData(field: string, s: Scenario): unknown {
  switch (field) {
    case 'target':
      return 'identity';
    case 'layers':
      return [];
    case 'points':
      return [];
    case 'matrices':
      return Array.from({ length: s.heads }, () => identity(s.d));
    default:
      return undefined;
  }
}

/** Accessors from the binding's fields into the draft. */
function defineAccessors(): void {
  const proto = ParamsRecord.prototype as unknown as Record<string, unknown>;
  const def = (key: string, get: (r: ParamsRecord) => unknown, set: (r: ParamsRecord, v: never) => void): void => {
    Object.defineProperty(proto, key, {
      get(this: ParamsRecord) {
        return get(this);
      },
      set(this: ParamsRecord, v: never) {
        set(this, v);
      },
      enumerable: true,
      configurable: false,
    });
  };
  const top = SCALAR_FIELDS;
  for (const k of top) {
    def(
      k,
      (r) => r.draft[k],
      (r, v) => {
        (r.draft as unknown as Record<string, unknown>)[k] = v;
      },
    );
  }
  def(
    'noiseVariance',
    (r) => r.draft.weights.noiseVariance,
    (r, v: number) => {
      r.draft.weights.noiseVariance = v;
    },
  );
  const pert = { pertTokens: 'tokens', pertWeights: 'weights', sharedNoise: 'sharedNoise' } as const;
  for (const [key, field] of Object.entries(pert)) {
    def(
      key,
      (r) => r.draft.perturbation[field],
      (r, v) => {
        (r.draft.perturbation as unknown as Record<string, unknown>)[field] = v;
      },
    );
  }
  const selectors = { tokenKind: 'tokens', initKind: 'init', driftKind: 'drift' } as const;
  for (const [key, name] of Object.entries(selectors)) {
    const f = family(name);
    def(
      key,
      (r) => f.get(r.draft).kind,
      (r, v: string) => r.selectKind(f, v),
    );
  }
  for (const f of FAMILIES) {
    for (const [kind, desc] of Object.entries(f.table)) {
      for (const [field] of numberFields(desc)) {
        def(
          `${f.name}.${kind}.${field}`,
          (r) => r.kindNumber(f, kind, field),
          (r, v: number) => r.setKindNumber(f, kind, field, v),
        );
      }
    }
  }
  def('ouTarget', ouTargetChoice, (r, v: OuTargetChoice) => setOuTargetChoice(r as Params, v));
}
defineAccessors();

/**
 * The scenario fields the record binds (its accessors: sizes, kinds, kind numbers, perturbation,
 * OU target), i.e. the keys a lesson step may set; view settings and the pace are not among them.
 */
export const SCENARIO_PARAM_KEYS: readonly string[] = Object.entries(
  Object.getOwnPropertyDescriptors(ParamsRecord.prototype),
)
  .filter(([, d]) => typeof d.get === 'function')
  .map(([k]) => k);

/** The OU drift the record holds or remembers (its target is what the choice describes). */
function ouDrift(r: ParamsRecord): DriftOf<'ou'> | undefined {
  const cur = r.draft.weights.drift;
  return cur.kind === 'ou' ? cur : (r.memory.get('drift.ou') as DriftOf<'ou'> | undefined);
}

function ouTargetChoice(r: ParamsRecord): OuTargetChoice {
  const t = ouDrift(r)?.target;
  if (t === undefined || t === 'identity') return 'identity';
  return isZero(t) ? 'zero' : 'custom';
}

/** The custom OU target is remembered while the choice is identity or zero. */
const CUSTOM_TARGET = 'drift.ou.customTarget';

function setOuTargetChoice(p: Params, v: OuTargetChoice): void {
  const d = p.d;
  const target: 'identity' | Matrix =
    v === 'identity'
      ? 'identity'
      : v === 'zero'
        ? Array.from({ length: d }, () => new Array<number>(d).fill(0))
        : ((p.memory.get(CUSTOM_TARGET) as Matrix | undefined) ?? identity(d));
  writeOuTarget(p, target);
}

function writeOuTarget(p: Params, target: 'identity' | Matrix): void {
  const cur = p.draft.weights.drift;
  const prev = ouDrift(p)?.target;
  if (prev !== undefined && prev !== 'identity' && !isZero(prev)) p.memory.set(CUSTOM_TARGET, prev);
  if (cur.kind === 'ou') cur.target = target;
  else p.memory.set('drift.ou', { ...(ouDrift(p) ?? { kind: 'ou', theta: p['drift.ou.theta'] }), target });
}

/** Params holding exactly the given scenario (view fields at their defaults). */
export function paramsFromScenario(s: Scenario, presetId: string): Params {
  return new ParamsRecord(s, presetId) as Params;
}

/** Params of a preset, optionally with H heads. */
export function paramsFromPreset(id: string, heads?: number): Params {
  return paramsFromScenario(preset(id).build(heads), id);
}

/** Ids of the presets, for the GUI's drop-down. */
export const PRESET_IDS = PRESETS.map((p) => p.id);

/** The drift the params describe, with its matrix-valued fields fitted to the draft's d and H. */
export function paramsDrift(p: Params): Drift {
  const drift = p.draft.weights.drift;
  let out = { ...drift } as Drift;
  for (const field of DRIFT_KINDS[drift.kind].data as readonly DriftDataField[]) {
    switch (field) {
      case 'target':
        if (out.kind === 'ou' && out.target !== 'identity') out = { ...out, target: ouTargetMatrix(p) };
        break;
      case 'layers':
        if (out.kind === 'layers') out = fitLayers(out, p.d, p.heads);
        break;
      default:
        assertNever(field, 'drift field');
    }
  }
  return out;
}

/** The OU target matrix of the params (d×d): zero, the custom matrix fitted to d, or the identity. */
export function ouTargetMatrix(p: Params): Matrix {
  const t = ouDrift(p)?.target;
  if (t === undefined || t === 'identity') {
    const custom = p.ouTarget === 'custom' ? (p.memory.get(CUSTOM_TARGET) as Matrix | undefined) : undefined;
    return custom ? fitMatrix(custom, p.d) : identity(p.d);
  }
  if (isZero(t)) return Array.from({ length: p.d }, () => new Array<number>(p.d).fill(0));
  return fitMatrix(t, p.d);
}

/** Makes `m` the OU target (ouTarget becomes 'custom'). */
export function setOuTargetMatrix(p: Params, m: Matrix): void {
  p.memory.set(CUSTOM_TARGET, cloneMatrix(m));
  writeOuTarget(p, cloneMatrix(m));
}

/** The layer schedule the params hold or remember, fitted to their d and H (undefined when there is none). */
export function layerSchedule(p: Params): LayersDrift | undefined {
  const cur = p.draft.weights.drift;
  const layers = cur.kind === 'layers' ? cur : (p.memory.get('drift.layers') as LayersDrift | undefined);
  return layers && layers.layers.length > 0 ? fitLayers(layers, p.d, p.heads) : undefined;
}

/** Replaces the layer schedule (the drift's when driftKind is 'layers', else the one remembered). */
export function setLayerSchedule(p: Params, layers: LayersDrift): void {
  if (p.draft.weights.drift.kind === 'layers') p.draft.weights.drift = structuredClone(layers);
  else p.memory.set('drift.layers', structuredClone(layers));
}

/** The draft with its drift fitted and σ² = 0 under a schedule that sets D(t) itself. */
function assemble(p: Params, panelOnly: boolean): Scenario {
  const s = structuredClone(p.draft);
  s.weights.drift = paramsDrift(p);
  if (DRIFT_KINDS[s.weights.drift.kind].setsWeights) s.weights.noiseVariance = 0;
  if (panelOnly) {
    const copy = paramsFromScenario(s, p.preset);
    copy.dropExplicitData();
    return copy.draft;
  }
  return s;
}

/**
 * The scenario the panel's settings describe, validated: explicit tokens and initial matrices
 * (which only a file or link provides) replaced by the panel's kinds. Throws a ScenarioError
 * (with `.field`) when a value is out of range. Nothing here is evaluated.
 */
export function paramsToScenario(p: Params): Scenario {
  return validateScenario(assemble(p, true));
}

/** The whole record validated, explicit data included: what reset runs. */
export function recordScenario(p: Params): Scenario {
  return validateScenario(assemble(p, false));
}

/** A scenario that continues from a state: the given tokens and weights become the initial ones. */
export function continueFrom(s: Scenario, positions: ArrayLike<number>, weights: ArrayLike<number>): Scenario {
  const { n, d, heads: H } = s;
  const points: Matrix = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, k) => positions[i * d + k]!),
  );
  const matrices: Matrix[] = Array.from({ length: H }, (_, h) =>
    Array.from({ length: d }, (_, r) =>
      Array.from({ length: d }, (_, k) => {
        const a = weights[h * d * d + r * d + k]!,
          b = weights[h * d * d + k * d + r]!;
        return (a + b) / 2;
      }),
    ),
  );
  const weightsSpec =
    s.weights.drift.kind === 'layers' ? s.weights : { ...s.weights, init: { kind: 'explicit' as const, matrices } };
  return validateScenario({ ...s, tokens: { kind: 'explicit', points }, weights: weightsSpec });
}
