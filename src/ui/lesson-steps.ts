/**
 * A lesson's steps resolved into what each one runs: the scenario (the first step's preset or
 * scenario with every later step's `set` applied in order, through the params record, so keys
 * and values are those of the panel), the run, the plots and the narration tokens. Keys are
 * checked against the record's own list (SCENARIO_PARAM_KEYS), kinds and choices against their
 * descriptor tables, values against the type the record holds, and the scenario each step makes
 * through the validator; a refusal is a LessonError naming `steps[k].set.<key>`.
 */
import { ATTENTION_LIST, FLOW_SIGN_LIST, INTEGRATOR_LIST } from '../model/kinds/choices';
import { DRIFT_KINDS } from '../model/kinds/drift';
import type { AnyKind } from '../model/kinds/field';
import { TOKEN_KINDS } from '../model/kinds/tokens';
import { INIT_KINDS } from '../model/kinds/weight-init';
import {
  type Lesson,
  LessonError,
  type LessonNames,
  type LessonRun,
  type LessonValue,
  lessonIssue,
  parseLessonJson,
  validateLesson,
} from '../model/lesson';
import { type NarrationToken, parseNarration } from '../model/narration';
import { DEFAULT_PRESET_ID, PRESETS, preset } from '../model/presets';
import { SCALAR_FIELDS, type Scenario } from '../model/scenario';
import { ScenarioError } from '../model/validate';
import { type Params, paramsFromScenario, recordScenario, SCENARIO_PARAM_KEYS } from './params';
import { type PanelName, PLOT_NAMES, PRESENTER_PLOTS } from './plot-names';

/** The names lessons are checked against. */
export const LESSON_NAMES: LessonNames = { presets: PRESETS.map((p) => p.id), plots: PLOT_NAMES };

/** One step, ready to play. */
export interface ResolvedStep {
  title: string;
  scenario: Scenario;
  /** The preset the step's state descends from (the panel's preset field). */
  presetId: string;
  run: LessonRun;
  plots: PanelName[];
  narration: NarrationToken[];
}

/** A lesson and its resolved steps. */
export interface ResolvedLesson {
  lesson: Lesson;
  steps: ResolvedStep[];
}

const inPanel = (table: Readonly<Record<string, AnyKind>>): string[] =>
  Object.entries(table)
    .filter(([, d]) => d.inPanel)
    .map(([k]) => k);

/** The values a choice key allows (kinds offered by the panel; explicit data needs a scenario). */
function choices(key: string): readonly LessonValue[] | undefined {
  switch (key) {
    case 'tokenKind':
      return inPanel(TOKEN_KINDS);
    case 'initKind':
      return inPanel(INIT_KINDS);
    case 'driftKind':
      return inPanel(DRIFT_KINDS);
    case 'attention':
      return ATTENTION_LIST;
    case 'integrator':
      return INTEGRATOR_LIST;
    case 'flowSign':
      return FLOW_SIGN_LIST;
    case 'ouTarget':
      return ['identity', 'zero'];
    default:
      return undefined;
  }
}

/** Where a record key lives in the scenario (to name the key when the validator refuses that field). */
function scenarioPath(key: string): string {
  if ((SCALAR_FIELDS as readonly string[]).includes(key)) return key;
  const fixed: Record<string, string> = {
    noiseVariance: 'weights.noiseVariance',
    pertTokens: 'perturbation.tokens',
    pertWeights: 'perturbation.weights',
    sharedNoise: 'perturbation.sharedNoise',
  };
  if (fixed[key]) return fixed[key];
  const [family, , field] = key.split('.');
  if (family === 'tokens') return `tokens.${field}`;
  if (family === 'init') return `weights.init.${field}`;
  if (family === 'drift') return `weights.drift.${field}`;
  return key;
}

const fieldOf = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** Applies one `set` to the record, checking key, kind and type first. */
function apply(p: Params, path: string, set: Record<string, LessonValue>): void {
  const rec = p as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(set)) {
    const field = fieldOf(path, key);
    if (!SCENARIO_PARAM_KEYS.includes(key))
      throw lessonIssue(field, 'a panel key (n, heads, beta, driftKind, drift.ou.theta, …)', 'an unknown key');
    const options = choices(key);
    if (options) {
      if (!options.includes(value))
        throw lessonIssue(field, `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`, JSON.stringify(value));
    } else if (typeof rec[key] !== typeof value) {
      throw lessonIssue(field, `a ${typeof rec[key]}`, JSON.stringify(value));
    }
    const dot = key.split('.');
    if (dot.length === 3) {
      const selected = { tokens: p.tokenKind, init: p.initKind, drift: p.driftKind }[dot[0] as 'tokens'];
      if (selected !== dot[1])
        throw lessonIssue(
          field,
          `a number of the selected kind (select ${dot[1]} first)`,
          `${dot[0]} kind ${selected}`,
        );
    }
    rec[key] = value;
  }
}

/** The step's scenario from the record, or a LessonError naming the set key (else the step) at fault. */
function validated(p: Params, path: string, set: Record<string, LessonValue> | undefined): Scenario {
  try {
    return recordScenario(p);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const key = Object.keys(set ?? {}).find((k) => scenarioPath(k) === e.field);
    const field = key !== undefined ? fieldOf(`${path}.set`, key) : path;
    throw new LessonError([
      { field, expected: e.expected, message: `lesson.${field}: the step's scenario is refused: ${e.message}` },
    ]);
  }
}

/** Resolves every step of a validated lesson (throws LessonError naming the field). */
export function resolveLesson(lesson: Lesson): ResolvedLesson {
  const steps: ResolvedStep[] = [];
  let params: Params | undefined;
  let plots: PanelName[] = [...PRESENTER_PLOTS];
  lesson.steps.forEach((st, k) => {
    const path = `steps[${k}]`;
    if (st.preset !== undefined) params = paramsFromScenario(preset(st.preset).build(), st.preset);
    else if (st.scenario) params = paramsFromScenario(st.scenario, params?.preset ?? DEFAULT_PRESET_ID);
    else if (params) params = paramsFromScenario(steps[k - 1]!.scenario, params.preset);
    if (!params) throw lessonIssue(path, 'a first step that sets a preset or a scenario', 'neither');
    if (st.set) apply(params, `${path}.set`, st.set);
    const scenario = validated(params, path, st.set);
    if (typeof st.run === 'object' && st.run.until > scenario.T)
      throw lessonIssue(`${path}.run.until`, `a time in (0, T = ${scenario.T}]`, String(st.run.until));
    if (st.plots) plots = st.plots as PanelName[];
    steps.push({
      title: st.title ?? `${lesson.title} · ${k + 1}`,
      scenario,
      presetId: params.preset,
      run: st.run,
      plots: [...plots],
      narration: parseNarration(st.narration),
    });
  });
  return { lesson, steps };
}

/** Untrusted lesson data → resolved steps (throws LessonError). */
export function loadLesson(input: unknown): ResolvedLesson {
  return resolveLesson(validateLesson(input, LESSON_NAMES));
}

/** Lesson JSON text → resolved steps (throws LessonError; the text is parsed, never evaluated). */
export function loadLessonJson(text: string): ResolvedLesson {
  return resolveLesson(parseLessonJson(text, LESSON_NAMES));
}

/** Words for a refused lesson: the field and the message. */
export function describeLessonError(e: unknown): string {
  if (e instanceof LessonError) return `field "${e.field}" should be ${e.expected} (${e.message})`;
  return e instanceof Error ? e.message : String(e);
}
