/**
 * Lessons: a titled list of steps a lecturer plays in presenter mode (src/app/lesson-player.ts).
 * A step may set a whole scenario (`scenario`, validated by validateScenario) or start from a
 * preset (`preset`), change parameters by their panel key (`set`: `{"beta": 9, "drift.ou.theta":
 * 2}`; keys and values are checked against the params record in src/ui/lesson-steps.ts), run
 * until a time or stay paused (`run`), choose the plots shown (`plots`) and carry narration
 * (src/model/narration.ts: text, *emphasis*, $TeX$; never HTML).
 *
 *   { "lesson": 1, "title": "…", "steps": [ { "preset": "clustering-beta1", "run": { "until": 4 },
 *     "plots": ["energy"], "narration": "One head, $\\beta = 1$: *one* cluster." }, … ] }
 *
 * Each step's state is the first step's scenario with every later step's changes applied in
 * order up to it, run from t = 0: playing step k, going back to it or replaying it gives the
 * same run. This validator is total like validate.ts: it reads only own data properties of
 * plain objects and arrays, refuses unknown fields naming their path (`steps[2].narration`),
 * and throws only LessonError.
 */
import type { Scenario } from './scenario';
import { isPlainArray, isPlainObject, jsonDepthOver, ScenarioError, validateScenario } from './validate';

export const LESSON_VERSION = 1;
export const MAX_STEPS = 100;
export const MAX_NARRATION = 2000;
const MAX_TITLE = 200;
const MAX_SET_KEYS = 40;
const MAX_KEY = 64;

/** What a step does once its state is built: play to T, stay paused at t = 0, or play until a time and pause. */
export type LessonRun = 'play' | 'pause' | { until: number };

/** A parameter change: a panel key and its value. */
export type LessonValue = number | string | boolean;

export interface LessonStep {
  title?: string;
  /** A preset id: its scenario starts this step (before `set`). */
  preset?: string;
  /** A whole scenario (validated) starts this step (before `set`). */
  scenario?: Scenario;
  /** Panel keys (src/ui/params.ts ParamKey) and values, applied in order. */
  set?: Record<string, LessonValue>;
  run: LessonRun;
  /** Plots shown beside the picture (names of src/ui/plot-names.ts); the previous step's when absent. */
  plots?: string[];
  narration: string;
}

export interface Lesson {
  lesson: typeof LESSON_VERSION;
  title: string;
  description?: string;
  steps: LessonStep[];
}

/** One problem in a lesson: the field's path (`steps[2].narration`), what it should be, and the message. */
export interface LessonIssue {
  field: string;
  expected: string;
  message: string;
}

/** Thrown by the lesson validators: the first issue's field and expectation, all issues listed. */
export class LessonError extends Error {
  readonly field: string;
  readonly expected: string;
  readonly issues: LessonIssue[];
  constructor(issues: readonly LessonIssue[]) {
    const list =
      issues.length > 0 ? [...issues] : [{ field: 'lesson', expected: 'a lesson', message: 'lesson: invalid' }];
    const more = list.length - 1;
    super(list[0]!.message + (more > 0 ? ` (and ${more} more issue${more > 1 ? 's' : ''})` : ''));
    this.name = 'LessonError';
    this.field = list[0]!.field;
    this.expected = list[0]!.expected;
    this.issues = list;
  }
}

/** A LessonError for one field. */
export function lessonIssue(field: string, expected: string, got?: string): LessonError {
  const message = `lesson.${field}: ${got === undefined ? `expected ${expected}` : `expected ${expected}, got ${got}`}`;
  return new LessonError([{ field, expected, message }]);
}

/** What the validator checks names against (supplied by the layer that owns those tables). */
export interface LessonNames {
  /** Preset ids. */
  presets: readonly string[];
  /** Plot names. */
  plots: readonly string[];
}

type Rec = Record<string, unknown>;

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}…` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
function join(path: string, key: string): string {
  const k = key.length > MAX_KEY ? `${key.slice(0, MAX_KEY)}…` : key;
  return IDENT.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${JSON.stringify(k)}]`;
}

/** Collects issues, as validate.ts's Check does. */
class Check {
  readonly issues: LessonIssue[] = [];
  fail(field: string, expected: string, got: unknown): undefined {
    const message =
      got === undefined
        ? `lesson.${field}: missing required field (expected ${expected})`
        : `lesson.${field}: expected ${expected}, got ${describe(got)}`;
    this.issues.push({ field, expected, message });
    if (this.issues.length >= 20) throw new LessonError(this.issues);
    return undefined;
  }
  /** Own data properties of a plain object, refusing fields not in `allowed`. */
  fields(path: string, v: unknown, allowed: readonly string[], what: string): Rec | undefined {
    if (!isPlainObject(v)) return this.fail(path, what, v);
    const out: Rec = {};
    for (const key of Object.keys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (!d || !('value' in d)) {
        this.fail(join(path, key), 'a plain data field', 'an accessor');
        continue;
      }
      if (!allowed.includes(key)) {
        this.issues.push({
          field: join(path, key),
          expected: `one of the fields ${allowed.join(', ')}`,
          message: `lesson.${join(path, key)}: unknown field (allowed here: ${allowed.join(', ')})`,
        });
        continue;
      }
      out[key] = d.value;
    }
    return out;
  }
  text(path: string, v: unknown, max: number, optional: boolean): string | undefined {
    if (v === undefined && optional) return undefined;
    if (typeof v === 'string' && v.length <= max) return v;
    return this.fail(path, `a string of at most ${max} characters`, v);
  }
}

const LESSON_FIELDS = ['lesson', 'title', 'description', 'steps'] as const;
const STEP_FIELDS = ['title', 'preset', 'scenario', 'set', 'run', 'plots', 'narration'] as const;

function run(c: Check, path: string, v: unknown): LessonRun | undefined {
  if (v === undefined) return 'play';
  if (v === 'play' || v === 'pause') return v;
  const expected = '"play", "pause" or { "until": t } with t > 0';
  if (!isPlainObject(v)) return c.fail(path, expected, v);
  const o = c.fields(path, v, ['until'], expected);
  if (!o) return undefined;
  const t = o.until;
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) return c.fail(`${path}.until`, 'a finite number > 0', t);
  return { until: t };
}

function set(c: Check, path: string, v: unknown): Record<string, LessonValue> | undefined {
  const expected = `an object of at most ${MAX_SET_KEYS} panel keys and their values`;
  if (!isPlainObject(v)) return c.fail(path, expected, v);
  const keys = Object.keys(v);
  if (keys.length > MAX_SET_KEYS) return c.fail(path, expected, `${keys.length} keys`);
  const o = c.fields(path, v, keys, expected);
  if (!o) return undefined;
  const out: Record<string, LessonValue> = {};
  for (const key of keys) {
    const x = o[key];
    const ok =
      (typeof x === 'number' && Number.isFinite(x)) ||
      typeof x === 'boolean' ||
      (typeof x === 'string' && x.length <= MAX_KEY);
    if (ok) out[key] = (x === 0 ? 0 : x) as LessonValue;
    else c.fail(join(path, key), 'a finite number, true or false, or a short string', x);
  }
  return out;
}

function plots(c: Check, path: string, v: unknown, names: LessonNames): string[] | undefined {
  const expected = `an array of plot names (${names.plots.join(', ')})`;
  if (!isPlainArray(v) || v.length > names.plots.length) return c.fail(path, expected, v);
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const x = Object.getOwnPropertyDescriptor(v, i)?.value as unknown;
    if (typeof x === 'string' && names.plots.includes(x) && !out.includes(x)) out.push(x);
    else c.fail(`${path}[${i}]`, `one of ${names.plots.map((p) => JSON.stringify(p)).join(', ')}, each once`, x);
  }
  return out;
}

function step(c: Check, path: string, v: unknown, names: LessonNames): LessonStep | undefined {
  const o = c.fields(path, v, STEP_FIELDS, 'a step object');
  if (!o) return undefined;
  const before = c.issues.length;
  const out: LessonStep = { run: 'play', narration: '' };
  const title = c.text(`${path}.title`, o.title, MAX_TITLE, true);
  if (title !== undefined) out.title = title;
  if (o.preset !== undefined) {
    if (typeof o.preset === 'string' && names.presets.includes(o.preset)) out.preset = o.preset;
    else c.fail(`${path}.preset`, `a preset id (${names.presets.join(', ')})`, o.preset);
  }
  if (o.scenario !== undefined) {
    if (o.preset !== undefined) c.fail(`${path}.scenario`, 'either a preset or a scenario, not both', 'both');
    try {
      out.scenario = validateScenario(o.scenario);
    } catch (e) {
      const issues = e instanceof ScenarioError ? e.issues : [];
      for (const i of issues.slice(0, 5)) {
        const field = i.field === 'scenario' ? `${path}.scenario` : `${path}.scenario.${i.field}`;
        c.issues.push({
          field,
          expected: i.expected,
          message: `lesson.${field}: ${i.message.replace(/^[^:]*: /, '')}`,
        });
      }
    }
  }
  if (o.set !== undefined) {
    const s = set(c, `${path}.set`, o.set);
    if (s) out.set = s;
  }
  const r = run(c, `${path}.run`, o.run);
  if (r) out.run = r;
  if (o.plots !== undefined) {
    const p = plots(c, `${path}.plots`, o.plots, names);
    if (p) out.plots = p;
  }
  const narration = c.text(`${path}.narration`, o.narration ?? '', MAX_NARRATION, false);
  if (narration !== undefined) out.narration = narration;
  return c.issues.length === before ? out : undefined;
}

/**
 * Checks the shape of untrusted lesson data: every field known and of its type, each scenario
 * validated, names in `names`. The parameter keys of `set` are checked when the steps are
 * resolved against the params record (src/ui/lesson-steps.ts).
 */
export function validateLesson(input: unknown, names: LessonNames): Lesson {
  const c = new Check();
  let out: Lesson | undefined;
  try {
    out = lesson(c, input, names);
  } catch (e) {
    if (e instanceof LessonError) throw e;
    throw new LessonError([
      ...c.issues,
      {
        field: 'lesson',
        expected: 'plain JSON-like data',
        message: 'lesson: the input could not be read as plain data',
      },
    ]);
  }
  if (!out || c.issues.length > 0) throw new LessonError(c.issues);
  return out;
}

function lesson(c: Check, input: unknown, names: LessonNames): Lesson | undefined {
  const o = c.fields('', input, LESSON_FIELDS, 'a lesson object { lesson, title, steps }');
  if (!o) return undefined;
  if (o.lesson !== LESSON_VERSION) c.fail('lesson', `the format version ${LESSON_VERSION}`, o.lesson);
  const title = c.text('title', o.title, MAX_TITLE, false);
  const description = c.text('description', o.description, MAX_NARRATION, true);
  const steps: LessonStep[] = [];
  const raw = o.steps;
  if (!isPlainArray(raw) || raw.length < 1 || raw.length > MAX_STEPS) {
    c.fail('steps', `an array of 1 to ${MAX_STEPS} steps`, raw);
  } else {
    for (let i = 0; i < raw.length; i++) {
      const s = step(c, `steps[${i}]`, Object.getOwnPropertyDescriptor(raw, i)?.value, names);
      if (s) steps.push(s);
    }
    const first = raw[0] as Rec | undefined;
    if (isPlainObject(first) && first.preset === undefined && first.scenario === undefined)
      c.fail('steps[0]', 'a first step that sets a preset or a scenario (the lesson starts from it)', 'neither');
  }
  if (title === undefined || c.issues.length > 0) return undefined;
  return { lesson: LESSON_VERSION, title, ...(description !== undefined && { description }), steps };
}

/** Nesting a lesson needs: {steps [step {scenario {weights {drift {layers [L [H [row [entry]]]]}}}}}. */
const MAX_LESSON_DEPTH = 20;

/** Parses JSON text (never evaluated) into a validated lesson; a syntax error names the field "json". */
export function parseLessonJson(text: string, names: LessonNames): Lesson {
  const fail = (message: string): LessonError =>
    new LessonError([{ field: 'json', expected: 'valid JSON text', message: `json: ${message}` }]);
  if (typeof text !== 'string') throw fail('expected JSON text');
  const depth = jsonDepthOver(text, MAX_LESSON_DEPTH);
  if (depth >= 0) throw fail(`nested deeper than ${MAX_LESSON_DEPTH} levels at character ${depth}; not parsed`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw fail(`invalid JSON (${e instanceof Error ? e.message.slice(0, 200) : 'unparseable'})`);
  }
  return validateLesson(value, names);
}

/** Pretty JSON for a lesson file. */
export function lessonFile(l: Lesson): string {
  return `${JSON.stringify(l, null, 2)}\n`;
}
